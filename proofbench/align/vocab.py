"""Interned compared forms, and the similarity that makes two different words a near match.

Input: the normalized forms ``Token.n`` of every witness. Output: small int ids (equal ids are
equal forms; this is what anchors and exact matches compare) and match keys (the form case
folded, with punctuation removed), scored against each other by rapidfuzz's normalized
Levenshtein similarity.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

NEAR = 0.5
"""Least key similarity for two single words to be a near match (``5l``/``51`` scores 0.5)."""
JOIN = 0.85
"""Least key similarity for two words against one (``U. S.``/``U.S.``) to be one reading."""


def match_key(form: str) -> str:
    """The form compared for near matches: case folded, letters and digits only.

    A form of punctuation only keeps its punctuation (case folded), so that ``,`` and ``;``
    still differ and ``,`` still equals ``,``.
    """
    folded = form.casefold()
    key = "".join(ch for ch in folded if ch.isalnum())
    return key or folded


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Normalized Levenshtein similarity of two keys, 0..1; 0 when below ``cutoff``."""
    if a == b:
        return 1.0
    return float(Levenshtein.normalized_similarity(a, b, score_cutoff=cutoff))


class Vocab:
    """A two-way table of forms and their ids; ids are dense, in order of first sight."""

    __slots__ = ("_keys", "forms", "ids")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.forms: list[str] = []
        self._keys: list[str | None] = []

    def id(self, form: str) -> int:
        """The id of ``form``, allocated on first sight."""
        found = self.ids.get(form)
        if found is None:
            found = len(self.forms)
            self.ids[form] = found
            self.forms.append(form)
            self._keys.append(None)
        return found

    def intern(self, forms: list[str]) -> list[int]:
        """The ids of a sequence of forms (new forms get ids in order of first sight)."""
        ids = self.ids
        for form in dict.fromkeys(forms):
            if form not in ids:
                self.id(form)
        return list(map(ids.__getitem__, forms))

    def key(self, ident: int) -> str:
        """The match key of the form of that id (computed once)."""
        key = self._keys[ident]
        if key is None:
            key = match_key(self.forms[ident])
            self._keys[ident] = key
        return key
