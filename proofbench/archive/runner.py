"""Jobs -> Outcomes, in this process or as tasks on a Dask cluster (``dask.distributed``).

Input: the archive's jobs. Output: one Outcome per job, in the jobs' order, whichever order
they finished in. ``run_serial`` is a plain loop; ``run_dask`` submits every job as a task of
``task.process`` to an existing scheduler (``tcp://HOST:PORT``, or whatever the Dask
configuration names) or to a ``LocalCluster`` it starts on this machine. Either way each
document is collated by the same function, so the outputs are the same byte for byte.

A task that dies with its worker (killed for memory, say) is retried by Dask on another worker;
once Dask gives up, the document is a failed row with Dask's reason, and the others go on.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from proofbench.archive.task import Job, Outcome, failed_row, process

Progress = Callable[[int, int, Outcome], None]
"""Called after each document: (documents done, documents in all, its outcome)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """Where the tasks run: an existing scheduler's address, or a local cluster of ``workers``."""

    scheduler: str | None = None
    workers: int | None = None
    """Worker processes of a LocalCluster (None: one per core)."""
    memory_limit: str = "auto"
    """Each local worker's memory limit, as Dask takes it ("auto": the machine's share)."""


def run_serial(jobs: Sequence[Job], progress: Progress | None = None) -> list[Outcome]:
    """Process every job here, one after the other."""
    out = []
    for job in jobs:
        outcome = process(job)
        out.append(outcome)
        if progress:
            progress(len(out), len(jobs), outcome)
    return out


def _local_workers(cluster: Cluster) -> int:
    return cluster.workers or len(os.sched_getaffinity(0))


def run_dask(
    jobs: Sequence[Job], cluster: Cluster, progress: Progress | None = None
) -> list[Outcome]:
    """Process every job as a Dask task; the results come back in the jobs' order.

    Raises distributed's OSError/TimeoutError when the scheduler cannot be reached (the CLI
    turns it into one line).
    """
    # distributed has no type hints: its objects are Any here.
    dist: Any = importlib.import_module("distributed")
    dask_config: Any = importlib.import_module("dask.config")
    local = None
    if cluster.scheduler is not None:
        client = dist.Client(cluster.scheduler, set_as_default=False)
    else:
        # The workers' statistical profiler samples every thread's stack each 10 ms: on this
        # pure-Python work it cost a quarter of the time (12 documents, one worker: 17.6 s with
        # it, 13.2 s without, 12.3 s serially; benchmarks/RESULTS.md). The nannies hand the
        # configuration in force to the worker processes they start.
        with dask_config.set({"distributed.worker.profile.enabled": False}):
            local = dist.LocalCluster(
                n_workers=_local_workers(cluster),
                threads_per_worker=1,  # collation is pure Python: threads would share one GIL
                processes=True,
                memory_limit=cluster.memory_limit,
                dashboard_address=None,
                # Without a dashboard the scheduler still serves HTTP, on 8787 by default: a
                # second cluster on the machine then warns and moves. Any free loopback port.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
            )
        client = dist.Client(local, set_as_default=False)
    try:
        futures = client.map(
            process,
            list(jobs),
            key=[f"proofbench-archive-{i}-{job.document.id}" for i, job in enumerate(jobs)],
            pure=False,
        )
        place = {f.key: i for i, f in enumerate(futures)}
        results: list[Outcome | None] = [None] * len(jobs)
        for done, future in enumerate(dist.as_completed(futures, loop=client.loop), start=1):
            i = place[future.key]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died (KilledWorker) or the task was lost
                outcome = Outcome(row=failed_row(jobs[i], f"dask: {type(exc).__name__}: {exc}"))
            results[i] = outcome
            if progress:
                progress(done, len(jobs), outcome)
            future.release()
        return [r for r in results if r is not None]
    finally:
        client.close()
        if local is not None:
            local.close()
