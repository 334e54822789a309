"""Faster versions of small text helpers give exactly what the straightforward versions give."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.text import normalize

TEXT = st.text(alphabet=st.sampled_from(list("ab AB_1é.,-'’‘“”—–²ﬁ\u00a0İ")), max_size=30)


def _normalize_reference(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"}))
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text))


@given(TEXT)
def test_normalize_matches_the_reference(text: str) -> None:
    assert normalize(text) == _normalize_reference(text)


def _content_words_reference(text: str) -> list[str]:
    from generator.text import _WORD, STOP_WORDS

    return [w for w in (t.lower() for t in _WORD.findall(text)) if w not in STOP_WORDS]


@given(st.text(alphabet=st.sampled_from(list("ab Th the is IS's’1é")), max_size=40))
def test_memoised_word_helpers_match_the_reference_and_hand_out_copies(text: str) -> None:
    from generator.text import content_words, stem, stems

    words = content_words(text)
    assert words == _content_words_reference(text)
    words.append("mutated")
    assert content_words(text) == _content_words_reference(text)  # the cache was not changed
    got = stems(text)
    assert got == {stem(w) for w in _content_words_reference(text)}
    got.add("mutated")
    assert "mutated" not in stems(text)
