"""CollateX JSON input -> Witness: one witness of a ``{"witnesses": [...]}`` file.

Input: a CollateX JSON file, either plain (``{"id": "A", "content": "..."}``) or pre-tokenized
(``{"id": "A", "tokens": [{"t": "...", "n": "..."}, ...]}``). Output: the Witness of one of its
witnesses, built with ``TextBuilder``.

Which witness: a JSON file holds several, so the manifest names one with a fragment on the file,
``file = "input.json#A"`` (the witness whose ``id`` is ``A``); without a fragment the file must
hold exactly one witness. ``witness_specs_from_collatex(path)`` lists a spec per witness, so a
CollateX file can be collated directly, without a manifest.

Text: ``content`` is the witness's text as given (one source span per line; ``line`` counts
the lines of the content string, not of the JSON file), tokenized by the text stage. Tokens are
joined with a single space, unless a token's ``t`` already ends with whitespace (CollateX's own
tokenizer keeps trailing whitespace in ``t``); each token's ``t`` (surrounding whitespace
excepted) is one source span whose ``word_id`` is the token's ``id`` if it has one, else its
index; a token whose ``t`` is only whitespace adds nothing. A witness given as tokens keeps them
as given: a ``t`` holding a space (``New York``) stays one token, and ``n``, where given, is its
normalized form, the form compared (``{"t": "kitten.", "n": "cat"}`` agrees with ``cat``); the
text stage normalizes only the tokens without one. Blocks are paragraphs (runs of non-blank
lines).

Raises FormatError for malformed JSON (with its line) or a file that is not CollateX input,
MissingFileError for an absent file or an unknown ``#id``, EmptyWitnessError for no text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from proofbench.errors import FormatError, MissingFileError
from proofbench.model import Block, BlockKind, Kind, Source, Token, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder
from proofbench.witness.decode import decode, read_bytes

FORMAT = "collatex"
_SNIFF = re.compile(rb'\A\s*\{\s*"witnesses"\s*:\s*\[')
_SIGLUM = re.compile(r"[^A-Za-z0-9_.-]")
# A paragraph: a run of lines holding text, up to a blank line (as in plain text).
_PARAGRAPH = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


def split_fragment(file: str) -> tuple[str, str | None]:
    """``input.json#A`` -> (``input.json``, ``A``); a path without ``#`` -> (path, None).

    A file that exists under the whole name (``#`` and all) is taken as named.
    """
    path, sep, fragment = file.rpartition("#")
    if not sep or not path or not fragment or "/" in fragment or "\\" in fragment:
        return file, None
    if Path(file).exists():
        return file, None
    return path, fragment


def sniff(data: bytes, name: str) -> bool:
    """CollateX input: a JSON object whose first key is ``witnesses``, holding a list."""
    return bool(_SNIFF.match(data.removeprefix(b"\xef\xbb\xbf")[:4096]))


def _parse(path: str, encoding: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """The witness objects of a CollateX JSON file, checked, and the encoding read."""
    text, used = decode(read_bytes(path), path, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"malformed JSON: {exc.msg}", file=path, line=exc.lineno) from None
    witnesses = data.get("witnesses") if isinstance(data, dict) else None
    if not isinstance(witnesses, list):
        raise FormatError('not CollateX input: no "witnesses" list', file=path)
    for number, w in enumerate(witnesses, start=1):
        if not isinstance(w, dict) or not isinstance(w.get("id"), str | int):
            raise FormatError(f"witness #{number} has no id", file=path)
        if "content" in w:
            if not isinstance(w["content"], str):
                raise FormatError(f"witness {w['id']}: content must be a string", file=path)
        elif "tokens" in w:
            tokens = w["tokens"]
            if not isinstance(tokens, list) or not all(
                isinstance(t, dict) and isinstance(t.get("t"), str) for t in tokens
            ):
                raise FormatError(
                    f'witness {w["id"]}: tokens must be objects with a string "t"', file=path
                )
        else:
            raise FormatError(f"witness {w['id']} has neither content nor tokens", file=path)
        texts = [w["content"]] if "content" in w else [t["t"] for t in w["tokens"]]
        for piece in texts:
            try:
                piece.encode("utf-8")
            except UnicodeEncodeError as exc:
                # JSON may escape half of a surrogate pair (\ud800): that is no character.
                code = f"\\u{ord(piece[exc.start]):04x}"
                raise FormatError(
                    f"witness {w['id']}: a lone surrogate {code} in its text", file=path
                ) from None
    return witnesses, used


def _select(witnesses: list[dict[str, Any]], wanted: str | None, path: str) -> dict[str, Any]:
    ids = [str(w["id"]) for w in witnesses]
    if wanted is None:
        if len(witnesses) == 1:
            return witnesses[0]
        raise FormatError(
            f"holds {len(witnesses)} witnesses ({', '.join(ids)}): name one as {path}#ID",
            file=path,
        )
    for w in witnesses:
        if str(w["id"]) == wanted:
            return w
    raise MissingFileError(f"no witness {wanted!r} here (it holds {', '.join(ids)})", file=path)


def _fill(builder: TextBuilder, witness: dict[str, Any], path: str) -> list[Token] | None:
    """Append the witness's text; for a pre-tokenized witness, return its tokens as given."""
    if "content" in witness:
        for line_no, line in enumerate(str(witness["content"]).splitlines(keepends=True), 1):
            body = line.rstrip("\r\n")
            builder.append(body, Source(file=path, line=line_no) if body.strip() else None)
            builder.append(line[len(body) :])
        return None
    tokens: list[Token] = []
    spaced = True  # no separator before the first token
    for index, token in enumerate(witness["tokens"]):
        t = str(token["t"])
        word = t.strip()
        if not word:
            continue
        if not spaced:
            builder.append(" ")
        builder.append(t[: len(t) - len(t.lstrip())])
        ident = token.get("id", index)
        source = Source(file=path, word_id=str(ident))
        start, end = builder.append(word, source)
        n = token.get("n")
        tokens.append(Token(word, n.strip() if isinstance(n, str) else "", start, end, 0, source))
        trail = t[len(t.rstrip()) :]
        builder.append(trail)
        spaced = bool(trail)
    return tokens


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load the witness a spec names (``file.json#ID``) from CollateX JSON; see the module doc."""
    builder = TextBuilder()
    encoding = "utf-8"
    given: list[Token] | None = []
    for number, file in enumerate(files):
        path, wanted = split_fragment(file)
        witnesses, encoding = _parse(path, spec.encoding)
        if number:
            builder.separate("\n\n")
        tokens = _fill(builder, _select(witnesses, wanted, path), path)
        # Tokens are kept as given only where the whole witness is given as tokens.
        given = given + tokens if given is not None and tokens is not None else None
    witness = builder.finish(spec, FORMAT, encoding)
    blocks = tuple(
        Block(m.start(), m.start() + len(m.group().rstrip()), BlockKind.PARAGRAPH)
        for m in _PARAGRAPH.finditer(witness.text)
    )
    made = tuple(tok._replace(index=i) for i, tok in enumerate(given or ()))
    return replace(witness, blocks=blocks, tokens=made)


def witness_specs_from_collatex(path: str | Path) -> list[WitnessSpec]:
    """A spec for each witness of a CollateX JSON file, in order (``path#id``, siglum = id).

    An id is the siglum as it stands (``1`` stays ``1``; the TEI export gives such a siglum an
    xml:id of its own, ``render.tei.wit_id``); characters other than letters, digits, ``_``,
    ``.`` and ``-`` are replaced by ``_``. Raises
    MissingFileError or FormatError as ``load`` does, and FormatError for a file with none.
    """
    witnesses, _ = _parse(str(path))
    if not witnesses:
        raise FormatError("CollateX input lists no witness", file=str(path))
    specs: list[WitnessSpec] = []
    for w in witnesses:
        wid = str(w["id"])
        siglum = _SIGLUM.sub("_", wid)
        if any(s.siglum == siglum for s in specs):
            raise FormatError(f"two witnesses have the id (or siglum) {siglum!r}", file=str(path))
        specs.append(
            WitnessSpec(
                siglum=siglum,
                files=(f"{path}#{wid}",),
                label=wid,
                kind=Kind.TRANSCRIPTION,
                format=FORMAT,
            )
        )
    return specs
