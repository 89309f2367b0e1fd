"""Per-page CER/WER of OCR witnesses and their character confusions, as dinglehopper counts."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import Levenshtein

from proofbench.model import Collation
from proofbench.render.page_rates import characters, page_rates, words


def test_words_are_unicode_words_without_punctuation() -> None:
    assert words("the huge and jammed hall.") == ["the", "huge", "and", "jammed", "hall"]
    assert words("It's 51, “L.D.” — ok") == ["It's", "51", "L.D", "ok"]
    assert words("  ,.;  ") == [] and words("") == []


def test_characters_are_grapheme_clusters_of_nfc() -> None:
    assert characters("e\u0301a") == ["é", "a"]  # one cluster, composed
    assert characters("") == []
    decomposed, composed = "Cafe\u0301", "Café"
    assert Levenshtein.distance(characters(decomposed), characters(composed)) == 0


@pytest.fixture(scope="module")
def rates(pivot_letter: Collation) -> list:
    return list(page_rates(pivot_letter))


def test_one_table_per_ocr_witness_with_one_row_per_page(
    pivot_letter: Collation, rates: list
) -> None:
    ocr = [w for w in pivot_letter.witnesses if w.kind.value == "ocr" and w.pages]
    assert [r.witness for r in rates] == [w.siglum for w in ocr]
    for r, w in zip(rates, ocr, strict=True):
        assert [p.page for p in r.pages] == list(range(1, w.pages + 1))
        assert r.reference != r.witness
        assert r.total.char_edits == sum(p.char_edits for p in r.pages)
        assert r.total.ref_words == sum(p.ref_words for p in r.pages)
        for p in r.pages:
            assert p.ref_chars > 0 and p.char_edits >= 0 and p.cer is not None
        counts = [c.count for c in r.confusions]
        assert counts == sorted(counts, reverse=True)
        assert sum(counts) <= r.total.char_edits
        assert all(c.reference != c.ocr for c in r.confusions)


def _slow_words(text: str) -> list[str]:
    """dinglehopper's definition applied to the whole text at once (the oracle)."""
    import unicodedata

    from uniseg.wordbreak import words as segments

    def unwanted(c: str) -> bool:
        cat = unicodedata.category(c)
        return cat[0] in "OMPZS" or cat in ("Cc", "Cf")

    return [w for w in segments(text) if not all(unwanted(c) for c in w)]


def test_the_fast_segmentation_agrees_with_uniseg_on_whole_texts(pivot_letter: Collation) -> None:
    import unicodedata

    from uniseg.graphemecluster import grapheme_clusters

    samples = [" ".join(t.reading for t in w.text_tokens) for w in pivot_letter.witnesses]
    samples.append("Café naïve 51,3 it’s L.D. “quoted” — e\u0301te\u0301 Ærø ﬁne 2½ don't")
    for text in samples:
        assert words(text) == _slow_words(text)
        nfc = unicodedata.normalize("NFC", text)
        assert characters(text) == list(grapheme_clusters(nfc))
