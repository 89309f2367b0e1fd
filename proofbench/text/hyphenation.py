"""Line-end hyphens: decide whether ``commu-`` / ``nication`` is one word or a real compound.

Input: the two parts as written and the vocabulary of the collation (every word form seen in
any witness, with counts). Output: a ``Hyphenation`` recording the reading and the evidence.
Evidence, strongest first: the forms seen in the witnesses (``half-spoken`` written on one line
somewhere means the hyphen is the word's own); a capital after the break (``Anglo-`` /
``Saxon``); the lexicon (``communication`` is a word); two words that stand alone
(``half`` + ``spoken``) where the joined form is unknown or rare. Otherwise the hyphen is a line-end
hyphen and is removed, as typesetters' hyphens usually are.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable

from proofbench.model import ApparatusKind, Hyphenation, Witness
from proofbench.text.lexicon import core, zipf

HYPHENS = ("-", "\u00ad", "\u00ac", "\u2010", "\u2e17")
"""Characters that end a line-broken word: hyphen, soft hyphen, not sign, Unicode hyphens."""


_MARKUP_FORMATS = frozenset({"tei", "html"})


def block_boundary(witness: Witness) -> Callable[[int, int], bool]:
    """A test of whether text[end:start] crosses the end of a block (not at a page break).

    A hyphen never joins across block elements (``<speaker>Alfon-</speaker><l>Doth``,
    ``dash-</p><p>Another``): the words of two blocks are two words. A page or column break is
    no block end for this purpose: a word broken across pages is one word.

    Only where blocks are an encoder's elements (TEI, HTML): an OCR block is a region the
    engine drew, and a word hyphenated at the foot of a column goes on in the next.
    """
    if witness.format not in _MARKUP_FORMATS:
        return lambda end, start: False
    ends = [b.end for b in witness.blocks]
    breaks = sorted(a.start for a in witness.apparatus if a.kind is ApparatusKind.PAGE_BREAK)

    def crosses(end: int, start: int) -> bool:
        i = bisect.bisect_left(ends, end)
        if i == len(ends) or ends[i] >= start:
            return False
        j = bisect.bisect_left(breaks, end)
        return not (j < len(breaks) and breaks[j] <= start)

    return crosses


def is_candidate(first: str, second: str) -> bool:
    """True if ``first`` ends with a hyphen after a letter and ``second`` begins with a letter."""
    if len(first) < 2 or not first.endswith(HYPHENS):
        return False
    body = first[:-1]
    return body[-1].isalpha() and core(second)[:1].isalpha() and second[:1].isalnum()


def decide(first: str, second: str, vocabulary: Counter[str]) -> Hyphenation:
    """The reading of a word broken as ``first`` (ending in a hyphen) / ``second``."""
    stem = first[:-1]
    joined = stem + second
    hyphened = stem + "-" + second
    head, tail = core(stem).lower(), core(second).lower()
    join_key, keep_key = core(joined).lower(), core(hyphened).lower()
    seen_join, seen_keep = vocabulary.get(join_key, 0), vocabulary.get(keep_key, 0)
    parts = (first, second)

    def result(keep: bool, reason: str) -> Hyphenation:
        return Hyphenation(parts, keep, hyphened if keep else joined, reason)

    if seen_keep > seen_join:
        return result(
            True, f"'{core(hyphened)}' is written with its hyphen elsewhere ({seen_keep}x)"
        )
    if seen_join > seen_keep:
        return result(False, f"'{core(joined)}' is written as one word elsewhere ({seen_join}x)")
    if core(second)[:1].isupper() and core(stem)[:1].isupper():
        return result(True, "a capital follows the break, as in a hyphenated name")
    z_join = zipf(join_key)
    compound = zipf(head) >= 3.0 and zipf(tail) >= 3.0 and len(head) > 2 and len(tail) > 2
    # A rare joined form of two common words (counterrevolutionary, wellknown) is the
    # lexicon's noise, not evidence: such a compound keeps its hyphen.
    if z_join >= 3.0 or (z_join >= 1.0 and not compound):
        return result(False, f"'{core(joined)}' is a word (frequency {z_join:.1f})")
    z_keep = zipf(keep_key)
    if z_keep >= 1.0 or compound:
        return result(True, f"'{head}' and '{tail}' are words and '{core(joined)}' is not")
    return result(False, "a line-end hyphen: the parts are not words of their own")
