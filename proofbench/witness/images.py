"""Page images of OCR witnesses: where a page's image is, given the file, the manifest and METS.

Input: an OCR file's path, the image name the engine recorded (if any), the page's place in the
witness, and the manifest's ``images`` key (files or folders). Output: the path of an image that
exists here, or None, and the places looked in (for the warning that names a page with none).

Order of search, first hit wins:

1. the manifest's ``images``: as many files as pages, by position; else folders, searched for
   the recorded name and for the OCR file's stem (``a014.alto.xml`` -> ``a014.png``);
2. the recorded name (by base name, Windows paths included) and the stem, beside the OCR file;
3. the recorded name relative to the folders above it (OCR-D writes ``OCR-D-IMG/p1.tif``,
   relative to the workspace, from a file in ``OCR-D-OCR/``);
4. an OCR-D workspace's ``mets.xml`` (in the folder or the one above): the image file of the
   physical page whose files include the OCR file;
5. the stem in a sibling folder of the OCR file's folder (``ocr/a014.hocr`` with
   ``images/a014.png``), the usual layout of a scan project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from lxml import etree

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2")
_SEPARATORS = re.compile(r"[\\/]")
_XLINK = "{http://www.w3.org/1999/xlink}href"


def _stem(path: str) -> str:
    return Path(path).name.split(".")[0]


def _in_folder(folder: Path, names: Sequence[str]) -> str | None:
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return str(candidate)
    return None


def _names(ocr_file: str, named: str | None) -> list[str]:
    """File names the image may have: the recorded base name, then the OCR file's stem."""
    names = []
    if named and named.strip():
        names.append(_SEPARATORS.split(named.strip())[-1])
    stem = _stem(ocr_file)
    names += [stem + ext for ext in IMAGE_SUFFIXES]
    return names


@lru_cache(maxsize=64)
def _mets_images(mets: str) -> dict[str, str]:
    """For an OCR-D ``mets.xml``: resolved path of each file -> the image of its physical page."""
    try:
        root = etree.parse(mets, etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return {}
    base = Path(mets).parent
    href: dict[str, str] = {}
    images: set[str] = set()
    for group in root.iter("{*}fileGrp"):
        is_image = "IMG" in (group.get("USE") or "").upper()
        for f in group.iter("{*}file"):
            loc = next(f.iter("{*}FLocat"), None)
            if loc is None or not f.get("ID"):
                continue
            target = loc.get(_XLINK) or loc.get("href") or ""
            href[f.get("ID", "")] = str((base / target).resolve())
            mime = f.get("MIMETYPE") or ""
            if is_image or mime.startswith("image/"):
                images.add(f.get("ID", ""))
    out: dict[str, str] = {}
    for div in root.iter("{*}div"):
        ids = [p.get("FILEID", "") for p in div.iter("{*}fptr")]
        picture = next((href[i] for i in ids if i in images and i in href), None)
        if picture is None:
            continue
        for i in ids:
            if i in href and i not in images:
                out[href[i]] = picture
    return out


@lru_cache(maxsize=256)
def _siblings(folder: str) -> tuple[Path, ...]:
    parent = Path(folder).parent
    try:
        return tuple(sorted(p for p in parent.iterdir() if p.is_dir() and str(p) != folder))
    except OSError:
        return ()


def locate(
    ocr_file: str,
    named: str | None,
    page: int,
    pages: int,
    images: Sequence[str] = (),
) -> str | None:
    """The image of page ``page`` (0-based, of ``pages``) of a witness, or None if none is here."""
    names = _names(ocr_file, named)
    files = [i for i in images if Path(i).is_file()]
    if files and len(files) == len(images):
        if len(files) == pages:
            return files[page]
        hit = next((f for f in files if Path(f).name in names), None)
        if hit:
            return hit
    for folder in (Path(i) for i in images if Path(i).is_dir()):
        hit = _in_folder(folder, names)
        if hit:
            return hit
    here = Path(ocr_file).parent
    hit = _in_folder(here, names)
    if hit:
        return hit
    if named and named.strip():
        relative = Path(*_SEPARATORS.split(named.strip()))
        for folder in list(here.resolve().parents)[:2]:
            candidate = folder / relative
            if candidate.is_file():
                return str(candidate)
    for folder in (here, here.parent):
        mets = folder / "mets.xml"
        if mets.is_file():
            picture = _mets_images(str(mets)).get(str(Path(ocr_file).resolve()))
            if picture and Path(picture).is_file():
                return picture
    stem_names = names[-len(IMAGE_SUFFIXES) :]
    for sibling in _siblings(str(here.resolve())):
        hit = _in_folder(sibling, stem_names)
        if hit:
            return hit
    return None
