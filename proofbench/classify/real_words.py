"""Real-word errors from context: would a word one slip away fit its neighbours better?

Input: the tokens of one text (their written forms and the forms judged); output, per token, two
log-likelihood ratios (``fit_gain``): how much better the best word one OCR shape confusion away
(``he`` for ``lie``, ``I`` for ``1``, ``head`` for ``bead``) fits between the token's neighbours
than the token itself, and the same for a word one letter longer or shorter (``known`` for
``know``). Each candidate is scored by the word bigram table of ``text.bigrams`` (a word given its
left neighbour, and the right neighbour given the word, smoothed towards wordfreq's frequency),
so the ratio carries both how common each word is and how well it fits. ``classify.suspect``
uses them as evidence; the weight they get is fitted with the rest of the check's model. The
candidates of the table's own units are stored (``data/word-candidates-en.npy.gz``, built by
``scripts/build_candidates.py`` with ``CandidateTable.build``); other forms' are worked out.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from proofbench.classify.data import BySource, by_source, replacements, shape_confusions
from proofbench.memoized import on_release
from proofbench.text.bigrams import NUMBER, Bigrams, bigrams, breaks, unigram_p, unigram_ps, unit
from proofbench.text.lexicon import DATA, core

CLIP = 20.0
"""Log-ratios are clipped at this (nats): beyond, the evidence is already overwhelming."""
EDIT_MIN = 10
"""A word is a one-letter-edit candidate only if the table saw it this often (rarer words one
letter away from a common word are many, and would make every word look like a slip)."""


@lru_cache(maxsize=1)
def _confusions() -> BySource[str]:
    """Lower-case shape confusions indexed by the string read wrongly (letters or digits read as
    letters or nothing), and the lengths of those strings."""
    lowered = {(a.lower(), b.lower()) for a, b in shape_confusions()}
    return by_source(
        sorted((a, b) for a, b in lowered if a != b and a.isalnum() and (b.isalpha() or not b))
    )


@lru_cache(maxsize=1)
def _letter_units() -> dict[str, int]:
    """The table's units of letters only, with their ids: the words a confusion candidate can
    be (looked up in one dictionary rather than asked ``isalpha`` and then looked up)."""
    return {w: k for w, k in bigrams().vocab.items() if w.isalpha()}


@lru_cache(maxsize=1)
def _frequent() -> _Frequent:
    """The table's frequent units of three or more letters (and letters only), with their ids:
    the words a one-letter-longer candidate can be."""
    table = bigrams()
    vocab = list(table.vocab)
    # the count test on the whole array first (a fifth of the units pass it), then the strings
    counted = np.flatnonzero(table.unigrams >= EDIT_MIN).tolist()
    words = {w: k for k in counted if len(w := vocab[k]) >= 3 and w.isalpha()}
    return _Frequent(words, "".join(sorted({ch for w in words for ch in w})), sum(map(len, words)))


@dataclass(frozen=True, slots=True)
class _Frequent:
    """``_frequent``'s words (by id), the letters they are written with, and how many strings
    one letter shorter they have (the length of the pass over them)."""

    ids: dict[str, int]
    letters: str
    deletions: int


INSERTION_COST = 0.6
"""The CPU time of one lookup of ``generate_all``'s insertions (a letter put into a form) over
that of one of its pass over the frequent words' deletions: 0.18-0.23 against 0.32-0.36 us
(ratios 0.52-0.74, median 0.6), measured on War and Peace's 4,454 forms the table lacks and on
the three witnesses of a 3 x 2k collation (45, 28 and 6 forms), with the same candidates both
ways."""


def generate(low: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``candidates`` worked out from the table and the shape confusions (what
    ``data/word-candidates-en.npy.gz`` stores for the table's own units)."""
    return generate_all([low])[low]


def generate_all(lows: Sequence[str]) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """``generate`` for each of ``lows`` at once: the words one letter longer than any of them
    are found by one pass over the table's frequent words and their one-letter deletions
    (90,000 strings) for many forms, by trying every letter at every place for a few
    (``_longer``)."""
    table = bigrams()
    vocab = table.vocab
    counts = table.unigrams
    index = _confusions()
    letter_units = _letter_units()
    out: dict[str, tuple[set[int], set[int]]] = {}
    longer: dict[str, set[int]] = {}
    for low in lows:
        if low in out:
            continue
        conf: set[int] = set()
        edit: set[int] = set()
        out[low] = (conf, edit)
        if not low or not low.isalnum() or (len(low) < 2 and not low.isdigit()):
            continue
        for head, b, tail in replacements(low, index):
            # (the word itself is no replacement of it, a confusion being of two strings)
            k = letter_units.get(head + b + tail)
            if k is not None:
                conf.add(k)
        if low.isalpha() and len(low) >= 3:
            longer[low] = edit
            if len(low) > 3:  # one letter shorter
                for i in range(len(low)):
                    k2 = vocab.get(low[:i] + low[i + 1 :])
                    if k2 is not None and counts[k2] >= EDIT_MIN:
                        edit.add(k2)
    if longer:
        _longer(longer, _frequent())
    done: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for low, (conf, edit) in out.items():
        own = vocab.get(low)
        conf.discard(own if own is not None else -1)
        edit.discard(own if own is not None else -1)
        edit -= conf
        done[low] = (tuple(sorted(conf)), tuple(sorted(edit)))
    return done


def _longer(longer: dict[str, set[int]], frequent: _Frequent) -> None:
    """Add to each form's set the ids of the frequent words one letter longer than it. A few
    forms (a short collation's witness) have every letter of the frequent words' alphabet
    tried at each of their places; many (a book) are found by one pass over the frequent
    words' one-letter deletions (90,000 strings), whichever takes fewer lookups by their
    measured cost (``INSERTION_COST``). Both find exactly the frequent words ``w`` one of whose
    deletions is the form: such a ``w`` is the form with one of ``w``'s letters put in."""
    letters = frequent.letters
    places = sum(len(low) + 1 for low in longer)
    if places * len(letters) * INSERTION_COST < frequent.deletions:
        get = frequent.ids.get
        for low, found in longer.items():
            for i in range(len(low) + 1):
                head, tail = low[:i], low[i:]
                for ch in letters:
                    k = get(head + ch + tail)
                    if k is not None:
                        found.add(k)
        return
    for w, k in frequent.ids.items():
        for i in range(len(w)):
            at = longer.get(w[:i] + w[i + 1 :])
            if at is not None:
                at.add(k)


@dataclass(frozen=True, slots=True)
class CandidateTable:
    """The candidates of every unit of the bigram table, in id order, as two CSR arrays: unit
    ``k``'s confusion candidates are ``conf[conf_at[k] : conf_at[k + 1]]``, its one-letter
    ones ``edit[edit_at[k] : edit_at[k + 1]]``."""

    conf_at: np.ndarray
    conf: np.ndarray
    edit_at: np.ndarray
    edit: np.ndarray

    @classmethod
    def build(cls, words: Sequence[str]) -> CandidateTable:
        """The table of ``generate`` for each of ``words`` (the bigram table's units)."""
        every = generate_all(words)
        found = [every[w] for w in words]
        conf_n = np.array([len(c) for c, _ in found], dtype=np.int64)
        edit_n = np.array([len(e) for _, e in found], dtype=np.int64)
        return cls(
            np.concatenate([[0], np.cumsum(conf_n)]).astype(np.int64),
            np.array([k for c, _ in found for k in c], dtype=np.int64),
            np.concatenate([[0], np.cumsum(edit_n)]).astype(np.int64),
            np.array([k for _, e in found for k in e], dtype=np.int64),
        )

    def write(self, path: Path) -> None:
        """Store the four arrays in one gzip stream (no timestamp), written atomically."""
        buf = io.BytesIO()
        for a in (self.conf_at, self.conf, self.edit_at, self.edit):
            np.save(buf, a.astype(np.int32), allow_pickle=False)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(buf.getvalue())
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> CandidateTable:
        """The table stored by ``write``."""
        data = io.BytesIO(gzip.decompress(path.read_bytes()))
        arrays = [np.load(data, allow_pickle=False).astype(np.int64) for _ in range(4)]
        return cls(*arrays)


CANDIDATES = "word-candidates-en.npy.gz"


@lru_cache(maxsize=1)
def candidate_table() -> CandidateTable:
    """The packaged candidates of the table's units (``scripts/build_bigrams.py
    --candidates``). Raises ``ValueError`` if it was built for another table."""
    found = CandidateTable.read(DATA / CANDIDATES)
    if len(found.conf_at) != len(bigrams().vocab) + 1:
        raise ValueError(f"data/{CANDIDATES} was built for another bigram table; rebuild it")
    return found


@lru_cache(maxsize=1 << 17)
def candidates(low: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Table ids of the words one OCR confusion from the lower-cased core ``low``, and of those
    one letter longer or shorter (frequent words only); empty for a form of one character
    other than a digit, or with other characters than letters and digits. A unit of the table
    has them stored (``candidate_table``); another form has them worked out (``generate``)."""
    k = bigrams().vocab.get(low)
    if k is None:
        return generate(low)
    t = candidate_table()
    conf = t.conf[t.conf_at[k] : t.conf_at[k + 1]]
    edit = t.edit[t.edit_at[k] : t.edit_at[k + 1]]
    return tuple(conf.tolist()), tuple(edit.tolist())


_GENERATED: dict[str, tuple[np.ndarray, np.ndarray]] = {}
"""``generate``'s answers as arrays, for the forms the table lacks (kept across the witnesses
of a collation and the books of a run, which share most of them; emptied past 1 << 17, and
by ``memoized.release``)."""
on_release(_GENERATED.clear)


def _generated(lows: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    new = [low for low in dict.fromkeys(lows) if low not in _GENERATED]
    if new:
        if len(_GENERATED) + len(new) > 1 << 17:
            _GENERATED.clear()
        for low, (conf, edit) in generate_all(new).items():
            _GENERATED[low] = (np.array(conf, dtype=np.int64), np.array(edit, dtype=np.int64))
    return {low: _GENERATED[low] for low in lows}


def fit_gain(written: Sequence[str], forms: Sequence[str]) -> np.ndarray:
    """For each token (``written`` as it stands, ``forms`` the form judged, ``""`` for one not
    judged), the clipped log-ratios (confusion, edit) of the best candidate's fit between the
    token's neighbours to the token's own: an array of shape (tokens, 2), 0 where no candidate
    fits better or the token has no neighbour it forms a pair with."""
    fid: dict[str, int] = {}
    f_of = np.fromiter((fid.setdefault(f, len(fid)) for f in forms), dtype=np.int64)
    wid: dict[str, int] = {}
    w_of = np.fromiter((wid.setdefault(t, len(wid)) for t in written), dtype=np.int64)
    return fit_gain_of(list(wid), w_of, list(fid), f_of)


def _form_candidates(
    lows: Sequence[str], units: Sequence[str], need: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each kind (confusion, edit): each form's start and count in a pool of table ids,
    and the pool (the stored table's ids, then those worked out for forms the table lacks);
    only the forms ``need`` marks are looked at (the others count 0)."""
    vocab = bigrams().vocab
    stored = candidate_table()
    n = len(lows)
    k_low = np.full(n, -1, dtype=np.int64)
    other: list[tuple[int, str]] = []
    for j in np.flatnonzero(need).tolist():
        if not units[j]:
            continue
        low = lows[j]
        k = vocab.get(low)
        if k is None:
            other.append((j, low))
        else:
            k_low[j] = k
    made = _generated([low for _, low in other])
    extra = [(j, *made[low]) for j, low in other if len(made[low][0]) or len(made[low][1])]
    known = k_low >= 0
    out = []
    sources = ((stored.conf_at, stored.conf), (stored.edit_at, stored.edit))
    for kind, (at, ids) in enumerate(sources):
        start = np.zeros(n, dtype=np.int64)
        count = np.zeros(n, dtype=np.int64)
        start[known] = at[k_low[known]]
        count[known] = at[k_low[known] + 1] - at[k_low[known]]
        pool = [ids]
        offset = len(ids)
        for j, conf, edit in extra:
            more = edit if kind else conf
            start[j], count[j] = offset, len(more)
            pool.append(more)
            offset += len(more)
        out.append((start, count, np.concatenate(pool)))
    return out


def fit_gain_of(
    written: Sequence[str],
    w_of: np.ndarray,
    flist: Sequence[str],
    f_of: np.ndarray,
    at: np.ndarray | None = None,
) -> np.ndarray:
    """``fit_gain`` for tokens given as indices: ``w_of`` into the distinct written forms
    ``written``, ``f_of`` into the distinct judged forms ``flist``; with ``at`` (a boolean mask
    of the tokens) only those tokens' rows are worked out, the others left 0."""
    n = len(w_of)
    out = np.zeros((n, 2))
    if n < 2:
        return out
    table = bigrams()
    # per distinct form: its unit, table id and unigram log probability
    # worked out here, once per distinct form, and not memoized: kept across the witnesses of
    # a collation, caches of every witness's forms stood beside the weighing and rendering
    # (benchmarks/RESULTS.md, "3 x 1M peak after the context features")
    units = [unit(f) for f in flist]
    # a unit is the lower-cased core itself but for a number's (``#``: its core is kept)
    lows = [core(f).lower() if u == NUMBER else u for f, u in zip(flist, units, strict=True)]
    f_table = table.ids(units)
    # the text's own vocabulary: a word's probability is the greater of wordfreq's and its share
    # of the rest of the text (its other tokens, leaving this one out), so a form the text
    # uses again and again (dialect ``wos``) is no rarity here, and a form it has once gains
    # nothing; candidates alike, by their count in the text
    uid: dict[str, int] = {}
    u_of = np.fromiter((uid.setdefault(u, len(uid)) for u in units), dtype=np.int64)
    per_form = np.bincount(f_of, minlength=len(flist)).astype(np.float64)
    per_unit = np.bincount(u_of, weights=per_form, minlength=len(uid))
    with_unit = np.array([bool(u) for u in units])
    judged = float(per_form[with_unit].sum())
    rest = max(judged - 1.0, 1.0)
    own_share = np.clip(per_unit[u_of] - 1.0, 0.0, None) / rest
    unit_p = _unit_p()
    f_p = np.where(f_table >= 0, unit_p[np.maximum(f_table, 0)], 1.0)
    other = np.flatnonzero(with_unit & (f_table < 0))
    f_p[other] = [unigram_p(units[j]) for j in other.tolist()]
    f_logp = np.log(np.maximum(f_p, own_share))
    in_table = f_table >= 0
    text_count = np.bincount(
        f_table[in_table], weights=per_form[in_table], minlength=len(table.vocab)
    )
    # which neighbours form a pair: whether a written form's tail or head breaks a pair is
    # worked out per distinct written form
    # (a form of letters and digits only is its own core, and nothing beside it breaks a pair)
    ends = [(False, False) if t.isalnum() else breaks(t) for t in written]
    tail_break = np.array([a for a, _ in ends], dtype=bool)
    head_break = np.array([b for _, b in ends], dtype=bool)
    has_unit = with_unit[f_of]
    link = has_unit[:-1] & has_unit[1:] & ~tail_break[w_of[:-1]] & ~head_break[w_of[1:]]
    paired = np.concatenate([[False], link]) | np.concatenate([link, [False]])
    if at is not None:
        paired &= at
    need = np.zeros(len(flist), dtype=bool)
    need[f_of[paired]] = True
    kinds = _form_candidates(lows, units, need)
    # forms alike in all the fit reads (their unit, and the lower-cased core the candidates
    # come from: ``The`` and ``the,``) share their contexts' work
    gid: dict[tuple[str, str], int] = {}
    g_of = np.fromiter(
        (gid.setdefault((u, low), len(gid)) for u, low in zip(units, lows, strict=True)),
        dtype=np.int64,
    )
    forms = _Forms(
        f_table,
        f_logp,
        (kinds[0][1] + kinds[1][1]) > 0,
        kinds,
        np.maximum(unit_p, text_count / rest),
        u_of,
        g_of,
        len(uid),
        len(gid),
    )
    # every wanted token's context (its left neighbour's unit, its group, its right
    # neighbour's unit) found over the whole text, and each distinct context worked out once
    # (a book repeats a quarter of its contexts across stretches of it), a stretch of
    # contexts at a time so that their candidates' arrays do not stand in memory at once
    wanted = np.flatnonzero(forms.with_cands[f_of] & paired)
    if not len(wanted):
        return out
    has_left = np.zeros(len(wanted), dtype=bool)
    inner = wanted > 0
    has_left[inner] = link[wanted[inner] - 1]
    has_right = np.zeros(len(wanted), dtype=bool)
    inner = wanted < n - 1
    has_right[inner] = link[wanted[inner]]
    lf = np.where(has_left, forms.unit_of[f_of[np.maximum(wanted - 1, 0)]], -1)
    rf = np.where(has_right, forms.unit_of[f_of[np.minimum(wanted + 1, n - 1)]], -1)
    key = ((lf + 1) * forms.groups + forms.group_of[f_of[wanted]]) * (forms.units + 1) + (rf + 1)
    del lf, rf
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    del key
    got = np.zeros((len(first), 2))
    for lo in range(0, len(first), CHUNK):
        at_k = first[lo : lo + CHUNK]
        got[lo : lo + len(at_k)] = _gain(
            table, forms, f_of, wanted[at_k], has_left[at_k], has_right[at_k]
        )
    out[wanted] = got[inverse.reshape(-1)]
    return out


@dataclass(frozen=True, slots=True)
class _Forms:
    """Per distinct form of a text: its table id (-1 if none), log probability, whether it has
    candidates, the candidates of each kind (start, count, pool) and each table unit's
    probability as a candidate in this text."""

    table_id: np.ndarray
    logp: np.ndarray
    with_cands: np.ndarray
    kinds: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    p_cand: np.ndarray
    unit_of: np.ndarray
    """Each form's unit (an index among the text's units)."""
    group_of: np.ndarray
    """Each form's group: forms of one unit and one lower-cased core."""
    units: int
    groups: int


CHUNK = 1 << 14
"""Distinct contexts worked out at a time (a bound on memory, not a parameter of the model)."""


def _gain(
    table: Bigrams,
    forms: _Forms,
    f_of: np.ndarray,
    reps: np.ndarray,
    has_left: np.ndarray,
    has_right: np.ndarray,
) -> np.ndarray:
    """The (confusion, edit) gains of the tokens at the indices ``reps`` (each one distinct
    context's), given whether each forms a pair with its left and its right neighbour."""
    n = len(f_of)
    table_id = forms.table_id
    logp = forms.logp
    left_f = f_of[np.maximum(reps - 1, 0)]
    right_f = f_of[np.minimum(reps + 1, n - 1)]
    r_left = np.where(has_left, table_id[left_f], -1)
    r_right = np.where(has_right, table_id[right_f], -1)
    logp_right = np.where(has_right, logp[right_f], 0.0)
    r_has = has_right
    p_right = np.exp(logp_right)
    r_form = f_of[reps]
    # Witten-Bell's terms of each rep's left neighbour (1 and 1 where it has none, so that
    # P(word | none) is the word's own probability)
    lk = r_left >= 0
    l_back = np.where(lk, table.backoff[r_left], 1.0)
    l_den = np.where(lk, table.unigrams[r_left] + table.followers[r_left], 1.0)
    mid = table_id[r_form]
    own = _first(table, r_left, mid, np.exp(logp[r_form]), l_back, l_den)
    own += np.where(
        r_has, np.where(mid >= 0, _second(table, mid, r_right, p_right), logp_right), 0.0
    )
    got = np.zeros((len(reps), 2))
    for kind, (start, count, pool) in enumerate(forms.kinds):
        cnt = count[r_form]
        total = int(cnt.sum())
        if not total:
            continue
        ends_at = np.cumsum(cnt)
        row = np.repeat(np.arange(len(reps)), cnt)
        pos = np.arange(total) - np.repeat(ends_at - cnt, cnt) + np.repeat(start[r_form], cnt)
        c = pool[pos]
        alt = _first(table, r_left[row], c, forms.p_cand[c], l_back[row], l_den[row])
        has = r_has[row]
        alt[has] += _second(table, c[has], r_right[row][has], p_right[row][has])
        some = cnt > 0
        best = np.maximum.reduceat(alt, (ends_at - cnt)[some])
        got[some, kind] = np.clip(best - own[some], 0.0, CLIP)
    return got


@lru_cache(maxsize=1)
def _unit_p() -> np.ndarray:
    """wordfreq's probability of each unit of the packaged table, in id order."""
    return unigram_ps(bigrams().vocab)


def _pair_counts(table: Bigrams, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How often unit id ``a`` is followed by ``b`` (0 where either is -1), looked up only
    where both are ids."""
    return table.pair_counts(a, b)


def _first(
    table: Bigrams,
    left: np.ndarray,
    mid: np.ndarray,
    p_mid: np.ndarray,
    back: np.ndarray,
    den: np.ndarray,
) -> np.ndarray:
    """log P(mid | left), Witten-Bell (``Bigrams.conditional``), given the left neighbour's
    back-off mass and denominator (1 and 1 where it is -1: then log p(mid))."""
    out: np.ndarray = np.log(
        np.maximum(_pair_counts(table, left, mid) + back * p_mid, 1e-300) / den
    )
    return out


def _second(table: Bigrams, mid: np.ndarray, right: np.ndarray, p_right: np.ndarray) -> np.ndarray:
    """log P(right | mid) for ids ``mid`` of the table (``right`` -1 where the table lacks
    it: then by its unigram probability ``p_right`` alone)."""
    num = _pair_counts(table, mid, right) + table.backoff[mid] * p_right
    out: np.ndarray = np.log(np.maximum(num, 1e-300) / (table.unigrams[mid] + table.followers[mid]))
    return out
