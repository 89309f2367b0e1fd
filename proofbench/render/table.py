"""Collation -> CSV: one row per variant, for spreadsheets.

Input: a Collation and RenderOptions. Output: CSV text (``\\n`` line ends, a header row): id,
class, classes, each siglum's reading, suggestion, confidence, suspect sigla, each siglum's
start and end offsets, evidence (sentences joined by `` | ``), and the review decision if any.
"""

from __future__ import annotations

import csv
import io

from proofbench.model import Collation
from proofbench.render.collation_json import kept_variants
from proofbench.render.options import RenderOptions

EMPTY = "\u2205"
"""The cell of an empty reading, or of a suggestion to delete: ``∅``."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell with a leading ``'`` where a spreadsheet would run it as a formula (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _reading(text: str) -> str:
    return spreadsheet_safe(text) if text else EMPTY


def render_csv(collation: Collation, options: RenderOptions) -> str:
    """The variants as CSV text."""
    sigla = [w.siglum for w in collation.witnesses]
    header = ["id", "class", "classes"]
    header += [f"reading_{s}" for s in sigla]
    header += ["suggestion", "confidence", "suspect", "absent"]
    for s in sigla:
        header += [f"start_{s}", f"end_{s}"]
    header += ["evidence", "decision"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for v in kept_variants(collation, options):
        row: list[str] = [v.id, v.cls.value, " ".join(c.value for c in v.classes)]
        row += [_reading(v.readings.get(s, "")) for s in sigla]
        row += [
            _reading(v.suggestion) if v.suggestion is not None else "",
            f"{v.confidence:.3f}",
            " ".join(v.suspect),
            " ".join(s for s in sigla if not v.readings.get(s, "")),
        ]
        for s in sigla:
            loc = v.locations.get(s)
            row += [str(loc.start), str(loc.end)] if loc is not None else ["", ""]
        row += [spreadsheet_safe(" | ".join(v.evidence)), options.decisions.get(v.id, "")]
        writer.writerow(row)
    return buf.getvalue()
