"""Collation -> the figures a report opens with: counts, variants by class and pair, error rates.

Input: a Collation and the variants a report shows. Output: a frozen ``Summary``. Error rates are
measured along the alignment (column by column, on the words as written, line-end hyphens
resolved), so they cost one pass however long the texts: the character error rate of A against
reference B is the edit distance of their characters over B's character count; the word error
rate is the same over words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import Levenshtein

from proofbench.model import Collation, Variant, VariantClass, token_readings


@dataclass(frozen=True, slots=True)
class ErrorRate:
    """How far ``witness`` is from ``reference``: character and word error rates, 0-1 (or more)."""

    witness: str
    reference: str
    cer: float
    wer: float
    char_edits: int
    word_edits: int


@dataclass(frozen=True, slots=True)
class Summary:
    """The report's opening figures."""

    tokens: dict[str, int]
    by_class: tuple[tuple[VariantClass, int], ...]
    """Classes in taxonomy order, with at least one variant."""
    by_pair: tuple[tuple[str, str, int], ...]
    """For each pair of witnesses, how many variants their readings differ in."""
    by_witness: dict[str, int]
    """For each witness, how many variants its reading differs from the target's in."""
    rates: tuple[ErrorRate, ...]
    """Every ordered pair of witnesses."""
    suspect_target: int
    """Variants in which the target's reading is judged wrong."""
    flags_target: int
    """Single-witness findings on the target."""
    variants: int


def error_rates(collation: Collation) -> tuple[ErrorRate, ...]:
    """Character and word error rates of every ordered pair of witnesses, along the alignment."""
    sigla = [w.siglum for w in collation.witnesses]
    readings = {w.siglum: token_readings(w.tokens) for w in collation.witnesses}
    chars = dict.fromkeys(sigla, 0)
    words = dict.fromkeys(sigla, 0)
    char_edits: Counter[tuple[str, str]] = Counter()
    word_edits: Counter[tuple[str, str]] = Counter()
    # Only a transposed block's tokens stand in two places (the Alignment's invariant): they
    # count once, at the first. Every other token is read once, with no bookkeeping.
    seen: dict[str, set[int]] = {s: set() for s in sigla}
    pairs = list(combinations(sigla, 2))
    for col in collation.alignment.columns:
        read: dict[str, list[str]] = {}
        moved = col.transposition is not None
        got = col.readings.get
        for s in sigla:
            ix = got(s, ())
            if moved:
                ix = tuple(i for i in ix if i not in seen[s])
                seen[s].update(ix)
            read[s] = words_of = list(map(readings[s].__getitem__, ix))
            words[s] += len(words_of)
            chars[s] += sum(map(len, words_of)) + len(words_of)
        first = read[sigla[0]]
        if all(read[s] == first for s in sigla):  # most columns: every witness reads the same
            continue
        for a, b in pairs:
            if read[a] == read[b]:
                continue
            word_edits[a, b] += Levenshtein.distance(read[a], read[b])
            char_edits[a, b] += Levenshtein.distance(" ".join(read[a]), " ".join(read[b]))
    out = []
    for a in sigla:
        for b in sigla:
            if a == b:
                continue
            key = (a, b) if (a, b) in char_edits or (a, b) in word_edits else (b, a)
            ce, we = char_edits[key], word_edits[key]
            out.append(
                ErrorRate(
                    witness=a,
                    reference=b,
                    cer=ce / chars[b] if chars[b] else 0.0,
                    wer=we / words[b] if words[b] else 0.0,
                    char_edits=ce,
                    word_edits=we,
                )
            )
    return tuple(out)


def summarize(collation: Collation, variants: Sequence[Variant]) -> Summary:
    """The summary of a collation, over the variants the report shows."""
    sigla = [w.siglum for w in collation.witnesses]
    target = collation.target
    counts = Counter(v.cls for v in variants)
    pairs = []
    for a, b in combinations(sigla, 2):
        n = sum(1 for v in variants if v.readings.get(a, "") != v.readings.get(b, ""))
        pairs.append((a, b, n))
    by_witness = {
        s: sum(1 for v in variants if v.readings.get(s, "") != v.readings.get(target, ""))
        for s in sigla
        if s != target
    }
    return Summary(
        tokens={w.siglum: len(w.text_tokens) for w in collation.witnesses},
        by_class=tuple((c, counts[c]) for c in VariantClass if counts[c]),
        by_pair=tuple(pairs),
        by_witness=by_witness,
        rates=error_rates(collation),
        suspect_target=sum(1 for v in variants if target in v.suspect),
        flags_target=sum(1 for f in collation.flags if f.witness == target),
        variants=len(variants),
    )
