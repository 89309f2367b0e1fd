"""Page images: the manifest's images key, OCR-D workspaces, the usual layouts, and a warning.

The report crops each OCR variant from its page image; an image not found must be said, page by
page, never skipped silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.model import WitnessSpec
from proofbench.witness import load_witness
from proofbench.witness.manifest import parse_manifest

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
OLD_BOOKS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "old-books-ocr-gt"


def _alto(path: Path, word: str = "word", image: str | None = None) -> Path:
    name = f"<sourceImageInformation><fileName>{image}</fileName></sourceImageInformation>"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">'
        f"<Description>{name if image else ''}</Description><Layout>"
        '<Page WIDTH="100" HEIGHT="100"><PrintSpace><TextBlock><TextLine>'
        f'<String CONTENT="{word}" HPOS="1" VPOS="1" WIDTH="9" HEIGHT="9"/>'
        "</TextLine></TextBlock></PrintSpace></Page></Layout></alto>",
        encoding="utf-8",
    )
    return path


def _images(*files: Path, images: tuple[str, ...] = ()) -> tuple[list[str | None], list[str]]:
    w = load_witness(WitnessSpec("A", tuple(str(f) for f in files), images=images))
    by_page: dict[int, str | None] = {}
    for s in w.spans:
        assert s.source.page is not None
        by_page[s.source.page] = s.source.image
    return [by_page[p] for p in sorted(by_page)], list(w.warnings)


def test_an_image_folder_named_in_the_manifest(tmp_path: Path) -> None:
    ocr = _alto(tmp_path / "ocr" / "p7.alto.xml")
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "p7.tif").write_bytes(PNG)
    found, warnings = _images(ocr, images=(str(tmp_path / "scans"),))
    assert found == [str(tmp_path / "scans" / "p7.tif")] and not warnings


def test_image_files_listed_one_per_page(tmp_path: Path) -> None:
    pages = [_alto(tmp_path / f"{n}.xml", f"w{n}") for n in ("one", "two")]
    pictures = [tmp_path / "x.png", tmp_path / "y.png"]
    for p in pictures:
        p.write_bytes(PNG)
    found, _ = _images(*pages, images=tuple(str(p) for p in pictures))
    assert found == [str(p) for p in pictures]


def test_an_ocr_d_workspace_through_its_mets(tmp_path: Path) -> None:
    ocr = _alto(tmp_path / "OCR-D-OCR" / "OCR-D-OCR_0001.xml")
    (tmp_path / "OCR-D-IMG").mkdir()
    (tmp_path / "OCR-D-IMG" / "scan_0001.tif").write_bytes(PNG)
    (tmp_path / "mets.xml").write_text(
        '<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<mets:fileSec>"
        '<mets:fileGrp USE="OCR-D-IMG"><mets:file ID="IMG_1" MIMETYPE="image/tiff">'
        '<mets:FLocat LOCTYPE="OTHER" xlink:href="OCR-D-IMG/scan_0001.tif"/>'
        "</mets:file></mets:fileGrp>"
        '<mets:fileGrp USE="OCR-D-OCR"><mets:file ID="OCR_1" MIMETYPE="application/alto+xml">'
        '<mets:FLocat LOCTYPE="OTHER" xlink:href="OCR-D-OCR/OCR-D-OCR_0001.xml"/></mets:file>'
        "</mets:fileGrp></mets:fileSec>"
        '<mets:structMap TYPE="PHYSICAL"><mets:div TYPE="physSequence">'
        '<mets:div TYPE="page" ID="P1"><mets:fptr FILEID="IMG_1"/><mets:fptr FILEID="OCR_1"/>'
        "</mets:div></mets:div></mets:structMap></mets:mets>",
        encoding="utf-8",
    )
    found, warnings = _images(ocr)
    assert found == [str((tmp_path / "OCR-D-IMG" / "scan_0001.tif").resolve())]
    assert not warnings


def test_a_recorded_name_relative_to_the_workspace(tmp_path: Path) -> None:
    ocr = _alto(tmp_path / "OCR-D-OCR" / "page.xml", image="OCR-D-IMG/0001.png")
    (tmp_path / "OCR-D-IMG").mkdir()
    (tmp_path / "OCR-D-IMG" / "0001.png").write_bytes(PNG)
    found, _ = _images(ocr)
    assert found[0] is not None and Path(found[0]).resolve() == tmp_path / "OCR-D-IMG" / "0001.png"


def test_images_in_a_sibling_folder(tmp_path: Path) -> None:
    ocr = _alto(tmp_path / "ocr-tesseract" / "a014.alto.xml")
    (tmp_path / "images-png").mkdir()
    (tmp_path / "images-png" / "a014.png").write_bytes(PNG)
    found, _ = _images(ocr)
    assert found == [str((tmp_path / "images-png" / "a014.png").resolve())]


def test_each_page_without_an_image_is_named_in_a_warning(tmp_path: Path) -> None:
    pages = [_alto(tmp_path / "ocr" / f"{n}.xml", n, image="C:\\scans\\lost.tif") for n in "ab"]
    found, warnings = _images(*pages)
    assert found == [None, None]
    assert len(warnings) == 2
    assert "a.xml: page 1 has no image" in warnings[0] and "lost.tif" in warnings[0]
    assert "b.xml: page 2" in warnings[1] and "\n" not in warnings[1]


def test_the_manifest_images_key(tmp_path: Path) -> None:
    m = parse_manifest(
        '[[witness]]\nsiglum = "A"\nfile = "a.xml"\nimages = "scans"\n', str(tmp_path / "m.toml")
    )
    assert m.witnesses[0].images == (str(tmp_path / "scans"),)


@pytest.mark.skipif(not OLD_BOOKS.is_dir(), reason="../shared/corpora is absent")
def test_old_books_pages_find_their_images_in_their_own_folder() -> None:
    files = sorted((OLD_BOOKS / "ocr-tesseract5-derived").glob("*.hocr"))
    assert len(files) == 20
    found, warnings = _images(*files)
    assert all(f is not None and Path(f).stem == p.stem for f, p in zip(found, files, strict=True))
    assert not warnings
