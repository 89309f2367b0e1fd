"""The variant classes as a report shows them: a name, a short tag and a plain description.

Input: nothing. Output: ``CLASS_STYLES``, one ``ClassStyle`` per ``VariantClass``, in taxonomy
order. Colours live in the stylesheet (``.c-<class>``); the tag and the underline pattern carry
the class too, so colour is never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from proofbench.model import VariantClass


@dataclass(frozen=True, slots=True)
class ClassStyle:
    """How one class is named and tagged in a report."""

    cls: VariantClass
    label: str
    abbr: str
    about: str

    @property
    def value(self) -> str:
        """The class's name in the data formats (``ocr-confusion``)."""
        return self.cls.value


_C = VariantClass
_STYLES = (
    ClassStyle(_C.OCR_CONFUSION, "OCR confusion", "ocr", "letter shapes a scanner confuses"),
    ClassStyle(_C.PUNCTUATION, "punctuation", "pct", "a stop, comma, quote or bracket differs"),
    ClassStyle(_C.MISSPELLING, "misspelling", "msp", "a non-word from a slip of the hand"),
    ClassStyle(_C.SUBSTITUTION, "substitution", "sub", "a different real word"),
    ClassStyle(_C.SPELLING_VARIANT, "spelling variant", "spv", "an accepted other spelling"),
    ClassStyle(_C.CASE, "case", "cas", "capital or small letters differ"),
    ClassStyle(_C.HYPHENATION, "hyphenation", "hyp", "compounds and line-end hyphens"),
    ClassStyle(_C.SPACING, "spacing", "spc", "words run together or split"),
    ClassStyle(_C.TYPOGRAPHIC, "typographic", "typ", "quotes, dashes, ligatures only"),
    ClassStyle(_C.ADDITION, "addition", "add", "words one witness has in excess"),
    ClassStyle(_C.OMISSION, "omission", "om", "words one witness lacks"),
    ClassStyle(_C.TRANSPOSITION, "transposition", "trn", "the same words in another order"),
    ClassStyle(_C.EDITORIAL, "editorial", "ed", "an editor's bracketed insertion"),
    ClassStyle(_C.APPARATUS, "apparatus", "app", "not text: heads, page numbers, web chrome"),
)
CLASS_STYLES: dict[VariantClass, ClassStyle] = {s.cls: s for s in _STYLES}
