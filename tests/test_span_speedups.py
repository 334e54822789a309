"""The gap ranker's shortcuts give exactly what the straightforward computations give."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.extract.gaps import leaks, leaks_around
from generator.extract.words import tokens
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


# Sentences that walk every branch of the gap ranker (a subject after an opener, neither/nor, a passive of
# purpose, an equation, complements, an aside in parentheses, emphasis, a term, a reported claim). The
# expected rankings were produced by the ranker before it was made faster; they must not move.
RANKED = [
    (
        'In most adults, not every burn will leave a scar.', (), '', '',
        [('not every burn', 'subject', 3.6), ('scar', 'object', 3.0),
         ('burn', 'subject', 2.3), ('adults', 'chunk', 1.0)],
    ),
    (
        'Neither ice nor butter is a safe treatment for burns.', (), '', '',
        [('ice nor butter', 'subject', 3.6), ('safe treatment', 'object', 3.0), ('ice', 'subject', 1.8),
         ('burns', 'object', 1.55), ('butter', 'chunk', 1.0)],
    ),
    (
        'Silver sulfadiazine is used to treat deep burns in adults.', (), '', '',
        [('Silver sulfadiazine', 'subject', 3.3), ('deep burns', 'object', 3.0), ('adults', 'object', 2.3)],
    ),
    (
        'Fluid rate = 4 mL/kg per percent burn.', (), '', '',
        [('4 mL/kg', 'number', 4.0), ('percent burn', 'chunk', 2.0), ('Fluid rate', 'chunk', 1.0)],
    ),
    (
        'Empathy is about feeling with them, not for them.', (), '', '',
        [('feeling with them', 'complement', 3.3), ('Empathy', 'subject', 1.8)],
    ),
    (
        'Your role is to walk alongside your clients during recovery.', (), '', '',
        [('clients', 'object', 3.0), ('recovery', 'object', 2.3)],
    ),
    (
        'Superficial burns (first degree) heal within about 7 days.', (), '', '',
        [('about 7 days', 'number', 4.0), ('Superficial burns', 'chunk', 2.0), ('heal', 'chunk', 1.5),
         ('7 days', 'chunk', 1.0), ('degree', 'chunk', 0.0)],
    ),
    (
        'Cool the burn with running water for at least 20 minutes.', ('running water',), '', '',
        [('running water', 'emphasis', 4.5), ('at least 20 minutes', 'number', 4.0),
         ('20 minutes', 'object', 2.3), ('burn', 'object', 2.0)],
    ),
    (
        'Active listening is the most important skill of a peer specialist.', (), '', 'Active listening',
        [('Active listening', 'term', 5.0), ('important skill', 'object', 3.0), ('peer specialist', 'object', 2.3)],
    ),
    (
        'While the wound heals, the patient may be less able to combat bacteria.', (), 'wound', '',
        [('less able to combat bacteria', 'complement', 3.1), ('able', 'object', 3.0),
         ('combat bacteria', 'object', 2.3), ('patient', 'subject', 1.8)],
    ),
    (
        'Studies suggest that early cooling reduces the depth of the injury.', (), '', '',
        [('depth', 'object', 3.0), ('injury', 'object', 2.3), ('cooling', 'subject', 1.8), ('Studies', 'chunk', 1.0)],
    ),
]


def test_rank_gaps_keeps_its_rankings() -> None:
    from collections import Counter

    from generator.extract.gaps import DocStats, rank_gaps

    stats = DocStats(Counter({"burn": 5, "heal": 2}), frozenset({"burn"}), frozenset({"treat"}))
    for text, emphasis, avoid, term, expected in RANKED:
        ranked = rank_gaps(text, stats, emphasis, avoid, term)
        got = [(text[s.start : s.end], s.kind, round(s.score, 3)) for s in ranked]
        assert got == expected, text


PIECES = st.sampled_from(
    ["one", "Ten", "often", "a few", "twice as", "half", "İ", "ſix", "20", "mg", "%", "-", "/", " ", ".",
     "years", "at least", "1990s", "May 4, 2020", "x", "_"]
)


@given(st.lists(PIECES, max_size=8).map("".join))
def test_the_number_hint_is_in_every_quantity(text: str) -> None:
    from generator.extract.phrases import _COMPARATIVE, _DATE, _DECADE, _NUMBER_HINT, NUMBER

    if any(p.search(text) for p in (NUMBER, _COMPARATIVE, _DATE, _DECADE)):
        assert _NUMBER_HINT.search(text)


WORDS = st.sampled_from(["you", "Your", "ourselves", "she", "HERS", "it", "its", "item", "just", "Justice", "İt",
                         "ı", "mıght", "we'd", "us_", "really", " ", ",", "-", "'"])


@given(st.lists(WORDS, max_size=10).map(" ".join))
def test_one_scan_counts_the_words_each_kind_pattern_finds(text: str) -> None:
    import re

    from generator.extract.claim import _word_kinds

    kinds = {
        "chatty": r"\b(you|we|us|i|me)\b",
        "possessive": r"\b(your|our|my|yourself|ourselves)\b",
        "narrative": r"\b(she|he|her|him|his|hers)\b",
        "object": r"\b(it|its|them|they)\b",
        "hedge": r"\b(might|perhaps|maybe|possibly|probably|suddenly|really|just)\b",
    }
    found = _word_kinds(text)
    for kind, pattern in kinds.items():
        assert found[kind] == len(re.findall(pattern, text, re.I)), kind
