"""A collation whose witnesses, title and labels try to break out of the HTML."""

from __future__ import annotations

import dataclasses

from render_fixtures import pivot_collation

from proofbench.model import Collation, Manifest, WitnessSpec
from proofbench.pipeline import witness_from_text

A = (
    'He wrote <script>window.pwned=1</script> & said "hi" </textarea> it\'s <b>bold</b> '
    "and <img src=x onerror=window.pwned=2> then ]]> </script><!-- end"
)
B = (
    "He wrote <script>window.pwned=3</script> and said 'hi' </textarea> its <b>bold</b> "
    "and <img src=y onerror=window.pwned=4> then ]]> </script><!-- end"
)
TITLE = '<script>window.pwned=5</script> & "Title" </title>'


def hostile_collation() -> Collation:
    """Two witnesses full of markup, quotes and ampersands, and a hostile title and label."""
    wa = dataclasses.replace(witness_from_text("A", A), label='<i>label</i> "A" & co')
    wb = dataclasses.replace(witness_from_text("B", B), label="B's </textarea> label")
    manifest = Manifest(
        path="<memory>",
        title=TITLE,
        witnesses=(WitnessSpec("A", ("<A>",)), WitnessSpec("B", ("<B>",))),
        target="B",
    )
    return pivot_collation(manifest, [wa, wb])
