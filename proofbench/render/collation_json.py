"""Collation -> the public JSON format ``proofbench/collation@1`` (see docs/collation-json.md).

Input: a Collation and RenderOptions. Output: a plain dict (``collation_to_dict``) and its text
(``render_json``), written by ``json`` with sorted keys so that equal collations give equal bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from proofbench.model import Collation, Flag, Token, Variant, VariantClass, Witness
from proofbench.render.options import RenderOptions
from proofbench.text.normalize import rule_changes

SCHEMA = "proofbench/collation@1"
_LIST = re.compile(r'"\\u0000(variants|flags|columns|words\d+)\\u0000"')


def kept_variants(collation: Collation, options: RenderOptions) -> tuple[Variant, ...]:
    """The variants an output shows: all, or all but typographic ones when they are not reported."""
    if options.report_typographic:
        return collation.variants
    return tuple(v for v in collation.variants if v.cls is not VariantClass.TYPOGRAPHIC)


def token_dict(t: Token) -> dict[str, Any]:
    """One word of a witness: as written, normalized, its span, and its OCR source if any."""
    src = t.source
    return {
        "t": t.t,
        "n": t.n,
        "start": t.start,
        "end": t.end,
        "apparatus": t.apparatus.value if t.apparatus is not None else None,
        "page": src.page if src is not None else None,
        "bbox": list(src.bbox) if src is not None and src.bbox is not None else None,
        "confidence": src.confidence if src is not None else None,
        "norm": list(t.norm),
    }


def witness_dict(w: Witness, tokens: bool = False) -> dict[str, Any]:
    """A witness's description, counts and extracted text (every offset is into ``text``).

    With ``tokens``, also each word (``words``: ``t``, ``n``, span, page, box, confidence).
    """
    conf = w.mean_confidence
    out: dict[str, Any] = {
        "siglum": w.siglum,
        "label": w.label,
        "kind": w.kind.value,
        "date": w.date,
        "derives_from": w.derives_from,
        "format": w.format,
        "files": list(w.files),
        "encoding": w.encoding,
        "pages": w.pages,
        "tokens": len(w.text_tokens),
        "apparatus_tokens": len(w.tokens) - len(w.text_tokens),
        "mean_confidence": round(conf, 2) if conf is not None else None,
        "text": w.text,
        "normalized": [
            {"rule": c.rule, "words": c.words, "examples": [list(e) for e in c.examples]}
            for c in rule_changes(w.tokens)
        ],
    }
    if tokens:
        out["words"] = [token_dict(t) for t in w.tokens]
    return out


def variant_dict(
    v: Variant, decision: str | None = None, collation: Collation | None = None
) -> dict[str, Any]:
    """One variant in the format's words (``cls`` is written ``class``).

    Given the collation, every witness has a location: where one has none (it reads nothing),
    the zero-width point where its reading would stand.
    """
    locations = {s: (loc.start, loc.end) for s, loc in v.locations.items()}
    if collation is not None:
        from proofbench.render.layout import variant_span

        for s in v.readings:
            if s not in locations:
                locations[s] = variant_span(collation, v, s)
    out: dict[str, Any] = {
        "id": v.id,
        "class": v.cls.value,
        "classes": [c.value for c in v.classes],
        "readings": dict(v.readings),
        "locations": {s: {"start": a, "end": b} for s, (a, b) in locations.items()},
        "context": list(v.context),
        "columns": list(v.columns),
        "suggestion": v.suggestion,
        "confidence": round(v.confidence, 4),
        "suspect": list(v.suspect),
        "evidence": list(v.evidence),
    }
    if decision is not None:
        out["decision"] = decision
    return out


def flag_dict(f: Flag) -> dict[str, Any]:
    """One single-witness finding."""
    return {
        "witness": f.witness,
        "start": f.start,
        "end": f.end,
        "text": f.text,
        "check": f.check,
        "class": f.cls.value,
        "suggestion": f.suggestion,
        "confidence": round(f.confidence, 4),
        "message": f.message,
    }


def _head(collation: Collation, options: RenderOptions, words: bool = True) -> dict[str, Any]:
    """The format's fields other than the variants, flags and alignment (``words``: each
    witness's words as well, where the options ask for them)."""
    return {
        "schema": SCHEMA,
        "title": collation.manifest.title,
        "manifest": collation.manifest.path,
        "created": collation.created,
        "version": collation.version,
        "profile": collation.profile,
        "target": collation.target,
        "witnesses": [witness_dict(w, options.json_tokens and words) for w in collation.witnesses],
    }


def collation_to_dict(collation: Collation, options: RenderOptions) -> dict[str, Any]:
    """The whole collation as the JSON format's dict."""
    # Imported here: the other formats render even while the align package is being rebuilt.
    from proofbench.align.views import alignment_to_json

    return {
        **_head(collation, options),
        "variants": [
            variant_dict(v, options.decisions.get(v.id), collation)
            for v in kept_variants(collation, options)
        ],
        "flags": [flag_dict(f) for f in collation.flags],
        "alignment": alignment_to_json(collation.alignment, collation.witnesses),
    }


def _compact_encoder() -> Callable[[Any], str]:
    """``JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode``, its C
    encoder made once rather than on every call.

    ``encode`` makes a C encoder for each value it encodes, and the report and the JSON encode
    one value an item: at 3 x 100k words, over its 4,859 variants' dicts, 12-15 against 19-20 us
    a variant (timeit, the same text; ``json.dumps`` made a whole encoder a call, 0.36 -> 0.26 s
    for the 15,648 variants, flags and columns). The C encoder is the one ``encode`` makes, with
    the same arguments, but without a check for cycles (the rendered data are trees made
    afresh; a cycle would end in ``RecursionError``, not ``ValueError``). A ``str`` is encoded as
    ``encode`` does it, and where ``json`` has no C encoder, ``encode`` is used."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    c_encode = make(
        None,  # markers: no check for cycles
        encoder.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # indent
        ":",
        ",",
        True,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return encoder.encode(value)
        return "".join(c_encode(value, 0))

    return encode


compact = _compact_encoder()
"""One value on one line, as ``json.dumps(value, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`` writes it (``_compact_encoder``): each item of the JSON and of the
report's data."""


def iter_json(collation: Collation, options: RenderOptions) -> Iterator[str]:
    """``render_json``'s text in pieces, each variant, flag and column made as it is written.

    The whole text is never held, nor the data of every column: a book's JSON is tens of
    megabytes, and its columns as dicts several times that. Joined, the pieces are
    ``render_json``.
    """
    from proofbench.align.views import alignment_to_json, column_dicts

    data = _head(collation, options, words=False)
    data["alignment"] = alignment_to_json(collation.alignment, collation.witnesses, columns=False)
    lists: dict[str, Iterable[dict[str, Any]]] = {
        "variants": (
            variant_dict(v, options.decisions.get(v.id), collation)
            for v in kept_variants(collation, options)
        ),
        "flags": (flag_dict(f) for f in collation.flags),
        "columns": column_dicts(collation.alignment, collation.witnesses),
    }
    # Each long list stands in the indented skeleton as one marker, replaced by its items, one
    # compact line each. A marker holds NULs, which json always escapes: no text can forge one.
    if options.json_tokens:
        for i, (w, witness) in enumerate(zip(data["witnesses"], collation.witnesses, strict=True)):
            lists[f"words{i}"] = map(token_dict, witness.tokens)
            w["words"] = f"\x00words{i}\x00"
    data["variants"] = "\x00variants\x00"
    data["flags"] = "\x00flags\x00"
    data["alignment"]["columns"] = "\x00columns\x00"
    skeleton = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    del data
    pos = 0
    for m in _LIST.finditer(skeleton):
        yield skeleton[pos : m.start()]
        items = iter(lists.pop(m.group(1)))
        first = next(items, None)
        if first is None:
            yield "[]"
        else:
            line = skeleton.rfind("\n", 0, m.start()) + 1
            depth = 0
            while skeleton[line + depth] == " ":
                depth += 1
            inner = "\n" + " " * (depth + 1)
            yield "[" + inner + compact(first)
            for item in items:
                yield f",{inner}" + compact(item)
            yield "\n" + " " * depth + "]"
        pos = m.end()
    yield skeleton[pos:] + "\n"


def render_json(collation: Collation, options: RenderOptions) -> str:
    """The collation as ``proofbench/collation@1`` JSON text, deterministic, ending in a newline.

    Indented, except that each variant, flag and alignment column stands on one line of its own,
    so a change to one of them is one changed line in a diff.
    """
    return "".join(iter_json(collation, options))
