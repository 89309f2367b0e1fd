"""CollateX's own alignment tests, read as data, and how proofbench's alignment compares.

The cases are in ``collatex_cases.json`` (see ``collatex_cases.SOURCE.md`` for where they come
from). Each gives the witnesses with CollateX's own tokenization, and CollateX's expectation in
one of two forms:

- ``table``: per witness, the cells of CollateX's alignment table (normalized tokens joined by a
  space, ``""`` for an empty cell); the tokens of two witnesses in one cell of one column agree
  when the two cells read the same;
- ``aligned``: per witness, its normalized tokens, those CollateX leaves unaligned (matched with
  no other witness) in ``[brackets]``;
- ``transpositions``: only how many transpositions CollateX finds (its
  ``TranspositionGraphTest`` and the Beckett tests assert no more): the same number is
  ``expected``; moves found where CollateX finds others, ``equivalent`` (``black and white``/
  ``white and black`` is one permuted run for proofbench, two for CollateX); none found where
  CollateX finds some, or some where it finds none, ``worse``.

``verdict`` compares proofbench's alignment of the same tokens with that expectation:

- ``expected``: the same agreements (pairs of tokens of two witnesses aligned and reading the
  same) and, for a table, the same pairing of the differing readings;
- ``better``: every agreement CollateX keeps is kept, and more (a transposition CollateX's table
  cannot show as an agreement, for one);
- ``equivalent``: as many agreements (or aligned tokens), not the same ones, or the same
  agreements with the differing readings paired otherwise;
- ``worse``: fewer.

Run ``.venv/bin/python benchmarks/collatex_suite.py --proofbench-only -v`` for the totals and
every case that is not expected (``python -m tests.align.collatex_suite`` does too, where no
installed package shadows ``tests``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proofbench.align import align
from proofbench.model import Alignment, Token, Witness

CASES = Path(__file__).with_name("collatex_cases.json")
VERDICTS = ("expected", "better", "equivalent", "worse")

# CollateX Java's default tokenizer (SimplePatternTokenizer.BY_WS_OR_PUNCT): a run of the
# punctuation .?!,;: or a run of anything else but whitespace, each with its trailing
# whitespace; normalized by lower-casing and trimming (SimpleTokenNormalizers.LC_TRIM_WS).
_JAVA = re.compile(r"[.?!,;:]+\s*|[^.?!,;:\s]+\s*")
# CollateX Python's (WordPunctuationTokenizer): a word with its trailing whitespace, or a run
# of other characters; normalized by removing trailing whitespace.
_PYTHON = re.compile(r"\w+\s*|\W+")

Pair = tuple[str, int, str, int]


@dataclass(frozen=True, slots=True)
class Case:
    """One CollateX test case as data."""

    name: str
    source: str
    tokenizer: str
    witnesses: Mapping[str, Any]
    table: Mapping[str, Sequence[str]] | None
    aligned: Mapping[str, str] | None
    verdict: str
    reason: str
    transpositions: int | None = None


def load_cases(path: Path = CASES) -> list[Case]:
    """The cases of the data file, in its order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            name=f"{Path(c['source']).stem}.{c['test']}",
            source=c["source"],
            tokenizer=c["tokenizer"],
            witnesses=c["witnesses"],
            table=c.get("table"),
            aligned=c.get("aligned"),
            verdict=c.get("verdict", ""),
            reason=c.get("reason", ""),
            transpositions=c.get("transpositions"),
        )
        for c in data["cases"]
    ]


def tokens_of(tokenizer: str, given: Any) -> list[tuple[str, str]]:
    """CollateX's tokens ``(t, n)`` of a witness: a string tokenized, or a list as given."""
    if tokenizer == "tokens":
        return [(str(t), str(n)) for t, n in given]
    if tokenizer == "java":
        return [(t, t.strip().lower()) for t in _JAVA.findall(given)]
    if tokenizer == "python":
        return [(t, t.rstrip()) for t in _PYTHON.findall(given)]
    raise ValueError(f"unknown tokenizer {tokenizer!r}")


def witness_of(siglum: str, tokens: Sequence[tuple[str, str]]) -> Witness:
    """A witness holding exactly those tokens (``t`` without its trailing whitespace)."""
    text: list[str] = []
    made: list[Token] = []
    at = 0
    for t, n in tokens:
        word = t.rstrip() or t
        if text and not text[-1][-1:].isspace():
            text.append(" ")
            at += 1
        made.append(Token(word, n, at, at + len(word), len(made)))
        text.append(t)
        at += len(t)
    return Witness(
        siglum=siglum,
        text="".join(text),
        files=(f"<{siglum}>",),
        format="collatex",
        tokens=tuple(made),
    )


def witnesses_of(case: Case) -> list[Witness]:
    """The case's witnesses, with CollateX's tokens."""
    return [witness_of(s, tokens_of(case.tokenizer, w)) for s, w in case.witnesses.items()]


def _pairs(
    columns: Iterable[Mapping[str, Sequence[int]]], forms: Mapping[str, Sequence[str]]
) -> tuple[set[Pair], set[Pair]]:
    """Agreements (equal readings, token by token) and variant pairings of the columns."""
    agree: set[Pair] = set()
    differ: set[Pair] = set()
    for column in columns:
        sigla = [s for s in forms if column.get(s)]
        for i, x in enumerate(sigla):
            rx = [forms[x][k] for k in column[x]]
            for y in sigla[i + 1 :]:
                ry = [forms[y][k] for k in column[y]]
                if rx == ry:
                    agree.update((x, a, y, b) for a, b in zip(column[x], column[y], strict=True))
                else:
                    differ.update((x, a, y, b) for a in column[x] for b in column[y])
    return agree, differ


def _table_columns(case: Case, forms: Mapping[str, Sequence[str]]) -> list[dict[str, list[int]]]:
    assert case.table is not None
    width = {len(cells) for cells in case.table.values()}
    assert len(width) == 1, f"{case.name}: rows of different lengths"
    columns: list[dict[str, list[int]]] = [{} for _ in range(width.pop())]
    for s, cells in case.table.items():
        at = 0
        for c, cell in enumerate(cells):
            words = cell.split()
            assert forms[s][at : at + len(words)] == words, f"{case.name}: {s} cell {c}"
            columns[c][s] = list(range(at, at + len(words)))
            at += len(words)
        assert at == len(forms[s]), f"{case.name}: {s}'s table misses tokens"
    return columns


def _expected_flags(case: Case, forms: Mapping[str, Sequence[str]]) -> dict[str, list[bool]]:
    assert case.aligned is not None
    flags: dict[str, list[bool]] = {}
    for s, chain in case.aligned.items():
        words: list[str] = []
        marks: list[bool] = []
        for group in re.finditer(r"\[([^\]]*)\]|([^\s\[\]]+)", chain):
            inside = group.group(1)
            parts = inside.split() if inside is not None else [group.group(2)]
            words.extend(parts)
            marks.extend([inside is None] * len(parts))
        assert words == list(forms[s]), f"{case.name}: {s}'s chain is not its tokens"
        flags[s] = marks
    return flags


def public_columns(alignment: Alignment) -> list[Mapping[str, Sequence[int]]]:
    """The alignment's columns as readings (token indices; all tokens here are text)."""
    return [c.readings for c in alignment.columns]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one case came out."""

    verdict: str
    detail: str


def judge(case: Case, alignment: Alignment, witnesses: Sequence[Witness]) -> Outcome:
    """Compare proofbench's alignment of a case with CollateX's expectation (module doc)."""
    if case.transpositions is not None:
        ours, theirs = len(alignment.transpositions), case.transpositions
        if ours == theirs:
            verdict = "expected"
        elif ours and theirs:
            verdict = "equivalent"
        else:
            verdict = "worse"
        return Outcome(verdict, f"transpositions {ours} (CollateX {theirs})")
    forms = {w.siglum: [t.n for t in w.tokens] for w in witnesses}
    agree, differ = _pairs(public_columns(alignment), forms)
    if case.table is not None:
        want_agree, want_differ = _pairs(_table_columns(case, forms), forms)
        lost, gained = want_agree - agree, agree - want_agree
        if not lost and not gained:
            verdict = "expected" if differ == want_differ else "equivalent"
        elif not lost:
            verdict = "better"
        else:
            verdict = "equivalent" if len(agree) >= len(want_agree) else "worse"
        detail = f"agreements {len(agree)} (CollateX {len(want_agree)})"
        if lost:
            detail += "; lost " + _show(lost, forms)
        if gained:
            detail += "; gained " + _show(gained, forms)
        return Outcome(verdict, detail)
    want = _expected_flags(case, forms)
    have = {s: [False] * len(forms[s]) for s in forms}
    for x, a, y, b in agree:
        have[x][a] = have[y][b] = True
    ours = sum(map(sum, have.values()))
    theirs = sum(map(sum, want.values()))
    missing = [(s, k) for s in want for k, m in enumerate(want[s]) if m and not have[s][k]]
    if have == want:
        verdict = "expected"
    elif not missing:
        verdict = "better"
    else:
        verdict = "equivalent" if ours >= theirs else "worse"
    detail = f"aligned tokens {ours} (CollateX {theirs})"
    if missing:
        detail += "; unaligned " + ", ".join(f"{s}:{forms[s][k]}" for s, k in missing)
    return Outcome(verdict, detail)


def _show(pairs: set[Pair], forms: Mapping[str, Sequence[str]]) -> str:
    return ", ".join(f"{x}{a}/{y}{b} {forms[x][a]}" for x, a, y, b in sorted(pairs))


def run(case: Case) -> Outcome:
    """Align the case with proofbench and judge the result."""
    witnesses = witnesses_of(case)
    return judge(case, align(witnesses), witnesses)


def main() -> None:
    """Print each case's verdict that differs from ``expected``, then the totals."""
    totals = dict.fromkeys(VERDICTS, 0)
    for case in load_cases():
        outcome = run(case)
        totals[outcome.verdict] += 1
        if outcome.verdict != "expected":
            print(f"{outcome.verdict:10} {case.name}: {outcome.detail}")
    print(" ".join(f"{k} {v}" for k, v in totals.items()), f"of {sum(totals.values())}")


if __name__ == "__main__":
    main()
