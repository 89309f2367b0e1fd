"""Benchmark of the review stage on a book-sized collation: decisions stored, queue and pages
served, corrected text applied, and decisions re-attached after the witnesses change.

Usage (from the repository root)::

    .venv/bin/python benchmarks/review_bench.py                 # 20k words, 1000 decisions
    .venv/bin/python benchmarks/review_bench.py --words 100000 --decisions 3000

Witnesses: an edition-like base from ../shared/corpora (see align_bench.py) and a
transcription-like copy made with the seeded error model of ``witness_model.py`` (the target).
Steps timed (wall clock, one run): collate; open a Desk; record N decisions (editor accepts the
suggestion, one transaction each, SQLite file); fold and attach the log; the queue page and an
item page through Flask's test client; ``apply_txt``; then an edited target (a paragraph added at
the start, shifting every offset) and a new witness (changing every variant id) re-collated and
re-attached. Counts of re-attached and orphaned decisions are printed beside the times.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from align_bench import base_words  # noqa: E402
from witness_model import TRANSCRIPTION, generate  # noqa: E402

from proofbench.cache import load_cached, store_cached  # noqa: E402
from proofbench.model import Kind, Manifest, WitnessSpec  # noqa: E402
from proofbench.pipeline import collate_witnesses, witness_from_text  # noqa: E402
from proofbench.review import Desk, Filters, Store, apply_txt  # noqa: E402
from proofbench.review.bulk import Batch, apply_batch, select  # noqa: E402

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<44} {time.perf_counter() - t0:8.2f} s", flush=True)
    return out


def collation(texts: dict[str, str], target: str, path: str = "bench.toml"):  # type: ignore[no-untyped-def]
    kinds = {"ED": Kind.EDITION}
    ws = [witness_from_text(s, t, kinds.get(s, Kind.TRANSCRIPTION)) for s, t in texts.items()]
    specs = tuple(WitnessSpec(siglum=s, files=(f"<{s}>",)) for s in texts)
    m = Manifest(path=path, title="bench", witnesses=specs, target=target)
    return collate_witnesses(m, ws)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=20000)
    ap.add_argument("--decisions", type=int, default=1000)
    ap.add_argument(
        "--startup",
        action="store_true",
        help="measure the commands instead: review start-up to URL on a warm cache, apply, "
        "queue and item pages with 40,000 events, a bulk accept, 8 clients deciding",
    )
    ap.add_argument("--pg", metavar="URL", help="also measure on this (empty) PostgreSQL database")
    ap.add_argument(
        "--collation",
        metavar="PICKLE",
        help="with --startup: the collation of these texts, pickled by an earlier run "
        "(--save), instead of collating again (3 x 1M words take minutes)",
    )
    ap.add_argument("--save", metavar="PICKLE", help="with --startup: pickle the collation here")
    args = ap.parse_args()
    if args.startup:
        from review_startup import startup

        return startup(args)
    base = base_words(args.words)
    ed = " ".join(base)
    tr, _ = generate(base, TRANSCRIPTION, seed=7).text()
    t2, _ = generate(base, TRANSCRIPTION, seed=11).text()
    c = timed(
        f"collate 3 witnesses of {args.words} words",
        lambda: collation({"ED": ed, "T2": t2, "TR": tr}, "TR"),
    )
    print(f"  {len(c.variants)} variants")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.review.db")
        eve = store.add_user("eve", "editor", "bench-secret")
        desk = timed("open the desk (items, anchors)", lambda: Desk(c, store, scope="bench"))
        todo = [e for e in desk.queue() if e.item.suggestion is not None][: args.decisions]

        def decide() -> None:
            for e in todo:
                desk.store.act("bench", e.stored, "accept", eve, 0, e.item.anchor,
                               reading=e.item.suggestion, choice="suggestion")  # fmt: skip

        timed(f"record {len(todo)} decisions", decide)
        timed("fold and attach the log", lambda: desk.progress())
        from proofbench.review.app import create_app

        app = create_app(desk)
        client = app.test_client()
        with client.session_transaction() as s:
            s["sid"] = store.open_session(eve)
        client.get("/")  # the first view folds what was recorded
        print(f"  {store.stamp('bench')[0]} events in the log")
        for label, url in (
            ("queue page (100 rows)", "/"),
            ("queue page, filtered by status", "/?status=accepted&offset=100"),
            ("item page", f"/item/{todo[0].item.key}"),
        ):
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                assert client.get(url).status_code == 200
                times.append(time.perf_counter() - t0)
            print(f"{label + ' (median of 5)':<44} {sorted(times)[2] * 1000:8.1f} ms")
        timed("apply_txt", lambda: apply_txt(desk))
        path = Path(tmp) / "cache" / "bench.collation.pickle"
        timed("store the collation cache", lambda: store_cached(path, "k", c))
        timed("load the collation cache", lambda: load_cached(path, "k"))
        batch = timed(
            "bulk: preview accepting every suggestion",
            lambda: select(desk, "accept", Filters()),
        )
        chosen = Batch(batch.action, batch.filters, False, batch.chosen[:5000], {})
        _, done, _ = timed(
            f"bulk: accept {len(chosen.chosen)} items", lambda: apply_batch(desk, chosen, eve)
        )
        print(f"  {done} accepted in bulk")

        edited = "An added opening paragraph shifts every offset.\n\n" + tr
        c2 = timed(
            "re-collate with the target edited",
            lambda: collation({"ED": ed, "T2": t2, "TR": edited}, "TR"),
        )
        d2 = Desk(c2, store, scope="bench")
        p = timed("re-attach", d2.progress)
        print(f"  decided {p.decided}, orphaned {p.orphans} of {len(todo)}")
        c3 = timed(
            "re-collate with a new witness",
            lambda: collation({"ED": ed, "NW": ed, "T2": t2, "TR": tr}, "TR"),
        )
        d3 = Desk(c3, store, scope="bench")
        p = timed("re-attach (every id changed)", d3.progress)
        print(f"  decided {p.decided}, orphaned {p.orphans} of {len(todo)}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
