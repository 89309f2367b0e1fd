"""Normalization profiles: a token's written form ``t`` -> its compared form ``n``.

A profile is a named, ordered list of rules; each rule is a pure str -> str function. Applying a
profile returns ``n`` and the names of the rules that changed something, so that typographic
differences (quotes, dashes, ligatures...) are compared away yet stay reportable. Every built-in
rule is idempotent, and so is every built-in profile.

Users compose their own (``compose``): profiles and rule names in order (``default`` then
``diacritics``: War and Peace's releases differ in stress accents), plus regular-expression
replacements of their own. A composed profile is registered under a name that spells out its
rules, so the same manifest always gives the same profile and tokens name what changed them.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from proofbench.model import Manifest, Token, WitnessSpec, token_norms, token_rules, token_texts

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
    # Of the table's keys only the backtick is ASCII: an ASCII string (most readings) needs no
    # lookup of each character (``str.translate``): at 3 x 1M words 886k readings compared.
    if s.isascii():
        return s.replace("`", "'") if "`" in s else s
    return s.translate(_QUOTES)


def dashes(s: str) -> str:
    """En dashes, minus and figure dashes -> hyphen; ``--`` and the bar -> em dash."""
    if not s.isascii():  # the table's keys are none of them ASCII
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
    """Case folding (``London`` == ``london``)."""
    return s.casefold()


def diacritics(s: str) -> str:
    """Accents and other combining marks dropped (``Natásha`` == ``Natasha``, ``café`` == ``cafe``).

    Letters that are not a base letter plus a mark (``ø``, ``ß``, ``ł``) stay as they are.
    """
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def punctuation(s: str) -> str:
    """Punctuation dropped from a word (``again—`` == ``again``); a word of punctuation stays."""
    if s.isalnum():
        return s
    kept = "".join(c for c in s if not unicodedata.category(c).startswith("P"))
    return kept or s


_ELLIPSIS = re.compile(r"[.\u2026]*\u2026[.\u2026]*|\.{3,}")


def ellipsis(s: str) -> str:
    """An ellipsis of three dots or more, or ``…``, -> ``...`` (``then....`` == ``then...``)."""
    return _ELLIPSIS.sub("...", s) if "." in s or "\u2026" in s else s


_BRACKETS = _table({"[": "(", "]": ")", "{": "(", "}": ")"})


def brackets(s: str) -> str:
    """Square and curly brackets -> round ones (``[or`` == ``(or``)."""
    return s.translate(_BRACKETS)


_DASH_HYPHEN = _table({"\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2015": "-",
                       "\u2212": "-", "\u2010": "-", "\u2011": "-"})  # fmt: skip
_HYPHENS = re.compile(r"-{2,}")


def dash_hyphen(s: str) -> str:
    """Every dash -> one hyphen: a dash typed as a hyphen (``short-began``) == ``short—began``.

    For texts whose typists wrote dashes as hyphens; a word's own hyphen (``tear-worn``) still
    differs from its absence (``tearworn``).
    """
    s = s.translate(_DASH_HYPHEN)
    return _HYPHENS.sub("-", s) if "--" in s else s


def word_division(s: str) -> str:
    """No change to a word: the rule's presence compares readings with their spaces removed.

    Under it ``are ...`` == ``are...`` and ``* The`` == ``*The``: differences of word division
    alone are not reported (see ``joins_words``).
    """
    return s


RULES: dict[str, Rule] = {
    "nfc": nfc,
    "quotes": quotes,
    "dashes": dashes,
    "ligatures": ligatures,
    "long-s": long_s,
    "invisible": invisible,
    "spaces": spaces,
    "case": casefold,
    "diacritics": diacritics,
    "punctuation": punctuation,
    "ellipsis": ellipsis,
    "brackets": brackets,
    "dash-hyphen": dash_hyphen,
    "word-division": word_division,
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


class RuleError(ValueError):
    """A user's rule that cannot be used: an unknown name, a regular expression that fails."""


def _replacement(pattern: str, replacement: str) -> str:
    """Register a regular-expression replacement as a rule; returns its name."""
    name = f"replace({pattern}→{replacement})"
    if name not in RULES:
        try:
            compiled = re.compile(pattern)
            compiled.sub(replacement, "")  # a bad group reference fails here, not mid-run
        except (re.error, IndexError) as exc:
            raise RuleError(f"bad pattern {pattern!r}: {exc}") from None
        RULES[name] = lambda s: compiled.sub(replacement, s)
    return name


def compose(names: Sequence[str], replacements: Sequence[tuple[str, str]] = ()) -> str:
    """The name of the profile made of replacements, then these profiles and rules in order.

    ``compose(["default", "diacritics"])`` is the default profile with accents folded. A name
    that is neither a profile nor a rule raises RuleError naming the known ones. NFC runs last,
    as in every profile. A single profile name alone is returned as it is.
    """
    if len(names) == 1 and not replacements and names[0] in PROFILES:
        return names[0]
    rules: list[str] = []
    for name in names:
        if name in PROFILES:
            rules += PROFILES[name].rules
        elif name in RULES:
            rules.append(name)
        else:
            raise RuleError(
                f"unknown normalization {name!r} (profiles: {', '.join(PROFILES)}; "
                f"rules: {', '.join(r for r in RULES if not r.startswith('replace('))})"
            )
    # Replacements first: they repair what the text says (mojibake, a house spelling) before
    # the other rules compare it.
    rules = [*(_replacement(p, r) for p, r in replacements), *rules]
    ordered = tuple(dict.fromkeys(r for r in rules if r != "nfc"))
    label = "+".join([*names, *(_label(p, r) for p, r in replacements)])
    if label not in PROFILES:
        PROFILES[label] = Profile(label, ("nfc", *ordered, "nfc"), "composed by the manifest")
    return label


def collation_profile(manifest: Manifest) -> str:
    """The profile a manifest asks for: its ``profile`` (one or several), rules, replacements.

    Raises RuleError for an unknown name or a bad pattern.
    """
    return compose((manifest.profile, *manifest.rules), manifest.replacements)


def witness_profile(manifest: Manifest, spec: WitnessSpec) -> str:
    """The profile of one witness: the collation's, then the witness's own rules."""
    base = collation_profile(manifest)
    if not spec.rules and not spec.replacements:
        return base
    return compose(
        (manifest.profile, *manifest.rules, *spec.rules),
        (*manifest.replacements, *spec.replacements),
    )


def _label(pattern: str, replacement: str) -> str:
    return f"replace({pattern}→{replacement})"


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


_ASCII_PUNCTUATION = tuple(c for c in map(chr, range(128)) if unicodedata.category(c)[0] == "P")
ASCII_TRIGGERS: dict[str, tuple[str, ...]] = {
    "nfc": (),
    "invisible": (),
    "spaces": (),
    "ligatures": (),
    "long-s": (),
    "diacritics": (),
    "word-division": (),
    "quotes": ("`",),
    "dashes": ("--",),
    "dash-hyphen": ("--",),
    "ellipsis": ("...",),
    "brackets": ("[", "]", "{", "}"),
    "case": tuple(map(chr, range(ord("A"), ord("Z") + 1))),
    "punctuation": _ASCII_PUNCTUATION,
}
"""For each built-in rule, the substrings without which it leaves an ASCII string as it is
(every key of its tables but these is non-ASCII; NFC and the marks' removal change no ASCII
string). A rule not named here (a user's replacement) may change any string."""


@lru_cache(maxsize=64)
def _may_change(profile_name: str) -> re.Pattern[str] | None:
    """A pattern found in every string the profile may change; None where any may change."""
    triggers: dict[str, None] = {}
    for rule in PROFILES[profile_name].rules:
        if rule not in ASCII_TRIGGERS:
            return None
        triggers.update(dict.fromkeys(ASCII_TRIGGERS[rule]))
    return re.compile("|".join(["[^\\x00-\\x7f]", *map(re.escape, triggers)]))


def normalize_forms(
    forms: Iterable[str], profile_name: str = "default"
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each distinct form -> ``normalize(form, profile_name)``.

    An ASCII form holding none of its rules' ``ASCII_TRIGGERS`` is its own normal form, changed
    by no rule: found by one regular-expression search a form (most of a book's forms), not by
    applying every rule. Raises KeyError for an unknown profile.
    """
    distinct = forms if isinstance(forms, (set, frozenset)) else set(forms)
    may_change = _may_change(profile(profile_name).name)
    if may_change is None:
        return {f: normalize(f, profile_name) for f in distinct}
    ordered = list(distinct)
    found = list(map(may_change.search, ordered))
    unchanged: tuple[str, ...] = ()
    out = {f: (f, unchanged) for f in compress(ordered, map(operator.not_, found))}
    for f in compress(ordered, found):
        out[f] = normalize(f, profile_name)
    return out


def joins_words(profile_name: str) -> bool:
    """Whether the profile compares readings with their spaces removed (``word-division``)."""
    return "word-division" in PROFILES[profile_name].rules


def compared_away(forms: Sequence[Sequence[str]], join: bool = False) -> bool:
    """Whether readings, each given as its tokens' normalized forms, are all one reading.

    Forms a rule emptied (a footnote mark a replacement removed) count as nothing; with
    ``join`` (``word-division``) the forms are compared with no spaces between them. True
    means the difference is only what the rules normalize away.
    """
    sep = "" if join else " "
    return len({sep.join(n for n in ns if n) for ns in forms}) < 2


@dataclass(frozen=True, slots=True)
class RuleChange:
    """What one rule changed in a witness: how many words, and the first few forms it changed."""

    rule: str
    words: int
    examples: tuple[tuple[str, str], ...]
    """Distinct (as written, normalized) pairs, in text order."""


def rule_changes(tokens: Sequence[Token], examples: int = 3) -> tuple[RuleChange, ...]:
    """Each rule that changed a token's compared form, with its count and first examples.

    Rules in the order they first changed a word. Apparatus tokens are counted too: they are
    normalized like the rest.
    """
    counts: dict[str, int] = {}
    seen: dict[str, dict[tuple[str, str], None]] = {}
    ts, ns = token_texts(tokens), token_norms(tokens)
    column = token_rules(tokens)  # the columns: no Token made
    # only the tokens some rule changed (a few in a hundred), found at C speed
    for i in compress(range(len(column)), column):
        for rule in column[i]:
            counts[rule] = counts.get(rule, 0) + 1
            forms = seen.setdefault(rule, {})
            if len(forms) < examples:
                forms.setdefault((ts[i], ns[i]), None)
    return tuple(RuleChange(r, n, tuple(seen[r])) for r, n in counts.items())


def user_rules(manifest: Manifest) -> frozenset[str]:
    """The rules the manifest adds to its base profile (``diacritics``, its replacements...)."""
    base = set(PROFILES[manifest.profile].rules) if manifest.profile in PROFILES else set()
    names = {
        collation_profile(manifest),
        *(witness_profile(manifest, w) for w in manifest.witnesses),
    }
    return frozenset(r for n in names for r in PROFILES[n].rules if r not in base)


def changed_forms(tokens: Sequence[Token], rules: frozenset[str], limit: int = 3) -> str:
    """The words those rules changed, as ``Natásha → Natasha (diacritics)``; "" if none.

    At most ``limit`` distinct forms, then ``…``; for a variant's evidence, so that a reader
    sees what was compared, not only what was written.
    """
    shown: dict[str, None] = {}
    more = False
    for tok in tokens:
        named = [r for r in tok.norm if r in rules]
        if named:
            text = f"{tok.t} → {tok.n or '∅'} ({', '.join(named)})"
            if text not in shown and len(shown) == limit:
                more = True
                break
            shown.setdefault(text, None)
    return "; ".join(shown) + ("; …" if more else "")
