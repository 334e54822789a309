"""The gap ranker's shortcuts give exactly what the straightforward computations give."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.extract.spans import leaks, leaks_around, tokens
from generator.text import stems

# Letters, digits, apostrophes and stop words, so that cuts fall inside words, possessives and stop words.
SENTENCE = st.lists(
    st.sampled_from(["the", "burn", "burns", "it's", "cool", "water", "x'y", "a1", "ab'cd5", "of", "’s", ",", " "]),
    max_size=12,
).map(" ".join)


@given(SENTENCE, st.integers(0, 80), st.integers(0, 80), st.sampled_from(["", "burn", "cool water", "the"]))
def test_leaks_around_is_leaks_of_the_rest_of_the_card(text: str, a: int, b: int, avoid: str) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    rest = text[:start] + " " + text[end:] + " " + avoid
    assert leaks_around(text, start, end, avoid) == leaks(text[start:end], rest)


def test_leaks_around_sees_a_word_the_gap_cuts() -> None:
    # "burns" cut after "bur": the visible rest holds "ns", not "burn"; a cut inside "cools" leaves "cool".
    text = "cool burns heal"
    assert leaks_around(text, 5, 8) == leaks("bur", "cool  ns heal ")
    assert leaks_around("cools heal cool", 11, 15) == leaks("cool", "cools heal  ") is True
    assert stems("cools") == stems("cool")


def test_tokens_carry_the_folded_form() -> None:
    assert [t.low for t in tokens("It’s Cool")] == ["it's", "cool"]
