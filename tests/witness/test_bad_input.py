"""Bad input, as real files and hostile users bring it: one line naming the file, exit status 2.

Each case runs the command line in-process (``proofbench.cli.main``), as a user would run it,
and checks stderr holds exactly one line, naming the file, and the exit status is 2. No case
may hang: pipes and devices are refused before they are read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from proofbench.cli import main

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>{}</p></body></text></TEI>'


def _run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[str]]:
    code, _, err = _run_out(args, capsys, monkeypatch)
    return code, err


def _run_out(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, list[str]]:
    monkeypatch.setattr(sys, "argv", ["proofbench", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, [ln for ln in captured.err.splitlines() if ln.strip()]


def _refused(
    args: list[str],
    named: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    code, err = _run(args, capsys, monkeypatch)
    assert code == 2, err
    assert len(err) == 1, err
    assert err[0].startswith("proofbench: ") and named in err[0]
    assert "Traceback" not in err[0]
    return err[0]


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


CASES = {
    "xml-zlib": ("z.xml", '<?xml version="1.0" encoding="zlib"?>' + TEI.format("a b")),
    "xml-undefined": ("u.xml", '<?xml version="1.0" encoding="undefined"?>' + TEI.format("a")),
    "html-rot13": ("r.html", '<html><head><meta charset="rot13"></head><body><p>hi</p></body>'),
    "html-base64": ("b.html", '<html><head><meta charset="base64"></head><body><p>hi</p></body>'),
    "collatex-lone-surrogate": (
        "s.json",
        '{"witnesses": [{"id": "A", "content": "a \\ud800 b"}, {"id": "B", "content": "a b"}]}',
    ),
    "hocr-inf": (
        "i.hocr",
        '<html><body><div class="ocr_page" title="bbox 0 0 inf inf"><span class="ocr_line" '
        'title="bbox nan 0 inf 9"><span class="ocrx_word" title="bbox inf nan 1e999 9; '
        'x_wconf nan"></span></span></div></body></html>',
    ),
    "html-too-deep": ("d.html", "<html><body>" + "<font>" * 3000 + "<p>x</p></body></html>"),
    "tei-apparatus-without-choice": (
        "app.xml",
        TEI.format("<app><rdg wit='#a'>one</rdg><rdg wit='#b'>two</rdg></app>"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_one_line_and_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, content = CASES[case]
    path = _write(tmp_path / name, content)
    command = "collate" if name.endswith(".json") else "text"
    _refused([command, path], name, capsys, monkeypatch)


@pytest.mark.parametrize("codec", ["zlib", "rot13", "undefined"])
def test_a_manifest_encoding_that_is_no_text_codec(
    codec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "a.txt", "some words\n")
    manifest = _write(
        tmp_path / "m.toml",
        f'[[witness]]\nsiglum = "A"\nfile = "a.txt"\nencoding = "{codec}"\n'
        '[[witness]]\nsiglum = "B"\nfile = "a.txt"\n',
    )
    line = _refused(["witnesses", manifest], "a.txt", capsys, monkeypatch)
    assert codec in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_not_read(
    device: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is absent here")
    _refused(["text", device], device, capsys, monkeypatch)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _refused(["text", str(fifo)], "pipe.txt", capsys, monkeypatch)
    manifest = _write(tmp_path / "m.toml", '[[witness]]\nsiglum = "A"\nfile = "pipe.txt"\n')
    _refused(["witnesses", manifest], "pipe.txt", capsys, monkeypatch)


def test_click_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (["collate"], ["collate", "--no-such-option", "x"], ["no-such-command"]):
        code, err = _run(args, capsys, monkeypatch)
        assert code == 2 and len(err) == 1, err


def test_a_multi_line_parser_message_becomes_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "broken.xml", TEI.format("a <hi>b</p>").replace("</TEI>", "<"))
    _refused(["text", path], "broken.xml", capsys, monkeypatch)


def test_page_reading_order_index_of_any_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    region = "<TextRegion id='{0}'><TextEquiv><Unicode>{0}</Unicode></TextEquiv></TextRegion>"
    path = _write(
        tmp_path / "p.xml",
        f"<PcGts xmlns='{ns}'><Page imageWidth='9' imageHeight='9'><ReadingOrder>"
        "<OrderedGroup id='g'><RegionRefIndexed index='2.0' regionRef='one'/>"
        "<RegionRefIndexed index='1.0' regionRef='two'/><RegionRefIndexed index='x' "
        "regionRef='three'/></OrderedGroup></ReadingOrder>"
        + "".join(region.format(n) for n in ("one", "two", "three"))
        + "</Page></PcGts>",
    )
    code, out, _ = _run_out(["text", path], capsys, monkeypatch)
    assert code == 0
    assert out.split() == ["two", "one", "three"]


def test_a_ten_thousand_letter_word_is_collated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "a.txt", "some words " + "a" * 10_000 + " end\n")
    _write(tmp_path / "b.txt", "some words end\n")
    manifest = _write(
        tmp_path / "m.toml",
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n[[witness]]\nsiglum = "B"\nfile = "b.txt"\n',
    )
    code, err = _run(["collate", manifest, "-o", str(tmp_path / "out.json")], capsys, monkeypatch)
    assert code == 0, err
    assert (tmp_path / "out.json").stat().st_size > 10_000


ALTO_INF = (
    '<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page ID="p1" WIDTH="inf"'
    ' HEIGHT="NaN"><PrintSpace><TextBlock ID="b1" HPOS="nan" VPOS="0" WIDTH="1e999" HEIGHT="9">'
    '<TextLine HPOS="inf" VPOS="-inf" WIDTH="9" HEIGHT="9"><String CONTENT="hello" HPOS="inf"'
    ' VPOS="NaN" WIDTH="9" HEIGHT="9" WC="nan"/><SP/><String CONTENT="world" HPOS="1" VPOS="1"'
    ' WIDTH="9" HEIGHT="9" WC="inf"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>'
)
HOCR_INF = (
    '<html><body><div class="ocr_page" title="bbox 0 0 inf inf"><span class="ocr_line" '
    'title="bbox nan 0 inf 9"><span class="ocrx_word" title="bbox inf nan 1e999 9; x_wconf nan">'
    'hello</span> <span class="ocrx_word" title="bbox 1 1 9 9; x_wconf 90">world</span></span>'
    "</div></body></html>"
)
PAGE_INF = (
    "<PcGts xmlns='http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15'><Page "
    "imageWidth='inf' imageHeight='nan'><TextRegion id='r'><Coords points='0,0 inf,nan 5,5'/>"
    "<TextLine id='l'><Coords points='nan,1 2,inf'/><TextEquiv conf='nan'><Unicode>hello world"
    "</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>"
)


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.alto.xml", ALTO_INF), ("h.hocr", HOCR_INF), ("p.xml", PAGE_INF)],
    ids=["alto", "hocr", "page"],
)
def test_inf_and_nan_coordinates_are_dropped_and_the_words_kept(
    name: str,
    content: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json
    import math

    _write(tmp_path / name, content)
    _write(tmp_path / "b.txt", "hello world\n")
    manifest = _write(
        tmp_path / "m.toml",
        f'[[witness]]\nsiglum = "A"\nfile = "{name}"\n[[witness]]\nsiglum = "B"\nfile = "b.txt"\n',
    )
    out = tmp_path / "out.json"
    code, err = _run(["collate", manifest, "--json-tokens", "-o", str(out)], capsys, monkeypatch)
    assert code == 0, err

    def refuse(constant: str) -> float:
        raise AssertionError(f"{constant} written in the JSON")

    data = json.loads(out.read_text("utf-8"), parse_constant=refuse)
    (ocr,) = [w for w in data["witnesses"] if w["siglum"] == "A"]
    assert [t["t"] for t in ocr["words"]] == ["hello", "world"]
    for word in ocr["words"]:
        values = [*(word["bbox"] or []), word["confidence"] or 0]
        assert all(math.isfinite(v) for v in values), word


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_read_by_the_command_not_called_binary(
    codec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes("Dear Friends, caf\u00e9\n".encode(codec))
    code, out, err = _run_out(["text", str(path)], capsys, monkeypatch)
    assert code == 0 and not err, err
    assert out.split() == ["Dear", "Friends,", "caf\u00e9"]
