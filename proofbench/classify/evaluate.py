"""Measuring a collation against an answer key and an OCR witness against its ground truth.

Input: a ``Collation``, an answer key (a JSON list of entries like
``tests/data/letter/answer-key.json``:
``id``, one phrase per reading column such as ``"print"``/``"2005"``/``"2015"``, ``class``,
``correct``), optionally the ground-truth text of an OCR witness; output: an ``Evaluation`` with
precision, recall, class agreement, suggestion accuracy and OCR-error detection figures.

Key columns map to witnesses by an explicit mapping (``{"print": "P45"}``), else by matching the
column name to the year of a witness's date. A variant matches an entry when, in every mapped
witness whose key phrase occurs in its text, the variant's location lies inside the phrase and
touches the words where the key's phrases differ, and the witnesses differ (or agree) there as the
key says. Precision counts the variants a proofreader must look at (the non-OCR witnesses
disagree, or the target is judged wrong) that match some entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein, Opcode

from proofbench.classify.forms import norm
from proofbench.errors import FormatError, MissingFileError
from proofbench.model import Collation, Kind, Token, Variant, VariantClass, Witness

_META = frozenset({"id", "class", "correct", "introduced_by", "fixed_by", "note", "notes"})
OCR_CLASSES = frozenset(
    {
        VariantClass.OCR_CONFUSION,
        VariantClass.PUNCTUATION,
        VariantClass.SPACING,
        VariantClass.HYPHENATION,
    }
)


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One answer-key entry: its phrases by reading column, class and correct column."""

    id: str
    phrases: Mapping[str, str]
    cls: str
    correct: str | None


@dataclass(frozen=True, slots=True)
class EntryResult:
    """How the collation fared on one key entry."""

    id: str
    key_class: str
    variant: str | None
    cls: str | None
    class_ok: bool
    suggestion: str | None
    suggestion_ok: bool | None
    """None where the key names no single correct reading."""


@dataclass(frozen=True, slots=True)
class OcrResult:
    """OCR-error detection against a ground truth: counts of word-error places."""

    siglum: str
    errors: int
    detected: int
    corrected: int
    missed: tuple[str, ...]
    """The errors not detected, as ``ocr -> truth`` strings."""
    miscorrected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The figures of one evaluation."""

    mapping: Mapping[str, str]
    entries: tuple[EntryResult, ...]
    in_scope: int
    matched_variants: int
    ocr: OcrResult | None = None

    @property
    def recall(self) -> float:
        """Entries reported by at least one variant, over all entries."""
        return _ratio(sum(e.variant is not None for e in self.entries), len(self.entries))

    @property
    def precision(self) -> float:
        """In-scope variants matching an entry, over all in-scope variants."""
        return _ratio(self.matched_variants, self.in_scope)

    @property
    def class_agreement(self) -> float:
        """Reported entries whose variant has the key's class, over all entries."""
        return _ratio(sum(e.class_ok for e in self.entries), len(self.entries))

    @property
    def suggestion_accuracy(self) -> float:
        """Entries with a single correct reading whose suggestion is it, over those entries."""
        judged = [e for e in self.entries if e.suggestion_ok is not None]
        return _ratio(sum(bool(e.suggestion_ok) for e in judged), len(judged))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def load_key(path: str | Path) -> tuple[KeyEntry, ...]:
    """The entries of an answer-key JSON file; raises MissingFileError or FormatError."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MissingFileError(f"cannot read the answer key: {exc.strerror}", file=str(p)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"not a JSON answer key: {exc}", file=str(p)) from exc
    if not isinstance(data, list):
        raise FormatError("an answer key is a JSON list of entries", file=str(p))
    out = []
    for n, item in enumerate(data):
        if not isinstance(item, dict) or "id" not in item or "class" not in item:
            raise FormatError(f"entry {n} lacks an id or a class", file=str(p))
        phrases = {k: str(v) for k, v in item.items() if k not in _META and isinstance(v, str)}
        if len(phrases) < 2:
            raise FormatError(f"entry {item['id']} has fewer than two readings", file=str(p))
        correct = item.get("correct")
        out.append(
            KeyEntry(
                id=str(item["id"]),
                phrases=phrases,
                cls=str(item["class"]),
                correct=str(correct) if correct is not None else None,
            )
        )
    return tuple(out)


def map_columns(
    columns: Sequence[str], witnesses: Sequence[Witness], explicit: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Key column -> siglum: the explicit mapping first, else a witness dated that year.

    The print column (``print``) maps to the witness of kind OCR if it is the only one left.
    Raises FormatError for a column that maps to no witness.
    """
    sigla = {w.siglum for w in witnesses}
    out: dict[str, str] = {}
    for col in columns:
        if explicit and col in explicit:
            if explicit[col] not in sigla:
                raise FormatError(f"--map {col}={explicit[col]}: no such witness")
            out[col] = explicit[col]
            continue
        dated = [w.siglum for w in witnesses if re.match(rf"{re.escape(col)}\b", w.date or "")]
        if len(dated) == 1:
            out[col] = dated[0]
    left = [c for c in columns if c not in out]
    unused = [w for w in witnesses if w.siglum not in out.values()]
    if len(left) == 1 and len(unused) == 1:
        out[left[0]] = unused[0].siglum
    missing = [c for c in columns if c not in out]
    if missing:
        raise FormatError(
            f"key column(s) {', '.join(missing)} match no witness date; give --map COLUMN=SIGLUM"
        )
    return out


_DASHLIKE = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2212": "-"})


@lru_cache(maxsize=256)
def comparable(text: str) -> tuple[str, tuple[int, ...]]:
    """A comparison form of ``text`` (quotes straight, dashes as ``-``, spaces collapsed) and,
    for each of its characters, the offset in ``text`` it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        c = norm(ch) if not ch.isspace() else " "
        c = c.translate(_DASHLIKE) if c else " "
        if c == " " and (not out or out[-1] == " "):
            continue
        if c == "-" and out and out[-1] == "-" and text[i - 1] == "-":
            continue
        out.append(c)
        where.append(i)
    return "".join(out), tuple(where)


def _occurrences(w: Witness, phrase: str) -> list[tuple[int, int]]:
    return list(_find(w.text, phrase))


@lru_cache(maxsize=1024)
def _find(text: str, phrase: str) -> tuple[tuple[int, int], ...]:
    hay, where = comparable(text)
    needle = comparable(phrase)[0].strip()
    found = []
    start = hay.find(needle) if needle else -1
    while start != -1:
        end = start + len(needle)
        found.append((where[start], where[end - 1] + 1))
        start = hay.find(needle, start + 1)
    return tuple(found)


def _diff_span(phrase: str, other: str) -> tuple[int, int]:
    """Character span, in ``phrase``'s comparison form, of the words where ``other`` differs.

    A word written twice (``the the``) may be aligned at either copy, so the span takes in a
    run of equal words next to a difference.
    """
    a = comparable(phrase)[0].strip()
    b = comparable(other)[0].strip()
    aw, bw = a.split(" "), b.split(" ")
    starts, pos = [], 0
    for word in aw:
        starts.append(pos)
        pos += len(word) + 1
    starts.append(len(a) + 1)
    lo, hi = len(a), 0
    for op in Levenshtein.opcodes(aw, bw):
        if op.tag == "equal":
            continue
        first, last = op.src_start, op.src_end
        changed = aw[first:last] or bw[op.dest_start : op.dest_end]
        while first > 0 and aw[first - 1] in changed:
            first -= 1
        while last < len(aw) and aw[last] in changed:
            last += 1
        s = starts[first] - (1 if first == last and first else 0)
        e = starts[last] - 1 if last > first else s
        lo, hi = min(lo, max(0, s)), max(hi, max(0, e))
    return (lo, hi) if lo <= hi else (0, len(a))


def _matches(
    v: Variant, entry: KeyEntry, mapping: Mapping[str, str], wit: Mapping[str, Witness]
) -> bool:
    located = 0
    for col, siglum in mapping.items():
        if siglum not in v.locations:
            return False
        phrase = entry.phrases[col]
        occ = _occurrences(wit[siglum], phrase) if phrase else []
        if not occ:
            continue
        loc = v.locations[siglum]
        ok = False
        for start, end in occ:
            if not (start <= loc.start and loc.end <= end):
                continue
            _, where = comparable(wit[siglum].text[start:end])
            for other_col, other in entry.phrases.items():
                if other_col == col or comparable(other)[0] == comparable(phrase)[0]:
                    continue
                lo, hi = _diff_span(phrase, other)
                rel = [
                    where[min(lo, len(where) - 1)],
                    where[min(max(hi - 1, lo), len(where) - 1)] + 1,
                ]
                slack = 1 if loc.start == loc.end else 0  # an absence stands before the space
                if loc.start <= start + rel[1] + slack and loc.end + slack >= start + rel[0]:
                    ok = True
        if not ok:
            return False
        located += 1
    if not located:
        return False
    cols = list(mapping)
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            key_same = comparable(entry.phrases[a])[0] == comparable(entry.phrases[b])[0]
            sa, sb = mapping[a], mapping[b]
            same = norm(v.readings.get(sa, "")) == norm(v.readings.get(sb, ""))
            if not key_same and same:
                return False
            both_text = wit[sa].kind is not Kind.OCR and wit[sb].kind is not Kind.OCR
            if key_same and both_text and not same:
                return False
    return True


def _suggestion_ok(v: Variant, entry: KeyEntry, mapping: Mapping[str, str]) -> bool | None:
    if entry.correct is None or v.suggestion is None:
        return None if entry.correct is None else False
    sug = norm(v.suggestion)
    if entry.correct == "either":
        return any(norm(v.readings[s]) == sug for s in mapping.values())
    if entry.correct not in mapping:
        return None
    right = comparable(entry.phrases[entry.correct])[0]
    holders = [mapping[c] for c, p in entry.phrases.items() if comparable(p)[0] == right]
    return any(norm(v.readings.get(s, "")) == sug for s in holders)


def in_scope(v: Variant, collation: Collation) -> bool:
    """True if a proofreader must look at it: the texts disagree or the target is judged wrong."""
    texts = {norm(r) for s, r in v.readings.items() if collation.witness(s).kind is not Kind.OCR}
    return len(texts) > 1 or collation.target in v.suspect


def evaluate(
    collation: Collation,
    key: Sequence[KeyEntry] | str | Path,
    mapping: Mapping[str, str] | None = None,
    truth: str | Path | None = None,
    ocr: str | None = None,
) -> Evaluation:
    """The figures of ``collation`` against the answer key (and the OCR ground truth if given).

    Raises MissingFileError/FormatError for an unreadable key or truth, or an unmappable column.
    """
    entries = load_key(key) if isinstance(key, str | Path) else tuple(key)
    columns = list(dict.fromkeys(c for e in entries for c in e.phrases))
    cmap = map_columns(columns, collation.witnesses, mapping)
    wit = {w.siglum: w for w in collation.witnesses}
    results = []
    matched: set[str] = set()
    for e in entries:
        emap = {c: s for c, s in cmap.items() if c in e.phrases}
        hits = [v for v in collation.variants if _matches(v, e, emap, wit)]
        matched.update(v.id for v in hits)
        hits.sort(key=lambda v: (v.cls.value != e.cls, e.cls not in v.classes))
        best = hits[0] if hits else None
        results.append(
            EntryResult(
                id=e.id,
                key_class=e.cls,
                variant=best.id if best else None,
                cls=best.cls.value if best else None,
                class_ok=bool(best and best.cls.value == e.cls),
                suggestion=best.suggestion if best else None,
                suggestion_ok=_suggestion_ok(best, e, emap)
                if best
                else (None if e.correct is None else False),
            )
        )
    scope = [v for v in collation.variants if in_scope(v, collation)]
    ocr_result = None
    if truth is not None:
        siglum = ocr or next(
            (w.siglum for w in collation.witnesses if w.kind is Kind.OCR), collation.target
        )
        ocr_result = ocr_detection(collation, siglum, truth)
    return Evaluation(
        mapping=cmap,
        entries=tuple(results),
        in_scope=len(scope),
        matched_variants=sum(v.id in matched for v in scope),
        ocr=ocr_result,
    )


def ocr_detection(collation: Collation, siglum: str, truth: str | Path) -> OcrResult:
    """How many of the OCR witness's word errors (against the truth text) show up as variants of
    an OCR-ish class, and how many of those suggest the true reading."""
    path = Path(truth)
    try:
        truth_words = path.read_text(encoding="utf-8").split()
    except OSError as exc:
        raise MissingFileError(
            f"cannot read the truth text: {exc.strerror}", file=str(path)
        ) from exc
    try:
        w = collation.witness(siglum)
    except KeyError as exc:
        raise FormatError(f"--ocr {siglum}: no such witness") from exc
    toks = w.text_tokens
    ocr_words = [norm(t.reading) for t in toks]
    tw = [norm(x) for x in truth_words]
    variants = [v for v in collation.variants if siglum in v.locations]
    errors = detected = corrected = 0
    missed: list[str] = []
    wrong: list[str] = []
    for op in _error_places(ocr_words, tw):
        errors += 1
        if op.src_start < op.src_end:
            lo, hi = toks[op.src_start].start, toks[op.src_end - 1].end
        else:
            lo = toks[op.src_start - 1].end if op.src_start else 0
            hi = toks[op.src_start].start if op.src_start < len(toks) else len(w.text)
        said = " ".join(ocr_words[op.src_start : op.src_end])
        true = " ".join(tw[op.dest_start : op.dest_end])
        hits = [
            v
            for v in variants
            if v.cls in OCR_CLASSES and _touches(v, siglum, lo, hi, op.src_start == op.src_end)
        ]
        if not hits:
            missed.append(f"{said or '∅'} -> {true or '∅'}")
            continue
        detected += 1
        touching = [v for v in variants if _touches(v, siglum, lo, hi, op.src_start == op.src_end)]
        if _corrects(touching, siglum, toks, tw, op):
            corrected += 1
        else:
            wrong.append(f"{said or '∅'} -> {true or '∅'} (suggested {hits[0].suggestion!r})")
    return OcrResult(
        siglum=siglum,
        errors=errors,
        detected=detected,
        corrected=corrected,
        missed=tuple(missed),
        miscorrected=tuple(wrong),
    )


def _error_places(ocr: Sequence[str], truth: Sequence[str]) -> list[Opcode]:
    """The differing places of two word lists, adjacent edit operations merged into one."""
    out: list[Opcode] = []
    for op in Levenshtein.opcodes(ocr, truth):
        if op.tag == "equal":
            continue
        if out and out[-1].src_end == op.src_start and out[-1].dest_end == op.dest_start:
            prev = out.pop()
            op = Opcode("replace", prev.src_start, op.src_end, prev.dest_start, op.dest_end)
        out.append(op)
    return out


def _touches(v: Variant, siglum: str, lo: int, hi: int, zero: bool) -> bool:
    loc = v.locations[siglum]
    if zero:
        return lo <= loc.start <= hi
    return loc.start < hi and loc.end > lo


def _corrects(
    variants: Sequence[Variant],
    siglum: str,
    toks: Sequence[Token],
    truth: Sequence[str],
    op: Opcode,
) -> bool:
    """True if the suggestions of the variants over an error read as the truth there.

    The region is the error's OCR words widened to the variants touching it; outside the error
    the truth equals the OCR words, so the expected text is the OCR words with the error's
    words replaced by the truth's.
    """
    words = [norm(t.reading) for t in toks]
    covering: dict[int, Variant] = {}
    a, b = op.src_start, op.src_end
    for v in variants:
        loc = v.locations[siglum]
        idx = [i for i, t in enumerate(toks) if t.start < loc.end and t.end > loc.start]
        for i in idx:
            covering[i] = v
        if idx:
            a, b = min(a, idx[0]), max(b, idx[-1] + 1)
    expected = " ".join([*words[a : op.src_start], *truth[op.dest_start : op.dest_end],
                         *words[op.src_end : b]])  # fmt: skip
    out: list[str] = []
    used: set[str] = set()

    def inserts(pos_lo: int, pos_hi: int) -> None:
        for v in variants:
            loc = v.locations[siglum]
            if loc.start == loc.end and pos_lo <= loc.start <= pos_hi and v.id not in used:
                used.add(v.id)
                out.append(v.suggestion or "")

    prev_end = toks[a - 1].end if a > 0 else 0
    for i in range(a, b):
        inserts(prev_end, toks[i].start)
        cover = covering.get(i)
        if cover is None:
            out.append(words[i])
        elif cover.id not in used:
            used.add(cover.id)
            out.append(cover.suggestion or "")
        prev_end = toks[i].end
    inserts(prev_end, toks[b].start if b < len(toks) else prev_end)
    return norm(" ".join(x for x in out if x)) == norm(expected)


def format_report(ev: Evaluation, verbose: bool = False) -> str:
    """The figures as plain text lines (what ``proofbench evaluate`` prints)."""
    n = len(ev.entries)
    found = sum(e.variant is not None for e in ev.entries)
    lines = [
        "mapping: " + ", ".join(f"{c}={s}" for c, s in ev.mapping.items()),
        f"recall: {ev.recall:.1%} ({found}/{n} key entries reported)",
        f"precision: {ev.precision:.1%} ({ev.matched_variants}/{ev.in_scope} variants to review "
        "match a key entry)",
        f"class agreement: {ev.class_agreement:.1%} ({sum(e.class_ok for e in ev.entries)}/{n})",
        f"suggestion accuracy: {ev.suggestion_accuracy:.1%}",
    ]
    if verbose:
        for e in ev.entries:
            mark = "ok" if e.class_ok else "--"
            sug = {True: "right", False: "wrong", None: "n/a"}[e.suggestion_ok]
            lines.append(
                f"  {e.id} {mark} key {e.key_class}, got {e.cls or 'nothing'}; "
                f"suggestion {e.suggestion!r} ({sug})"
            )
    if ev.ocr is not None:
        o = ev.ocr
        lines.append(
            f"OCR errors of {o.siglum} detected: {_ratio(o.detected, o.errors):.1%} "
            f"({o.detected}/{o.errors} error places shown as ocr-confusion, punctuation, "
            "spacing or hyphenation variants)"
        )
        lines.append(
            f"OCR errors correctly suggested: {_ratio(o.corrected, o.detected):.1%} "
            f"({o.corrected}/{o.detected} of those detected)"
        )
        if verbose:
            lines.extend(f"  missed: {m}" for m in o.missed)
            lines.extend(f"  miscorrected: {m}" for m in o.miscorrected)
    return "\n".join(lines) + "\n"
