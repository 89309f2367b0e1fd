"""Build proofbench's list of English spelling variants from SCOWL's VarCon and AGID.

    python3 scripts/build_variant_pairs.py REPO [--commit 1605448] [--out DIR]

``REPO`` is a git checkout (bare or not) of SCOWL's repository, https://github.com/en-wl/wordlist
(formerly kevina/wordlist); the data in the package were built from commit
1605448f6522e9dd432287eff44dfa7232b39c94 (2024-07-16, "varcon: remove bacteria entry"). The script
reads, with ``git -C REPO show COMMIT:PATH``:

- ``varcon/varcon.txt`` (VarCon 2020.12.07, Latin-1): each line maps "the various spellings of a
  word" (its README), entries ``TAGS: word`` separated by `` / ``, a usage or part of speech after
  `` | ``. Every two entries of one line are spellings of one word in that line's usage, so a pair
  scoped to a part of speech (``_: toward / _.: towards | <Prep>``) is kept: the README says a
  line's entries are one word's spellings, and the groups split a word by usage, not into other
  words. An entry whose every tag carries ``x`` ("improper variant ... almost generally considered
  a misspelling") is left out: it is a misspelling, not a spelling.
- ``varcon/variant-also.tab``: "additional mappings between various spellings of a word", one
  group a line, tab-separated.
- ``agid/infl.txt`` (AGID): the inflected forms of each word; comma-separated forms in one slot are
  alternatives of one inflection (``burn V: burned, burnt 1 | ...``). Kept by the rule AGID's own
  ``agid/find-var`` uses to make its ``variant.tab``: forms with a tag (``~ < ! ?``: uncertain or
  likely another word's inflection) or a variant level of 2 or more ("archaic ... or I could not
  find any evidence") are left out, and forms are variants only of forms with the same
  explanation (``antennas {TV}`` and ``antennae {insect}`` are different words).

Words are compared as ``classify/classes.py`` compares them: letters and digits only, lower case;
entries of more than one word, possessives and pairs that become equal are dropped.

Writes ``spelling-variants-en.tsv.gz`` (``a<TAB>b<TAB>source`` with ``a < b``, sorted; gzip without
a timestamp, so the same inputs give the same bytes) and ``spelling-variants-en.COPYRIGHT`` (the
notices SCOWL's licence asks to travel with every copy: ``scowl/Copyright`` and the copyright part
of ``agid/README``) into ``proofbench/data/`` or ``--out``. Exit status 2 if git cannot read a file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from itertools import combinations
from pathlib import Path

COMMIT = "1605448f6522e9dd432287eff44dfa7232b39c94"
OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data"
_NONWORD = re.compile(r"[\W_]+", re.UNICODE)
_AGID_FORM = re.compile(r"^([A-Za-z']+)([~<!?]*)(?: ([\d.]+))?(?: (\{[^}]*\}))?$")

Pair = tuple[str, str]


def key(word: str) -> str:
    """A word as the class rule compares it: letters and digits only, lower case."""
    return _NONWORD.sub("", word).lower()


def _pairs(words: Iterable[str]) -> Iterator[Pair]:
    """Every two distinct one-word forms of a group, ordered ``a < b``."""
    keys = sorted({key(w) for w in words if w and " " not in w and "'" not in w} - {""})
    yield from combinations(keys, 2)


def varcon_pairs(lines: Iterable[str]) -> set[Pair]:
    """Pairs of spellings from VarCon lines (cluster headers and comments skipped; entries marked
    improper, ``x``, in every tag left out)."""
    out: set[Pair] = set()
    for raw in lines:
        line = raw.split("#", 1)[0].strip()  # "#" starts a cluster header or a comment
        if not line:
            continue
        words = []
        for entry in line.split(" | ", 1)[0].split(" / "):
            tags, sep, word = entry.partition(": ")
            if not sep:
                continue
            marks = [t for t in tags.split() if not t.isdigit()]
            if marks and all("x" in t for t in marks):
                continue
            words.append(word.strip())
        out.update(_pairs(words))
    return out


def tab_pairs(lines: Iterable[str]) -> set[Pair]:
    """Pairs from a tab-separated file of variant groups, one group a line."""
    out: set[Pair] = set()
    for line in lines:
        out.update(_pairs(w.strip() for w in line.split("\t")))
    return out


def agid_pairs(lines: Iterable[str]) -> set[Pair]:
    """Pairs of alternative inflections from AGID's ``infl.txt``.

    find-var's rule: no tagged form, no variant level of 2 or more, alternatives only among forms
    with the same explanation. Beside it, three things AGID's README says are not one form
    spelled two ways: an entry whose part of speech is followed by ``?`` ("not in the
    part-of-speech database", its forms guessed from the word list: ``pac V?: paced, packed``); a
    form that is the word itself or fills another slot of the entry (``beat V: beat | beaten,
    beat``, ``show V: showed | shown, showed 1``: two inflections, not two spellings of one); and
    the comparison of adjectives and adverbs (``old A: older, elder 1``), whose alternatives are
    other words where they are not VarCon's spellings (``crueler``/``crueller`` is in VarCon)."""
    out: set[Pair] = set()
    for line in lines:
        head, sep, forms = line.partition(": ")
        word, _, pos = head.partition(" ")
        if not sep or pos not in ("V", "N"):
            continue
        slots = [[_AGID_FORM.match(f.strip()) for f in slot.split(", ")] for slot in
                 forms.strip().split(" | ")]  # fmt: skip
        for i, slot in enumerate(slots):
            elsewhere = {key(word)} | {
                key(m.group(1)) for j, other in enumerate(slots) if j != i for m in other if m
            }
            groups: dict[str, list[str]] = {}
            for m in slot:
                if m and not m.group(2) and float(m.group(3) or 0) < 2:
                    groups.setdefault(m.group(4) or "", []).append(m.group(1))
            for words in groups.values():
                out.update(p for p in _pairs(words) if not elsewhere.intersection(p))
    return out


def _git_show(repo: str, commit: str, path: str) -> str:
    done = subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if done.returncode:
        raise FileNotFoundError(f"{repo}: git show {commit}:{path}: {done.stderr.decode().strip()}")
    # VarCon is Latin-1 (``f\xfchrer``); the other files are ASCII
    return done.stdout.decode("latin-1" if path == "varcon/varcon.txt" else "utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _gz(text: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def rows(sources: dict[str, set[Pair]]) -> str:
    """The data file: one pair a line, the first source (in the order given) that attests it."""
    first: dict[Pair, str] = {}
    for name, pairs in sources.items():
        for p in pairs:
            first.setdefault(p, name)
    return "".join(f"{a}\t{b}\t{first[(a, b)]}\n" for a, b in sorted(first))


def main() -> int:
    """Build the pairs file and its copyright notice; exit 2 if the checkout lacks a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a git checkout of https://github.com/en-wl/wordlist")
    parser.add_argument("--commit", default=COMMIT)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    try:
        show = {p: _git_show(args.repo, args.commit, p) for p in (
            "varcon/varcon.txt", "varcon/variant-also.tab", "agid/infl.txt",
            "scowl/Copyright", "agid/README")}  # fmt: skip
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2
    sources = {
        "varcon": varcon_pairs(show["varcon/varcon.txt"].splitlines()),
        "varcon-also": tab_pairs(show["varcon/variant-also.tab"].splitlines()),
        "agid": agid_pairs(show["agid/infl.txt"].splitlines()),
    }
    out = Path(args.out)
    text = rows(sources)
    _write_atomic(out / "spelling-variants-en.tsv.gz", _gz(text))
    agid_copyright = show["agid/README"].split("COPYRIGHT AND SOURCE:", 1)[-1]
    notice = (
        f"spelling-variants-en.tsv.gz is derived from SCOWL's VarCon and AGID, commit {args.commit}"
        " of https://github.com/en-wl/wordlist, by scripts/build_variant_pairs.py.\n\n"
        "== scowl/Copyright ==\n\n" + show["scowl/Copyright"].strip() + "\n\n"
        "== agid/README, COPYRIGHT AND SOURCE ==\n\n" + agid_copyright.strip() + "\n"
    )
    _write_atomic(out / "spelling-variants-en.COPYRIGHT", notice.encode("utf-8"))
    counts = ", ".join(f"{n} {len(p)}" for n, p in sources.items())
    print(f"{text.count(chr(10))} pairs ({counts}) written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
