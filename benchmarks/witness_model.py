"""A seeded model of OCR and transcription errors, with the true alignment kept.

Input: a list of base words (a real public-domain book). Output: a witness text whose every
word records the base word it came from (or None for an addition), and the list of moved
blocks (transpositions) it contains.

Errors (per word unless noted): character confusions of OCR (rn/m, l/1, h/b, e/c, ...),
punctuation slips, omissions (single words and eye-skips of 5-20 words), additions (random words
and dittography), transpositions of two adjacent words, of sentences and of whole paragraphs
(columns read in the wrong order), and line-end hyphenation (a word broken with ``-`` and a
newline, as on a printed page).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

CONFUSIONS = [
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("h", "b"), ("b", "h"), ("e", "c"),
    ("c", "e"), ("o", "0"), ("i", "l"), ("u", "n"), ("n", "u"), ("cl", "d"), ("d", "cl"),
    ("vv", "w"), ("w", "vv"), ("f", "t"), ("t", "f"), ("a", "o"), ("s", "a"),
]  # fmt: skip
PUNCT = [",", ".", ";", ":", "!", "?"]


@dataclass(frozen=True, slots=True)
class Rates:
    """Probabilities per word of each kind of error."""

    confusion: float = 0.02
    punctuation: float = 0.01
    omission: float = 0.003
    eye_skip: float = 0.0003
    addition: float = 0.002
    dittography: float = 0.001
    swap: float = 0.0008
    sentence_move: float = 0.0004
    paragraph_move: float = 0.00005
    hyphenation: float = 0.02


OCR = Rates()
TRANSCRIPTION = Rates(
    confusion=0.004,
    punctuation=0.006,
    omission=0.002,
    eye_skip=0.0002,
    addition=0.001,
    dittography=0.0005,
    swap=0.0005,
    sentence_move=0.0002,
    paragraph_move=0.0,
    hyphenation=0.0,
)


@dataclass(slots=True)
class Generated:
    """A generated witness: its words, each word's base index (None: added), its moves."""

    words: list[str] = field(default_factory=list)
    origin: list[int | None] = field(default_factory=list)
    moves: list[tuple[list[int], list[int]]] = field(default_factory=list)
    """Each transposition as the base indices of its two blocks (either may be seen as moved)."""
    breaks: set[int] = field(default_factory=set)
    """Positions in ``words`` broken across a line end with a hyphen."""

    def text(self) -> tuple[str, list[int]]:
        """The witness text (words joined by spaces, a newline every 12 words, hyphenation) and
        the character offset where each word starts."""
        parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for k, word in enumerate(self.words):
            starts.append(pos)
            if k in self.breaks and len(word) >= 6 and word.isalpha():
                cut = len(word) // 2
                word = word[:cut] + "-\n" + word[cut:]
            parts.append(word)
            parts.append("\n" if k % 12 == 11 else " ")
            pos += len(word) + 1
        return "".join(parts), starts


def _confuse(word: str, rnd: random.Random) -> str:
    options = [(a, b) for a, b in CONFUSIONS if a in word]
    if not options:
        return word
    a, b = rnd.choice(options)
    at = rnd.choice([i for i in range(len(word)) if word.startswith(a, i)])
    return word[:at] + b + word[at + len(a) :]


def _punctuate(word: str, rnd: random.Random) -> str:
    if len(word) > 1 and word[-1] in PUNCT:
        return word[:-1] if rnd.random() < 0.5 else word[:-1] + rnd.choice(PUNCT)
    return word + rnd.choice(PUNCT)


def _sentence_end(words: list[str], i: int, limit: int) -> int:
    """The index after the sentence starting at ``i`` (at most ``limit`` words)."""
    j = i
    while j < len(words) and j - i < limit:
        j += 1
        if words[j - 1][-1:] in ".!?":
            break
    return j


def generate(base: list[str], rates: Rates, seed: int) -> Generated:
    """A witness of ``base`` with seeded errors; deterministic for a seed."""
    rnd = random.Random(seed)
    order = list(range(len(base)))
    moves: list[tuple[list[int], list[int]]] = []
    # Block moves first, on the order of base indices: a sentence or a paragraph jumps ahead.
    i = 0
    out_order: list[int] = []
    while i < len(order):
        r = rnd.random()
        if r < rates.sentence_move or r > 1 - rates.paragraph_move:
            size = 30 if r < rates.sentence_move else 150
            end = _sentence_end(base, i, size) if size == 30 else min(i + size, len(order))
            block = order[i:end]
            skip = rnd.randint(10, 40) if size == 30 else rnd.randint(100, 400)
            after = order[end : end + skip]
            if len(block) >= 5 and len(after) == skip:
                out_order.extend(after)
                out_order.extend(block)
                moves.append((block, after))
                i = end + skip
                continue
        out_order.append(order[i])
        i += 1
    gen = Generated(moves=moves)
    k = 0
    vocab = base[: min(len(base), 5000)]
    while k < len(out_order):
        b = out_order[k]
        r = rnd.random()
        if r < rates.eye_skip:
            k += rnd.randint(5, 20)
            continue
        r = rnd.random()
        if r < rates.omission:
            k += 1
            continue
        if r < rates.omission + rates.addition:
            gen.words.append(rnd.choice(vocab))
            gen.origin.append(None)
        if rnd.random() < rates.swap and k + 1 < len(out_order):
            nxt = out_order[k + 1]
            if abs(nxt - b) == 1 and len(base[b]) >= 4 and len(base[nxt]) >= 4:
                for idx in (nxt, b):
                    gen.words.append(base[idx])
                    gen.origin.append(idx)
                gen.moves.append(([b], [nxt]))
                k += 2
                continue
        word = base[b]
        if rnd.random() < rates.confusion:
            word = _confuse(word, rnd)
        if rnd.random() < rates.punctuation:
            word = _punctuate(word, rnd)
        if rnd.random() < rates.hyphenation:
            gen.breaks.add(len(gen.words))
        gen.words.append(word)
        gen.origin.append(b)
        if rnd.random() < rates.dittography:
            gen.words.append(word)
            gen.origin.append(None)
        k += 1
    return gen
