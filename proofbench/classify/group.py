"""Grouping alignment columns into variant places.

Input: an ``Alignment`` and its tokenized witnesses; output: ``Place`` objects, each a run of
adjacent variant columns that make one variant. Adjacent variant columns merge when the same
witnesses are absent through both and those present read each alike (an eye-skip omission spread
over 17 columns is one variant; a variant inside a shared addition stays its own), or when their
joint readings differ only by spacing (``U. S.`` / ``U.S.``); neighbouring slips that merely sit
side by side stay apart, and an equal column separates places, except inside a rewrite: where
two places whose readings share little (``_unlike``) stand closer together than either is long,
the words matched between them are chance matches of a rewritten passage (``the``, ``of``),
and the stretch is one place, one substitution of the whole span for a reviewer to decide.
Places whose readings are alike (``tbe``/``the``) are never joined that way. The columns of a
transposed block, at both its places, make one place; the variants between its places stay
their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import Indel

from proofbench.classify.forms import norm
from proofbench.model import Alignment, Column, ColumnKind, Witness, token_readings


@dataclass(frozen=True, slots=True)
class Place:
    """One variant place: its column indices and each witness's token indices there."""

    columns: tuple[int, ...]
    tokens: Mapping[str, tuple[int, ...]]
    transposition: int | None = None


def _reading(readings: Sequence[str], indices: Sequence[int]) -> str:
    if len(indices) == 1:  # most readings: one word, nothing to join
        return norm(readings[indices[0]])
    return norm(" ".join([readings[i] for i in indices]))


def _squash(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def _column_readings(col: Column, texts: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {s: _reading(r, col.readings.get(s, ())) for s, r in texts.items()}


def _joins(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """True if the joint readings of two columns agree modulo spacing where single ones do not."""
    joint = {s: _squash(a[s] + b[s]) for s in a}
    sigla = list(a)
    for i, x in enumerate(sigla):
        for y in sigla[i + 1 :]:
            differs = a[x] != a[y] or b[x] != b[y]
            gap = not a[x] or not a[y] or not b[x] or not b[y]
            if joint[x] == joint[y] and differs and gap:
                return True
    return False


def _alike(readings: Mapping[str, str]) -> bool:
    """Whether the witnesses present read the same (so the column only adds or omits)."""
    return len({r for r in readings.values() if r}) <= 1


def places(alignment: Alignment, witnesses: Sequence[Witness]) -> list[Place]:
    """The variant places of an alignment, in column order."""
    return places_read(alignment, witnesses)[0]


def places_read(
    alignment: Alignment, witnesses: Sequence[Witness]
) -> tuple[list[Place], dict[int, dict[str, str]]]:
    """``places``, and each variant column's normalized readings by siglum (``norm`` of its
    tokens' readings joined), which finding the places reads: a place of one column reads
    them (at 3 x 1M words 48k places of 51.7k variant columns)."""
    wit = {w.siglum: w for w in witnesses if w.siglum in alignment.sigla}
    # every token's reading, by siglum, read from the columns once
    texts = {s: token_readings(w.tokens) for s, w in wit.items()}
    out: list[Place] = []
    run: list[int] = []
    run_readings: list[dict[str, str]] = []
    read: dict[int, dict[str, str]] = {}

    def flush() -> None:
        if not run:
            return
        if len(run) == 1:  # most places: one column's readings as they stand
            readings = alignment.columns[run[0]].readings
            toks = {s: tuple(readings.get(s, ())) for s in wit}
        else:
            toks = {
                s: tuple(i for c in run for i in alignment.columns[c].readings.get(s, ()))
                for s in wit
            }
        trans = alignment.columns[run[0]].transposition
        out.append(Place(columns=tuple(run), tokens=toks, transposition=trans))
        run.clear()
        run_readings.clear()

    for ci, col in enumerate(alignment.columns):
        if col.kind is ColumnKind.EQUAL:
            flush()
            continue
        readings = read[ci] = _column_readings(col, texts)
        if run:
            prev = run_readings[-1]
            prev_col = alignment.columns[run[-1]]
            same_trans = prev_col.transposition == col.transposition
            gone_prev = {s for s in wit if not prev[s]}
            absent_both = (
                bool(gone_prev)
                and gone_prev == {s for s in wit if not readings[s]}
                and _alike(prev)
                and _alike(readings)
            )
            merge = same_trans and (absent_both or _joins(prev, readings))
            if not merge:
                flush()
        run.append(ci)
        run_readings.append(readings)
    flush()
    return _transpositions(alignment, wit, _rewrites(alignment, texts, out, read)), read


def _letters(s: str) -> str:
    return "".join(filter(str.isalpha, s.casefold()))


BREAK, ALIKE, WEAK, GAP, UNLIKE = range(5)


def _unlike(
    place: Place, wit: Mapping[str, Sequence[str]], known: Mapping[str, str] | None = None
) -> int:
    """How the readings here differ, for ``_rewrites``.

    UNLIKE: every witness reads here, and two readings, one of two words or more, share at most
    half their letters; WEAK: the same of one word against one (``the``/``nothing``);
    GAP: an addition or omission of words that the witnesses present read alike; ALIKE: every
    witness reads here and the readings are alike (``takes``/``tale``, ``the``/``The``,
    ``;``/``:``); BREAK: a variant among the witnesses of a shared addition (``Florida``/
    ``Virginia`` where a third lacks the sentence), which stays a variant of its own.
    ``known``: the readings of the place, where they were read already (a one-column place).
    """
    if known is None:
        known = {s: _reading(w, place.tokens.get(s, ())) for s, w in wit.items()}
    letters = {s: _letters(known[s]) for s in wit}
    texts = list(letters.values())
    present = {t for t in texts if t}
    if len(present) == 1 and "" in texts:
        return GAP
    if any(not place.tokens.get(s) for s in wit):
        return BREAK
    # A rewrite needs a reading of two words or more: one word read unlike another (``to``/
    # ``fo``, ``mail``/``rnail``) is as often a misreading, so it is WEAK: it may stand in a
    # rewrite but never makes one.
    readings = [(len(place.tokens[s]), letters[s]) for s in wit]
    unlike = [
        max(n, m)
        for (n, a), (m, b) in combinations(readings, 2)
        if Indel.normalized_similarity(a, b) <= 0.5
    ]
    if not unlike:
        return ALIKE
    return UNLIKE if max(unlike) > 1 else WEAK


def _size(place: Place) -> int:
    return max((len(t) for t in place.tokens.values()), default=0)


def _rewrites(
    alignment: Alignment,
    wit: Mapping[str, Sequence[str]],
    found: list[Place],
    read: Mapping[int, Mapping[str, str]],
) -> list[Place]:
    """Join the places of a rewritten passage with the chance matches between them (module doc).

    A stretch starts and ends at an UNLIKE, WEAK or GAP place (see ``_unlike``); two such
    places join when no transposition stands between them and the tokens between them (equal,
    or of ALIKE places) are one, or fewer than the tokens of each one's longest reading: then
    the stretch has more words that differ than words matched, and its matches are what any
    two texts share. A stretch is joined only if it holds an UNLIKE place, or GAPs where different
    witnesses lack the words and none lacks them all (some witnesses' words here, the others'
    there: a replacement in pieces); additions or omissions by the same witnesses alone are no
    rewrite. ALIKE places
    outside a joined stretch stay their own. ``read``: the variant columns' readings, by column.
    """
    if len(found) < 2:
        return found
    columns = alignment.columns
    out: list[Place] = []
    run: list[Place] = []
    kinds: list[int] = []  # each run place's kind
    pending: list[Place] = []

    def absent(p: Place) -> frozenset[str]:
        return frozenset(s for s in wit if not p.tokens.get(s))

    def rewrite() -> bool:
        """An unlike replacement, or words added by some witnesses and others by others.

        In pieces, every witness reads one of them: one that lacks them all reads only the
        words matched between, so the pieces are two additions to it, not one replacement
        (an omission, then another witness's footer, beside the same ``will be acquitted.``).
        """
        gaps = {absent(p) for p, k in zip(run, kinds, strict=True) if k == GAP}
        return UNLIKE in kinds or (len(gaps) > 1 and not frozenset.intersection(*gaps))

    def flush() -> None:
        if len(run) == 1 or not rewrite():
            out.extend(run)
        elif run:
            cols = tuple(range(run[0].columns[0], run[-1].columns[-1] + 1))
            toks = {s: tuple(i for c in cols for i in columns[c].readings.get(s, ())) for s in wit}
            out.append(Place(columns=cols, tokens=toks))
        run.clear()
        kinds.clear()
        out.extend(pending)
        pending.clear()

    for p in found:
        known = read.get(p.columns[0]) if len(p.columns) == 1 else None
        kind = BREAK if p.transposition is not None else _unlike(p, wit, known)
        if kind == WEAK and UNLIKE not in kinds:
            kind = ALIKE  # one word against one extends a rewrite, never a gap
        if kind == BREAK:
            flush()
            out.append(p)
            continue
        if kind == ALIKE:
            if run:
                pending.append(p)
            else:
                out.append(p)
            continue
        if run:
            prev = run[-1]
            between = range(prev.columns[-1] + 1, p.columns[0])
            clear = all(columns[c].transposition is None for c in between)
            matched = max(
                (sum(len(columns[c].readings.get(s, ())) for c in between) for s in wit),
                default=0,
            )
            if clear and (matched <= 1 or matched < min(_size(prev), _size(p))):
                run.extend(pending)
                kinds.extend([ALIKE] * len(pending))
                pending.clear()
            else:
                flush()
        run.append(p)
        kinds.append(kind)
    flush()
    return out


def _transpositions(
    alignment: Alignment, wit: Mapping[str, Witness], found: list[Place]
) -> list[Place]:
    """Make the columns of each transposed block, at both its places, one place.

    Where only agreement stands between the two places, the place spans it, so that its
    readings show the two orders. Otherwise the place is the block's own columns, and the
    variants between stay variants of their own (a moved title must not hide the errors read
    between).
    """
    if not alignment.transpositions:
        return found
    # Which places hold each column, a block's own places included once made: a block's
    # places are found by its columns, not by a scan of every place for each block (3 x 100k
    # words: 96 blocks, 4,861 places). A block's place replaces every place it meets.
    places = list(found)
    holders: dict[int, list[int]] = {}
    for k, p in enumerate(places):
        for c in p.columns:
            holders.setdefault(c, []).append(k)
    dropped: set[int] = set()
    for tr in alignment.transpositions:
        cols = sorted({c for group in tr.columns for c in group})
        if not cols:
            continue
        mine = set(cols)
        between = range(cols[0], cols[-1] + 1)
        if all(c in mine or alignment.columns[c].kind is ColumnKind.EQUAL for c in between):
            # Nothing but agreement between the two places (``each other``/``other each``):
            # the place reads the whole stretch, so the readings show the order.
            cols = list(between)
        toks = {
            s: tuple(sorted({i for c in cols for i in alignment.columns[c].readings.get(s, ())}))
            for s in wit
        }
        dropped.update(k for c in mine for k in holders.get(c, ()))
        for c in cols:
            holders.setdefault(c, []).append(len(places))
        places.append(Place(columns=tuple(cols), tokens=toks, transposition=tr.id))
    out = [p for k, p in enumerate(places) if k not in dropped]
    out.sort(key=lambda p: p.columns[0])
    return out
