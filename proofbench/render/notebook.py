"""Collation -> a short HTML summary for notebooks (``Collation._repr_html_``).

Input: a Collation. Output: an HTML fragment (no script, no style sheet): the title and target,
a table of the witnesses, the variants by class, and the target's first suspect readings with
their suggestions. The full report is ``render_html``; this is what a notebook cell shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

import jinja2

from proofbench.model import Collation
from proofbench.render.classes import CLASS_STYLES

SUSPECTS_SHOWN = 10
"""How many of the target's suspect readings the summary lists (the report has them all)."""


@dataclass(frozen=True, slots=True)
class NotebookRow:
    """One witness of the summary."""

    siglum: str
    kind: str
    label: str
    words: int
    is_target: bool


@dataclass(frozen=True, slots=True)
class NotebookContext:
    """What the notebook template shows."""

    title: str
    target: str
    witnesses: tuple[NotebookRow, ...]
    classes: tuple[tuple[str, int], ...]
    variants: int
    flags: int
    suspects: tuple[tuple[str, str], ...]
    more_suspects: int


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("proofbench.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("_notebook.html.j2")


def notebook_context(collation: Collation) -> NotebookContext:
    """The summary's figures."""
    target = collation.target
    by_class = Counter(v.cls for v in collation.variants)
    suspects = [v for v in collation.variants if target in v.suspect]
    return NotebookContext(
        title=collation.manifest.title or "Collation",
        target=target,
        witnesses=tuple(
            NotebookRow(w.siglum, w.kind.value, w.label, len(w.text_tokens), w.siglum == target)
            for w in collation.witnesses
        ),
        classes=tuple((CLASS_STYLES[c].label, n) for c, n in by_class.most_common()),
        variants=len(collation.variants),
        flags=len(collation.flags),
        suspects=tuple(
            (v.readings.get(target, ""), v.suggestion if v.suggestion is not None else "")
            for v in suspects[:SUSPECTS_SHOWN]
        ),
        more_suspects=max(0, len(suspects) - SUSPECTS_SHOWN),
    )


def notebook_html(collation: Collation) -> str:
    """The collation as a short HTML fragment for a notebook cell."""
    return _template().render(ctx=notebook_context(collation))
