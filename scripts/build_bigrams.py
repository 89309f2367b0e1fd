"""Build proofbench's English word bigram table from named Project Gutenberg books.

    python3 scripts/build_bigrams.py MIRRORS [--out DIR]

``MIRRORS`` is a folder holding a git copy of each GITenberg repository of ``BOOKS`` as
``MIRRORS/GITenberg+NAME/repo`` (a bare ``.git`` inside it is read too); the text of each book is
read at the commit named here, so the same commits give the same bytes. Each book's Project
Gutenberg header and licence are set apart by ``proofbench.witness.gutenberg`` and left out, as
are the ``_`` of its italics. Writes ``proofbench/data/word-bigrams-en.npy.gz``
(``proofbench.text.bigrams``): units seen at least ``MIN_UNIT`` times and the pairs of them seen
at least ``MIN_PAIR`` times.

None of these books is evaluation data of the project (not A Tale of Two Cities, Moby-Dick, War and
Peace, Frankenstein, the Origin, Julian, nor any ICDAR or overProof text). All are in the public
domain in the USA (Project Gutenberg's licence covers only its trademark and header, removed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

from proofbench.text.bigrams import FILE, count_pairs, write
from proofbench.witness.gutenberg import gutenberg

_TABLE = """
GITenberg/Around-the-World-in-80-Days_103 1c75e1fc21039930c2a794e964ed41452b65ee45 103.txt
GITenberg/Don-Quixote_996 9d5a482d065513226b76275851de05ff41b7e2f4 996.txt
GITenberg/Great-Expectations_1400 889db0e100928a957f469bf834c564d04065c8e6 1400-0.txt
GITenberg/Gulliver-s-Travels_829 1298a0284662e9d2d66ef0b1ce30a895cbe5d1d8 829-0.txt
GITenberg/Jack-Sheppard--A-Romance_16215 53c2275d68a942a3c29d037179f8b89c9b094c3f 16215-8.txt
GITenberg/Jane-Eyre_1260 d8976a3c05269fb2ecb83d4575d82c6c2abe0012 1260.txt
GITenberg/Katrine--A-Novel_14263 cda5284ad5c11e1928cd4c133c0726c1592bea08 14263-8.txt
GITenberg/News-from-Nowhere--Or-An-Epoch-of-Rest--13-Being-Some-Chapters-from-a-Utopian-Romance_3261 79bd67b0ae225cd64f7bbc25c0449850b3131069 3261.txt
GITenberg/North-and-South_4276 aeffaffe76f31ee5bf6e9608e825e3b38947c025 4276.txt
GITenberg/Nostromo--A-Tale-of-the-Seaboard_2021 85749ffbe6ace88e5fb171e524b5f0fee04c44bd 2021-0.txt
GITenberg/Notre-Dame-De-Paris_2610 dc5d8905ebf707c7115a0841563527b2e95fe41e 2610-0.txt
GITenberg/Pride-and-Prejudice_1342 81db45c9c48c592f0b77f01fc59e677ad0a5634e 1342-0.txt
GITenberg/The-Adventures-of-Tom-Sawyer_74 9b4174649064f197ca27895d98806b4a8659722b 74-0.txt
GITenberg/The-Brothers-Karamazov_28054 6a2b2e1e64fe3246e470b60459ba207e2872bd0e 28054-0.txt
GITenberg/The-Federalist-Papers_1404 7effe9c7518aa38e80f23664419a3e28b7993127 1404-8.txt
GITenberg/The-Last-of-the-Mohicans--A-Narrative-of-1757_27681 4c5a73f69c3970ee9fc4501684853c36d4a6589d 27681-8.txt
GITenberg/The-Strange-Case-of-Dr.-Jekyll-and-Mr.-Hyde_42 3edb28a5906562f23a1ed690d3a87d77319fb2bb 42.txt
GITenberg/The-War-of-the-Worlds_36 8b08fa3a7cbef117c80b2b437adc46e75c37dbf0 36-0.txt
GITenberg/Twelve-Years-a-Slave--13-Narrative-of-Solomon-Northup-a-Citizen-of-New-York-Kidnapped-in-Wash__45631 32f900ca484018defd85bf765f191ebe34cf671f 45631.txt
GITenberg/Uncle-Tom-s-Cabin_203 88272587e97c09eb25b32cf04fff83137fbde4a7 203-0.txt
"""  # noqa: E501
BOOKS = tuple(tuple(line.split()) for line in _TABLE.strip().splitlines())
"""(repository, commit, path of the plain text) of each book."""
MIN_UNIT = 3
MIN_PAIR = 2
OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data"


def body(raw: bytes, path: str) -> str:
    """The book's text without its Project Gutenberg header and licence, or italics marks."""
    # ``-8`` files are Latin-1 (Project Gutenberg's naming); the others UTF-8 or ASCII
    text = raw.decode("latin-1" if path.endswith("-8.txt") else "utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n")
    keep, at = [], 0
    for a in sorted(gutenberg(text), key=lambda a: a.start):
        keep.append(text[at : a.start])
        at = max(at, a.end)
    keep.append(text[at:])
    return "".join(keep).replace("_", "")


def read_book(mirrors: Path, repo: str, commit: str, path: str) -> bytes:
    """The file at the commit, from the repository's local git copy."""
    folder = mirrors / repo.replace("/", "+") / "repo"
    git_dir = folder / ".git" if (folder / ".git").is_dir() else folder
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=True,
    )
    return out.stdout


def main() -> int:
    """Count, prune and write the table; print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    texts = []
    for repo, commit, path in BOOKS:
        text = body(read_book(args.mirrors, repo, commit, path), path)
        texts.append(text.split())
        print(f"{repo}: {len(texts[-1])} words", file=sys.stderr)
    uni, bi = count_pairs(texts)
    words = sorted(u for u, n in uni.items() if n >= MIN_UNIT)
    ids = {w: k for k, w in enumerate(words)}
    v = len(words)
    pairs = sorted(
        (ids[a] * v + ids[b], n)
        for (a, b), n in bi.items()
        if n >= MIN_PAIR and a in ids and b in ids
    )
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    counts = np.array([n for _, n in pairs], dtype=np.uint32)
    unigrams = np.array([uni[w] for w in words], dtype=np.uint32)
    target = args.out / FILE
    write(target, words, unigrams, keys, counts)
    total = sum(len(t) for t in texts)
    print(f"{total} words; {v} units; {len(keys)} pairs; {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
