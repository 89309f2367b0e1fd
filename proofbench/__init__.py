"""proofbench: a transcription proofreading and diff workbench.

load (witness/) -> tokenize and normalize (text/) -> align (align/) -> classify (classify/)
-> render (render/) -> review (review/); ``pipeline.collate`` composes the stages.
"""

__version__ = "0.1.0"
