"""Counting the process pools a test makes: ``concurrent.futures.ProcessPoolExecutor`` replaced,
for the test, by a subclass that records each pool's number of workers as it starts."""

from __future__ import annotations

import concurrent.futures

import pytest


def counted_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The workers of every process pool started from now on in this test, in order."""
    started: list[int] = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers: int, **kw: object) -> None:
            started.append(workers)
            super().__init__(workers, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    return started
