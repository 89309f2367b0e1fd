"""Witnesses -> the drawing of their genealogy: boxes in generations, arrows from source to copy.

Input: the witnesses (``derives_from``) and the target's siglum. Output: a frozen ``Genealogy``
of nodes and edges in SVG user units, which a template draws. A witness whose source is unknown
or not among the witnesses starts a line of its own; cycles are broken by generation order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from proofbench.model import Witness

NODE_W = 168
NODE_H = 58
GAP_X = 56
GAP_Y = 18
MARGIN = 6


@dataclass(frozen=True, slots=True)
class Node:
    """One witness's box."""

    siglum: str
    kind: str
    date: str
    x: int
    y: int
    is_target: bool


@dataclass(frozen=True, slots=True)
class Edge:
    """An arrow from a source's box to its copy's box."""

    source: str
    copy: str
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True, slots=True)
class Genealogy:
    """The drawing: its size, boxes and arrows."""

    width: int
    height: int
    node_w: int
    node_h: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def generations(witnesses: Sequence[Witness]) -> dict[str, int]:
    """Each siglum's generation: 0 for a witness with no known source, else its source's + 1."""
    parent = {w.siglum: w.derives_from for w in witnesses}
    out: dict[str, int] = {}
    for w in witnesses:
        depth, seen, s = 0, {w.siglum}, parent[w.siglum]
        while s is not None and s in parent and s not in seen:
            seen.add(s)
            depth += 1
            s = parent[s]
        out[w.siglum] = depth
    return out


def genealogy(witnesses: Sequence[Witness], target: str) -> Genealogy:
    """The layout: generations left to right, witnesses of one generation top to bottom."""
    gen = generations(witnesses)
    rows: dict[int, int] = {}
    nodes: dict[str, Node] = {}
    for w in witnesses:
        g = gen[w.siglum]
        r = rows.get(g, 0)
        rows[g] = r + 1
        nodes[w.siglum] = Node(
            siglum=w.siglum,
            kind=w.kind.value,
            date=w.date,
            x=MARGIN + g * (NODE_W + GAP_X),
            y=MARGIN + r * (NODE_H + GAP_Y),
            is_target=w.siglum == target,
        )
    edges = []
    for w in witnesses:
        src = w.derives_from
        if src is None or src not in nodes or src == w.siglum:
            continue
        a, b = nodes[src], nodes[w.siglum]
        edges.append(
            Edge(src, w.siglum, a.x + NODE_W, a.y + NODE_H // 2, b.x - 4, b.y + NODE_H // 2)
        )
    cols = max(gen.values(), default=0) + 1
    height_rows = max(rows.values(), default=1)
    return Genealogy(
        width=2 * MARGIN + cols * NODE_W + (cols - 1) * GAP_X,
        height=2 * MARGIN + height_rows * NODE_H + (height_rows - 1) * GAP_Y,
        node_w=NODE_W,
        node_h=NODE_H,
        nodes=tuple(nodes.values()),
        edges=tuple(edges),
    )
