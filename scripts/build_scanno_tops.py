"""Build the stored scanno answers of wordfreq's words.

    python3 scripts/build_scanno_tops.py [--out DIR]

For every word of the installed wordfreq's English table made of two or more ASCII letters
(``proofbench.classify.scannos.stored_words``), the Zipf of the commonest word of the table one
OCR shape confusion away (``data/ocr-confusions.tsv``, ``scripts/build_confusions.py``), kept
where it is above the word's own, as ``proofbench.classify.scannos.best_zipf`` works it out;
writes ``proofbench/data/scanno-tops-en.txt.gz``, which ``scannos.scanno_gain`` reads so that a
check does not work the answer out again for every known word of a text. The header names the
wordfreq table's size and the confusions' SHA-256: rebuild whenever wordfreq or
``ocr-confusions.tsv`` changes (``tests/classify/test_suspect_scannos.py`` fails until then; a check
meanwhile works every answer out, with the same results).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proofbench.classify.scannos import TOPS, TopTable

OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data"


def main() -> int:
    """Build and write the table; print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = TopTable.build()
    target = args.out / TOPS
    table.write(target)
    print(
        f"{len(table.best)} words with a commoner word one confusion away (of wordfreq's "
        f"{table.words}); {target.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
