"""OCR geometry -> a small picture of the printed words, and the whole page, as ``data:`` URIs.

Input: the word boxes of a reading (from the witness's source spans, so both halves of a word
broken across lines are there) and the manifest's path (images may be relative to it).
Output: a PNG ``data:`` URI showing the words with a margin of context, boxed, one strip per
printed line stacked, scaled to a modest height; and for the page viewer the whole page image,
scaled to a readable width, once per page. None where there is no geometry, no readable image
or no budget left. Page images are opened once per ``Cropper``.
"""

from __future__ import annotations

import base64
import bisect
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from proofbench.model import BBox, Token, Witness

MAX_HEIGHT = 64
"""Pixel height of a crop as stored (about one printed line and a half)."""
MAX_WIDTH = 520
PAGE_WIDTH = 1100
"""Pixel width of a whole page as the page viewer shows it (print stays legible at 100%)."""
PAGE_COLORS = 16
"""Grey levels kept in a page image: scans of print need few, and it keeps the file small."""


@dataclass(frozen=True, slots=True)
class PageImage:
    """A page image as inlined: its URI and the size of the original the boxes refer to."""

    uri: str
    width: int
    height: int


def boxes_in(witness: Witness, start: int, end: int) -> tuple[str | None, list[BBox]]:
    """The page image and the word boxes of ``witness.text[start:end]`` on its first page.

    Taken from the source spans, one per OCR word, so a word broken across two lines
    (``con-`` / ``tinued``) gives both of its boxes.
    """
    spans = witness.spans
    starts = [s.start for s in spans]
    i = max(0, bisect.bisect_right(starts, start) - 1)
    image: str | None = None
    boxes: list[BBox] = []
    stop = max(end, start + 1)
    while i < len(spans) and spans[i].start < stop:
        sp = spans[i]
        i += 1
        src = sp.source
        if sp.end <= start or src.bbox is None or src.image is None:
            continue
        if image is None:
            image = src.image
        if src.image == image:
            boxes.append(src.bbox)
    return image, boxes


def _lines(boxes: Sequence[BBox]) -> list[list[BBox]]:
    """The boxes grouped by printed line (boxes whose vertical extents overlap)."""
    out: list[list[BBox]] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        if out and b[1] < max(x[3] for x in out[-1]) and b[3] > min(x[1] for x in out[-1]):
            out[-1].append(b)
        else:
            out.append([b])
    return out


class Cropper:
    """Crops page images around tokens; caches open pages; keeps within a byte budget."""

    def __init__(self, base: Path, budget: int) -> None:
        self.base = base
        self.budget = budget
        self.used = 0
        self.skipped = 0
        self._pages: dict[str, Image.Image | None] = {}

    def _page(self, image: str) -> Image.Image | None:
        if image not in self._pages:
            found = None
            for path in (Path(image), self.base / image):
                if path.is_file():
                    try:
                        with Image.open(path) as im:
                            found = im.convert("L")
                    except (OSError, ValueError):
                        found = None
                    break
            self._pages[image] = found
        return self._pages[image]

    def crop(self, tokens: Sequence[Token]) -> str | None:
        """The data URI of the words of ``tokens`` (all on the first one's page), or None."""
        image = None
        boxes: list[BBox] = []
        for t in tokens:
            src = t.source
            if src is None or src.bbox is None or src.image is None:
                continue
            if image is None:
                image = src.image
            if src.image == image:
                boxes.append(src.bbox)
        return self.crop_boxes(image, boxes)

    def crop_boxes(self, image: str | None, boxes: Sequence[BBox]) -> str | None:
        """The data URI of the boxed words on ``image``: one strip per line, stacked; or None."""
        if image is None or not boxes:
            return None
        page = self._page(image)
        if page is None:
            return None
        lines = _lines(boxes)
        if len(lines) > 3:  # a long reading: one strip around all of it, as before
            lines = [list(boxes)]
        strips = [s for s in (self._strip(page, line) for line in lines) if s is not None]
        if not strips:
            return None
        if len(strips) == 1:
            piece = strips[0]
        else:
            gap = 4
            width = max(s.width for s in strips)
            piece = Image.new("RGB", (width, sum(s.height for s in strips) + gap), "white")
            y = 0
            for s in strips:
                piece.paste(s, (0, y))
                y += s.height + gap
        return self._inline(piece.quantize(colors=32))

    def _strip(self, page: Image.Image, boxes: Sequence[BBox]) -> Image.Image | None:
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[2] for b in boxes)
        y1 = max(b[3] for b in boxes)
        line = max(y1 - y0, 12)
        if y1 - y0 > 3 * line:  # words on several lines: show the first line's height around all
            line = max(b[3] - b[1] for b in boxes)
        pad_x, pad_y = int(line * 4), int(line * 0.6)
        box = (
            max(0, x0 - pad_x),
            max(0, y0 - pad_y),
            min(page.width, x1 + pad_x),
            min(page.height, y1 + pad_y),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            return None
        piece = page.crop(box).convert("RGB")
        draw = ImageDraw.Draw(piece)
        for b in boxes:
            draw.rectangle(
                (b[0] - box[0] - 3, b[1] - box[1] - 3, b[2] - box[0] + 3, b[3] - box[1] + 3),
                outline=(214, 40, 40),
                width=max(2, line // 12),
            )
        scale = min(1.0, MAX_HEIGHT / piece.height, MAX_WIDTH / piece.width)
        if scale < 1.0:
            size = (max(1, round(piece.width * scale)), max(1, round(piece.height * scale)))
            piece = piece.resize(size, Image.Resampling.LANCZOS)
        return piece

    def _inline(self, piece: Image.Image) -> str | None:
        out = io.BytesIO()
        piece.save(out, format="PNG", optimize=True)
        data = out.getvalue()
        if self.used + len(data) > self.budget:
            self.skipped += 1
            return None
        self.used += len(data)
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


class PageImages:
    """Whole page images for the page viewer, each inlined once, within a byte budget."""

    def __init__(self, cropper: Cropper, budget: int) -> None:
        self.cropper = cropper
        self.budget = budget
        self.used = 0
        self.skipped = 0
        self.pages: list[PageImage] = []
        self._index: dict[str, int | None] = {}

    def index(self, image: str) -> int | None:
        """The index of ``image`` in ``pages`` (inlining it the first time), or None."""
        if image not in self._index:
            self._index[image] = self._add(image)
        return self._index[image]

    def _add(self, image: str) -> int | None:
        page = self.cropper._page(image)
        if page is None:
            return None
        scale = min(1.0, PAGE_WIDTH / page.width)
        size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
        shown = page.resize(size, Image.Resampling.LANCZOS) if scale < 1.0 else page
        out = io.BytesIO()
        shown.quantize(colors=PAGE_COLORS).save(out, format="PNG", optimize=True)
        data = out.getvalue()
        if self.used + len(data) > self.budget:
            self.skipped += 1
            return None
        self.used += len(data)
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        self.pages.append(PageImage(uri, page.width, page.height))
        return len(self.pages) - 1
