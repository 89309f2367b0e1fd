"""The process-wide caches an analysis fills, released where a command needs them no more.

Judging a collation loads tables once per process and memoizes word functions
(``functools.lru_cache`` and ``functools.cache`` in the lexicon, the checks, the weighing):
wordfreq's table, the dictionary, the trigram model, the spelling variants, each word's core,
Zipf figure and shape. Measured at 3 x 100k words (``collate`` in one process): 38 MB of tables
and 18 MB of memoized results, the caches growing with the text's distinct forms. Rendering
never reads them, and at 3 x 1M words the command's peak memory comes while it renders, so the
collate command clears them between the two. A library caller collating many texts in one
process (``proofbench archive``) keeps them: loading the tables again would cost it more.

Clearing a cache changes no result, only when it is computed: a function asked again computes
what it gave before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

_OTHERS: list[Callable[[], None]] = []
"""The clearing functions of caches that are not functools' (``on_release``)."""


def on_release(clear: Callable[[], None]) -> Callable[[], None]:
    """Have ``release`` call ``clear`` too (for a cache kept in a plain dict); returns it."""
    _OTHERS.append(clear)
    return clear


def release(prefix: str = "proofbench.") -> int:
    """Clear every functools cache of the loaded modules whose names start with ``prefix``,
    and the caches registered with ``on_release``; the number of distinct caches cleared."""
    for other in _OTHERS:
        other()
    seen: set[int] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith(prefix) or module is None:
            continue
        for value in list(vars(module).values()):
            # asked of the value's type: a module-level proxy (Flask's ``g``, ``current_app``
            # in the review app) raises on any attribute asked of it outside a request
            kind = type(value)
            if (
                callable(getattr(kind, "cache_clear", None))
                and hasattr(kind, "cache_info")
                and id(value) not in seen
            ):
                seen.add(id(value))
                value.cache_clear()
    return len(seen) + len(_OTHERS)
