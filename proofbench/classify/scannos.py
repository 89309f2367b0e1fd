"""The scanno evidence of a known word: how much commoner a real word one OCR confusion away is.

Input: a lower-cased word; output: ``scanno_gain``, the Zipf of the commonest word of wordfreq's
one OCR shape confusion away (``data/ocr-confusions.tsv``) less the word's own, 0 if none is
commoner (``bad`` -> ``had``: 1.7). ``classify.suspect`` uses it as the ``scanno`` feature.

The answer depends on the word, wordfreq's table and the confusions only, not on the text being
checked, so for wordfreq's own ASCII words (289,000 of its 321,000, nearly every known word a
check asks about) it is stored: ``data/scanno-tops-en.txt.gz`` holds, for each of them that has
a commoner word one confusion away, that word's Zipf (``best_zipf``), built by
``scripts/build_scanno_tops.py`` with ``TopTable.build`` (a check of War and Peace asked it of
16,700 forms: 0.8 s worked out, a lookup each from the table). Any other word, or every word
when the file was built from another wordfreq table or other confusions (its header says
which), is worked out here as the file's builder does; ``tests/classify/test_suspect_scannos.py``
holds the two to each other.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from proofbench.classify.data import DATA, BySource, by_source, replacements, shape_confusions
from proofbench.text.lexicon import frequency_table, zipf

TOPS = "scanno-tops-en.txt.gz"
_MAGIC = "# proofbench scanno tops 1"


@lru_cache(maxsize=1 << 18)
def scanno_gain(low: str) -> float:
    """How much commoner (in Zipf) the commonest real word one OCR shape confusion away is than
    ``low`` itself (0 if none is commoner): ``bad`` -> ``had``."""
    if not low.isalpha() or len(low) < 2:
        return 0.0
    tops = top_table()
    if tops is not None:
        stored = _stored_gain(low, tops.best, frequency_table())
        if stored is not None:
            return stored
    return max(0.0, best_zipf(low) - zipf(low))


def scanno_gains(lows: Iterable[str]) -> list[float]:
    """``scanno_gain`` of each of ``lows``: the stored answers read in one loop (a check asks it
    of every known form of a book), the others asked of ``scanno_gain``."""
    tops = top_table()
    if tops is None:
        return [scanno_gain(low) for low in lows]
    best, table = tops.best, frequency_table()
    out = []
    for low in lows:
        stored = _stored_gain(low, best, table)
        out.append(scanno_gain(low) if stored is None else stored)
    return out


def _stored_gain(low: str, best: Mapping[str, int], table: Container[str]) -> float | None:
    """``scanno_gain`` of ``low`` from the stored table (``best``, of wordfreq's ``table``), or
    None where the table does not answer: a word of two or more ASCII letters that wordfreq
    knows."""
    if not (low.isascii() and low.isalpha() and len(low) >= 2 and low in table):
        return None
    centi = best.get(low)
    if centi is None:  # stored where a commoner word is found: here none is
        return 0.0
    return max(0.0, centi / 100 - zipf(low))


def best_zipf(low: str) -> float:
    """The greatest Zipf of a word one OCR shape confusion from ``low`` (a word of letters,
    lower-cased; 0 if none is one wordfreq knows), worked out from the confusions."""
    if not low.isascii():
        return _best_zipf_any(low)
    # an ASCII word: a replacement gives an ASCII word exactly where the replacement is ASCII,
    # and those are looked up in wordfreq's table directly (most of the check's candidates)
    get = frequency_table().get
    ascii_by, other_by, lengths = _index()
    best_key = ""  # the commonest word found in wordfreq's table
    best_f = 0.0
    best_other = 0.0  # the greatest Zipf of the others (non-ASCII: looked up by ``zipf``)
    n = len(low)
    for start in range(n):
        head = low[:start]
        for k in lengths:
            if start + k > n:
                break
            src = low[start : start + k]
            bs = ascii_by.get(src)
            if bs is not None:
                tail = low[start + k :]
                for b in bs:
                    o = head + b + tail
                    f = get(o, 0.0)
                    if f > best_f and o != low:
                        best_key, best_f = o, f
            others = other_by.get(src)
            if others is not None:
                tail = low[start + k :]
                for b in others:
                    best_other = max(best_other, zipf(head + b + tail))
    # rounding is monotone, so the greatest Zipf is the Zipf of the greatest frequency
    return max(zipf(best_key) if best_key else 0.0, best_other)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], list[int]]:
    """``_confusions_by_source`` split for ``best_zipf``: by source, the lower-cased ASCII
    replacements, and the non-ASCII ones as written, each in order; and the sources' lengths
    in increasing order."""
    table, lengths = _confusions_by_source()
    ascii_by = {a: t for a, bs in table.items() if (t := tuple(lw for _, lw in bs if lw.isascii()))}
    other_by = {
        a: t for a, bs in table.items() if (t := tuple(b for b, lw in bs if not lw.isascii()))
    }
    return ascii_by, other_by, sorted(lengths)


def _best_zipf_any(low: str) -> float:
    """``best_zipf`` of a word with a letter outside ASCII, replacement by replacement."""
    table = frequency_table()
    best_key = ""  # the commonest lower-cased ASCII word found in wordfreq's table
    best_f = 0.0
    best_other = 0.0  # the greatest Zipf of the others (non-ASCII: looked up by ``zipf``)
    for head, (b, b_low), tail in replacements(low, _confusions_by_source()):
        o = head + b_low + tail
        if o == low or not o:
            continue
        if o.isascii():
            f = table.get(o, 0.0)
            if f > best_f:
                best_key, best_f = o, f
        else:
            best_other = max(best_other, zipf(head + b + tail))
    return max(zipf(best_key) if best_key else 0.0, best_other)


@lru_cache(maxsize=1)
def _confusions_by_source() -> BySource[tuple[str, str]]:
    """``shape_confusions`` indexed by the string read wrongly (the empty string left out), each
    with the strings it is read as that can stand in a word (letters or nothing), as written
    and lower-cased; and the lengths of the strings read wrongly."""
    return by_source(
        (a, (b, b.lower())) for a, b in sorted(shape_confusions()) if b.isalpha() or not b
    )


def sources() -> tuple[int, str]:
    """What the stored answers were worked out from: the number of words in wordfreq's table
    and a SHA-256 of the shape confusions (sorted, a pair a line)."""
    pairs = "\n".join(f"{a}\t{b}" for a, b in sorted(shape_confusions()))
    return len(frequency_table()), hashlib.sha256(pairs.encode("utf-8")).hexdigest()


def stored_words() -> Iterable[str]:
    """The words whose answers the table stores: wordfreq's words of ASCII letters only, of two
    letters or more (``scanno_gain`` of a shorter one is 0)."""
    return (w for w in frequency_table() if w.isascii() and w.isalpha() and len(w) >= 2)


@dataclass(frozen=True, slots=True)
class TopTable:
    """``best_zipf`` in hundredths (wordfreq's Zipf figures are rounded to them) of each stored
    word that has a word one confusion away commoner than itself; ``words`` and ``confusions``
    are ``sources()`` of the data it was built from."""

    best: dict[str, int]
    words: int
    confusions: str

    @classmethod
    def build(cls) -> TopTable:
        """The table worked out now, from the installed wordfreq and the packaged confusions.

        Raises ``ValueError`` if a Zipf figure is not a whole number of hundredths."""
        best: dict[str, int] = {}
        for w in stored_words():
            top = best_zipf(w)
            if top > zipf(w):
                centi = round(top * 100)
                if centi / 100 != top:
                    raise ValueError(f"best_zipf({w!r}) = {top!r}: not in hundredths")
                best[w] = centi
        words, confusions = sources()
        return cls(best, words, confusions)

    def write(self, path: Path) -> None:
        """Store the table as gzip text (no timestamp), written atomically: a header line, then
        a line a figure, ``centi<TAB>word word ...``, figures and words in order."""
        by: dict[int, list[str]] = {}
        for w, centi in self.best.items():
            by.setdefault(centi, []).append(w)
        lines = [f"{_MAGIC} words={self.words} confusions={self.confusions}"]
        lines += [f"{c}\t{' '.join(sorted(ws))}" for c, ws in sorted(by.items())]
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(("\n".join(lines) + "\n").encode("utf-8"))
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> TopTable:
        """The table stored by ``write``. Raises ``ValueError`` if the file is not one."""
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        head, _, body = text.partition("\n")
        fields = dict(f.partition("=")[::2] for f in head.removeprefix(_MAGIC).split())
        if not head.startswith(_MAGIC) or set(fields) != {"words", "confusions"}:
            raise ValueError(f"{path}: not a table of scanno_tops ({head[:60]!r})")
        best: dict[str, int] = {}
        for line in body.splitlines():
            centi, words = line.split("\t")
            best.update(dict.fromkeys(words.split(" "), int(centi)))
        return cls(best, int(fields["words"]), fields["confusions"])


@lru_cache(maxsize=1)
def top_table() -> TopTable | None:
    """The packaged table, or None where it was built from another wordfreq table or other
    confusions than those in force (every answer is then worked out)."""
    table = TopTable.read(DATA / TOPS)
    return table if (table.words, table.confusions) == sources() else None
