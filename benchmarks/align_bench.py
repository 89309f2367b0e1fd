"""Benchmark of the alignment engine: speed, memory and accuracy on generated witness sets.

Usage (from the repository root)::

    .venv/bin/python benchmarks/align_bench.py                 # 1k, 10k, 100k, 1M words
    .venv/bin/python benchmarks/align_bench.py --sizes 1000 10000
    .venv/bin/python benchmarks/align_bench.py --collatex      # also CollateX at 2k words
    .venv/bin/python benchmarks/align_bench.py --write         # append to benchmarks/RESULTS.md
    .venv/bin/python benchmarks/align_bench.py --anchor-cost 1000000  # pair.COUNTED_IN_C

Witness sets: three witnesses of N words from real public-domain books in ../shared/corpora
(A Tale of Two Cities, then War and Peace, Moby-Dick and Frankenstein for longer texts): the
base text itself (an edition), an OCR-like copy and a transcription-like copy, made with the
seeded error model of ``witness_model.py``, which records the true counterpart of every word.
Each size runs in a fresh subprocess so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from bisect import bisect_right
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT / ".." / "shared" / "corpora"
SOURCES = [
    "a-tale-of-two-cities/pg98-a-tale-of-two-cities.txt",
    "gutenberg-revisions/war-and-peace-pg2600/2600-0.txt",
    "gutenberg-revisions/moby-dick-pg2701/2701-0.txt",
    "gutenberg-revisions/frankenstein-pg84/84-0.txt",
]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def base_words(n: int) -> list[str]:
    """The first ``n`` words of the books, Project Gutenberg header and licence cut off."""
    words: list[str] = []
    while len(words) < n:
        before = len(words)
        for name in SOURCES:
            text = (CORPORA / name).read_text(encoding="utf-8-sig")
            start = re.search(r"\*\*\* ?START OF .*?\*\*\*", text)
            end = re.search(r"\*\*\* ?END OF .*?\*\*\*", text)
            body = text[start.end() if start else 0 : end.start() if end else len(text)]
            words.extend(body.split())
            if len(words) >= n:
                break
        if len(words) == before:
            raise SystemExit("no words in the corpora")
    return words[:n]


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    """Current resident memory of this process, MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def token_origins(witness: Any, starts: list[int], origin: list[int | None]) -> list[int | None]:
    """For each token of the witness, the base index of the generated word it starts in."""
    out: list[int | None] = []
    for token in witness.tokens:
        k = bisect_right(starts, token.start) - 1
        out.append(origin[k] if k >= 0 else None)
    return out


def coordinates(alignment: Any, siglum: str) -> dict[int, tuple[int, int]]:
    """Each token's place: (column, offset in an equal segment or -1), at its real place."""
    from proofbench.align.views import real_places
    from proofbench.model import ColumnKind

    places = real_places(alignment)
    out: dict[int, tuple[int, int]] = {}
    for c, column in enumerate(alignment.columns):
        reading = column.readings.get(siglum, ())
        if c in places:
            place, second = places[c]
            if (siglum in second) != (place == 1):
                continue
            # the two places of a move are one place for accuracy: key by the first column
        equal = column.kind is ColumnKind.EQUAL
        for k, i in enumerate(reading):
            out[i] = (c, k if equal else -1)
    return out


def accuracy(alignment: Any, witnesses: list[Any], origins: list[list[int | None]]) -> float:
    """Share of tokens with a true counterpart in another witness that stand in its column.

    A repeated word (``the the``) has two equally true alignments: either copy may be the added
    one. The token counts as aligned if its added twin beside it stands with the counterpart,
    or if it stands with the counterpart's added twin (from 2026-12-01 13:20; before, only the
    first, so that an added word placed before its equal neighbour counted as misaligned in
    the witness without it).
    """
    # Map a transposed column to its twin at the other place, so both count as one place.
    twin: dict[int, int] = {}
    for tr in alignment.transpositions:
        for a, b in zip(tr.columns[0], tr.columns[1], strict=False):
            twin[b] = a
    coords = []
    for w in witnesses:
        raw = coordinates(alignment, w.siglum)
        coords.append({i: (twin.get(c, c), k) for i, (c, k) in raw.items()})
    good = total = 0
    for x in range(len(witnesses)):
        for y in range(len(witnesses)):
            if x == y:
                continue
            # A generated word may be several tokens (``way--the``: an unspaced dash ends a
            # word): its r-th token's counterpart is the r-th token of the same word.
            where: dict[tuple[int, int], int] = {}
            rank: dict[int, int] = {}
            for t, o in zip(witnesses[y].tokens, origins[y], strict=True):
                if o is not None:
                    r = rank[o] = rank.get(o, -1) + 1
                    where[(o, r)] = t.index
            tokens = witnesses[x].tokens
            rank = {}
            for t, o in zip(tokens, origins[x], strict=True):
                if o is None:
                    continue
                r = rank[o] = rank.get(o, -1) + 1
                if (o, r) not in where:
                    continue
                total += 1
                there = coords[y].get(where[(o, r)])
                if coords[x].get(t.index) == there:
                    good += 1
                    continue
                here = coords[x].get(t.index)
                other = witnesses[y].tokens
                j = where[(o, r)]
                if any(
                    0 <= k < len(tokens)
                    and origins[x][k] is None
                    and tokens[k].n == t.n
                    and coords[x].get(k) == there
                    for k in (t.index - 1, t.index + 1)
                ) or any(
                    # the same from the other side: the counterpart's added twin is aligned
                    0 <= k < len(other)
                    and origins[y][k] is None
                    and other[k].n == t.n
                    and coords[y].get(k) == here
                    for k in (j - 1, j + 1)
                ):
                    good += 1
    return good / total if total else 1.0


def own_variants(
    alignment: Any, witnesses: list[Any], origins: list[list[int | None]]
) -> tuple[int, int]:
    """How many generated errors come out as variants of their own: (own, total).

    An error is a run of a copy's tokens that misread their base words or were added, or a run
    of the edition's tokens the copy omits. It comes out as its own variant when it stands in a
    variant place (``classify.group.places``, what a reviewer is given) that holds no other
    error of that copy. Errors inside a moved block (tokens in transposition columns) are left
    out: the block's own readings show them, and ``moves_found`` measures the moves.
    """
    from proofbench.classify.group import places

    found = places(alignment, witnesses)
    place_of: dict[tuple[str, int], int] = {}
    for k, p in enumerate(found):
        for siglum, tokens in p.tokens.items():
            for i in tokens:
                place_of.setdefault((siglum, i), k)
    in_move: set[tuple[str, int]] = set()
    for column in alignment.columns:
        if column.transposition is not None:
            for siglum, tokens in column.readings.items():
                in_move.update((siglum, i) for i in tokens)
    edition = witnesses[0]
    ed_at: dict[int, list[int]] = {}
    for t, o in zip(edition.tokens, origins[0], strict=True):
        if o is not None:
            ed_at.setdefault(o, []).append(t.index)
    own = total = 0
    for w, origin in zip(witnesses[1:], origins[1:], strict=True):
        at: dict[int, list[int]] = {}
        wrong: list[tuple[str, int]] = []
        for t, o in zip(w.tokens, origin, strict=True):
            if o is None:
                wrong.append((w.siglum, t.index))
            else:
                at.setdefault(o, []).append(t.index)
        for o, mine in at.items():
            theirs = ed_at.get(o, [])
            if len(mine) != len(theirs):
                wrong.extend((w.siglum, i) for i in mine)
            else:  # a word split at a dash: only its tokens that differ are wrong
                wrong.extend(
                    (w.siglum, i)
                    for i, j in zip(mine, theirs, strict=True)
                    if w.tokens[i].n != edition.tokens[j].n
                )
        # An added repeat (``of of``): either copy may be the added one.
        for k, (siglum, i) in enumerate(wrong):
            if (siglum, i) not in place_of:
                for twin in (i - 1, i + 1):
                    near = 0 <= twin < len(w.tokens) and w.tokens[twin].n == w.tokens[i].n
                    if near and (siglum, twin) in place_of:
                        wrong[k] = (siglum, twin)
                        break
        lost = [(edition.siglum, i) for o, ts in ed_at.items() if o not in at for i in ts]
        runs: list[list[tuple[str, int]]] = []
        for item in sorted(set(wrong)) + sorted(lost):
            if runs and runs[-1][-1][0] == item[0] and runs[-1][-1][1] + 1 == item[1]:
                runs[-1].append(item)
            else:
                runs.append([item])
        runs = [r for r in runs if not any(x in in_move for x in r)]
        holders = [{place_of.get(x, -1) for x in r} for r in runs]
        shared: dict[int, int] = {}
        for held in holders:
            for k in held - {-1}:
                shared[k] = shared.get(k, 0) + 1
        for held in holders:
            total += 1
            if -1 not in held and all(shared[k] == 1 for k in held):
                own += 1
    return own, total


def moves_found(
    alignment: Any, witness: Any, origin: list[int | None], gen: Any
) -> tuple[int, int]:
    """How many of the generated moves stand in transposition columns: (found, total)."""
    moved: set[int] = set()
    for column in alignment.columns:
        if column.transposition is not None:
            moved.update(column.readings.get(witness.siglum, ()))
    by_origin: dict[int, int] = {}
    for t, o in zip(witness.tokens, origin, strict=True):
        if o is not None:
            by_origin.setdefault(o, t.index)
    found = 0
    for block, after in gen.moves:
        for part in (block, after):
            present = [by_origin[b] for b in part if b in by_origin]
            if present and sum(i in moved for i in present) * 2 >= len(present):
                found += 1
                break
    return found, len(gen.moves)


def run_one(n: int) -> dict[str, Any]:
    """Generate, tokenize, align and score one witness set of ``n`` words (in this process)."""
    from witness_model import OCR, TRANSCRIPTION, Generated, generate

    from proofbench.align import align
    from proofbench.pipeline import witness_from_text

    base = base_words(n)
    gens = [
        Generated(words=list(base), origin=list(range(len(base)))),
        generate(base, OCR, seed=1),
        generate(base, TRANSCRIPTION, seed=2),
    ]
    made = [g.text() for g in gens]
    t0 = time.perf_counter()
    witnesses = [
        witness_from_text(s, text) for s, (text, _) in zip(("ED", "OCR", "TR"), made, strict=True)
    ]
    t_tok = time.perf_counter() - t0
    origins = [
        token_origins(w, starts, g.origin)
        for w, (_, starts), g in zip(witnesses, made, gens, strict=True)
    ]
    rss_before = rss_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    alignment = align(witnesses)
    t_cpu = time.process_time() - c0
    t_align = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    acc = accuracy(alignment, witnesses, origins)
    found = total = 0
    for w, o, g in zip(witnesses[1:], origins[1:], gens[1:], strict=True):
        f, t = moves_found(alignment, w, o, g)
        found += f
        total += t
    own, errors = own_variants(alignment, witnesses, origins)
    return {
        "words": n,
        "tokens": [len(w.tokens) for w in witnesses],
        "tokenize_s": round(t_tok, 3),
        "align_s": round(t_align, 3),
        "rss_before_align_mb": round(rss_before),
        "peak_rss_mb": round(peak),
        "accuracy": acc,
        "moves_found": found,
        "moves_total": total,
        "errors_own": own,
        "errors_total": errors,
        "align_cpu_s": round(t_cpu, 3),
        "columns": len(alignment.columns),
        "transpositions": len(alignment.transpositions),
    }


REAL_SETS = {
    "Frankenstein frank10 / frank10a / frank15": [
        ("F10", "gutenberg-revisions/frankenstein-pg84/frank10.txt", "latin-1"),
        ("F10a", "gutenberg-revisions/frankenstein-pg84/frank10a.txt", "latin-1"),
        ("F15", "gutenberg-revisions/frankenstein-pg84/frank15.txt", "latin-1"),
    ],
    "War and Peace wrnpc11 / wrnpc12 / 2600-0": [
        ("W11", "gutenberg-revisions/war-and-peace-pg2600/wrnpc11.txt", "latin-1"),
        ("W12", "gutenberg-revisions/war-and-peace-pg2600/wrnpc12.txt", "latin-1"),
        ("W26", "gutenberg-revisions/war-and-peace-pg2600/2600-0.txt", "utf-8-sig"),
    ],
}


def run_real() -> list[dict[str, Any]]:
    """Align the real release histories of two books (no ground truth: time and counts)."""
    from proofbench.align import align
    from proofbench.pipeline import witness_from_text

    rows = []
    for name, files in REAL_SETS.items():
        witnesses = [
            witness_from_text(s, (CORPORA / f).read_text(encoding=enc)) for s, f, enc in files
        ]
        t0 = time.perf_counter()
        alignment = align(witnesses)
        rows.append(
            {
                "set": name,
                "tokens": [len(w.tokens) for w in witnesses],
                "align_s": time.perf_counter() - t0,
                "variants": sum(c.kind.value == "variant" for c in alignment.columns),
                "transpositions": len(alignment.transpositions),
            }
        )
    return rows


def write_set(n: int, folder: Path) -> Path:
    """The witness set of ``n`` words as three text files and a manifest; returns the manifest."""
    from witness_model import OCR, TRANSCRIPTION, generate

    base = base_words(n)
    texts = {
        "ED": " ".join(base),
        "OCR": generate(base, OCR, seed=1).text()[0],
        "TR": generate(base, TRANSCRIPTION, seed=2).text()[0],
    }
    lines = ["[collation]", f'title = "benchmark {n} words"', ""]
    for siglum, text in texts.items():
        (folder / f"{siglum}.txt").write_text(text, encoding="utf-8")
        lines += ["[[witness]]", f'siglum = "{siglum}"', f'file = "{siglum}.txt"', ""]
    manifest = folder / "bench.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return manifest


COLLATEX = """
import json, sys, time, resource
from collatex import Collation, collate
texts = json.load(open(sys.argv[1]))
c = Collation()
for siglum, text in texts.items():
    c.add_plain_witness(siglum, text)
t0 = time.perf_counter()
collate(c, output="json")
print(json.dumps({"s": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_collatex(n: int, timeout: float) -> dict[str, Any]:
    """CollateX (Python) against the whole ``proofbench collate`` command on one set."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = write_set(n, folder)
        texts = {s: (folder / f"{s}.txt").read_text(encoding="utf-8") for s in ("ED", "OCR", "TR")}
        (folder / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        exe = ROOT / ".venv" / "bin" / "proofbench"
        result: dict[str, Any] = {"words": n}
        if exe.exists():
            t0 = time.perf_counter()
            cpu0 = children_cpu()
            proc = subprocess.run(
                [
                    str(exe),
                    "collate",
                    str(manifest),
                    "--format",
                    "json",
                    "-o",
                    str(folder / "o.json"),
                ],
                capture_output=True,
                text=True,
            )
            result["proofbench_s"] = time.perf_counter() - t0
            result["proofbench_cpu_s"] = children_cpu() - cpu0
            result["proofbench_how"] = "proofbench collate --format json (whole command)"
            if proc.returncode != 0:
                result["proofbench_error"] = proc.stderr.strip().splitlines()[-1:]
        from proofbench.align import align
        from proofbench.pipeline import witness_from_text

        t0 = time.perf_counter()
        witnesses = [witness_from_text(s, t) for s, t in texts.items()]
        t1 = time.perf_counter()
        align(witnesses)
        result["library_tokenize_s"] = t1 - t0
        result["library_align_s"] = time.perf_counter() - t1
        if "proofbench_s" not in result or "proofbench_error" in result:
            result["proofbench_s"] = time.perf_counter() - t0
            result["proofbench_how"] = "library: tokenize + align (collate command unavailable)"
        script = folder / "cx.py"
        script.write_text(COLLATEX, encoding="utf-8")
        try:
            cpu0 = children_cpu()
            proc = subprocess.run(
                [sys.executable, str(script), str(folder / "texts.json")],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            if proc.returncode == 0:
                cx = json.loads(proc.stdout.strip().splitlines()[-1])
                result["collatex_s"] = cx["s"]
                result["collatex_peak_mb"] = cx["peak_mb"]
                result["collatex_process_cpu_s"] = children_cpu() - cpu0
                result["ratio"] = cx["s"] / result["proofbench_s"]
                result["align_ratio"] = cx["s"] / result["library_align_s"]
                if "proofbench_cpu_s" in result:
                    result["cpu_ratio"] = (
                        result["collatex_process_cpu_s"] / result["proofbench_cpu_s"]
                    )
            else:
                result["collatex_error"] = proc.stderr.strip().splitlines()[-1:]
        except subprocess.TimeoutExpired:
            result["collatex_error"] = f"did not finish in {timeout:.0f} s"
        return result


def anchor_cost(n: int) -> list[tuple[int, int, float, float]]:
    """CPU of ``pair._anchors``' two ways of finding its candidate pairs, by region size.

    The regions are those ``align()`` itself asks anchors of on the generated set of ``n``
    words (recorded in one run); each is timed with ``pair.COUNTED_IN_C`` set so that every
    region takes the Python loops, then numpy, with the chain the two share
    (``pair._chained``) left out. The crossover is where ``COUNTED_IN_C`` belongs (its
    docstring). Returns (least size of the bin, regions in it, microseconds a region in Python,
    in numpy); sizes count both sides, bins are powers of two.
    """
    from witness_model import OCR, TRANSCRIPTION, Generated, generate

    from proofbench.align import align, pair
    from proofbench.pipeline import witness_from_text

    base = base_words(n)
    gens = [
        Generated(words=list(base), origin=list(range(len(base)))),
        generate(base, OCR, seed=1),
        generate(base, TRANSCRIPTION, seed=2),
    ]
    witnesses = [
        witness_from_text(s, g.text()[0]) for s, g in zip(("ED", "OCR", "TR"), gens, strict=True)
    ]
    regions: list[tuple[list[int], list[int], int, int, int, int]] = []
    anchors = pair._anchors

    def record(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> list[int]:
        regions.append((a, b, alo, ahi, blo, bhi))
        return anchors(a, b, alo, ahi, blo, bhi)

    saved, chained = pair.COUNTED_IN_C, pair._chained
    pair._anchors = record  # type: ignore[assignment]
    try:
        align(witnesses)
    finally:
        pair._anchors = anchors  # type: ignore[assignment]
    bins: dict[int, list[tuple[list[int], list[int], int, int, int, int]]] = {}
    for r in regions:
        bins.setdefault(1 << ((r[3] - r[2] + r[5] - r[4]).bit_length() - 1), []).append(r)
    rows = []
    pair._chained = lambda *args: []  # type: ignore[assignment]
    try:
        for size, found in sorted(bins.items()):
            cost = []
            for threshold in (1 << 62, 0):  # every region in Python, then every one in numpy
                pair.COUNTED_IN_C = threshold
                t0 = time.process_time()
                for r in found:
                    anchors(*r)
                cost.append(1e6 * (time.process_time() - t0) / len(found))
            rows.append((size, len(found), cost[0], cost[1]))
    finally:
        pair.COUNTED_IN_C, pair._chained = saved, chained
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--collatex", action="store_true", help="also run CollateX at 2k words")
    parser.add_argument("--collatex-words", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--write", action="store_true", help="add the table to RESULTS.md")
    parser.add_argument("--real", action="store_true", help="also align real release histories")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--anchor-cost",
        type=int,
        metavar="WORDS",
        help="time _anchors' two ways on a set of WORDS words, by region size",
    )
    args = parser.parse_args()
    if args.anchor_cost:
        print(f"load average {os.getloadavg()[0]:.2f}")
        for size, count, python, vector in anchor_cost(args.anchor_cost):
            print(
                f"  regions of {size:>7}+ elements ({count:>5}): Python {python:9.0f} us,"
                f" numpy {vector:9.0f} us"
            )
        return
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    if args.real:
        for row in run_real():
            print(
                f"{row['set']}: tokens {row['tokens']}, align {row['align_s']:.2f} s, "
                f"{row['variants']} variant columns, {row['transpositions']} transpositions",
                flush=True,
            )
    if not CORPORA.exists():
        raise SystemExit(f"corpora not found at {CORPORA}")
    rows = []
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(f"size {n} failed")
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{n:>9} words: tokenize {row['tokenize_s']:7.2f} s  align {row['align_s']:7.2f} s  "
            f"peak RSS {row['peak_rss_mb']:6d} MB (before align {row['rss_before_align_mb']} MB)  "
            f"accuracy {100 * row['accuracy']:.3f}%  transpositions found "
            f"{row['moves_found']}/{row['moves_total']}  align CPU {row['align_cpu_s']:.2f} s  "
            f"errors as own variants {row['errors_own']}/{row['errors_total']}",
            flush=True,
        )
    cx = None
    if args.collatex:
        if shutil.which(sys.executable) is None:
            raise SystemExit("no python")
        cx = run_collatex(args.collatex_words, args.timeout)
        print(json.dumps(cx, indent=1))
    if args.write:
        write_results(rows, cx)


MARKER = "<!-- align_bench.py --write inserts new results above this line -->"


def write_results(rows: list[dict[str, Any]], cx: dict[str, Any] | None) -> None:
    """Add a dated table to RESULTS.md, at the end of the align section."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = [
        f"\n## {now}\n",
        f"Machine: {os.cpu_count()} cores ({cpu or platform.processor()}), "
        f"Python {platform.python_version()}. Three witnesses (edition, OCR-like, "
        "transcription-like) per size; times are one run.\n",
        "| words/witness | tokenize (3) s | align s | align CPU s | peak RSS MB "
        "| RSS before align MB | tokens aligned to true counterpart | transpositions found "
        "| errors as variants of their own |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        pct = 100 * r["moves_found"] / r["moves_total"] if r["moves_total"] else 100.0
        own = 100 * r["errors_own"] / r["errors_total"] if r["errors_total"] else 100.0
        out.append(
            f"| {r['words']:,} | {r['tokenize_s']:.2f} | {r['align_s']:.2f} "
            f"| {r['align_cpu_s']:.2f} | {r['peak_rss_mb']} "
            f"| {r['rss_before_align_mb']} | {100 * r['accuracy']:.3f}% "
            f"| {r['moves_found']}/{r['moves_total']} ({pct:.0f}%) "
            f"| {r['errors_own']}/{r['errors_total']} ({own:.2f}%) |"
        )
    if cx:
        out.append("")
        out.append(
            f"CollateX (Python {cx.get('words')} words, 3 witnesses): "
            + (
                f"{cx['collatex_s']:.1f} s wall for collate() alone "
                f"({cx['collatex_process_cpu_s']:.1f} s CPU for its whole process), "
                f"peak {cx['collatex_peak_mb']:.0f} MB; proofbench "
                f"{cx['proofbench_s']:.2f} s wall, {cx.get('proofbench_cpu_s', 0):.2f} s CPU "
                f"({cx['proofbench_how']}); ratio {cx['ratio']:.0f}x wall, "
                f"{cx.get('cpu_ratio', 0):.0f}x CPU. The library's tokenize + align alone: "
                f"{cx['library_tokenize_s']:.3f} + {cx['library_align_s']:.3f} s "
                f"(align {cx['align_ratio']:.0f}x faster than CollateX's collate())."
                if "ratio" in cx
                else f"{cx.get('collatex_error')}; proofbench {cx['proofbench_s']:.2f} s."
            )
        )
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = "\n".join(out) + "\n"
    if MARKER in text:  # the align section ends at the marker; other sections follow it
        at = text.index(MARKER)
        text = text[:at].rstrip("\n") + "\n" + block + "\n" + text[at:]
    else:
        text += block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
