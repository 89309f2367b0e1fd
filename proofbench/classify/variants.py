"""Variants from an alignment: grouped, classed, weighed, with stable ids and locations.

Input: the manifest, the tokenized witnesses and their ``Alignment``; output: ``(variants, flags)``
where variants are ``Variant`` objects in column order and flags are the single-witness ``Flag``
objects of every witness (the target's first).

Per place (see ``group``): each witness's reading and location (an absent reading gets the
zero-width position where it would stand), the target's context, a suggestion weighed from
genealogy, witness kind, OCR confidence, a confusion model learned from the collation, the
lexicon and the single-witness checks (see ``weigh``), and a class from the taxonomy (see
``classes``), primary for the target's deviation where it deviates, else for the others'.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from proofbench.classify.checks import check_each, with_disputed
from proofbench.classify.classes import classify_pair
from proofbench.classify.confusion import ConfusionModel
from proofbench.classify.context import TextStats
from proofbench.classify.error_rates import ErrorRates, estimate
from proofbench.classify.forms import is_nonword, norm
from proofbench.classify.group import Place, places_read
from proofbench.classify.weigh import (
    Collation as Evidence,
)
from proofbench.classify.weigh import (
    Testimony,
    Verdict,
    ocr_confidence,
    typical_shape,
    weigh,
)
from proofbench.classify.witness_model import confidence_scales
from proofbench.model import (
    Alignment,
    ColumnKind,
    Flag,
    Kind,
    Location,
    Manifest,
    Token,
    Tokens,
    Variant,
    VariantClass,
    Witness,
    token_ends,
    token_starts,
)
from proofbench.parallel import forked_map, start
from proofbench.text.normalize import (
    RuleError,
    changed_forms,
    collation_profile,
    compared_away,
    joins_words,
    user_rules,
    witness_profile,
)

CONTEXT_WORDS = 4
PARALLEL_PLACES = 300
"""With at least this many places to weigh, they are weighed in several processes.

Measured (``benchmarks/parallel_bench.py``, 2 cores, load 5.7; RESULTS.md "Issue 14, fifth
session"): a pool of two forked processes costs about 0.1 s of wall time and 0.05 s of CPU to
start and join, and a place takes about 1 ms to weigh, so two jobs save half of that: even near
260 places (``classify`` 0.56 s forked against 0.58 s), 12 % saved at 477 places, 42 % at 1,946.
300 is the measured break-even with a small margin."""
PARALLEL_WORDS = 15_000
"""With at least this many words in all the witnesses, they are checked in a forked process
while this one finds the places. Measured as ``PARALLEL_PLACES``: at 3 x 2,000 words forking
cost 0.03 s of wall time (0.23 against 0.21 s), at 3 x 5,000 it saved 0.05 s (0.53 against
0.58 s), and more above."""
PLAIN_ERROR_CONFIDENCE = 85.0
"""An OCR word read below this confidence, where the transcriptions agree on another, is taken as
one of the scan's errors when learning its confusions."""


def _target(manifest: Manifest, witnesses: Sequence[Witness]) -> str:
    sigla = [w.siglum for w in witnesses]
    if manifest.target in sigla:
        return manifest.target
    return sigla[-1]


def _text(tokens: Sequence[Token]) -> str:
    return " ".join(t.reading for t in tokens)


def _positions(alignment: Alignment, witnesses: Mapping[str, Witness]) -> dict[str, Sequence[int]]:
    """For each siglum and column, the offset where a reading there would start.

    As arrays of machine integers, held through the weighing: at 3 x 1M words the lists and
    their 270k int objects were 10.6 MiB (``tracemalloc``), the arrays 2.1 MiB."""
    out: dict[str, Sequence[int]] = {}
    for s, w in witnesses.items():
        pos = array("q")
        last_end = 0
        text = w.text_tokens
        first_text = token_starts(text)[0] if text else 0
        ends = token_ends(w.tokens)
        seen_any = False
        for col in alignment.columns:
            pos.append(last_end if seen_any else first_text)
            idx = col.readings.get(s, ())
            if idx:
                last_end = max(last_end, ends[idx[-1]])
                seen_any = True
        out[s] = pos
    return out


class _Context:
    """The target's text tokens, indexed once, for the few words around each variant."""

    def __init__(self, w: Witness) -> None:
        self.tokens = w.text_tokens
        self.starts = token_starts(self.tokens)
        # each reading read from the columns when asked, not a list of the whole text's
        # (held through the weighing: 3.9 MiB of the peak at 3 x 1M words, ``tracemalloc``)
        self.reading = _reader(self.tokens)

    def around(self, tokens: Sequence[Token], at: int) -> tuple[str, str]:
        """The words before and after the tokens (or the position ``at``)."""
        if tokens:
            lo = bisect.bisect_left(self.starts, tokens[0].start)
            hi = bisect.bisect_right(self.starts, tokens[-1].start)
        else:
            lo = hi = bisect.bisect_left(self.starts, at)
        read = self.reading
        before = " ".join([read(i) for i in range(max(0, lo - CONTEXT_WORDS), lo)])
        after = " ".join([read(i) for i in range(hi, min(hi + CONTEXT_WORDS, len(self.starts)))])
        return before, after


def variant_id(readings: Mapping[str, str], context: tuple[str, str], repeat: int = 0) -> str:
    """A stable id: a hash of the sigla, their normalized readings and the context.

    ``repeat`` tells apart the second, third... variant with the same readings and context in
    one collation (a repeated passage), so ids stay unique.
    """
    key = "\x1f".join(
        [
            *(f"{s}\x1e{norm(readings[s])}" for s in sorted(readings)),
            norm(context[0]),
            norm(context[1]),
            *([str(repeat)] if repeat else []),
        ]
    )
    return "v-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def learn_models(
    found: Sequence[Place], witnesses: Mapping[str, Witness]
) -> dict[str, ConfusionModel]:
    """Each OCR witness's confusion model, learned where the other witnesses agree against it.

    Only plain errors teach: the OCR word is unknown to the lexicon (the other reading is known),
    or it was read with low confidence.
    """
    models: dict[str, ConfusionModel] = {}
    for s, w in witnesses.items():
        if w.kind is not Kind.OCR:
            continue
        pairs: list[tuple[str, str]] = []
        for p in found:
            mine = [w.tokens[i] for i in p.tokens.get(s, ())]
            others = {
                norm(_text([witnesses[o].tokens[i] for i in ix]))
                for o, ix in p.tokens.items()
                if o != s and witnesses[o].kind is not Kind.OCR
            }
            if len(others) != 1 or not mine:
                continue
            truth = others.pop()
            ocr = norm(_text(mine))
            if not truth or truth == ocr or len(truth.split()) != len(ocr.split()):
                continue
            conf = ocr_confidence(mine)
            nonword = any(is_nonword(x) for x in ocr.split()) and not any(
                is_nonword(x) for x in truth.split()
            )
            if nonword or (conf is not None and conf < PLAIN_ERROR_CONFIDENCE):
                pairs.append((truth, ocr))
        models[s] = ConfusionModel.learn(pairs)
    return models


_PairClass = tuple[VariantClass, tuple[VariantClass, ...], tuple[str, ...]]
"""``classify_pair``'s answer: the class, secondary classes and notes."""


def _classes(
    verdict_reading: str,
    testimonies: Sequence[Testimony],
    witnesses: Mapping[str, Witness],
    target: str,
    models: Mapping[str, ConfusionModel],
    pairs: dict[tuple[str, str, str | None, bool], _PairClass] | None = None,
) -> tuple[VariantClass, tuple[VariantClass, ...], list[str]]:
    """The primary and secondary classes of a place and the primary's notes. ``pairs`` keeps
    ``classify_pair``'s answer for each pair of readings (with the deviating witness's model
    and kind) across the places of one collation: at 3 x 100k words 4,901 pairs, 3,151
    distinct."""
    deviations: dict[str, list[str]] = {}
    for t in testimonies:
        if t.text != verdict_reading:
            deviations.setdefault(t.text, []).append(t.siglum)
    if not deviations:
        return VariantClass.TYPOGRAPHIC, (), []

    def rank(item: tuple[str, list[str]]) -> tuple[int, int]:
        sigla = item[1]
        ocr_only = all(witnesses[s].kind is Kind.OCR for s in sigla)
        return (0 if target in sigla else 1, 1 if ocr_only else 0)

    ordered = sorted(deviations.items(), key=rank)
    primary: VariantClass | None = None
    secondary: list[VariantClass] = []
    notes: list[str] = []
    for text, sigla in ordered:
        ocr = all(witnesses[s].kind is Kind.OCR for s in sigla)
        key = (verdict_reading, text, sigla[0] if sigla[0] in models else None, ocr)
        got = pairs.get(key) if pairs is not None else None
        if got is None:
            model = models.get(sigla[0], ConfusionModel())
            got = classify_pair(verdict_reading, text, model, dev_is_ocr=ocr)
            if pairs is not None:
                pairs[key] = got
        cls, more, why = got
        if primary is None:
            primary = cls
            notes.extend(why)
        elif cls != primary:
            secondary.append(cls)
        secondary.extend(c for c in more if c != primary)
    assert primary is not None
    return primary, tuple(dict.fromkeys(secondary)), notes


def _editorial(texts: Sequence[str]) -> bool:
    return any("[" in t and "]" in t for t in texts)


def _word_division(manifest: Manifest, wit: Mapping[str, Witness]) -> bool:
    """Whether the manifest's rules (the collation's or a witness's) ignore word division."""
    specs = [w for w in manifest.witnesses if w.siglum in wit]
    try:
        names = [collation_profile(manifest), *(witness_profile(manifest, w) for w in specs)]
    except RuleError:  # the pipeline refuses such a manifest before it gets here
        return False
    return any(joins_words(n) for n in names)


_Tokens = dict[str, tuple[Token, ...]]


@dataclasses.dataclass(frozen=True, slots=True)
class WeighedPlace:
    """One variant place with each witness's tokens, testimonies, locations and verdict."""

    place: Place
    tokens: Mapping[str, tuple[Token, ...]]
    testimonies: tuple[Testimony, ...]
    locations: Mapping[str, Location]
    verdict: Verdict
    models: Mapping[str, ConfusionModel]


def weighed_places(
    alignment: Alignment,
    wit: Mapping[str, Witness],
    flags_by: Mapping[str, Sequence[Flag]] | Callable[[], Mapping[str, Sequence[Flag]]],
    target: str | None = None,
    jobs: int = 1,
) -> Iterator[WeighedPlace]:
    """The places of the alignment where the readings differ (or are transposed), weighed.

    ``flags_by``: each witness's single-witness flags, or a function that gives them (called
    once the collation-wide estimates are made, when weighing needs them). What weighing
    estimates on the whole collation (each OCR's confusions and confidence scale, the text's
    word and neighbour counts) is estimated once, before the first place; the places are then
    weighed in up to ``jobs`` processes (``_weigh_all``).
    """
    found, columns_read = places_read(alignment, list(wit.values()))
    models = learn_models(found, wit)
    positions = _positions(alignment, wit)
    stats = TextStats.of(wit.values())
    # The places' normalized readings first, from the token columns, to keep the places where
    # they differ; each kept place's tokens, locations and testimonies are made only when it
    # is weighed (``_read``), unless the weighing is forked, which needs them all beforehand.
    # At 3 x 1M words every place's tokens and testimonies, held at once, were part of the
    # command's peak memory.
    kept: list[tuple[Place, tuple[str, ...]]] = []
    readers = {s: _reader(w.tokens) for s, w in wit.items()}
    for p in found:
        if len(p.columns) == 1 and p.transposition is None:
            # a column's readings as finding the places read them (the same ``norm`` of the
            # same readings joined): at 3 x 1M words 146k readings not made again
            column = columns_read[p.columns[0]]
            texts = tuple([column[s] for s in wit])
        else:
            texts = tuple(norm(" ".join(map(readers[s], p.tokens.get(s, ())))) for s in wit)
        if len(set(texts)) < 2 and p.transposition is None:
            continue
        kept.append((p, texts))
    del readers, found, columns_read  # the places equal once normalized are let go of at once
    rates = error_rates([dict(zip(wit, texts, strict=True)) for _, texts in kept], wit)
    scales = confidence_scales(alignment, wit)
    evidence = Evidence(
        witnesses=wit,
        models=models,
        scales=scales,
        stats=stats,
        paragraph_ends={s: frozenset(b.end for b in w.blocks) for s, w in wit.items()},
        shape_typical=typical_shape(stats),
        target=target,
        rates=rates,
        # Last: the flags may still be in the making (``classify`` checks meanwhile).
        flags=flags_by() if callable(flags_by) else flags_by,
    )
    kept.reverse()  # each place let go of once handed over (popped from the end)
    if _forks(len(kept), jobs):
        read = [_read(p, texts, wit, positions) for p, texts in reversed(kept)]
        verdicts = iter(_weigh_all([r[2] for r in read], evidence, jobs))
        del kept
        read.reverse()
        while read:
            toks, locations, testimonies, p = read.pop()
            yield WeighedPlace(p, toks, testimonies, locations, next(verdicts), models)
        if next(verdicts, None) is not None:
            raise AssertionError("more verdicts than places")
        return
    while kept:
        p, texts = kept.pop()
        toks, locations, testimonies, _ = _read(p, texts, wit, positions)
        verdict = weigh(testimonies, evidence)
        yield WeighedPlace(p, toks, testimonies, locations, verdict, models)


def _reader(tokens: Sequence[Token]) -> Callable[[int], str]:
    """A token's ``reading`` by its index, read from the columns without making the token."""
    if not isinstance(tokens, Tokens):
        return lambda i: tokens[i].reading
    if not tokens.hyphenations:
        return tokens.ts.__getitem__
    return tokens.reading_at


def _read(
    p: Place,
    texts: Sequence[str],
    wit: Mapping[str, Witness],
    positions: Mapping[str, Sequence[int]],
) -> tuple[_Tokens, dict[str, Location], tuple[Testimony, ...], Place]:
    """A place's tokens, locations (an absent reading's where it would stand) and testimonies
    (``texts``: each witness's normalized reading, in the order of ``wit``)."""
    toks = {s: tuple(wit[s].tokens[i] for i in p.tokens.get(s, ())) for s in wit}
    locations = {
        s: Location(toks[s][0].start, toks[s][-1].end)
        if toks[s]
        else Location(positions[s][p.columns[0]], positions[s][p.columns[0]])
        for s in wit
    }
    testimonies = tuple(
        Testimony(s, text, toks[s], locations[s].start) for s, text in zip(wit, texts, strict=True)
    )
    return toks, locations, testimonies, p


def _forks(places: int, jobs: int) -> bool:
    """Whether ``places`` places are weighed in forked processes (``_weigh_all``)."""
    return jobs >= 2 and places >= PARALLEL_PLACES


def _weigh_batch(
    work: tuple[Sequence[tuple[Testimony, ...]], Evidence], bounds: tuple[int, int]
) -> list[Verdict]:
    testimonies, evidence = work
    return [weigh(t, evidence) for t in testimonies[bounds[0] : bounds[1]]]


def _weigh_all(
    testimonies: Sequence[tuple[Testimony, ...]], evidence: Evidence, jobs: int
) -> Iterable[Verdict]:
    """The verdict at each place, in order: weighed in ``jobs`` processes where there are
    ``PARALLEL_PLACES`` places or more, else here, one at a time as they are read (the same
    verdicts either way: each place is weighed on the same collation-wide evidence)."""
    if not _forks(len(testimonies), jobs):
        return (weigh(t, evidence) for t in testimonies)
    size = -(-len(testimonies) // jobs)  # one batch a process: a place costs about the same
    bounds = [(lo, lo + size) for lo in range(0, len(testimonies), size)]
    return _drained(forked_map(_weigh_batch, (testimonies, evidence), bounds, jobs))


def _drained(batches: list[list[Verdict]]) -> Iterator[Verdict]:
    """The verdicts of the batches in order, each let go of as it is given."""
    batches.reverse()
    while batches:
        batch = batches.pop()
        batch.reverse()
        while batch:
            yield batch.pop()


def _check_workers(wit: Mapping[str, Witness], jobs: int) -> int:
    """How many forked processes check the witnesses beside this one, which meanwhile finds the
    places: none with one job or under ``PARALLEL_WORDS`` words in all, else up to one less
    than the jobs (this process being busy too)."""
    if jobs < 2 or sum(len(w.tokens) for w in wit.values()) < PARALLEL_WORDS:
        return 0
    return jobs - 1


def error_rates(
    readings: Sequence[Mapping[str, str]], wit: Mapping[str, Witness]
) -> ErrorRates | None:
    """Each witness's error rates by kind over the collation's variant places, given each
    place's normalized reading by siglum (None with fewer than two witnesses); a witness's text
    tokens are its word positions."""
    if len(wit) < 2:
        return None
    sources = {
        s: w.derives_from for s, w in wit.items() if w.derives_from and w.derives_from in wit
    }
    positions = sum(len(w.text_tokens) for w in wit.values()) // len(wit)
    return estimate(readings, sources, positions)


def classify(
    manifest: Manifest,
    witnesses: Sequence[Witness],
    alignment: Alignment,
    *,
    typographic: bool = False,
    jobs: int = 1,
) -> tuple[tuple[Variant, ...], tuple[Flag, ...]]:
    """The variants of the alignment and every witness's single-witness flags.

    ``jobs``: how many processes may weigh the variant places (see ``weighed_places``); the
    result is the same however many.

    Variants come in column order. Typographic-only differences (equal after normalization:
    quotes, dashes, ligatures) are reported, classed ``typographic``, only if ``typographic``.
    Flags: the target's first, then the other witnesses', each sorted by offset.
    """
    wit = {w.siglum: w for w in witnesses if w.siglum in alignment.sigla}
    if not wit:
        return (), ()
    target = _target(manifest, [w for w in witnesses if w.siglum in wit])
    # The checks run in a forked process while the places are found and weighing's estimates
    # made (with one job: here, first); weighing waits for them.
    checked = start(check_each, wit, list(wit), _check_workers(wit, jobs))

    def flags_of() -> dict[str, tuple[Flag, ...]]:
        return dict(zip(wit, checked(), strict=True))

    ctx = _Context(wit[target])
    join = _word_division(manifest, wit)
    try:
        asked = user_rules(manifest)
    except RuleError:  # refused by the pipeline before it gets here
        asked = frozenset()
    variants: list[Variant] = []
    models: Mapping[str, ConfusionModel] = {}
    pairs: dict[tuple[str, str, str | None, bool], _PairClass] = {}
    # One object for each equal string and tuple the variants hold, each kind in a table of
    # its own (a class is a ``StrEnum``, equal to its name's string): at 3 x 1M words the
    # variants' 95k evidence sentences are 19.6k distinct, 146k readings 28k, and of 48.6k
    # tuples of suspects or secondary classes a few dozen; held apart they were 12 MiB more
    # of the collation, which is the command's peak memory as weighing ends (``tracemalloc``).
    texts: dict[str, str] = {}
    sentences: dict[tuple[str, ...], tuple[str, ...]] = {}
    sigla: dict[tuple[str, ...], tuple[str, ...]] = {}
    kinds: dict[tuple[VariantClass, ...], tuple[VariantClass, ...]] = {}
    for wp in weighed_places(alignment, wit, flags_of, target, jobs):
        p, toks, testimonies, verdict, locations = (
            wp.place,
            wp.tokens,
            wp.testimonies,
            wp.verdict,
            wp.locations,
        )
        models = wp.models
        # Readings the manifest's rules make one (a footnote mark removed, word division) are
        # no variant; reported as typographic on request, like equal columns' written forms.
        away = p.transposition is None and compared_away(
            [[t.n for t in ts] for ts in toks.values()], join
        )
        if away and not typographic:
            continue
        readings = {s: _shared(texts, _text(toks[s])) for s in wit}
        context = ctx.around(toks[target], locations[target].start)
        chosen = verdict.reading
        evidence = list(verdict.evidence)
        confidence = verdict.confidence
        if _editorial([t.text for t in testimonies]):
            target_text = next(t.text for t in testimonies if t.siglum == target)
            if chosen != target_text and ("[" in target_text or "[" in chosen):
                chosen = target_text
                confidence = 0.5
                evidence.insert(
                    0,
                    "a square-bracketed editorial insertion is the edition's choice, not an "
                    "error: the target's reading is kept",
                )
        cls, secondary, notes = _classes(chosen, testimonies, wit, target, models, pairs)
        if p.transposition is not None and cls is not VariantClass.TRANSPOSITION:
            secondary = (cls, *secondary)
            cls = VariantClass.TRANSPOSITION
        if away:
            cls, secondary = VariantClass.TYPOGRAPHIC, ()
            every = [t for ts in toks.values() for t in ts]
            changed = changed_forms(every, frozenset(r for t in every for r in t.norm))
            evidence.insert(
                0,
                "the readings differ only in what the rules compare away"
                + (f": {changed}" if changed else " (word division)"),
            )
        elif asked:
            changed = changed_forms([t for ts in toks.values() for t in ts], asked)
            if changed:
                evidence.append(f"compared under the manifest's rules: {changed}")
        suggestion = _shared(texts, _suggestion(chosen, testimonies, target))
        suspect = tuple(t.siglum for t in testimonies if t.text != chosen)
        if cls is VariantClass.EDITORIAL:
            suspect = ()  # an edition's insertion or its absence: neither reading is an error
        said = tuple([_shared(texts, e) for e in dict.fromkeys([*notes, *evidence])])
        variants.append(
            Variant(
                id=variant_id(readings, context),
                columns=p.columns,
                cls=cls,
                classes=_shared(kinds, tuple(c for c in secondary if c != cls)),
                readings=readings,
                locations=locations,
                context=context,
                suggestion=suggestion,
                confidence=confidence,
                suspect=_shared(sigla, suspect),
                evidence=_shared(sentences, said),
            )
        )
    if typographic:
        variants.extend(_typographic(alignment, wit, target, ctx))
        variants.sort(key=lambda v: v.columns[0])
    # the target's non-words where no witness reads a dictionary word (after the weighing,
    # which these flags do not feed)
    flags_by = flags_of()
    flags_by[target] = with_disputed(
        wit[target],
        flags_by[target],
        (  # read as they come: a list of them was 6.4 MiB more at the command's peak
            ((v.locations[target].start, v.locations[target].end), v.readings.values())
            for v in variants
            if v.readings.get(target)
        ),
    )
    order = [target, *(s for s in wit if s != target)]
    flags = tuple(f for s in order for f in flags_by[s])
    return _unique_ids(variants), flags


_H = TypeVar("_H", bound=Hashable)


def _shared(table: dict[_H, _H], value: _H) -> _H:
    """The table's object equal to ``value``, which becomes it if the table has none."""
    return table.setdefault(value, value)


def _unique_ids(variants: Sequence[Variant]) -> tuple[Variant, ...]:
    """The variants, a repeated id rehashed with its occurrence number."""
    seen: dict[str, int] = {}
    out = []
    for v in variants:
        n = seen.get(v.id, 0)
        seen[v.id] = n + 1
        if n:
            v = dataclasses.replace(v, id=variant_id(v.readings, v.context, n))
        out.append(v)
    return tuple(out)


def _typographic(
    alignment: Alignment, wit: Mapping[str, Witness], target: str, ctx: _Context
) -> list[Variant]:
    """Variants for equal columns whose written forms differ (quotes, dashes, ligatures)."""
    out: list[Variant] = []
    for ci, col in enumerate(alignment.columns):
        if col.kind is not ColumnKind.EQUAL:
            continue
        toks = {s: tuple(wit[s].tokens[i] for i in col.readings.get(s, ())) for s in wit}
        readings = {s: _text(toks[s]) for s in wit}
        if len(set(readings.values())) < 2 or not all(toks.values()):
            continue
        every = [t for ts in toks.values() for t in ts]
        changed = changed_forms(every, frozenset(r for t in every for r in t.norm))
        context = ctx.around(toks[target], toks[target][0].start)
        out.append(
            Variant(
                id=variant_id(readings, context),
                columns=(ci,),
                cls=VariantClass.TYPOGRAPHIC,
                classes=(),
                readings=readings,
                locations={s: Location(ts[0].start, ts[-1].end) for s, ts in toks.items()},
                context=context,
                suggestion=readings[target],
                confidence=1.0,
                evidence=(
                    "the readings differ only typographically"
                    + (f": {changed}" if changed else ""),
                ),
            )
        )
    return out


def _suggestion(chosen: str, testimonies: Sequence[Testimony], target: str) -> str:
    """The chosen reading as written: the target's own form if it has it, else a witness's."""
    holders = [t for t in testimonies if t.text == chosen]
    holders.sort(key=lambda t: 0 if t.siglum == target else 1)
    return _text(holders[0].tokens) if holders else chosen
