"""Index rows -> pooled figures per source: every tag value of the index (an OCR batch, a
transcriber) with the words, suspect readings and error rates of its documents summed; and per
witness source, when the index says which witness a source made, its estimated error rates.

Input: the rows of the archive index (see ``task`` and ``figures``). Output: one plain dict per
(tag, value), in tag then value order. Rates are pooled, not averaged: the edits of every
document over the characters (words) of every reference, so a long document weighs by its
length. Readings judged suspect are counted per witness kind, so an OCR batch is judged by its
OCR witnesses and a transcriber by the transcriptions.

A column (key) ``source:X`` of the index says where a document's witness X came from: X is a
siglum (``source:OCR``), or a witness kind (``source:ocr``: every witness of that kind) when no
witness of the document has X as siglum. ``witness_sources`` pools, per source named (the
value: ``tesseract-5``, a transcriber's name), the readings of those witnesses that differ from
the suggestion, by variant class, over the words of those witnesses: estimated error rates
of the source across every document it made (the suggestion taken as right). They are shown in
the archive index; the classifier does not read them yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any


def _per_thousand(suspect: int, words: int) -> float:
    return round(1000 * suspect / words, 6) if words else 0.0


def by_source(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pooled figures for each tag value that some document carries (empty tags are none)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        for key, value in r.get("tags", {}).items():
            if value:
                groups[key, value].append(r)
    out = []
    for (key, value), members in sorted(groups.items()):
        ok = [r for r in members if r.get("error") is None]
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in ok:
            for w in r["witnesses"]:
                kinds[w["kind"]][0] += w["words"]
                kinds[w["kind"]][1] += w["suspect"]
        rates = [x for r in ok for x in r["rates"]]
        ref_chars = sum(x["ref_chars"] for x in rates)
        ref_words = sum(x["ref_words"] for x in rates)
        words = sum(r["words"] for r in ok)
        suspect = sum(r["suspect_target"] for r in ok)
        out.append(
            {
                "tag": key,
                "value": value,
                "documents": len(members),
                "failed": len(members) - len(ok),
                "words": words,
                "suspect_target": suspect,
                "suspect_per_1000_words": _per_thousand(suspect, words),
                "cer": round(sum(x["char_edits"] for x in rates) / ref_chars, 6)
                if ref_chars
                else 0.0,
                "wer": round(sum(x["word_edits"] for x in rates) / ref_words, 6)
                if ref_words
                else 0.0,
                "kinds": {
                    kind: {
                        "words": n,
                        "suspect": s,
                        "suspect_per_1000_words": _per_thousand(s, n),
                    }
                    for kind, (n, s) in sorted(kinds.items())
                },
            }
        )
    return out


SOURCE_KEY = "source:"
"""The prefix of an index column naming a witness's source (see the module docstring)."""


def _named(row: Mapping[str, Any], what: str) -> list[Mapping[str, Any]]:
    """The witnesses of a row that ``source:what`` describes: by siglum, else by kind."""
    witnesses = row.get("witnesses", [])
    by_siglum = [w for w in witnesses if w["siglum"] == what]
    return by_siglum or [w for w in witnesses if w["kind"] == what]


def witness_sources(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Estimated error rates per witness source named by ``source:`` columns, by class.

    Each: ``source`` (the value), ``documents`` (collated ones with a witness it made),
    ``witnesses``, ``words`` (of those witnesses), ``judged`` places, ``differs`` and
    ``per_1000_words`` by class, their totals, and ``unmatched``: ids of documents whose
    ``source:`` column names no witness of theirs (so nothing of theirs is pooled). Sources in
    name order; counts are sums over documents, so a long document weighs by its length.
    """
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.get("error") is not None:
            continue
        for key, value in r.get("tags", {}).items():
            if not key.startswith(SOURCE_KEY) or not value:
                continue
            g = groups.setdefault(
                value,
                {"documents": set(), "witnesses": 0, "words": 0, "judged": 0,
                 "differs": Counter(), "unmatched": set()},
            )  # fmt: skip
            made = _named(r, key[len(SOURCE_KEY) :])
            if not made:
                g["unmatched"].add(r["id"])
                continue
            g["documents"].add(r["id"])
            for w in made:
                g["witnesses"] += 1
                g["words"] += w["words"]
                g["judged"] += w.get("judged", 0)
                g["differs"].update(w.get("differs", {}))
    out = []
    for value, g in sorted(groups.items()):
        words, differs = g["words"], g["differs"]
        total = sum(differs.values())
        out.append(
            {
                "source": value,
                "documents": len(g["documents"]),
                "witnesses": g["witnesses"],
                "words": words,
                "judged": g["judged"],
                "differs": dict(sorted(differs.items())),
                "per_1000_words": {c: _per_thousand(n, words) for c, n in sorted(differs.items())},
                "total": total,
                "total_per_1000_words": _per_thousand(total, words),
                "unmatched": sorted(g["unmatched"]),
            }
        )
    return out
