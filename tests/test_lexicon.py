"""The shipped English lexicon: everyday words rank common, terms rare, and gaps avoid everyday words."""
from __future__ import annotations

from generator.extract.gaps import choose_gap, doc_stats
from generator.extract.lexicon import RARE, parts_of_speech, zipf


def test_everyday_words_are_common_and_terms_rare() -> None:
    assert zipf("the") > zipf("data") > zipf("metrics") > RARE
    assert zipf("appendfsync") == RARE == zipf("kubectl")
    assert zipf("Data") == zipf("data")  # case does not matter


def test_parts_of_speech() -> None:
    assert parts_of_speech("sends") == "v"
    assert "n" in parts_of_speech("data")
    assert parts_of_speech("kubectl") == ""


def _gap(sentence: str) -> str:
    span = choose_gap(sentence, doc_stats((), "notes"))
    return sentence[span.start : span.end] if span else ""


def test_gap_is_not_an_everyday_word() -> None:
    # The object is one everyday word: the gap goes to the specific term instead, or there is none.
    assert _gap("The appendfsync option never flushes the data.") != "data"
    assert _gap("Microsoft is always responsible for the physical security of datacenters.") != "responsible"


def test_gap_does_not_end_in_a_finite_verb() -> None:
    gap = _gap("Computer security incidents undermine the business resilience of an organization.")
    assert gap and not gap.endswith("undermine")
