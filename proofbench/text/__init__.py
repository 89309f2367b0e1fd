"""Stage 2, tokenize and normalize: Witness -> Witness with tokens (``t``, ``n``, spans)."""

from proofbench.text.normalize import PROFILES, normalize
from proofbench.text.tokenize import tokenize, tokenize_all, vocabulary

__all__ = ["PROFILES", "normalize", "tokenize", "tokenize_all", "vocabulary"]
