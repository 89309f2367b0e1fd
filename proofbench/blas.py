"""The command line's linear algebra on one thread: OpenBLAS told so before numpy loads it.

numpy's wheel links OpenBLAS, which starts a pool of worker threads (one per core) as it loads,
whatever the program then asks of it. proofbench asks little: its only products are a
single-witness check's rows times a weight vector (``classify.suspect``: 40,949 rows of 20 on
War and Peace), far below the sizes where a second thread pays. Starting the pool cost a 3 x 2k
collation about a seventh of its CPU (``import numpy`` alone, 5 alternating runs on the 2-core
VM of the thirteenth session: 0.11-0.14 s of CPU with the pool, 0.06-0.08 s with one thread;
the whole ``collate -o out.json``, 6 alternating runs: 0.52-0.62 against 0.45-0.52 s), and it
gains ``check`` of War and Peace nothing measurable; the outputs are byte-identical either way.
One thread also keeps the sums' order the same on any machine, and leaves no native threads
behind for ``parallel``'s forked workers to inherit.

Importing this module sets ``OPENBLAS_NUM_THREADS`` to 1 unless the user has set it (their
setting wins), so it must be imported before numpy: ``cli`` imports it first. The library
(``import proofbench``) leaves a host program's settings alone.
"""

from __future__ import annotations

import os

THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"
"""The variable OpenBLAS reads, once, as numpy loads it."""

os.environ.setdefault(THREADS_VARIABLE, "1")
