"""OCR token geometry -> a small picture of the printed words, as a ``data:`` URI.

Input: the tokens of a reading (their ``source.bbox`` and ``source.image``) and the manifest's
path (images may be relative to it). Output: a PNG ``data:`` URI showing the words on their
line with a margin of context, the words boxed, scaled to a modest height, or None where there
is no geometry or no readable image. Page images are opened once per ``Cropper``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from proofbench.model import BBox, Token

MAX_HEIGHT = 64
"""Pixel height of a crop as stored (about one printed line and a half)."""
MAX_WIDTH = 520


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
        boxes: list[BBox] = []
        image = None
        for t in tokens:
            src = t.source
            if src is None or src.bbox is None or src.image is None:
                continue
            if image is None:
                image = src.image
            if src.image == image:
                boxes.append(src.bbox)
        if image is None or not boxes:
            return None
        page = self._page(image)
        if page is None:
            return None
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
        piece = piece.quantize(colors=32)
        out = io.BytesIO()
        piece.save(out, format="PNG", optimize=True)
        data = out.getvalue()
        if self.used + len(data) > self.budget:
            self.skipped += 1
            return None
        self.used += len(data)
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
