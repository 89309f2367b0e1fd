"""Blocks of apparatus: a Project Gutenberg header and licence by default, and manifest blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.errors import ManifestError
from proofbench.model import ApparatusKind, Witness, WitnessSpec
from proofbench.witness import load_witness
from proofbench.witness.manifest import parse_manifest

PG = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "gutenberg-revisions"
BOOK = "It was on a dreary night of November that I beheld the accomplishment of my toils.\n" * 40


def _load(tmp_path: Path, text: str, blocks: tuple[tuple[str, str], ...] = ()) -> Witness:
    path = tmp_path / "book.txt"
    path.write_text(text, encoding="utf-8")
    return load_witness(WitnessSpec("A", (str(path),), apparatus_blocks=blocks))


def _kinds(w: Witness, needle: str) -> set[ApparatusKind]:
    at = w.text.index(needle)
    return {a.kind for a in w.apparatus if a.start <= at < a.end}


def test_a_gutenberg_header_and_licence_are_apparatus(tmp_path: Path) -> None:
    text = (
        "The Project Gutenberg EBook of Frankenstein\nRelease Date: 1993\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK FRANKENSTEIN ***\n\n"
        + BOOK
        + "\n*** END OF THIS PROJECT GUTENBERG EBOOK FRANKENSTEIN ***\n\n"
        "Section 1. General Terms of Use and Redistributing Project Gutenberg-tm\n"
    )
    w = _load(tmp_path, text)
    assert _kinds(w, "Release Date") == {ApparatusKind.HEADER}
    assert _kinds(w, "General Terms") == {ApparatusKind.FOOTER}
    assert not _kinds(w, "dreary night")
    assert not _kinds(w, BOOK.splitlines()[-1])


def test_the_old_small_print_ends_the_header(tmp_path: Path) -> None:
    text = (
        "**Welcome To The World of Free Plain Vanilla Electronic Texts**\n"
        "***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN ETEXTS**START***\nlawyers.\n"
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n"
        + BOOK
        + "\nEnd of the Project Gutenberg Etext of Frankenstein\n"
    )
    w = _load(tmp_path, text)
    assert _kinds(w, "lawyers") == {ApparatusKind.HEADER}
    assert _kinds(w, "End of the Project") == {ApparatusKind.FOOTER}
    assert not _kinds(w, "dreary")


def test_a_text_that_only_mentions_gutenberg_is_text(tmp_path: Path) -> None:
    w = _load(tmp_path, "Gutenberg printed his bible at Mainz.\n" + BOOK)
    assert not w.apparatus


def test_manifest_blocks_span_lines_from_start_to_end(tmp_path: Path) -> None:
    text = "Intro line\nLICENCE BEGINS\nyou may copy\nLICENCE ENDS\n" + BOOK + "LICENCE BEGINS\n"
    w = _load(tmp_path, text, (("LICENCE BEGINS", "LICENCE ENDS"),))
    assert _kinds(w, "you may copy") == {ApparatusKind.HEADER}
    assert not _kinds(w, "Intro line")
    # A start with no end after it marks nothing rather than the rest of the text.
    assert not _kinds(w, BOOK.splitlines()[-1])
    assert len(w.apparatus) == 1


def test_the_manifest_blocks_key(tmp_path: Path) -> None:
    m = parse_manifest(
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n'
        'apparatus.blocks = [{ start = "BEGIN", end = "END" }]\n',
        str(tmp_path / "m.toml"),
    )
    assert m.witnesses[0].apparatus_blocks == (("BEGIN", "END"),)
    with pytest.raises(ManifestError, match="apparatus"):
        parse_manifest(
            '[[witness]]\nsiglum = "A"\nfile = "a.txt"\napparatus.blocks = ["BEGIN"]\n',
            str(tmp_path / "m.toml"),
        )


@pytest.mark.skipif(not PG.is_dir(), reason="../shared/corpora is absent")
def test_every_gutenberg_release_has_its_header_set_apart() -> None:
    for path in sorted(PG.glob("*/*.txt")):
        w = load_witness(WitnessSpec("A", (str(path),)))
        heads = [a for a in w.apparatus if a.kind is ApparatusKind.HEADER and a.start == 0]
        assert heads, path.name
        assert heads[0].end < len(w.text) // 10, path.name


def test_a_block_counts_lines_as_the_loader_does(tmp_path: Path) -> None:
    # A form feed (pdftotext's page break) ends no line: ``\fLICENCE ENDS`` is no end line,
    # and the block runs on to the real one; CRLF and CR end lines as LF does.
    text = "BEGIN\r\nsmall print\ffine print\rLICENCE ENDS\fnot yet\nLICENCE ENDS\r\n" + BOOK
    w = _load(tmp_path, text, (("BEGIN", "LICENCE ENDS"),))
    (block,) = w.apparatus
    assert w.text[block.start : block.end] == text[: text.index("\r\n" + BOOK)]


def test_the_licence_ends_before_the_trailing_blank_lines(tmp_path: Path) -> None:
    text = (
        "The Project Gutenberg EBook of Frankenstein\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK FRANKENSTEIN ***\n"
        + BOOK
        + "\n\n   *** END OF THIS PROJECT GUTENBERG EBOOK FRANKENSTEIN ***\nTerms.\n \n\n"
    )
    w = _load(tmp_path, text)
    (licence,) = [a for a in w.apparatus if a.kind is ApparatusKind.FOOTER]
    assert w.text[licence.start : licence.end] == (
        "*** END OF THIS PROJECT GUTENBERG EBOOK FRANKENSTEIN ***\nTerms."
    )
