"""The command line's linear algebra on one thread: OpenBLAS told so before numpy loads it.

numpy's wheel links OpenBLAS, which starts a pool of worker threads (one per further core) as
it loads, and wakes them for every product big enough to share, where they spin a while before
they sleep again. proofbench asks little of it: its only products are a single-witness check's
rows times a weight vector (``classify.suspect``: 40,949 rows of 20 on War and Peace), where a
second thread's start and spinning cost more CPU than it saves. Measured on the 2-core VM of the
thirteenth session (CPU user+sys, ``OPENBLAS_NUM_THREADS=2`` against 1, outputs byte-identical
each time), with the pool against one thread:

- ``import numpy``, 5 alternating runs: 0.11-0.14 against 0.06-0.08 s;
- 3 x 2k ``collate -o out.json``, 6 alternating runs: 0.52-0.62 against 0.45-0.52 s;
- 3 x 100k ``collate -o out.json --jobs 1``, 5 simultaneous pairs: median 5.19 against 5.02 s,
  one thread the cheaper in every pair (by 0.04-0.74 s);
- 3 x 1M, the same, one pair: 44.98 against 42.41 s;
- ``check`` of War and Peace, 5 simultaneous pairs: 2.97 against 2.96 s in the median, one
  thread the cheaper in 4 pairs of 5 (by 0.12-0.24 s).

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
