"""A manifest's word lists, guiguts-style: good words, bad words and a user's scanno list.

Input: a ``Manifest`` (its ``good_words``, ``bad_words`` and ``scanno_list``). Output: a
``WordLists`` that ``using`` puts in force for a block: a good word is then never flagged by the
check and counts as a dictionary word for every caller of ``lexicon.in_dictionary`` (the weighing
of readings included); a bad word is always flagged; a word of the scanno list is flagged as a
likely OCR misreading (with its intended reading as the suggestion where the list gives one).

A scanno list is the user's own file, read when the check runs (lists under the GPL, such as
Distributed Proofreaders' Guiguts lists, are never copied into proofbench): Guiguts' JSON
(``{"scannos": [{"match": "arid", "replacement": "and"}, ...]}``) or text, one word a line,
optionally followed by its intended reading, ``#`` starting a comment.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from proofbench.errors import FormatError
from proofbench.model import Manifest
from proofbench.text.lexicon import good_words
from proofbench.witness.decode import read_text


@dataclass(frozen=True, slots=True)
class WordLists:
    """Lower-cased good and bad words, and scanno words with their intended reading (or None)."""

    good: frozenset[str] = frozenset()
    bad: frozenset[str] = frozenset()
    scannos: dict[str, str | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.good or self.bad or self.scannos)


_CURRENT: ContextVar[WordLists | None] = ContextVar("word_lists", default=None)
_NONE = WordLists()


def current() -> WordLists:
    """The word lists in force (empty outside a ``using`` block)."""
    return _CURRENT.get() or _NONE


@contextmanager
def using(lists: WordLists) -> Iterator[None]:
    """Put the word lists in force for the block (for ``check`` and ``in_dictionary``)."""
    token = _CURRENT.set(lists)
    try:
        with good_words(lists.good):
            yield
    finally:
        _CURRENT.reset(token)


def from_manifest(manifest: Manifest) -> WordLists:
    """The manifest's word lists, its scanno list read now; raises MissingFileError,
    EncodingError, or FormatError naming the scanno file and line."""
    scannos = read_scannos(manifest.scanno_list) if manifest.scanno_list else {}
    return WordLists(
        good=frozenset(w.lower() for w in manifest.good_words),
        bad=frozenset(w.lower() for w in manifest.bad_words),
        scannos=scannos,
    )


def read_scannos(path: str) -> dict[str, str | None]:
    """A scanno list file (see the module docstring): lower-cased word -> intended reading."""
    text, _ = read_text(path)
    if text.lstrip().startswith("{"):
        try:
            raw = json.loads(text)
            entries = raw["scannos"]
            return {str(e["match"]).lower(): str(e["replacement"]) for e in entries}
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"not a Guiguts scanno list ({exc})", file=path) from None
    out: dict[str, str | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split("#", 1)[0].split()
        if len(parts) > 2:
            raise FormatError("a scanno line holds a word and its reading at most", path, number)
        if parts:
            out[parts[0].lower()] = parts[1] if len(parts) == 2 else None
    return out
