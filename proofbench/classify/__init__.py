"""Stage 4, classify: Alignment -> variants (class, suggestion, evidence) and single-witness flags.

``classify(manifest, witnesses, alignment)`` returns ``(variants, flags)``; ``check(witness)``
returns the flags of one witness alone; ``evaluate(collation, key, ...)`` measures a collation
against an answer key (and an OCR witness against its ground truth).

Modules: ``group`` (columns -> places), ``classes`` (the taxonomy applied), ``confusion`` (the OCR
confusion model), ``weigh`` (suggestion and evidence), ``variants`` (the composer), ``checks``
(single-witness checks), ``spelling`` (lexicon candidates), ``data`` (product tables in
``proofbench/data``), ``evaluate`` (figures against a key).
"""

from proofbench.classify.checks import check
from proofbench.classify.evaluate import Evaluation, evaluate
from proofbench.classify.variants import classify

__all__ = ["Evaluation", "check", "classify", "evaluate"]
