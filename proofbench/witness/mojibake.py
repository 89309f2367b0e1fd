"""Mojibake: text decoded with the wrong encoding somewhere before it reached proofbench.

Input: a witness's text. Output: warnings naming the file, what looks mis-decoded, and the
normalization rule that repairs it (``normalize.replace`` in the manifest); the text itself is
never changed (it is what the file says).

Two kinds are found:

* UTF-8 read as a single-byte code page (``â€”`` for ``—``, ``Ã©`` for ``é``): ftfy's
  ``fix_and_explain`` recognises the sequences and says how they arose.
* a single-byte code page read as another (Julian's ``Act1_version3.txt``: every em dash a
  ``ó``, the cp1252 byte 0x97 read as MacRoman). ftfy cannot tell such an ``ó`` from a real
  one; the evidence here is that the letter, re-encoded, is punctuation the text never has
  in its own right, and it is most of the text's non-ASCII letters (a Spanish text has many
  accented letters; an English one with every dash mis-read has one, many times).

Both look at the text's distinct characters first, which cost one pass at C speed: ftfy's full
fix (a third of a second a megabyte, most of loading a book) runs only where a sign of UTF-8
mojibake is there (``utf8_signs``), and letters are counted only where one could be a mis-read
punctuation mark.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from proofbench.model import Witness

# (what the bytes were read as, what they were): the confusions of Western text in the wild.
_PAIRS = (
    ("mac_roman", "cp1252"), ("cp1252", "mac_roman"), ("cp437", "cp1252"), ("cp850", "cp1252"),
)  # fmt: skip
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FEW = 64
"""Distinct letters counted one ``str.count`` each; more are tallied in one pass (measured on
the 50 MB witness: 0.02 s a count, 2 s the pass)."""
_SAMPLE = 1 << 20  # ftfy reads a megabyte: mojibake, where there is some, is everywhere


CODE_PAGES = (
    "latin-1", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250",
    "sloppy-windows-1253", "sloppy-windows-1254", "sloppy-windows-1257", "iso-8859-2",
    "macroman", "cp437",
)  # fmt: skip
"""The code pages ftfy repairs UTF-8 read as (its ``chardata.CHARMAP_ENCODINGS``, which a test
compares): named here so that ftfy (0.05-0.4 s to import) is imported only where a text shows
a sign of it. A ``sloppy-`` page is ftfy's: the standard one with its undefined bytes read as
Latin-1 (``ftfy.bad_codecs.sloppy``)."""


def _decoded(encoding: str, data: bytes) -> str:
    """``data`` decoded as ``encoding`` with undecodable bytes left out, ``sloppy-`` pages as
    ftfy decodes them (an undefined byte is its Latin-1 character)."""
    base = encoding.removeprefix("sloppy-")
    if base == encoding:
        return data.decode(encoding, errors="ignore")
    return "".join(
        bytes([b]).decode(base, errors="replace").replace("\ufffd", chr(b)) for b in data
    )


def charmap(encoding: str, low: int, high: int) -> frozenset[str]:
    """The characters a single-byte code page shows for the bytes ``low`` to ``high``."""
    return frozenset(_decoded(encoding, bytes(range(low, high + 1))))


# What UTF-8 looks like read as each code page ftfy repairs: a lead byte (0xC0-0xF4) shown as
# one character, then a continuation byte (0x80-0xBF) as another. ftfy also repairs sequences
# with a byte lost (0x1A, U+FFFD; or ``?`` in its "sloppy" code pages) and, but in MacRoman,
# sequences whose 0xA0 became a space after the leads its ``ALTERED_UTF8_RE`` names.
_ALTERED_LEADS = bytes([0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE0, 0xE1, 0xE2, 0xE3, 0xF0])


def _signs(encoding: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    lost = "\x1a\ufffd" + ("?" if encoding.startswith("sloppy") else "")
    signs = [(charmap(encoding, 0xC0, 0xF4), charmap(encoding, 0x80, 0xBF) | frozenset(lost))]
    if encoding != "macroman":
        altered = frozenset(_decoded(encoding, _ALTERED_LEADS))
        signs.append((altered, frozenset(" ")))
    return signs


_SIGNS = tuple(sign for e in CODE_PAGES for sign in _signs(e))
_PIECES = "decode_inconsistent_utf8"
_C1 = frozenset(map(chr, range(0x80, 0xA0)))
_ASCII_CONTINUATIONS = frozenset(c for _, follow in _SIGNS for c in follow if c.isascii())
"""The continuations that are ASCII (a lost byte's ``?``, an altered one's space): assumed
present, where only a text's other characters are known."""


_LEADS = re.compile(
    "(?=(["
    + re.escape("".join(sorted(frozenset().union(*(lead for lead, _ in _SIGNS)))))
    + "].?))",
    re.DOTALL,
)
"""Each character that leads in some code page, with the character after it (if any)."""


def utf8_signs(sample: str, distinct: frozenset[str]) -> bool:
    """Whether ``sample`` (its characters ``distinct``) may hold UTF-8 read as a code page.

    A necessary condition of what ftfy's ``fix_encoding`` repairs: for some code page, a lead
    character directly followed by a continuation one, or a C1 control. Where it fails ftfy
    would find nothing to re-decode, so it is not asked; where it holds, ftfy decides.
    ``distinct`` needs to hold only the sample's characters that are not ASCII.
    """
    if distinct & _C1:
        return True
    pairs: set[str] | None = None  # the sample's distinct (lead, next) pairs, found once
    for leads, continuations in _SIGNS:
        if leads & distinct and continuations & (distinct | _ASCII_CONTINUATIONS):
            if pairs is None:
                pairs = set(_LEADS.findall(sample))
            if any(p[0] in leads and p[1:] in continuations for p in pairs):
                return True
    return False


def _misread(char: str, shown: str, real: str) -> str | None:
    try:
        fixed = char.encode(shown).decode(real)
    except UnicodeError:
        return None
    return fixed if fixed != char else None


def single_byte(
    text: str, distinct: frozenset[str] | None = None, tally: Counter[str] | None = None
) -> list[tuple[str, str, int, str]]:
    """(letter, punctuation it was, count, the two code pages) for each mis-read letter.

    ``distinct`` is the text's set of characters (or of those not ASCII), where the caller has
    it; ``tally`` the counts of its characters that are not ASCII. Letters are counted (one
    ``str.count`` each, or from ``tally``) only where one of them, re-encoded, is punctuation
    the text lacks.
    """
    if text.isascii():
        return []
    chars = distinct if distinct is not None else frozenset(text)
    letters = [c for c in chars if not c.isascii() and unicodedata.category(c).startswith("L")]
    candidates = {}
    for char in letters:
        for shown, real in _PAIRS:
            fixed = _misread(char, shown, real)
            # ``fixed`` is never ASCII: these code pages keep ASCII to itself
            if fixed and unicodedata.category(fixed).startswith("P") and fixed not in chars:
                candidates[char] = (fixed, f"{real} read as {shown}")
                break
    if not candidates:
        return []
    if tally is None:
        # One scan a letter, where they are few (an English or a Spanish text); one pass over
        # the whole text where they are many (Greek, Cyrillic).
        tally = Counter(text) if len(letters) > _FEW else None
    counts = {c: tally[c] if tally is not None else text.count(c) for c in letters}
    total = sum(counts.values())
    return [
        (char, fixed, counts[char], how)
        for char, (fixed, how) in candidates.items()
        if counts[char] >= 3 and 2 * counts[char] >= total
    ]


REACH = 6
"""ftfy's test of mojibake (``badness.BADNESS_RE``) matches at most 7 characters, each holding
one that is not ASCII (a test reads both off its pattern): any match lies within this many
characters of such a character on either side."""
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def near_non_ascii(text: str) -> str:
    """The stretches of ``text`` around its characters that are not ASCII, ``REACH``
    characters either side (stretches that meet are one), a newline between two: every match
    of ftfy's mojibake test in ``text`` is one in these, and no other."""
    pieces: list[str] = []
    lo = hi = -1
    for m in _NON_ASCII_RUN.finditer(text):
        start, end = m.start() - REACH, m.end() + REACH
        if start <= hi:
            hi = end
            continue
        if hi >= 0:
            pieces.append(text[max(lo, 0) : hi])
        lo, hi = start, end
    if hi >= 0:
        pieces.append(text[max(lo, 0) : hi])
    return "\n".join(pieces)


def _looks_bad(sample: str) -> bool:
    """ftfy's first test of mojibake (``badness.is_bad``, which its fix asks before anything
    else, and with which it gives up), asked of the stretches around the sample's characters
    that are not ASCII: the same answer, without its search of a whole megabyte of a book
    that has a few thousand such characters (0.45 s a megabyte)."""
    from ftfy.badness import is_bad

    return is_bad(near_non_ascii(sample))


def warnings(witness: Witness) -> list[str]:
    """One line for each kind of mojibake in the witness, with the rule that repairs it."""
    name = witness.files[0] if witness.files else witness.siglum
    out: list[str] = []
    text = witness.text
    if text.isascii():
        return out
    # The characters that are not ASCII, with their counts, in one pass at C speed: all that
    # the signs below ask of a text (a book is mostly ASCII; ``frozenset(text)`` and a
    # ``str.count`` per letter cost ten times more).
    tally = Counter(_NON_ASCII.findall(text))
    distinct = frozenset(tally)
    sample = text[:_SAMPLE]
    if utf8_signs(
        sample, frozenset(_NON_ASCII.findall(sample)) if len(text) > _SAMPLE else distinct
    ) and _looks_bad(sample):
        import ftfy

        fixed_text, explained = ftfy.fix_encoding_and_explain(sample)
        # Re-decoding the whole sample, or the pieces of UTF-8 mojibake in a text that also
        # has characters of its own (a curly quote beside ``cafÃ©``).
        steps = [s for s in explained or () if s[0] in {"encode", "decode"} or s[1] == _PIECES]
        if steps:
            before = next((a for a, b in zip(sample, fixed_text, strict=False) if a != b), "")
            at = sample.find(before) if before else -1
            word = sample[max(0, at - 10) : at + 10].split() if at >= 0 else []
            out.append(
                f"{name}: looks mis-decoded (UTF-8 read as a single-byte code page, as ftfy "
                f"explains: {', '.join(f'{s[0]} {s[1]}' for s in steps)})"
                + (f" near {' '.join(word)!r}" if word else "")
                + "; name the file's real encoding in the manifest (encoding = ...)"
            )
            return out  # its letters (â, Ã) are no evidence of a second confusion
    for char, fixed, count, how in single_byte(text, distinct, tally):
        out.append(
            f"{name}: looks mis-decoded ({how}): {char!r} {count} times where {fixed!r} was "
            f"meant; to compare it as {fixed!r}, give the witness "
            f'normalize.replace = [{{ pattern = "{char}", replacement = "{fixed}" }}]'
        )
    return out
