"""Index rows -> pooled figures per source: every tag value of the index (an OCR batch, a
transcriber) with the words, suspect readings and error rates of its documents summed.

Input: the rows of the archive index (see ``task`` and ``figures``). Output: one plain dict per
(tag, value), in tag then value order. Rates are pooled, not averaged: the edits of every
document over the characters (words) of every reference, so a long document weighs by its
length. Readings judged suspect are counted per witness kind, so an OCR batch is judged by its
OCR witnesses and a transcriber by the transcriptions.
"""

from __future__ import annotations

from collections import defaultdict
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
