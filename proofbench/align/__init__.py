"""Stage 3, align: the text tokens of N witnesses -> one ``Alignment``.

Input: ``Witness`` objects with tokens (the text stage's output); only ``text_tokens`` are
aligned, compared by their normalized form ``Token.n``. Output: ``Alignment`` (see
``columns.py`` for what a column holds), deterministic and independent of the witnesses' order.

    vocab.py      forms -> int ids; match keys and their similarity
    pair.py       two id sequences -> blocks (anchors, LIS, recursion, small-gap DP)
    graph.py      N witnesses merged progressively, most similar first, into nodes
    split.py      a moved word parted from the reading it was paired with; touching
                  nodes of one form joined
    transpose.py  omission here + addition there with the same content -> a move
    chance.py     a move across a short agreement by chance, where it shows more agreements
    columns.py    nodes and moves -> Alignment
    views.py      pairwise views and the JSON form
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Sequence

from proofbench.align.chance import trade_chance
from proofbench.align.columns import to_alignment
from proofbench.align.graph import _alt_key, _reading_id, build
from proofbench.align.split import join_touching, split_moved
from proofbench.align.transpose import find_moves, node_masks
from proofbench.align.views import PairOp, alignment_to_json, pairwise
from proofbench.align.vocab import Vocab
from proofbench.errors import InputError
from proofbench.model import Alignment, Witness, token_indices, token_norms

__all__ = ["PairOp", "align", "alignment_to_json", "pairwise"]

Progress = Callable[[int, int], None]


def align(witnesses: Sequence[Witness], progress: Progress | None = None) -> Alignment:
    """Align the text tokens of the witnesses.

    Every text token of every witness appears in exactly one column, in order, except tokens of
    a transposed block, which appear at both of its places. ``progress(done, total)`` is called
    after each witness is merged and once at the end. Raises ``InputError`` on duplicate sigla.
    """
    sigla = tuple(w.siglum for w in witnesses)
    seen: set[str] = set()
    for s in sigla:
        if s in seen:
            raise InputError(f"duplicate siglum {s!r} in the witnesses to align")
        seen.add(s)
    # The engine allocates only acyclic ints, lists and tuples: the cyclic collector would walk
    # the witnesses' millions of tokens again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _align(witnesses, sigla, progress)
    finally:
        if enabled:
            gc.enable()


def _align(
    witnesses: Sequence[Witness], sigla: tuple[str, ...], progress: Progress | None
) -> Alignment:
    total = len(witnesses) + 1
    vocab = Vocab()
    ids: list[list[int]] = []
    token_index: list[list[int]] = []
    for w in witnesses:
        tokens = w.text_tokens
        ids.append(vocab.intern(list(token_norms(tokens))))
        token_index.append(list(token_indices(tokens)))
    graph = build(ids, sigla, vocab, progress, total)

    def key_of(x: int) -> str:
        return _alt_key(vocab, x) if x >= 0 else ""

    def reading_of(m: int, s: int, e: int) -> int:
        return _reading_id(graph, vocab, m, s, e)

    split_moved(graph, reading_of, key_of)
    join_touching(graph)
    masks = node_masks(graph)

    counts = Counter(graph.keys)  # each form's nodes, read by both passes over the moves
    moves = find_moves(graph, graph.keys, key_of, masks, counts)
    moves = trade_chance(graph, key_of, masks, moves, counts)  # may split nodes: read after
    alignment = to_alignment(graph, sigla, token_index, moves, masks, graph.differ)
    if progress:
        progress(total, total)
    return alignment
