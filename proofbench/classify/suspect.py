"""The single-witness check as a probability of error for every word of a witness.

Input: the text tokens of one ``Witness``; output: each token's probability that it is wrong
(``probabilities``) and ``Flag`` objects, check ``suspect-word``, for those at or above a
threshold (``suspects``).

The probability is a logistic model over evidence about the word (``FEATURES``): whether the
dictionary (SCOWL) and wordfreq know it, how word-like its letters are (a character trigram model),
digits or capitals or punctuation inside letters, mojibake, how often this text repeats it,
whether a far commoner word of this text or of the language is one slip away, whether a commoner
real word is one OCR confusion away (a scanno), how noisy this text is as a whole (its share of
unknown words, so a clean book and a raw OCR are judged differently), and whether its
neighbours look wrong too. The coefficients are fitted by ``benchmarks/fit_check.py`` on real
OCR against its human ground truth (``data/check-model.json`` names the training sets) and
measured on other data (``benchmarks/judgement_bench.py icdar false-alarms wrnpc``). The work is
done once per distinct form of the text, and the model is applied to all tokens at once.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from proofbench.classify.data import (
    DATA,
    replacements,
    shape_index,
)
from proofbench.classify.real_words import fit_gain_of
from proofbench.classify.scannos import scanno_gains
from proofbench.classify.spelling import (
    best_candidate,
    candidates,
    clearly_best,
    one_slip,
    rank,
    reach,
)
from proofbench.collector import paused
from proofbench.memoized import on_release, release
from proofbench.model import Flag, Token, Tokens, VariantClass, Witness, token_texts
from proofbench.text.frequencies import words_at_least
from proofbench.text.lexicon import (
    LANGUAGE,
    core,
    frequency_table,
    good_word_set,
    in_dictionary,
    shape_logprob,
    zipf,
)
from proofbench.witness.mojibake import utf8_signs

FEATURES = (
    "bias",
    "punct_only",  # no letter or digit at all (``^``, ``—``)
    "odd_char",  # a character no printed English word has (``|``, ``»``, ``■``)
    "number",  # digits only (with , . inside): numbers are read as numbers
    "digit_mix",  # digits among letters: ``3lst``, ``l9``
    "inner_cap",  # a capital after a small letter: ``shaU``, ``CoUection``
    "inner_punct",  # punctuation inside letters: ``t?e``, ``hereof,and``
    "edge_odd",  # the word begins with , . ; : (``.and``)
    "dictionary",  # SCOWL has the word
    "zipf",  # wordfreq Zipf frequency / 8
    "zipf0",  # wordfreq does not know it
    "shape",  # mean trigram log probability per character (+3, clipped)
    "single",  # one letter other than a, I, O, A
    "short_unknown",  # two letters, unknown to the dictionary
    "log_count",  # log of how often this text has the form
    "unknown_log_count",  # the same, for a form the dictionary does not know
    "near_text",  # unknown, and a form of this text at least 3 times as frequent is one slip away
    "near_lexicon",  # unknown, and a common word (Zipf >= 3) is one slip or confusion away
    "scanno",  # known, and a far commoner word is one OCR confusion away (gain in Zipf / 8)
    "mojibake",  # ftfy's fix_encoding would repair it (``againó``)
    "capital",  # first letter capital
    "capital_unknown",  # capitalized and unknown (a name?)
    "all_caps",  # more than one letter, all capitals
    "apostrophe",  # an apostrophe inside
    "hyphen",  # a hyphen inside
    "length",  # letters / 10
    "text_noise",  # logit of this text's share of unknown words (a Beta prior's posterior mean)
    "text_noise_unknown",  # the same, for an unknown word
    "neighbours",  # how many of the two adjacent tokens are unknown or garbled
    "abbreviation",  # letters each followed by a full stop: ``A.D.``, ``i.e.``
    "scanno_noise",  # ``scanno`` times ``text_noise``: a scanno is likelier in a noisy text
    "scanno_log_count",  # ``scanno`` times ``log_count``: a scanno seldom repeats
    "hyphen_noise",  # ``hyphen`` times ``text_noise``
    "punct_noise",  # ``punct_only`` times ``text_noise``
    "context",  # known: a word one OCR confusion away fits the neighbours better (log-ratio / 10)
    "context_edit",  # known: the same for a word one letter longer or shorter (``know``/``known``)
    "context_unknown",  # unknown: the greater of the two (``hia`` between ``of`` and ``own``)
    "deaccent",  # unknown, and known without its accents (``thé``, ``hâve``)
    "hyphen_join",  # a hyphen inside, and the word joined is a common dictionary word
    "final_e",  # unknown, and a common dictionary word without an e at its end (``drinke``)
    "context_number",  # a number, and a word one OCR confusion away fits (``1`` for ``I``)
)
_ODD = re.compile(r"[^\w\s.,;:!?'\"()\[\]\-—–’‘“”&%$£/*§¶†‡°½¼¾]")
_NUMBER = re.compile(r"^[\d.,]*\d[\d.,]*(st|nd|rd|th|d|s)?$")
_ROMAN = re.compile(r"^[IVXLC]{2,}$")
_ROMAN_SMALL = re.compile(r"^[ivxlc]+$")
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]{1,2}\.)+$")
_INNER_CAP = re.compile(r"[a-z][A-Z]")
_INNER_PUNCT = re.compile(r"\w[^\w\s'’\-]+\w")
_BROKEN = re.compile(r"-[ \t]*\r?\n\s*")
_SINGLES = frozenset("aAIO&")
_NOT_WORD = re.compile(r"[^\w]")
_ITALICS = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")


@dataclass(frozen=True, slots=True)
class CheckModel:
    """The fitted coefficients, in ``FEATURES`` order, and the default flagging threshold."""

    weights: tuple[float, ...]
    threshold: float
    noise_mean: float
    """The training texts' share of unknown words: a Beta prior's mean for a text's share."""
    base_rate: float
    """The training tokens' share of wrong ones (0: no prior shift at run time)."""
    error_strength: float
    """How many tokens of evidence the training share counts as when this text's share is
    estimated (a Beta prior estimated from how much the training texts' shares vary)."""
    noise_strength: float
    """The Beta prior's strength (in words), estimated from how much the training texts' shares
    vary beyond what their lengths explain, so a short text is not judged on its few words."""
    calibration: tuple[float, float] = (1.0, 0.0)
    """(slope, intercept) of the logistic recalibration of the log-odds (Platt's), fitted on
    held-out OCR the model was not trained on (``benchmarks/fit_check.py``); ``threshold`` is on
    the recalibrated scale, the fitted threshold moved by the same map, so the flags are
    those of the fitted threshold and only the probabilities change."""

    def calibrated(self, z: np.ndarray) -> np.ndarray:
        """The recalibrated probabilities of the log-odds ``z``."""
        a, b = self.calibration
        p: np.ndarray = 1.0 / (1.0 + np.exp(-(a * z + b)))
        return p


@lru_cache(maxsize=1)
def check_model() -> CheckModel:
    """The coefficients of ``data/check-model.json`` (built by ``benchmarks/fit_check.py``).

    Raises ``ValueError`` if the file's features are not ``FEATURES`` (a stale model)."""
    raw = json.loads((DATA / "check-model.json").read_text(encoding="utf-8"))
    if tuple(raw["features"]) != FEATURES:
        raise ValueError("data/check-model.json was fitted on other features; rerun fit_check.py")
    cal = raw.get("calibration") or {}
    slope, intercept = float(cal.get("slope", 1.0)), float(cal.get("intercept", 0.0))
    fitted = float(raw["threshold"])
    return CheckModel(
        weights=tuple(float(w) for w in raw["weights"]),
        threshold=1.0 / (1.0 + math.exp(-(slope * math.log(fitted / (1 - fitted)) + intercept))),
        noise_mean=float(raw["noise_mean"]),
        noise_strength=float(raw["noise_strength"]),
        base_rate=float(raw.get("base_rate", 0.0)),
        error_strength=float(raw.get("error_strength", 0.0)),
        calibration=(slope, intercept),
    )


def form_of(written: str) -> str:
    """The form judged for a token: a word broken at a line end is judged joined; an address
    (``http://``, ``www.``, an e-mail) or a suspended prefix (``pre-`` of ``pre- and post-``)
    is not judged (empty)."""
    if "://" in written or written.startswith("www.") or "@" in written:
        return ""
    if "-" not in written and "_" not in written:  # most words: nothing to take out
        return written
    if written.endswith("-") and not written.endswith("--") and core(written):
        return ""
    # ``_word_`` is Project Gutenberg's (and Markdown's) italics: the word is judged without it
    return _BROKEN.sub("", _ITALICS.sub("", written))


def _letters(c: str) -> int:
    return sum(ch.isalpha() for ch in c)


@lru_cache(maxsize=1 << 18)
def _known(c: str) -> bool:
    """The dictionary or wordfreq (Zipf 3 or more: a word in everyday use) knows the core."""
    # wordfreq's figures do not depend on case: one lookup, lower-cased, is shared
    return in_dictionary(c) or zipf(c.lower()) >= 3.0


@lru_cache(maxsize=1 << 16)
def _near_lexicon(low: str) -> bool:
    """``spelling.best_candidate(low, 3.0)`` finds a word (a common word one slip or one OCR
    confusion away, clearly ahead of the next). Worked out as ``spelling.candidates`` does,
    but with the shape confusions looked up by the strings at each place of the word (a few
    lookups a letter) rather than each of the 418 searched for in it (half the time)."""
    if not low.isalpha() or len(low) < 3 or len(low) > reach():
        return False
    common = _common()
    table = frequency_table()

    def known(c: str) -> bool:  # in wordfreq and perhaps common (``zipf`` says below)
        return c in common or (not c.isascii() and c in table)

    shape = {
        o
        for head, b, tail in replacements(low, shape_index())
        if (o := head + b + tail) != low and known(o)
    }
    slips = one_slip(low)
    # the common words among the slips found by one set intersection (in C) rather than a
    # test of each of the 26 x (2n + 1) strings; a slip outside ASCII (only a word outside
    # ASCII has one: the letters tried are ASCII) is looked up in wordfreq's table too
    near = slips & common
    if not low.isascii():
        near.update(c for c in slips if not c.isascii() and c in table)
    near.discard(low)
    found = rank((c, z, c in shape) for c in shape | near if (z := zipf(c)) >= 3.0)
    return clearly_best(found) is not None


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """wordfreq's words of Zipf 2.95 or more (a frequency of 9e-7 or more): every word of
    Zipf 3 or more that ``zipf`` finds under its own spelling, in a set a tenth of wordfreq's
    (looked up faster: ``_near_lexicon`` tries 500 strings a word)."""
    return words_at_least(LANGUAGE, 9e-7)


def _static(form: str) -> tuple[float, ...]:
    """The features of a form that do not depend on the text: those of ``FEATURES`` from
    ``punct_only`` to ``zipf0`` and from ``mojibake`` to ``length`` (the others are zero here).
    ``_evidence`` keeps them in ``STATIC`` (one row of floats per form)."""
    c = core(form)
    low = c.lower()
    # most forms are letters only: their answers to the character tests are known at once
    plain = c.isalpha()
    has_alnum = plain or any(ch.isalnum() for ch in form)
    number = (not plain and bool(_NUMBER.match(c)) and any(ch.isdigit() for ch in c)) or (
        bool(_ROMAN.match(c)) or (bool(_ROMAN_SMALL.match(c)) and not _known(c))
    )
    alpha = len(c) if plain else _letters(c)
    digits = not plain and not number and alpha > 0 and any(ch.isdigit() for ch in c)
    known = _known(c) if alpha else True
    z = zipf(low) if alpha else 0.0  # wordfreq's figures do not depend on case
    shape = shape_logprob(c if plain else _NOT_WORD.sub("", c)) if alpha and not number else 0.0
    nonascii = not form.isascii()
    return (
        float(not has_alnum),
        float(bool(_ODD.search(form))),
        float(number),
        float(digits),
        float(bool(_INNER_CAP.search(c)) and not c.isupper()),
        float(bool(_INNER_PUNCT.search(c))),
        float(bool(form[:1]) and form[0] in ",.;:" and alpha > 0),
        float(known),
        z / 8,
        float(alpha > 0 and z == 0.0),
        max(-5.0, shape + 3.0) if alpha else 0.0,
        float(alpha == 1 and len(c) == 1 and c not in _SINGLES),
        float(alpha == 2 and len(c) == 2 and not known),
        float(nonascii and _mojibake(c)),
        float(c[:1].isupper()),
        float(c[:1].isupper() and not known),
        float(alpha > 1 and c.isupper()),
        float("'" in c or "’" in c),
        float("-" in c.strip("-")),
        min(alpha, 20) / 10,  # 0 for a form without letters: ``evidence`` relies on it
    )


def _static_rows(forms: Sequence[str]) -> np.ndarray:
    """``_static`` of each of ``forms`` (non-empty), as the rows of an array. Most forms' cores
    are letters only (``the``, ``The``, ``the,``, ``“the``): their features but three are
    the core's, worked out once per distinct core and without the tests only other characters
    pass (digits, inner punctuation, apostrophes, hyphens), and the three (an odd character,
    a leading ``, . ; :``, mojibake) are read from the form; any other form is ``_static``'s.
    The rows are gathered into the array at once, and the three read from the forms set a
    column at a time (War and Peace's 40,949 forms: 0.67-0.72 -> 0.51-0.53 s of CPU)."""
    rows: list[tuple[float, ...]] = []
    by_core: dict[str, int] = {}
    row_of: list[int] = []
    edged: list[int] = []  # a core of letters with something beside it (``the,``)
    foreign: list[int] = []  # a core of letters, not all ASCII
    for k, form in enumerate(forms):
        c = core(form)
        if not c.isalpha():
            row_of.append(len(rows))
            rows.append(_static(form))
            continue
        j = by_core.get(c)
        if j is None:
            j = by_core[c] = len(rows)
            rows.append(_letters_static(c))
        row_of.append(j)
        if form != c:
            edged.append(k)
        if not form.isascii():
            foreign.append(k)
    made = np.array(rows, dtype=np.float64).reshape(len(rows), _WIDTH)
    out: np.ndarray = made[np.array(row_of, dtype=np.int64)]
    if edged:
        out[edged, 1] = [float(bool(_ODD.search(forms[k]))) for k in edged]
        out[edged, 6] = [float(forms[k][0] in ",.;:") for k in edged]
    if foreign:
        out[foreign, 13] = [float(_mojibake(core(forms[k]))) for k in foreign]
    return out


def _letters_static(c: str) -> tuple[float, ...]:
    """``_static`` of a form that is the core ``c``, of letters only (``c.isalpha()``). The
    patterns are tried only where they can match (a Roman numeral starts with one of its
    letters, a capital inside needs a capital and a small letter), and the answers are
    written as floats at once: War and Peace's 18,922 cores 0.092 -> 0.056 s of CPU beside the
    lexicon's (memoized) answers."""
    known = _known(c)
    first = c[0]
    number = (first in "IVXLC" and bool(_ROMAN.match(c))) or (
        first in "ivxlc" and bool(_ROMAN_SMALL.match(c)) and not known
    )
    alpha = len(c)
    z = zipf(c.lower())
    shape = 0.0 if number else shape_logprob(c)
    cap = first.isupper()
    upper = c.isupper()
    inner_cap = not upper and not c.islower() and bool(_INNER_CAP.search(c))
    return (
        0.0,
        0.0,  # a letter is no odd character
        1.0 if number else 0.0,
        0.0,
        1.0 if inner_cap else 0.0,
        0.0,
        0.0,
        1.0 if known else 0.0,
        z / 8,
        1.0 if z == 0.0 else 0.0,
        max(-5.0, shape + 3.0),
        1.0 if alpha == 1 and c not in _SINGLES else 0.0,
        1.0 if alpha == 2 and not known else 0.0,
        0.0,  # mojibake: read from the form by ``_static_rows`` (never in an ASCII form)
        1.0 if cap else 0.0,
        1.0 if cap and not known else 0.0,
        1.0 if alpha > 1 and upper else 0.0,
        0.0,
        0.0,
        min(alpha, 20) / 10,
    )


@lru_cache(maxsize=1 << 18)
def _alpha_known(form: str) -> tuple[bool, bool]:
    """Whether the form has letters, and whether it is known: ``_static``'s ``length > 0`` and
    ``dictionary`` without the rest of its work."""
    c = core(form)
    alpha = c.isalpha() or _letters(c) > 0
    return alpha, _known(c) if alpha else True


@lru_cache(maxsize=1 << 18)
def _static2(form: str) -> tuple[float, float, float]:
    """The ``deaccent``, ``hyphen_join`` and ``final_e`` features of a form."""
    c = core(form)
    deaccent = 0.0
    if not c.isascii() and not _known(c):
        plain = _plain(c)
        deaccent = float(plain != c and plain.isalpha() and _known(plain))
    join = 0.0
    if "-" in c.strip("-"):
        joined = c.replace("-", "")
        join = float(joined.isalpha() and in_dictionary(joined) and zipf(joined.lower()) >= 3.0)
    return deaccent, join, float(_final_e(c))


def _final_e(c: str) -> bool:
    """An unknown word of four letters or more, small letters after the first, that is a common
    dictionary word without an ``e`` at its end or before its final ``s`` or ``d`` (``drinke``,
    ``wordes``): the older spelling of a word, or a letter the OCR added."""
    if len(c) < 4 or not c.isalpha() or not c[1:].islower() or _known(c):
        return False
    low = c.lower()
    stems = []
    if low.endswith("e"):
        stems.append(low[:-1])
    if low[-2:] in ("es", "ed"):
        stems.append(low[:-2] + low[-1])
    return any(len(x) >= 3 and in_dictionary(x) and zipf(x) >= 3.0 for x in stems)


def _plain(c: str) -> str:
    d = unicodedata.normalize("NFD", c)
    return "".join(ch for ch in d if not unicodedata.combining(ch))


_ONE_ODD = re.compile(r"^([A-Za-z]*)([^\x00-\x7f])([A-Za-z]*)$")


@lru_cache(maxsize=1 << 16)
def _mojibake(c: str) -> bool:
    """ftfy's ``fix_encoding`` would repair the word, or one non-ASCII character stands where a
    word ends or two words meet, the rest being plain dictionary words (``againó``, where a
    dash in Windows-1252 was read as Mac Roman), unlike a name's accent (``Tambóv``,
    ``Borodinó``) or an apostrophe."""
    if utf8_signs(c, frozenset(c)):  # without a sign ftfy repairs nothing (witness.mojibake)
        from ftfy import fix_encoding  # 0.05-0.4 s to import: only where a form shows a sign

        if fix_encoding(c) != c:
            return True
    m = _ONE_ODD.match(c)
    if not m or unicodedata.category(m.group(2)) == "Mn" or m.group(2) in "’‘":
        return False  # an accent mark, or an apostrophe (``reg’lar``)
    if m.group(1)[:1].isupper():
        return False  # a capitalized word ending in an accented letter: a name (``Borodinó``)
    parts = [x for x in (m.group(1), m.group(3)) if x]
    return bool(parts) and all(len(x) >= 2 and in_dictionary(x) for x in parts)


class _Neighbours:
    """The text's frequent forms, indexed by their one-letter deletions, to find for a rare form
    a form of this text one slip away (substitution, insertion, deletion)."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = counts
        self.index: dict[str, list[str]] = {}
        for w, n in counts.items():
            if n < 3 or len(w) < 3 or not w.isalpha():
                continue
            for key in _deletions(w):
                self.index.setdefault(key, []).append(w)

    def best(self, low: str) -> tuple[str, int] | None:
        """The commonest form of the text one slip from ``low`` (None if none)."""
        found: set[str] = set()
        for key in _deletions(low):
            found.update(self.index.get(key, ()))
        found.discard(low)
        hits = [(w, self.counts[w]) for w in found if _one_slip(low, w)]
        return max(hits, key=lambda x: (x[1], x[0])) if hits else None


@lru_cache(maxsize=1 << 17)
def _deletions(w: str) -> frozenset[str]:
    """``w`` and every string one letter shorter (the keys of a deletion index; cached, since
    the witnesses of a collation and the books of a run share most of their words)."""
    return frozenset((w, *(w[:i] + w[i + 1 :] for i in range(len(w)))))


def _one_slip(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence about one text: a row of ``FEATURES`` per distinct form (the token-level
    ``neighbours`` column left zero), each token's form index and its ``neighbours`` count, each
    rare unknown form's near neighbour in the text (for a suggestion), and the text's estimated
    share of unknown words."""

    forms: tuple[str, ...]
    rows: np.ndarray
    index: np.ndarray
    neighbours: np.ndarray
    near: dict[str, str]
    noise: float
    context: np.ndarray
    """Per token, the ``context``, ``context_edit``, ``context_unknown`` and (at the end)
    ``context_number`` columns."""

    def matrix(self) -> np.ndarray:
        """One row of ``FEATURES`` per token (for fitting; ``probabilities`` does not build it)."""
        x: np.ndarray = self.rows[self.index]
        x[:, NEIGHBOURS] = self.neighbours
        x[:, CONTEXT : CONTEXT + 3] = self.context[:, :3]
        x[:, CONTEXT_NUMBER:] = self.context[:, 3:]
        x[self.judged()[self.index] == 0] = 0.0
        return x

    def judged(self) -> np.ndarray:
        """1 for a form that is judged, 0 for one that is not (an address, a broken tail)."""
        # the one form not judged is the empty one (the forms are distinct): found by one
        # search of the tuple rather than each form tested (War and Peace's 40,958 forms:
        # 0.017 -> 0.004-0.009 s of CPU)
        out = np.ones(len(self.forms))
        if "" in self.forms:
            out[self.forms.index("")] = 0.0
        return out


NEIGHBOURS = FEATURES.index("neighbours")
CONTEXT = FEATURES.index("context")
CONTEXT_NUMBER = FEATURES.index("context_number")
_WIDTH = 20


STATIC_FORMS = 1 << 18
"""The most forms ``StaticRows`` keeps (as many as the lexicon's memos: a bound on memory, about
80 MB, for a caller that checks many texts in one process; not a parameter of the model)."""


class StaticRows:
    """``_static``'s answers kept as one row of floats per form (160 bytes; a tuple of 20
    floats is four times as large), so that the witnesses of a collation, which share most of
    their forms, work each out once. ``clear`` lets them go (``checks.check_each`` does after
    the last witness of a collation, and ``memoized.release``); clearing changes no result."""

    def __init__(self) -> None:
        self._at: dict[str, int] = {}
        self._rows = np.zeros((0, _WIDTH))

    def rows(self, forms: Sequence[str]) -> np.ndarray:
        """A row of ``_static`` for each of ``forms`` (distinct), zeros for an empty one."""
        new = [f for f in forms if f and f not in self._at]
        if len(self._at) + len(new) > STATIC_FORMS:  # a caller checking many texts
            self.clear()
            new = list(dict.fromkeys(f for f in forms if f))
        at = self._at
        if new:
            made = _static_rows(new)
            n = len(at)
            if n + len(new) > len(self._rows):  # grown by doubling: appends stay cheap
                grown = np.zeros((max(2 * len(self._rows), n + len(new)), _WIDTH))
                grown[:n] = self._rows[:n]
                self._rows = grown
            self._rows[n : n + len(new)] = made
            at.update(zip(new, range(n, n + len(new)), strict=True))
        get = at.get
        k = np.fromiter((get(f, -1) if f else -1 for f in forms), dtype=np.int64, count=len(forms))
        out = np.zeros((len(forms), _WIDTH))
        some = k >= 0
        out[some] = self._rows[k[some]]
        return out

    def clear(self) -> None:
        """Let every row go."""
        self._at = {}
        self._rows = np.zeros((0, _WIDTH))


STATIC = StaticRows()
on_release(STATIC.clear)


@dataclass(frozen=True, slots=True)
class TextForms:
    """The tokens' written forms: each token's (``texts``), the distinct ones in order of
    first use with their index (``distinct``), and each token's index among them (``ids``)."""

    texts: Sequence[str]
    distinct: dict[str, int]
    ids: np.ndarray


_forms_last: list[tuple[Sequence[Token], TextForms]] = []


def text_forms(tokens: Sequence[Token]) -> TextForms:
    """The ``TextForms`` of the tokens; those of an immutable token sequence (a witness's) are
    kept until ``forget``, so that the check's other tests (``checks``) and the evidence share
    one pass over the tokens."""
    if _forms_last and _forms_last[0][0] is tokens:
        return _forms_last[0][1]
    texts = token_texts(tokens)
    distinct = {s: k for k, s in enumerate(dict.fromkeys(texts))}
    ids = np.fromiter(map(distinct.__getitem__, texts), dtype=np.int64, count=len(texts))
    made = TextForms(texts, distinct, ids)
    if isinstance(tokens, (tuple, Tokens)):
        _forms_last[:] = [(tokens, made)]
    return made


_last: list[tuple[Sequence[Token], tuple[float, float], Evidence]] = []
"""The last evidence worked out on an immutable token sequence (a witness's), so that the
collation's ``suspects`` and ``disputed_probabilities`` on the same witness work it out once
(``forget`` lets it go once the witness's check is done)."""


_FILLED_UNDER: list[frozenset[str]] = [frozenset()]
"""The good words in force when the check's memos were filled (``_known``, ``_static2``,
``STATIC`` and the others answer ``in_dictionary``'s question, which the good words change)."""


def _good_words_in_force() -> None:
    """Let the classify stage's memos go when the good words in force are not those they were
    filled under: a manifest's good words then count in this check as in a fresh process,
    whatever was checked before in this one (an archive's documents, a test after another)."""
    good = good_word_set()
    filled = _FILLED_UNDER[0]
    if good is filled or good == filled:
        return
    release("proofbench.classify.")
    _FILLED_UNDER[0] = good


def forget() -> None:
    """Let the evidence kept for the last token sequence go (its per-token context columns,
    form indices and feature rows: at 3 x 1M words the resident set after the last check fell
    from 958 to 861 MiB), so that it does not stand beside the next stages'. Changes no result:
    asked again, the evidence is worked out again."""
    _last.clear()
    _forms_last.clear()


def evidence(tokens: Sequence[Token], prior: tuple[float, float] | None = None) -> Evidence:
    """The evidence about the tokens (see ``Evidence``); ``prior`` is the (mean, strength) of
    the Beta prior on the text's share of unknown words (by default the model's)."""
    _good_words_in_force()
    if prior is None:
        model = check_model()
        prior = (model.noise_mean, model.noise_strength)
    if not isinstance(tokens, (tuple, Tokens)):
        with paused():
            return _evidence(tokens, prior)
    last = _last[-1] if _last else None
    if last is not None and last[0] is tokens and last[1] == prior:
        return last[2]
    _last.clear()  # not kept alive beside the new one
    with paused():
        ev = _evidence(tokens, prior)
    _last[:] = [(tokens, prior, ev)]
    return ev


def _evidence(
    tokens: Sequence[Token], prior: tuple[float, float], at: Sequence[int] | None = None
) -> Evidence:
    """The evidence about the tokens; with ``at``, only the rows of the forms of those tokens
    and their neighbours are filled and only those tokens' context is worked out (the text's
    counts and share of unknown words are the whole text's, so a token of ``at`` gets what the
    full evidence gives it, and the others are not to be read)."""
    # per distinct written form (books repeat them), then array operations over the tokens
    written = text_forms(tokens)
    texts, distinct, of_token = written.texts, written.distinct, written.ids
    form = {s: form_of(s) for s in distinct}
    ids: dict[str, int] = {}
    form_id = np.fromiter(
        (ids.setdefault(f, len(ids)) for f in form.values()), dtype=np.int64, count=len(form)
    )
    index = form_id[of_token]
    # the tail of a word broken by a hyphen that the tokenizer left in two pieces is not judged
    broken = np.array([s.endswith("-") for s in distinct], dtype=bool)
    if broken.any():
        unjudged = np.array([not f for f in form.values()], dtype=bool)
        tails: set[int] = set()
        for i in (np.flatnonzero(broken[of_token[:-1]]) + 1).tolist():
            prev = int(of_token[i - 1])
            if (unjudged[prev] or i - 1 in tails) and texts[i][:1].islower():
                tails.add(i)
        if tails:
            index[sorted(tails)] = ids.setdefault("", len(ids))
    forms = tuple(ids)
    lows = [core(f).lower() for f in forms]  # once a form: not memoized beyond the witness
    per_form = np.bincount(index, minlength=len(forms))
    counts: dict[str, int] = {}  # (a plain dict: a Counter's += took twice as long)
    for low, n in zip(lows, per_form.tolist(), strict=True):
        counts[low] = counts.get(low, 0) + n
    wanted = np.ones(len(forms), dtype=bool)
    tok_at: np.ndarray | None = None
    if at is not None:
        tok_at = np.zeros(len(tokens), dtype=bool)
        tok_at[list(at)] = True
        near_at = tok_at.copy()
        near_at[1:] |= tok_at[:-1]
        near_at[:-1] |= tok_at[1:]
        wanted = np.zeros(len(forms), dtype=bool)
        wanted[index[near_at]] = True
    static = STATIC.rows([f if w else "" for f, w in zip(forms, wanted.tolist(), strict=True)])
    if at is not None:  # the share of unknown words counts every form
        light = np.array([_alpha_known(f) if f else (False, True) for f in forms], dtype=bool)
        alpha = light.reshape(len(forms), 2)[:, 0]
        unknown = alpha & ~light.reshape(len(forms), 2)[:, 1]
    else:
        alpha = static[:, 19] > 0
        unknown = alpha & (static[:, 7] == 0.0)
    garbled = (static[:, 1] + static[:, 3] + static[:, 4] + static[:, 5] > 0) | unknown
    n_alpha = int(per_form[alpha].sum())
    n_unknown = int(per_form[unknown].sum())
    share = (n_unknown + prior[0] * prior[1]) / (n_alpha + prior[1])
    noise = math.log(share / (1 - share))
    neighbours = _Neighbours(counts)
    near_text = np.zeros(len(forms))
    near_lex = np.zeros(len(forms))
    scanno = np.zeros(len(forms))
    near: dict[str, str] = {}
    unknown_ks = np.flatnonzero(unknown & wanted).tolist()
    for k in unknown_ks:
        low = lows[k]
        if low.isalpha() and len(low) >= 3:
            hit = neighbours.best(low)
            if hit is not None and hit[1] >= 3 * counts[low]:
                near_text[k] = 1.0
                near[forms[k]] = hit[0]
    near_lex[unknown_ks] = [_near_lexicon(lows[k]) for k in unknown_ks]
    known_ks = np.flatnonzero(alpha & ~unknown & wanted).tolist()
    scanno[known_ks] = scanno_gains([lows[k] for k in known_ks])
    scanno[known_ks] /= 8
    log_count = np.log(np.array([counts[low] for low in lows], dtype=np.float64).clip(1))
    cols = np.zeros((len(forms), len(FEATURES)))
    cols[:, 0] = 1.0
    cols[:, 1:12] = static[:, 0:11]
    cols[:, 12] = static[:, 11]
    cols[:, 13] = static[:, 12]
    cols[:, 14] = log_count
    cols[:, 15] = log_count * unknown
    cols[:, 16] = near_text
    cols[:, 17] = near_lex
    cols[:, 18] = scanno
    cols[:, 19:26] = static[:, 13:20]
    cols[:, 26] = noise
    cols[:, 27] = noise * unknown
    cols[:, 29] = [  # (an abbreviation has a full stop: most forms are not tried)
        float(w and "." in f and bool(_ABBREVIATION.match(f.strip(",;:()[]\u201c\u201d\"'"))))
        for f, w in zip(forms, wanted.tolist(), strict=True)
    ]
    cols[:, 30] = cols[:, 18] * noise
    cols[:, 31] = cols[:, 18] * log_count
    cols[:, 32] = cols[:, 24] * noise
    cols[:, 33] = cols[:, 1] * noise
    # ``_static2``'s features are 0 for a known word of letters with no hyphen inside (it
    # accents, joins and stems unknown words and compounds only): only the others are asked
    asked = wanted & ((static[:, 7] == 0) | (static[:, 18] > 0) | (static[:, 19] == 0))
    for k in np.flatnonzero(asked).tolist():
        if forms[k]:
            cols[k, 37:40] = _static2(forms[k])
    cols[~wanted] = 0.0
    g = garbled[index].astype(np.float64)
    ctx = np.zeros(len(tokens))
    if len(tokens) > 1:
        ctx[1:] += g[:-1]
        ctx[:-1] += g[1:]
    gain = fit_gain_of(list(distinct), of_token, forms, index, tok_at)
    gain /= 10  # in place, as the columns below are filled: a book's arrays are large
    unknown_tok = unknown[index]
    number_tok = static[:, 2][index] > 0
    word_tok = ~unknown_tok & ~number_tok
    context = np.empty((len(tokens), 4))
    np.multiply(gain, word_tok[:, None], out=context[:, 0:2])
    np.multiply(gain.max(axis=1), unknown_tok, out=context[:, 2])
    np.multiply(gain[:, 0], number_tok, out=context[:, 3])
    del gain
    return Evidence(forms, cols, index, ctx, near, share, context)


def unknown_share(tokens: Sequence[Token]) -> tuple[int, int]:
    """(unknown words, words with letters) among the tokens: the counts behind ``text_noise``."""
    ev = evidence(tokens, (0.5, 1.0))
    per_form = np.bincount(ev.index, minlength=len(ev.forms))
    alpha = ev.rows[:, FEATURES.index("length")] > 0
    unknown = alpha & (ev.rows[:, FEATURES.index("dictionary")] == 0)
    return int(per_form[unknown].sum()), int(per_form[alpha].sum())


def probabilities(tokens: Sequence[Token], model: CheckModel | None = None) -> np.ndarray:
    """Each token's probability of being wrong (0 for a token not judged: an address, the
    tail of a broken word)."""
    if not tokens:
        return np.zeros(0)
    model = model or check_model()
    return _apply(evidence(tokens, (model.noise_mean, model.noise_strength)), model)


def _logits(ev: Evidence, w: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """The log-odds of error of every token (or of the tokens at the indices ``at``) before
    any prior shift: the form's row, then the token-level neighbours and context columns."""
    index = ev.index if at is None else ev.index[at]
    neighbours = ev.neighbours if at is None else ev.neighbours[at]
    context = ev.context if at is None else ev.context[at]
    z: np.ndarray = (ev.rows @ w)[index] + w[NEIGHBOURS] * neighbours
    z = z + context[:, :3] @ w[CONTEXT : CONTEXT + 3] + context[:, 3:] @ w[CONTEXT_NUMBER:]
    return z


def text_logits(ev: Evidence, model: CheckModel) -> np.ndarray:
    """The log-odds of error of every token with the prior shift to this text's share of
    errors (``_prior_shift``), before the recalibration (``CheckModel.calibrated``); a token
    not judged has a value too, which ``probabilities`` multiplies by 0."""
    z = _logits(ev, np.asarray(model.weights))
    judged = ev.judged()[ev.index]
    if model.base_rate > 0 and judged.any():
        # many tokens share a log-odds (one form, as many garbled neighbours, no better word
        # in context): EM runs over the distinct values, each weighted by its tokens
        values, counts = np.unique(z[judged > 0], return_counts=True)
        z = z + _prior_shift(values, model, counts.astype(np.float64))
    return z


def _apply(ev: Evidence, model: CheckModel) -> np.ndarray:
    p: np.ndarray = ev.judged()[ev.index] * model.calibrated(text_logits(ev, model))
    return p


ITERATIONS = 50


def _prior_shift(z: np.ndarray, model: CheckModel, counts: np.ndarray | None = None) -> float:
    """The shift of every log-odds that moves the training set's share of wrong words to this
    text's, the share estimated on the text by EM (Saerens, Latinne and Decaestecker 2002):
    a clean book's share is far below the training OCR's, a raw OCR's may be above it. The
    training share counts as ``error_strength`` tokens of evidence, so a short text keeps it.
    ``counts`` (by default one each) says how many tokens have each log-odds of ``z``."""
    if not len(z):
        return 0.0
    weights = np.ones(len(z)) if counts is None else counts
    total = float(weights.sum())
    base = model.base_rate
    logit0 = math.log(base / (1 - base))
    pi = base
    m = model.error_strength
    shift = 0.0
    for _ in range(ITERATIONS):
        shift = math.log(pi / (1 - pi)) - logit0
        p = 1.0 / (1.0 + np.exp(-(z + shift)))
        # never above the training share: the training OCR is as noisy as the model has seen,
        # and on a few words EM would otherwise run away upwards
        new = min(base, (float(p @ weights) + m * base) / (total + m))
        if abs(new - pi) < 1e-7:
            break
        pi = new
    return shift


def known_word(c: str) -> bool:
    """The dictionary or wordfreq (Zipf 3 or more) knows the word (a token's core)."""
    _good_words_in_force()
    return _known(c)


def disputed_probabilities(tokens: Sequence[Token], at: Sequence[int] | None = None) -> np.ndarray:
    """The probability of error of the tokens at the indices ``at`` (every token if None),
    with the training set's share of wrong words rather than the one estimated on this text:
    for words at a place the witnesses dispute, where the text's low share elsewhere says
    little."""
    n = len(tokens) if at is None else len(at)
    if not tokens or not n:
        return np.zeros(n)
    _good_words_in_force()
    model = check_model()
    prior = (model.noise_mean, model.noise_strength)
    last = _last[-1] if _last else None
    if last is not None and last[0] is tokens and last[1] == prior:
        ev = last[2]
    else:  # a few tokens: their rows only (in a collation the witness was checked elsewhere)
        ev = _evidence(tokens, prior, at)
    idx = None if at is None else np.asarray(at, dtype=np.int64)
    z = _logits(ev, np.asarray(model.weights), idx)
    judged = ev.judged()[ev.index if idx is None else ev.index[idx]]
    p: np.ndarray = judged * model.calibrated(z)
    return p


def dictionary_candidate(c: str) -> str | None:
    """The first dictionary word one slip or OCR confusion from ``c`` (``spelling.candidates``'
    order), if it is likelier than not to be the word meant: each candidate of its kind (shape
    confusion, or other slip) taken as equally likely to be the slip, and as likely to be the
    word as wordfreq's frequency says, its posterior is its frequency's share of theirs, and it
    is given only above one half; None if none is."""
    # memoized (a name the check finds at disputed places recurs), by the good words in force
    return _dictionary_candidate(c, good_word_set())


@lru_cache(maxsize=1 << 14)
def _dictionary_candidate(c: str, good: frozenset[str]) -> str | None:
    found = [x for x in candidates(c) if in_dictionary(x[0])]
    if not found:
        return None
    first = found[0]
    share = 10 ** first[1] / sum(10**z for _, z, shape in found if shape == first[2])
    return first[0] if share > 0.5 else None


def _suggestion(form: str, near: dict[str, str]) -> str | None:
    c = core(form)
    if not c:
        return None
    if form in near:
        target = near[form]
        target = target[:1].upper() + target[1:] if c[:1].isupper() else target
        return form.replace(c, target, 1)
    if c.isalpha() and len(c) >= 3 and not _known(c):
        best = best_candidate(c, 3.0)
        if best is not None:
            return form.replace(c, best[0], 1)
    return None


def _reason(form: str) -> str:
    c = core(form)
    v = _static(form)
    if v[13]:
        return "mojibake"
    if v[3]:
        return "digits among letters"
    if v[4]:
        return "a capital inside a word"
    if v[5]:
        return "punctuation inside a word"
    if v[1]:
        return "a character no word has"
    if not c:
        return "stray punctuation"
    if v[2]:
        return "a number"
    if v[7]:
        return "a real word, but a commoner one is an OCR confusion away"
    return "not a dictionary word"


def likeliest(ev: Evidence, model: CheckModel, k: int) -> np.ndarray:
    """The indices of the ``k`` judged tokens likeliest to be wrong (fewer if fewer are judged),
    in token order: ranked by log-odds, which the prior shift moves all alike, so the ranking
    holds where a clean text's probabilities are all small."""
    if k <= 0:  # (most checks ask for none: the judged tokens are not looked for)
        return np.zeros(0, dtype=np.int64)
    judged = np.flatnonzero(ev.judged()[ev.index] > 0)
    if not len(judged):
        return np.zeros(0, dtype=np.int64)
    z = _logits(ev, np.asarray(model.weights), judged)
    if k < len(judged):
        z_k = np.partition(z, len(z) - k)[len(z) - k]
        judged = judged[z >= z_k]  # ties at the k-th value all come in
    return judged


def suspects(
    w: Witness, toks: Sequence[Token], threshold: float | None = None, top: int = 0
) -> Iterator[Flag]:
    """A ``suspect-word`` flag for each token whose probability of error is at least
    ``threshold`` (the model's own default if None), and for each of the ``top`` tokens likeliest
    to be wrong whatever their probability (``likeliest``), with that probability as
    confidence."""
    if not toks:
        return
    model = check_model()
    limit = model.threshold if threshold is None else threshold
    ev = evidence(toks, (model.noise_mean, model.noise_strength))
    probs = _apply(ev, model)
    near, share = ev.near, ev.noise
    chosen = probs >= max(limit, 1e-9)
    chosen[likeliest(ev, model, top)] = True
    for i in np.flatnonzero(chosen).tolist():
        t = toks[i]
        form = ev.forms[int(ev.index[i])]
        p = float(probs[i])
        yield Flag(
            witness=w.siglum,
            start=t.start,
            end=t.end,
            text=t.t,
            check="suspect-word",
            cls=VariantClass.MISSPELLING if _known_class(form) else VariantClass.OCR_CONFUSION,
            message=f"{_reason(form)}: probability of error {p:.2f} (this text's share of "
            f"unknown words is {share:.1%})",
            suggestion=_suggestion(form, near),
            confidence=round(p, 3),
        )


def _known_class(form: str) -> bool:
    """A plain alphabetic slip (a misspelling) rather than OCR garbage."""
    c = unicodedata.normalize("NFC", core(form))
    return c.isalpha() and not _INNER_CAP.search(c)
