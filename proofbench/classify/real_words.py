"""Real-word errors from context: would a word one slip away fit its neighbours better?

Input: the tokens of one text (their written forms and the forms judged); output, per token, two
log-likelihood ratios (``fit_gain``): how much better the best word one OCR shape confusion away
(``he`` for ``lie``, ``I`` for ``1``, ``head`` for ``bead``) fits between the token's neighbours
than the token itself, and the same for a word one letter longer or shorter (``known`` for
``know``). Each candidate is scored by the word bigram table of ``text.bigrams`` (a word given its
left neighbour, and the right neighbour given the word, smoothed towards wordfreq's frequency),
so the ratio carries both how common each word is and how well it fits. ``classify.suspect``
uses them as evidence; the weight they get is fitted with the rest of the check's model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from proofbench.classify.data import shape_confusions
from proofbench.text.bigrams import Bigrams, bigrams, breaks, unigram_p, unit
from proofbench.text.lexicon import core

CLIP = 20.0
"""Log-ratios are clipped at this (nats): beyond, the evidence is already overwhelming."""
EDIT_MIN = 10
"""A word is a one-letter-edit candidate only if the table saw it this often (rarer words one
letter away from a common word are many, and would make every word look like a slip)."""


@lru_cache(maxsize=1)
def _confusions() -> tuple[dict[str, tuple[str, ...]], tuple[int, ...]]:
    """Lower-case shape confusions indexed by the string read wrongly (letters or digits read as
    letters or nothing), and the lengths of those strings."""
    by: dict[str, set[str]] = {}
    for a, b in shape_confusions():
        a, b = a.lower(), b.lower()
        if a and a != b and (a.isalnum()) and (b.isalpha() or not b):
            by.setdefault(a, set()).add(b)
    return {a: tuple(sorted(bs)) for a, bs in by.items()}, tuple(sorted({len(a) for a in by}))


@lru_cache(maxsize=1)
def _edit_index() -> dict[str, list[int]]:
    """Frequent table units by each of their one-letter deletions (lists, never changed: a
    tuple copy of its 600k keys cost 0.6 s of a fresh ``check``)."""
    table = bigrams()
    index: dict[str, list[int]] = {}
    for w, k in table.vocab.items():
        if len(w) < 3 or not w.isalpha() or table.unigrams[k] < EDIT_MIN:
            continue
        for i in range(len(w)):
            index.setdefault(w[:i] + w[i + 1 :], []).append(k)
    return index


@lru_cache(maxsize=1 << 17)
def candidates(low: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Table ids of the words one OCR confusion from the lower-cased core ``low``, and of those
    one letter longer or shorter (frequent words only); empty for a form of one character
    other than a digit, or with other characters than letters and digits."""
    if not low or not low.isalnum() or (len(low) < 2 and not low.isdigit()):
        return (), ()
    table = bigrams()
    vocab = table.vocab
    by, lengths = _confusions()
    conf: set[int] = set()
    for start in range(len(low)):
        for n in lengths:
            bs = by.get(low[start : start + n])
            if bs is None:
                continue
            head, tail = low[:start], low[start + n :]
            for b in bs:
                o = head + b + tail
                if o != low and o.isalpha():
                    k = vocab.get(o)
                    if k is not None:
                        conf.add(k)
    edit: set[int] = set()
    if low.isalpha() and len(low) >= 3:
        edit.update(_edit_index().get(low, ()))
        for i in range(len(low)):
            k2 = vocab.get(low[:i] + low[i + 1 :])
            if k2 is not None and table.unigrams[k2] >= EDIT_MIN and len(low) > 3:
                edit.add(k2)
    own = vocab.get(low)
    conf.discard(own if own is not None else -1)
    edit.discard(own if own is not None else -1)
    edit -= conf
    return tuple(sorted(conf)), tuple(sorted(edit))


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


def fit_gain_of(
    written: Sequence[str], w_of: np.ndarray, flist: Sequence[str], f_of: np.ndarray
) -> np.ndarray:
    """``fit_gain`` for tokens given as indices: ``w_of`` into the distinct written forms
    ``written``, ``f_of`` into the distinct judged forms ``flist``."""
    n = len(w_of)
    out = np.zeros((n, 2))
    if n < 2:
        return out
    table = bigrams()
    # per distinct form: its unit, table id, unigram log probability and candidates
    units = [unit(f) if f else "" for f in flist]
    f_table = table.ids(units)
    # the text's own vocabulary: a word's probability is the greater of wordfreq's and its share
    # of the rest of the text (its other tokens, leaving this one out), so a form the text
    # uses again and again (dialect ``wos``) is no rarity here, and a form it has once gains
    # nothing; candidates alike, by their count in the text
    uid: dict[str, int] = {}
    u_of = np.fromiter((uid.setdefault(u, len(uid)) for u in units), dtype=np.int64)
    per_form = np.bincount(f_of, minlength=len(flist)).astype(np.float64)
    per_unit = np.bincount(u_of, weights=per_form, minlength=len(uid))
    judged = float(per_form[[bool(u) for u in units]].sum())
    rest = max(judged - 1.0, 1.0)
    own_share = np.clip(per_unit[u_of] - 1.0, 0.0, None) / rest
    f_logp = np.log(np.maximum([unigram_p(u) if u else 1.0 for u in units], own_share))
    in_table = f_table >= 0
    text_count = np.bincount(
        f_table[in_table], weights=per_form[in_table], minlength=len(table.vocab)
    )
    f_cands = [
        candidates(core(f).lower()) if u else ((), ()) for f, u in zip(flist, units, strict=True)
    ]
    has_unit = np.array([bool(u) for u in units])[f_of]
    table_id = f_table[f_of]
    logp = f_logp[f_of]
    # which neighbours form a pair: whether a written form's tail or head breaks a pair is
    # worked out per distinct written form
    ends = [breaks(t) for t in written]
    tail_break = np.array([a for a, _ in ends], dtype=bool)
    head_break = np.array([b for _, b in ends], dtype=bool)
    link = has_unit[:-1] & has_unit[1:] & ~tail_break[w_of[:-1]] & ~head_break[w_of[1:]]
    has_left = np.concatenate([[False], link])
    has_right = np.concatenate([link, [False]])
    left = np.full(n, -1, dtype=np.int64)
    left[1:] = np.where(link, table_id[:-1], -1)
    right = np.full(n, -1, dtype=np.int64)
    right[:-1] = np.where(link, table_id[1:], -1)
    logp_right = np.zeros(n)
    logp_right[:-1] = np.where(link, logp[1:], 0.0)
    # every (token, candidate, kind) of the tokens with a candidate and a neighbour, each
    # distinct (left form, form, right form) once
    with_cands = np.array([bool(a or b) for a, b in f_cands])
    wanted = np.flatnonzero(with_cands[f_of] & (has_left | has_right))
    if not len(wanted):
        return out
    f_count = len(flist) + 1
    lf = np.full(n, -1, dtype=np.int64)
    lf[1:] = np.where(link, f_of[:-1], -1)
    rf = np.full(n, -1, dtype=np.int64)
    rf[:-1] = np.where(link, f_of[1:], -1)
    key = ((lf[wanted] + 1) * f_count + f_of[wanted]) * f_count + (rf[wanted] + 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    reps = wanted[first]
    rows: list[np.ndarray] = []
    cands: list[int] = []
    kinds: list[int] = []
    order = np.argsort(f_of[reps], kind="stable")
    grouped = reps[order]
    bounds = np.flatnonzero(np.diff(f_of[grouped])) + 1
    for toks in np.split(grouped, bounds):
        conf, edit = f_cands[int(f_of[toks[0]])]
        for kind, ids in ((0, conf), (1, edit)):
            for cand in ids:
                rows.append(toks)
                cands.extend([cand] * len(toks))
                kinds.extend([kind] * len(toks))
    at = np.concatenate(rows)
    c = np.array(cands, dtype=np.int64)
    kd = np.array(kinds, dtype=np.int64)
    p_c = np.maximum(_unit_p()[c], text_count[c] / rest)
    own = _score(
        table, left[at], table_id[at], right[at], np.exp(logp[at]), logp_right[at], has_right[at]
    )
    alt = _score(table, left[at], c, right[at], p_c, logp_right[at], has_right[at])
    got = np.zeros((n, 2))
    np.maximum.at(got, (at, kd), np.clip(alt - own, 0.0, CLIP))
    out[wanted] = got[reps][inverse.reshape(-1)]
    return out


@lru_cache(maxsize=1)
def _unit_p() -> np.ndarray:
    """wordfreq's probability of each unit of the packaged table, in id order."""
    return np.array([unigram_p(w) for w in bigrams().vocab])


def _score(
    table: Bigrams,
    left: np.ndarray,
    mid: np.ndarray,
    right: np.ndarray,
    p_mid: np.ndarray,
    logp_right: np.ndarray,
    has_right: np.ndarray,
) -> np.ndarray:
    """log P(mid | left) + log P(right | mid), the second term only where the right neighbour
    forms a pair; ``left`` is -1 where the left one does not (then log p(mid))."""
    first = table.conditional(left, mid, p_mid)
    second = np.where(has_right, table.conditional(mid, right, np.exp(logp_right)), 0.0)
    out: np.ndarray = first + second
    return out
