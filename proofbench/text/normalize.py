"""Normalization profiles: a token's written form ``t`` -> its compared form ``n``.

A profile is a named, ordered list of rules; each rule is a pure str -> str function. Applying a
profile returns ``n`` and the names of the rules that changed something, so that typographic
differences (quotes, dashes, ligatures...) are compared away yet stay reportable. Every rule is
idempotent, and so is every profile.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

Rule = Callable[[str], str]


def _table(pairs: dict[str, str]) -> dict[int, str]:
    return {ord(k): v for k, v in pairs.items()}


_QUOTES = _table(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    }
)  # fmt: skip
_DASHES = _table({"\u2013": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                  "\u2015": "\u2014"})  # fmt: skip
_LIGATURES = _table(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe",
     "\u0152": "OE"}
)  # fmt: skip
_INVISIBLE = _table({"\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "",
                     "\ufeff": ""})  # fmt: skip
_SPACES = _table({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " "})


def nfc(s: str) -> str:
    """Unicode canonical composition (NFC)."""
    return unicodedata.normalize("NFC", s)


def quotes(s: str) -> str:
    """Curly and other typographic quotes -> straight quotes."""
    return s.translate(_QUOTES)


def dashes(s: str) -> str:
    """En dashes, minus and figure dashes -> hyphen; ``--`` and the bar -> em dash."""
    s = s.translate(_DASHES)
    while "--" in s:
        s = s.replace("--", "\u2014")
    while "\u2014\u2014" in s:
        s = s.replace("\u2014\u2014", "\u2014")
    return s


def ligatures(s: str) -> str:
    """Ligatures (fi, fl, ae, oe...) -> their letters."""
    return s.translate(_LIGATURES)


def long_s(s: str) -> str:
    """Long s -> s."""
    return s.replace("\u017f", "s")


def invisible(s: str) -> str:
    """Soft hyphens, zero-width spaces and joiners, BOMs -> nothing."""
    return s.translate(_INVISIBLE)


def spaces(s: str) -> str:
    """Non-breaking and thin spaces -> a plain space."""
    return s.translate(_SPACES)


def casefold(s: str) -> str:
    """Case folding (``Lenin`` == ``lenin``)."""
    return s.casefold()


RULES: dict[str, Rule] = {
    "nfc": nfc,
    "quotes": quotes,
    "dashes": dashes,
    "ligatures": ligatures,
    "long-s": long_s,
    "invisible": invisible,
    "spaces": spaces,
    "case": casefold,
}


@dataclass(frozen=True, slots=True)
class Profile:
    """A named, ordered selection of rules."""

    name: str
    rules: tuple[str, ...]
    description: str = ""


_TYPOGRAPHIC = ("nfc", "invisible", "spaces", "quotes", "dashes", "ligatures", "long-s")
# NFC runs again last: removing a soft hyphen or expanding a ligature can leave a combining
# mark after a new base letter (``fi`` + acute), and case folding can decompose; without it a
# profile would not be idempotent.
PROFILES: dict[str, Profile] = {
    "default": Profile("default", (*_TYPOGRAPHIC, "nfc"), "typography compared away, case kept"),
    "strict": Profile("strict", ("nfc",), "only Unicode composition; quotes and dashes count"),
    "caseless": Profile("caseless", (*_TYPOGRAPHIC, "case", "nfc"), "as default, and case folded"),
}


def profile(name: str) -> Profile:
    """The profile of that name; raises KeyError naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(
            f"unknown normalization profile {name!r} (known: {', '.join(PROFILES)})"
        ) from None


@lru_cache(maxsize=1 << 18)
def normalize(t: str, profile_name: str = "default") -> tuple[str, tuple[str, ...]]:
    """``t`` normalized under the profile, with the names of the rules that changed it."""
    applied = []
    n = t
    for rule in PROFILES[profile_name].rules:
        out = RULES[rule](n)
        if out != n:
            if rule not in applied:
                applied.append(rule)
            n = out
    return n, tuple(applied)
