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
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import ftfy

from proofbench.model import Witness

# (what the bytes were read as, what they were): the confusions of Western text in the wild.
_PAIRS = (
    ("mac_roman", "cp1252"), ("cp1252", "mac_roman"), ("cp437", "cp1252"), ("cp850", "cp1252"),
)  # fmt: skip
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE = 1 << 20  # ftfy reads a megabyte: mojibake, where there is some, is everywhere


def _misread(char: str, shown: str, real: str) -> str | None:
    try:
        fixed = char.encode(shown).decode(real)
    except UnicodeError:
        return None
    return fixed if fixed != char else None


def single_byte(text: str) -> list[tuple[str, str, int, str]]:
    """(letter, punctuation it was, count, the two code pages) for each mis-read letter."""
    counts = Counter(_NON_ASCII.findall(text))
    letters = {c: n for c, n in counts.items() if unicodedata.category(c).startswith("L")}
    total = sum(letters.values())
    found = []
    for char, count in letters.items():
        if count < 3 or 2 * count < total:
            continue
        for shown, real in _PAIRS:
            fixed = _misread(char, shown, real)
            if fixed and unicodedata.category(fixed).startswith("P") and fixed not in counts:
                found.append((char, fixed, count, f"{real} read as {shown}"))
                break
    return found


def warnings(witness: Witness) -> list[str]:
    """One line for each kind of mojibake in the witness, with the rule that repairs it."""
    name = witness.files[0] if witness.files else witness.siglum
    out = []
    sample = witness.text[:_SAMPLE]
    if not sample.isascii():
        fixed_text, steps = ftfy.fix_and_explain(sample)
        if steps and any(step[0] in {"encode", "decode"} for step in steps):
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
    for char, fixed, count, how in single_byte(witness.text):
        out.append(
            f"{name}: looks mis-decoded ({how}): {char!r} {count} times where {fixed!r} was "
            f"meant; to compare it as {fixed!r}, give the witness "
            f'normalize.replace = [{{ pattern = "{char}", replacement = "{fixed}" }}]'
        )
    return out
