"""Benchmark (not a test): what the Versioning Machine shows of proofbench's TEI.

Run: ``.venv/bin/python benchmarks/vm_check.py VMACHINE_XSL MANIFEST``, where VMACHINE_XSL is
``src/vmachine.xsl`` of a Versioning Machine 5 checkout (GPL, not shipped here; fetch it
yourself). The TEI of MANIFEST's collation goes through the VM's own XSLT 1.0 stylesheet with
lxml's libxslt, the engine Chromium uses to apply it in the browser. In the page it makes, each
witness has a panel that holds every reading, and the VM's stylesheet ``vmachine.css`` hides the
readings of other witnesses (``div.apparatus div.reading {display: none}``, shown again by the
``display:inline-block`` the XSLT writes on the panel's own). The script applies that same rule
and prints, per panel, the words that differ from the witness's own reading text, the number of
panels (a phantom witness would be one more) and whether each panel names its siglum.
"""

from __future__ import annotations

import os
import sys
import time

from lxml import etree, html
from rapidfuzz.distance import Levenshtein

from proofbench.pipeline import collate
from proofbench.render import RENDERERS, RenderOptions
from proofbench.text.reading import reading_text


def panel_words(panel: html.HtmlElement) -> list[str]:
    """The words a VM panel shows: other witnesses' readings and note icons hidden."""
    content = panel.find_class("mssContent")
    root = content[0] if content else panel
    for reading in list(root.find_class("reading")):
        if "inline-block" not in (reading.get("style") or ""):
            reading.drop_tree()
    for hidden in list(root.find_class("noteicon")) + list(root.find_class("position")):
        hidden.drop_tree()
    return root.text_content().split()


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    xsl, manifest = sys.argv[1], sys.argv[2]
    load = os.getloadavg()
    print(f"load: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    c = collate(manifest)
    tei = RENDERERS["tei"](c, RenderOptions()).encode("utf-8")
    t0 = time.perf_counter()
    page = str(etree.XSLT(etree.parse(xsl))(etree.fromstring(tei)))
    print(f"VM transform: {time.perf_counter() - t0:.1f} s, {len(page) / 1e6:.1f} MB of HTML")
    doc = html.fromstring(page)
    panels = {p.get("id"): p for p in doc.find_class("mssPanel")}
    print(f"panels: {len(panels)} for {len(c.witnesses)} witnesses: {', '.join(panels)}")
    for w in c.witnesses:
        panel = panels.get(w.siglum)
        if panel is None:
            print(f"{w.siglum}: no panel")
            continue
        banner = " ".join(panel.find_class("panelBanner")[0].text_content().split())
        want, got = reading_text(w).split(), panel_words(panel)
        bad = sum(
            max(op.src_end - op.src_start, op.dest_end - op.dest_start)
            for op in Levenshtein.opcodes(want, got)
            if op.tag != "equal"
        )
        named = w.siglum in banner
        print(f"{w.siglum}: {len(got)} words shown, {bad} differ; banner names siglum: {named}")


if __name__ == "__main__":
    main()
