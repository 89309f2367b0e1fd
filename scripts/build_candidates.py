"""Build the stored candidates of the word bigram table's units.

    python3 scripts/build_candidates.py [--out DIR]

For every unit of ``proofbench/data/word-bigrams-en.npy.gz`` (``scripts/build_bigrams.py``), the
table's words one OCR shape confusion away (``data/ocr-confusions.tsv``,
``scripts/build_confusions.py``) and its frequent words one letter longer or shorter, as
``proofbench.classify.real_words.generate`` finds them; writes
``proofbench/data/word-candidates-en.npy.gz``, which ``real_words.candidates`` reads so that a
check does not work them out again for every common word (1.6 s for War and Peace's 18,500
forms). Rebuild it whenever either of those two files changes (``tests/classify/
test_real_words.py`` compares it with a fresh build).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proofbench.classify.real_words import CANDIDATES, CandidateTable
from proofbench.text.bigrams import bigrams

OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data"


def main() -> int:
    """Build and write the candidates; print their size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = CandidateTable.build(list(bigrams().vocab))
    target = args.out / CANDIDATES
    table.write(target)
    print(
        f"{len(table.conf_at) - 1} units; {len(table.conf)} confusion and {len(table.edit)} "
        f"one-letter candidates; {target.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
