"""Build proofbench's English language data from real, named sources (see data/SOURCES.md).

    python3 scripts/build_language_data.py [--dict FILE ...] [--out DIR]

Writes two files into ``proofbench/data/`` (or ``--out``):

- ``words-en.txt.gz``: the union of SCOWL word lists (Debian's ``wamerican-large`` and
  ``wbritish-large``: ``/usr/share/dict/american-english-large``, ``british-english-large``),
  one word a line, sorted, possessives (``'s``) left out because the tokenizer's core keeps them;
- ``char-ngrams-en.tsv.gz``: character trigram counts of wordfreq's English list (the top
  ``--top`` words), each word counted by its frequency per billion words, with ``^`` and ``$``
  marking the word's ends: the data of ``proofbench.text.lexicon.shape_logprob``.

Install the word lists with ``apt-get install wamerican-large wbritish-large``. The output is
deterministic for the same inputs (gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import gzip
import io
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

DICTS = (
    "/usr/share/dict/american-english-large",
    "/usr/share/dict/british-english-large",
)
OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data"


def words_from(lines: Iterable[str]) -> set[str]:
    """The words of SCOWL-style lists: one a line, possessives and blank lines left out."""
    out = set()
    for line in lines:
        w = line.strip()
        if w and not w.endswith("'s"):
            out.add(w)
    return out


def trigram_counts(freqs: Iterable[tuple[str, float]]) -> Counter[str]:
    """Character trigrams of ``^word$`` (lower-cased), each weighted by the word's frequency
    per billion words (rounded, at least 1)."""
    counts: Counter[str] = Counter()
    for word, freq in freqs:
        w = "^" + word.lower() + "$"
        weight = max(1, round(freq * 1e9))
        for i in range(len(w) - 2):
            counts[w[i : i + 3]] += weight
    return counts


def _write_gz(path: Path, text: str) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def main() -> int:
    """Build both files; exit 2 if a word list is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dict", action="append", default=None, help="a SCOWL-style word list")
    parser.add_argument("--top", type=int, default=200_000, help="wordfreq words for n-grams")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    out = Path(args.out)
    words: set[str] = set()
    for name in args.dict or DICTS:
        p = Path(name)
        if not p.is_file():
            print(f"{name}: missing (apt-get install wamerican-large wbritish-large)")
            return 2
        words |= words_from(p.read_text(encoding="utf-8", errors="replace").splitlines())
    _write_gz(out / "words-en.txt.gz", "".join(w + "\n" for w in sorted(words)))

    from wordfreq import top_n_list, word_frequency

    top = top_n_list("en", args.top)
    counts = trigram_counts((w, word_frequency(w, "en")) for w in top if w.isalpha())
    rows = "".join(f"{g}\t{n}\n" for g, n in sorted(counts.items()))
    _write_gz(out / "char-ngrams-en.tsv.gz", rows)
    print(f"{len(words)} words, {len(counts)} trigrams written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
