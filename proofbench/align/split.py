"""Parting a moved word from the reading it was paired with, so that the move can be found.

Input: the merged ``Graph``. Output: the same graph, with some nodes split in two and some
neighbouring nodes joined into one.

Progressive alignment pairs what stands between two agreements. A word that one witness moved
next door often lands in a node where another witness reads something else (``lattice again``
/ ``again lattice`` while a third witness added ``eighteen`` at the same place: the node reads
``eighteen`` and ``again``), so the moved word is no omission or addition of its own and the
transposition finder, which pairs runs read by disjoint witnesses, never sees it.

Here, a node where the witnesses present read differently is split when one of its readings,
read by witnesses G, is read near by other witnesses H (none of G) and G do not read it
there: the node becomes G's reading, then the others' (the others' first where the other
place is the very next node, so that G's part stands beside it). The nearby node is split the
same way if others read something else there. The reach and the least key lengths are those of a
short move (``transpose.SHORT_REACH``, ``SWAP_MIN_KEY``, ``SHORT_MIN_KEY``), so that a split
is made only where ``find_moves`` will pair the two parts.

A moved phrase is parted whole: where the nodes beside the two go on reading alike (G's next
word here, H's next word there, the same key; ``species, aboriginally distinct,`` against
``aboriginally distinct species`` while a third witness reads ``appears to`` for the first),
they are split with them, G's parts of the run first, then the others', up to a short run
(``transpose.SHORT``), so that the run stands as one piece the finder can pair.

After the splits, two neighbouring nodes read by disjoint witnesses with one same form are one
node (``join_touching``): a split that parts G's ``seldom`` from a node leaves it beside the
``seldom`` another witness added next to it (``being seldom much alarmed`` against ``being
seldom alarmed`` and ``being much alarmed``).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence

from proofbench.align.graph import Graph
from proofbench.align.transpose import SHORT, SHORT_MIN_KEY, SHORT_REACH, SWAP_MIN_KEY

ReadingOf = Callable[[int, int, int], int]
"""``reading_of(m, s, e)``: member ``m``'s tokens ``s:e`` as one form id (-1 if empty)."""


def _readings(graph: Graph, k: int, reading_of: ReadingOf) -> dict[int, int]:
    """Each merged witness's reading (form id, -1 absent) at node ``k``, by bit position."""
    out: dict[int, int] = {}
    for bit, m in enumerate(graph.members):
        e = graph.ends[m]
        s = e[k - 1] if k else 0
        out[bit] = reading_of(m, s, e[k]) if e[k] > s else -1
    return out


def split_moved(graph: Graph, reading_of: ReadingOf, key_of: Callable[[int], str]) -> int:
    """Split the nodes described in the module docstring; returns how many were split."""
    mixed = [k for k, counts in sorted(graph.differ.items()) if len(counts) > 1]
    if not mixed:
        return 0
    reach = SHORT_REACH[1]
    cache: dict[int, dict[int, int]] = {}

    def readings(k: int) -> dict[int, int]:
        found = cache.get(k)
        if found is None:
            found = cache[k] = _readings(graph, k, reading_of)
        return found

    where: dict[int, list[int]] = {}  # form -> the nodes (in order) whose readings differ
    for kk, counts in sorted(graph.differ.items()):
        for x in counts:
            where.setdefault(x, []).append(kk)
    splits: dict[int, int] = {}  # node -> bit set of the witnesses whose part goes first
    runs: dict[int, int] = {}  # first node of a split run -> its end (a single node: absent)
    for k in mixed:
        if k in splits:
            continue
        if not any(_near(where.get(x, ()), k, reach + 1) for x in graph.differ[k]):
            continue  # no reading of this node is read near it: nothing to part
        here = readings(k)
        groups: dict[int, int] = {}
        for bit, x in here.items():
            if x >= 0:
                groups[x] = groups.get(x, 0) | (1 << bit)
        for x in sorted(groups):
            key = key_of(x)
            if len(key) < SWAP_MIN_KEY:
                continue
            g = groups[x]
            partner = _partner(graph, k, x, g, key, reach, readings, splits)
            if partner is None:
                continue
            kk, h = partner
            lo, hi = _phrase(graph, k, kk, g, h, readings, key_of, splits)
            # Next to its other place, the parted reading goes on that side: the two are
            # then one place (``join_touching``), not a move. Further off, it goes first.
            everyone = (1 << len(graph.members)) - 1
            beside = abs(kk - k) == 1
            for t in range(lo, hi):
                splits[k + t] = everyone & ~g if beside and kk > k else g
            if hi - lo > 1:
                runs[k + lo] = k + hi
            there = [kk + t for t in range(lo, hi)]
            if all(_parts(readings(n), h) for n in there):
                for n in there:
                    splits[n] = everyone & ~h if beside and k > kk else h
                if hi - lo > 1:
                    runs[kk + lo] = kk + hi
            break
    if splits:
        _apply(graph, splits, runs, reading_of)
    return len(splits)


def _parts(here: dict[int, int], h: int) -> bool:
    """Whether splitting a node whose readings are ``here`` leaves both parts read: ``h``
    read at it, and some other witness does too."""
    read = 0
    for bit, y in here.items():
        if y >= 0:
            read |= 1 << bit
    return bool(read & h) and bool(read & ~h)


def _readers(here: dict[int, int], x: int) -> int:
    """The bit set of the witnesses that read form ``x`` in ``here`` (bit -> form)."""
    out = 0
    for bit, y in here.items():
        if y == x:
            out |= 1 << bit
    return out


def _readers_of_key(here: dict[int, int], key: str, key_of: Callable[[int], str]) -> int:
    """The bit set of the witnesses whose reading in ``here`` has match key ``key``."""
    out = 0
    for bit, y in here.items():
        if y >= 0 and key_of(y) == key:
            out |= 1 << bit
    return out


def _phrase(
    graph: Graph,
    k: int,
    kk: int,
    g: int,
    h: int,
    readings: Callable[[int], dict[int, int]],
    key_of: Callable[[int], str],
    splits: dict[int, int],
) -> tuple[int, int]:
    """The offsets ``lo <= 0 < hi`` of the run around ``k`` (and ``kk``) that moved with it.

    Offset ``t`` belongs to the run when node ``k + t`` is one where exactly ``g`` read one
    form and the others present read something else, and at node ``kk + t`` witnesses of
    ``h`` only, none of ``g``, read a form of the same key (module docstring). The run stays
    short (``transpose.SHORT``) and clear of the other place.
    """

    def fits(t: int) -> bool:
        a, b = k + t, kk + t
        if not (0 <= a < graph.size and 0 <= b < graph.size) or a in splits or b in splits:
            return False
        counts = graph.differ.get(a)
        if counts is None or len(counts) < 2:
            return False
        here = readings(a)
        forms = {here[bit] for bit in range(len(graph.members)) if g >> bit & 1}
        if len(forms) != 1 or -1 in forms:
            return False
        y = forms.pop()
        if _readers(here, y) != g:
            return False
        there = readings(b)
        if any(there[bit] >= 0 for bit in range(len(graph.members)) if g >> bit & 1):
            return False
        return _readers_of_key(there, key_of(y), key_of) == h

    room = min(SHORT, abs(kk - k))  # the two runs, as long as each other, must not overlap
    lo, hi = 0, 1
    while hi - lo < room and fits(lo - 1):
        lo -= 1
    while hi - lo < room and fits(hi):
        hi += 1
    return lo, hi


def _near(nodes: Sequence[int], k: int, reach: int) -> bool:
    """Whether a node other than ``k`` within ``reach`` of it is in ``nodes`` (sorted)."""
    at = bisect_left(nodes, k - reach)
    while at < len(nodes) and nodes[at] <= k + reach:
        if nodes[at] != k:
            return True
        at += 1
    return False


def _partner(
    graph: Graph,
    k: int,
    x: int,
    g: int,
    key: str,
    reach: int,
    readings: Callable[[int], dict[int, int]],
    splits: dict[int, int],
) -> tuple[int, int] | None:
    """The nearest node where witnesses other than ``g`` read ``x`` and ``g`` do not."""
    for d in range(1, reach + 2):
        if d > 2 and len(key) < SHORT_MIN_KEY:
            break  # short words move only by swapping with their neighbour
        for kk in (k - d, k + d):
            if not 0 <= kk < graph.size or kk in splits:
                continue
            counts = graph.differ.get(kk)
            if counts is None or x not in counts:
                continue  # everyone reads the same there (g too), or nobody reads x
            there = readings(kk)
            h = 0
            for bit, y in there.items():
                if y == x:
                    h |= 1 << bit
            if h and not h & g:
                return kk, h
    return None


def _apply(
    graph: Graph, splits: dict[int, int], runs: dict[int, int], reading_of: ReadingOf
) -> None:
    """Rebuild the graph's arrays with each split node as two, its first witnesses' then the
    rest's; a split run (``runs``: first node -> end) as the first witnesses' parts of all its
    nodes, then the rest's."""
    units: list[tuple[int, int]] = []
    for k in sorted(splits):
        if units and k < units[-1][1]:
            continue  # inside a run already listed
        units.append((k, runs.get(k, k + 1)))
    members = graph.members
    old_ends = graph.ends
    new_ends: dict[int, array[int]] = {}
    for bit, m in enumerate(members):
        e = old_ends[m]
        out: array[int] = array("q")
        at = 0
        for k0, k1 in units:
            out.extend(e[at:k0])
            start = e[k0 - 1] if k0 else 0
            if splits[k0] >> bit & 1:
                out.extend(e[k0:k1])
                out.extend([e[k1 - 1]] * (k1 - k0))
            else:
                out.extend([start] * (k1 - k0))
                out.extend(e[k0:k1])
            at = k1
        out.extend(e[at:])
        new_ends[m] = out
    keys: list[int] = []
    differ: dict[int, dict[int, int]] = {}
    link = bytearray()
    at = 0
    shift = 0
    dnodes = sorted(graph.differ)
    di = 0
    for k0, k1 in [*units, (graph.size, graph.size)]:
        keys.extend(graph.keys[at:k0])
        link.extend(graph.link[at:k0])
        while di < len(dnodes) and dnodes[di] < k0:
            differ[dnodes[di] + shift] = graph.differ[dnodes[di]]
            di += 1
        if k0 == graph.size:
            break
        first = splits[k0]
        parts: list[list[dict[int, int]]] = [[], []]
        for k in range(k0, k1):
            firsts: dict[int, int] = {}
            rest: dict[int, int] = {}
            for bit, m in enumerate(members):
                e = old_ends[m]
                s = e[k - 1] if k else 0
                if e[k] == s:
                    continue
                x = reading_of(m, s, e[k])
                side = firsts if first >> bit & 1 else rest
                side[x] = side.get(x, 0) + 1
            parts[0].append(firsts)
            parts[1].append(rest)
        at_node = k0 + shift
        for counts in (*parts[0], *parts[1]):
            differ[at_node] = counts
            keys.append(max(counts, key=counts.__getitem__))
            at_node += 1
        # The parts are still one place, unless a move claims some of them.
        link.append(graph.link[k0])
        link.extend([1] * (2 * (k1 - k0) - 1))
        while di < len(dnodes) and dnodes[di] < k1:
            di += 1
        shift += k1 - k0
        at = k1
    graph.ends = new_ends
    graph.keys = keys
    graph.differ = differ
    graph.link = link
    graph.size += sum(k1 - k0 for k0, k1 in units)


def join_touching(graph: Graph) -> int:
    """Join each pair of neighbouring nodes read by disjoint witnesses with one same form.

    Neither node may be one where the witnesses present read differently, and no witness may
    read at both, so the joined node holds every witness's run as before, in order: the two
    readings are one place that agrees (module docstring). Returns how many were joined.
    """
    differ = graph.differ
    members = graph.members
    gone: list[int] = []  # nodes joined into the node before them
    last = -2
    for k in sorted(differ):
        counts = differ[k]
        if len(counts) != 1:
            continue
        x = next(iter(counts))
        if (
            k - 1 == last
            and x in differ[k - 1]
            and not any(_reads(graph.ends[m], k - 1) and _reads(graph.ends[m], k) for m in members)
        ):
            differ[k - 1] = {x: differ[k - 1][x] + counts[x]}
            gone.append(k)
            continue  # the joined node stays ``last``: a third may join it
        last = k
    if not gone:
        return 0
    _drop(graph, gone)
    return len(gone)


def _reads(ends: array[int], k: int) -> bool:
    """Whether a witness with these run ends reads something at node ``k``."""
    return ends[k] > (ends[k - 1] if k else 0)


def _drop(graph: Graph, gone: list[int]) -> None:
    """Remove nodes ``gone`` (sorted), each already counted into the node before it."""
    drop = set(gone)
    keep = [k for k in range(graph.size) if k not in drop]
    # The joined node ends where the last of its nodes ends: the cumulative ends drop the
    # entry before each joined node, the rest drop the joined node's own.
    ends_kept = [k for k in range(graph.size) if k + 1 not in drop]
    for m in graph.members:
        e = graph.ends[m]
        graph.ends[m] = array("q", (e[k] for k in ends_kept))
    graph.keys = [graph.keys[k] for k in keep]
    graph.link = bytearray(graph.link[k] for k in keep)
    width = len(graph.members)
    renumber = {k: i for i, k in enumerate(keep)}
    graph.differ = {
        renumber[k]: counts
        for k, counts in graph.differ.items()
        if k not in drop and not (len(counts) == 1 and next(iter(counts.values())) == width)
    }
    graph.size = len(keep)
