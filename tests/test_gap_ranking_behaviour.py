"""What the gap ranker and the claim rule promise about the gaps they choose, on texts written here.

Guarantees kept from the tests that compared the ranker, tokeniser, chunker, verb finder, quantity
finder and claim rule with copies of their old code:
- tokens: every word once, in order, with its offsets and its folded form ("’" read as "'"); the
  ASCII path gives what the general path gives.
- chunks: runs of whole tokens, in order, at most `max_words` long, never opening or closing on a joiner
  ("of", "and", "or", "&"), never holding a verb.
- number_spans: the quantities of a text (units, ranges, dates, decades, comparatives), in order and
  apart; the "does it hold a number?" shortcut never hides one.
- leaks_around is leaks() of the cut against the rest of the card, also when the cut is trimmed.
- rank_gaps: best first (score, then position), each span once; the strict list is the full list
  filtered by good_span; iter_gaps and choose_gap give the same ranking one at a time; every chunk and
  quantity is a candidate (the chunks are made late, but never dropped); fixed rankings of sentences
  that walk every branch do not move; nothing depends on the article memos.
- the claim rule: every gap lies in its sentence and does not leak; skipping the second leak test for
  the ranker's gaps changes no fact; hedges, pronouns and chat lower a claim's score by their counts
  (one scan counts every kind, in any case).
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.extract import extract
from generator.extract.answers import good_span, leaks, leaks_around
from generator.extract.gaps import DocStats, choose_gap, iter_gaps, rank_gaps
from generator.extract.phrases import chunks, number_spans, verb_positions
from generator.extract.util import starts_with_pronoun
from generator.extract.words import Span, tokens
from generator.memo import forget_article
from generator.parse.markdown import parse_markdown
from generator.text import normalize

STATS = DocStats(
    Counter({"root": 5, "soil": 2, "water": 3, "seed": 1}), frozenset({"root"}), frozenset({"water"})
)
JOINERS = {"of", "and", "or", "&"}
CLAIM_RULES = {"claim", "cause", "contrast", "number", "procedure"}

# Sentences that between them walk every branch of the ranker: "not every", neither/nor, a passive of
# purpose, an equation, a complement, an aside in parentheses, emphasis, a term, a reported claim.
# (sentence, emphasis, avoid, term, expected ranking). Like the golden files, these move only when the
# ranking is changed on purpose (then update them); a speed-up must leave them as they are.
RANKED = [
    (
        "Not every seed will grow into a sapling.",
        (),
        "",
        "",
        [("Not every seed", "subject", 3.6), ("sapling", "object", 3.0), ("seed", "subject", 1.925)],
    ),
    (
        "Neither salt nor sand is a good mulch for roses.",
        (),
        "",
        "",
        [
            ("salt nor sand", "subject", 3.6),
            ("good mulch", "object", 3.0),
            ("roses", "object", 2.3),
            ("salt", "subject", 1.8),
            ("sand", "chunk", 1.0),
        ],
    ),
    (
        "Bone meal is used to feed young roses in spring.",
        (),
        "",
        "",
        [("Bone meal", "subject", 3.3), ("feed young roses", "object", 3.0), ("young roses", "object", 2.7)],
    ),
    (
        "Seed density = 3 g/m2.",
        (),
        "",
        "",
        [("3 g/m2", "equation", 4.2), ("3", "number", 4.0), ("density", "object", 3.0)],
    ),
    (
        "Seed density = 3 g/m2 per furrow.",
        (),
        "",
        "",
        [
            ("3", "number", 4.0),
            ("density", "object", 3.0),
            ("3 g/m2", "object", 2.3),
            ("furrow", "object", 2.3),
        ],
    ),
    (
        "Pruning is about shaping the plant, not about harming it.",
        (),
        "",
        "",
        [("shaping the plant", "complement", 3.3), ("plant", "object", 2.3), ("Pruning", "subject", 1.8)],
    ),
    (
        "Young oaks (under ten years old) need water within about 2 days of planting.",
        (),
        "",
        "",
        [
            ("under ten years", "number", 4.0),
            ("about 2 days", "number", 4.0),
            ("Young oaks", "chunk", 1.0),
            ("need water", "chunk", 1.0),
            ("2 days of planting", "chunk", 1.0),
            ("ten years old", "chunk", 0.0),
        ],
    ),
    (
        "Water the roots with rain water for at least 10 minutes.",
        ("rain water",),
        "",
        "",
        [
            ("rain water", "emphasis", 4.5),
            ("at least 10 minutes", "number", 4.0),
            ("10 minutes", "object", 2.3),
            ("roots", "object", 2.0),
        ],
    ),
    (
        "Mulching is the most useful habit of a careful gardener.",
        (),
        "",
        "Mulching",
        [("Mulching", "term", 5.0), ("useful habit", "object", 3.0), ("careful gardener", "object", 2.3)],
    ),
    (
        "Studies suggest that deep watering builds stronger roots.",
        (),
        "",
        "",
        [("stronger roots", "object", 3.0), ("deep watering", "subject", 2.175), ("Studies", "chunk", 1.0)],
    ),
    (  # a chunk of a word the article repeats outranks the subject: the chunks, made late, still come first
        "Fungi protect seedlings from pests in spring near deep roots.",
        (),
        "",
        "",
        [
            ("seedlings", "object", 3.0),
            ("pests", "object", 2.3),
            ("deep roots", "chunk", 2.0),
            ("Fungi", "subject", 1.8),
        ],
    ),
]


@pytest.mark.parametrize("text, emphasis, avoid, term, expected", RANKED, ids=[r[0][:24] for r in RANKED])
def test_rank_gaps_keeps_its_rankings(
    text: str, emphasis: tuple[str, ...], avoid: str, term: str, expected: list[tuple[str, str, float]]
) -> None:
    for _ in range(2):  # the second time from the memos, then with them emptied
        got = [
            (text[s.start : s.end], s.kind, round(s.score, 3))
            for s in rank_gaps(text, STATS, emphasis, avoid, term)
        ]
        assert got == expected
    forget_article()
    assert [
        (text[s.start : s.end], s.kind, round(s.score, 3))
        for s in rank_gaps(text, STATS, emphasis, avoid, term)
    ] == expected


# Words that reach every branch: numbers and units, copulas and evaluatives, objects, parentheses, an
# equation, contrast, cause and condition markers, emphasis and topic words.
PIECES = st.sampled_from(
    "the a root roots water cool Cool soil is are key most important not every "
    "neither nor because when deep roots near Fungi protect seedlings from pests in spring "
    "if , leads to than rather instead but ( ) = 3 g/m2 10 minutes at least about two days used feed to "
    "by seed tree of and Salt sand good may be less able grow growing quickly".split()
)
EMPHASIS = st.sampled_from([(), ("rain water",), ("root", "good mulch"), ("Salt",)])
AVOID = st.sampled_from(["", "water", " ", "root soil"])


def _in_rank_order(ranked: list[Span]) -> bool:
    return all((-a.score, a.start) <= (-b.score, b.start) for a, b in pairwise(ranked))


@settings(max_examples=150)
@given(st.lists(PIECES, min_size=1, max_size=16).map(" ".join), EMPHASIS, AVOID)
def test_ranking_is_ordered_unique_and_strict_is_the_good_spans_of_it(
    text: str, emphasis: tuple[str, ...], avoid: str
) -> None:
    full = rank_gaps(text, STATS, emphasis, avoid, strict=False)
    assert _in_rank_order(full)
    assert len({(s.start, s.end) for s in full}) == len(full)
    assert all(0 <= s.start < s.end <= len(text) for s in full)
    strict = rank_gaps(text, STATS, emphasis, avoid)
    assert strict == [s for s in full if good_span(text, s, avoid)]
    assert list(iter_gaps(text, STATS, emphasis, avoid)) == strict
    assert choose_gap(text, STATS, emphasis, avoid) == (strict[0] if strict else None)
    # Every chunk and every quantity is a candidate (under its own kind or a better one).
    places = {(s.start, s.end) for s in full}
    assert {(c.start, c.end) for c in chunks(text)} <= places
    assert {(n.start, n.end) for n in number_spans(text)} <= places
    forget_article()
    assert rank_gaps(text, STATS, emphasis, avoid, strict=False) == full


def test_a_term_the_sentence_defines_comes_first() -> None:
    text = "Crop rotation is the habit of growing other plants in a bed each year."
    assert rank_gaps(text, STATS, term="Crop rotation")[0] == Span(0, 13, "term", 5.0)
    assert all(s.kind != "term" for s in rank_gaps(text, STATS, term="compost"))


SENTENCE = st.lists(
    st.sampled_from(
        ["the", "burn", "burns", "it's", "cool", "water", "x'y", "a1", "ab'cd5", "of", "’s", ",", " "]
    ),
    max_size=12,
).map(" ".join)


@given(SENTENCE, st.integers(0, 80), st.integers(0, 80), st.sampled_from(["", "burn", "cool water", "the"]))
def test_leaks_around_is_leaks_of_the_rest_of_the_card(text: str, a: int, b: int, avoid: str) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    rest = text[:start] + " " + text[end:] + " " + avoid
    assert leaks_around(text, start, end, avoid) == leaks(text[start:end], rest)


def test_leaks_around_sees_a_word_the_gap_cuts() -> None:
    assert not leaks_around("cool burns heal", 5, 8)  # "bur|ns": "ns" is left, not "burns"
    assert leaks_around("cools heal cool", 11, 15)  # "cool" can be read in "cools"
    assert leaks_around("Roots need water and roots need air.", 0, 5)


@given(
    st.text(alphabet="ab Ab.,;:'’1_-", max_size=16),
    st.integers(0, 16),
    st.integers(0, 16),
    st.sampled_from(["", " ", "ab", "Ab 1"]),
)
def test_trimming_spaces_and_punctuation_off_a_gap_keeps_its_leak_test(
    text: str, a: int, b: int, avoid: str
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    trimmed_start, trimmed_end = start, end
    while trimmed_start < trimmed_end and text[trimmed_start] in " ,;:":  # as the cloze maker trims
        trimmed_start += 1
    while trimmed_end > trimmed_start and text[trimmed_end - 1] in " ,;:.":
        trimmed_end -= 1
    assert leaks_around(text, trimmed_start, trimmed_end, avoid) == leaks_around(
        text, start, end, avoid + " "
    )


def test_tokens_on_examples() -> None:
    assert [(t.text, t.low) for t in tokens("It’s Cool, really. Give 20% x-ray $5 A&E; end.")] == [
        ("It’s", "it's"),
        ("Cool", "cool"),
        ("really", "really"),
        ("Give", "give"),
        ("20%", "20%"),
        ("x-ray", "x-ray"),
        ("$5", "$5"),
        ("A&E", "a&e"),
        ("end", "end"),
    ]


TOKEN_TEXT = st.text(alphabet="aZ9$%+.,/'’&- _é", max_size=20)


@given(TOKEN_TEXT)
def test_tokens_cover_every_letter_once_in_order(text: str) -> None:
    toks = tokens(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert all(a.end < b.start for a, b in pairwise(toks))  # apart: something parts two words
    assert all(t.low == t.text.lower().replace("’", "'") for t in toks)
    assert all(t.text[-1] not in ",./'’&-" for t in toks)  # trailing punctuation is not the word's
    covered = {i for t in toks for i in range(t.start, t.end)}
    assert all(i in covered for i, c in enumerate(text) if c.isascii() and c.isalnum())


@given(st.text(alphabet="aZ9$%+.,/'&- _", max_size=20))
def test_tokens_of_ascii_text_are_what_the_general_path_gives(text: str) -> None:
    assert tokens(text) == tokens(text + " é")[: len(tokens(text))] and len(tokens(text + " é")) == len(
        tokens(text)
    )


def test_verbs_on_examples() -> None:
    for text, verbs in [
        ("Water washes the topsoil away.", ["washes"]),
        ("Always wash the cut with soap.", ["wash"]),
        ("Trim to the first bud.", ["Trim"]),
        ("The seeds can sprout in two days.", ["can", "sprout"]),
        ("Gardeners who prune often get more fruit.", ["prune", "get"]),
    ]:
        toks = tokens(text)
        assert [toks[i].text for i in sorted(verb_positions(toks))] == verbs, text


def test_chunks_on_examples() -> None:
    text = "A warm, dry place keeps the young seeds of tomato plants safe."
    assert [text[c.start : c.end] for c in chunks(text)] == [
        "warm, dry place",
        "young seeds of tomato plants safe",
    ]
    assert [text[c.start : c.end] for c in chunks(text, 2)] == ["young seeds"]


VERB_WORDS = st.sampled_from(
    "is are can may to who which that treat treats treated use uses supports support "
    "needs walked quickly "
    "really always not the a your of and or & in with roots root water soil pain rain washes topsoil "
    "children often open 3 20% x-ray it they helping growing , . - / ( ) Titrate Practice Keep less more "
    "very warm dry".split()
)


@settings(max_examples=150)
@given(st.lists(VERB_WORDS, max_size=14).map(" ".join), st.integers(1, 6))
def test_chunks_are_runs_of_whole_tokens_without_verbs(text: str, max_words: int) -> None:
    toks = tokens(text)
    verbs = {(toks[i].start, toks[i].end) for i in verb_positions(toks)}
    starts, ends = {t.start: i for i, t in enumerate(toks)}, {t.end: i for i, t in enumerate(toks)}
    found = chunks(text, max_words)
    assert all(a.end < b.start for a, b in pairwise(found))
    for c in found:
        assert c.start in starts and c.end in ends, (text, c)
        run = toks[starts[c.start] : ends[c.end] + 1]
        assert 1 <= len(run) <= max_words
        assert run[0].low not in JOINERS and run[-1].low not in JOINERS
        assert not any((t.start, t.end) in verbs for t in run)
    forget_article()
    assert chunks(text, max_words) == found


def test_quantities_on_examples() -> None:
    text = "Give 20 mg twice a day for at least 3 days, since May 4, 2020 and the 1990s; 4 mL/kg."
    assert [text[s.start : s.end] for s in number_spans(text)] == [
        "20 mg",
        "at least 3 days",
        "May 4, 2020",
        "1990s",
        "4 mL/kg",
    ]
    assert [s.kind for s in number_spans("About ſix weeks")] == ["number"]  # re.I reads "ſ" as "s"
    assert number_spans("Someone often tends the garden.") == []  # number words inside words are not numbers
    assert number_spans("It grows twice as fast.")


QUANTITY_PIECES = st.sampled_from(
    [
        "one",
        "One",
        "often",
        "someone",
        "ten",
        "Tend",
        "a few",
        "A FEW",
        "twice as",
        "Twice",
        "as",
        "long",
        "three times",
        "half",
        "İ",
        "ſix",
        "Kg",
        "20",
        "3",
        "2.5",
        "1,000",
        "mg",
        "ML",
        "mL/kg",
        "°C",
        "%",
        "-",
        "–",
        "/",
        "/hr",
        " ",
        " ",
        " ",
        ".",
        ",",
        "years",
        "at least",
        "About",
        "1990s",
        "mid-1980s",
        "May 4, 2020",
        "Type 2",
        "x",
        "_",
        "_one",
        "per minute",
        "to",
    ]
)


@settings(max_examples=200)
@given(st.lists(QUANTITY_PIECES, max_size=10).map("".join))
def test_quantities_are_in_order_apart_and_never_hidden_by_the_shortcut(text: str) -> None:
    found = number_spans(text)
    assert all(0 <= s.start < s.end <= len(text) and s.kind == "number" for s in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    # A text that surely holds a number ("; 7" at its end) is read in full: its quantities before the
    # end are the text's own, whatever the shortcut decided about the text alone.
    longer = [s for s in number_spans(text + "; 7") if s.end <= len(text)]
    assert found == longer
    forget_article()
    assert number_spans(text) == found


def _facts(markdown: str) -> list:
    return [f for f in extract(parse_markdown(markdown, "garden.md")) if f.kind == "cloze"]


GARDEN = """# Garden care

Water the roots with **rain water** for at least 10 minutes.

Neither salt nor sand is a good mulch for roses, because salt dries the soil.

Bone meal is used to feed young roses in spring, but compost feeds the soil itself.

Seed rate = 3 g/m2 per bed.

If the leaves turn yellow, the plant needs more iron.

Mature trees need water within about 2 days of planting rather than at once.
"""
ARTICLE_PIECES = st.sampled_from(
    [
        "Water",
        "the",
        "roots",
        "soil",
        "Salt",
        "sand",
        "is",
        "are",
        "a",
        "good",
        "mulch",
        "for",
        "roses",
        ",",
        "because",
        "if",
        "when",
        "leads to",
        "but",
        "rather than",
        "10 minutes",
        "at least",
        "3 g/m2",
        "=",
        "not",
        "every",
        "seed",
        "key",
        "most",
        "important",
        "iron",
        "plant",
        "needs",
        "(",
        ")",
        "**compost**",
        ".",
    ]
)


def _claim_gaps_are_sound(markdown: str) -> int:
    facts = _facts(markdown)
    for fact in facts:
        assert fact.gaps and all(0 <= g.start < g.end <= len(fact.text) for g in fact.gaps)
        assert fact.text[fact.gaps[0].start : fact.gaps[0].end].strip()
        if fact.rule in CLAIM_RULES:
            for g in fact.gaps:
                answer = fact.text[g.start : g.end]
                # The answer is the sentence's own words (a leading pronoun may have been resolved) ...
                assert normalize(answer) in normalize(fact.sentence) or starts_with_pronoun(fact.sentence), (
                    answer
                )
                # ... and no word of it can be read elsewhere on the card.
                assert not leaks_around(fact.text, g.start, g.end), (fact.text, g)
    return len(facts)


def test_each_kind_of_claim_asks_its_own_gap() -> None:
    got = [(f.rule, f.sentence.split()[0], [f.text[g.start : g.end] for g in f.gaps]) for f in _facts(GARDEN)]
    assert got == [
        ("definition", "Neither", ["Neither salt nor sand"]),
        ("definition", "Bone", ["Bone meal"]),
        ("number", "Water", ["at least 10 minutes"]),  # a quantity beats the emphasis
        ("contrast", "Neither", ["salt nor sand"]),
        ("claim", "Bone", ["Bone meal"]),
        ("number", "Seed", ["3"]),
        ("cause", "If", ["iron"]),  # the effect, after the condition
        ("number", "Mature", ["about 2 days"]),
    ]


def test_claim_gaps_lie_in_their_sentences_and_do_not_leak() -> None:
    assert _claim_gaps_are_sound(GARDEN) >= 4
    assert sum(_claim_gaps_are_sound(path.read_text(encoding="utf-8")) for path in _articles()) > 50


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(ARTICLE_PIECES, min_size=3, max_size=14).map(" ".join), min_size=1, max_size=4))
def test_claim_gaps_are_sound_on_made_up_articles(paragraphs: list[str]) -> None:
    _claim_gaps_are_sound("# Garden\n\n" + "\n\n".join(p.capitalize() + "." for p in paragraphs) + "\n")


SCORED = [  # (sentence, how far below the plain sentence's score the claim rule puts it)
    ("Compost feeds the soil of garden beds in spring.", 0.0),
    ("Compost really feeds the soil of garden beds in spring.", 0.08),  # a hedge
    ("Compost REALLY feeds the soil of garden beds in spring.", 0.08),
    ("Compost just really feeds the soil of garden beds in spring.", 0.16),
    ("Compost feeds the soil of your garden beds in spring.", 0.03),  # a possessive
    ("Compost feeds the soil of garden beds for you in spring.", 0.08),  # speaks to the reader
    ("Compost feeds the soil of his garden beds in spring.", 0.15),  # a story about one person
    ("Compost feeds the soil of garden beds in spring for them.", 0.05),  # an object pronoun
    ("Compost feeds the soil of garden beds in spring, İt seems.", 0.05),  # re.I reads "İt" as "it"
]


def test_the_claim_rule_marks_down_hedges_pronouns_and_chat() -> None:
    import sys

    claim = sys.modules["generator.extract.claim"]  # the module, which the package's `claim` function shadows
    doc = parse_markdown(
        "# Compost\n\n" + "\n\n".join(s for s, _ in SCORED) + "\n\nCompost, soil, garden beds.\n", "c.md"
    )
    scores = {f.sentence: f.score for f in claim.claim(doc)}
    base = scores[SCORED[0][0]]
    for sentence, penalty in SCORED:
        assert scores[sentence] == pytest.approx(base - penalty), sentence


def test_doc_stats_give_topic_and_headings_as_given() -> None:
    stats = DocStats(Counter({"root": 2}), frozenset({"root"}), frozenset({"feed", "root"}))
    assert stats.given == frozenset({"root", "feed"})
    assert stats == DocStats(Counter({"root": 2}), frozenset({"root"}), frozenset({"feed", "root"}))


def _articles() -> list[Path]:
    root = Path(__file__).resolve().parents[1]
    return sorted(
        [*root.glob("source/*.md"), *root.glob("tests/golden/*/*.md"), *root.glob("tests/fixtures/*/*.md")]
    )


def test_the_claim_rule_skips_only_leak_tests_that_would_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from generator.extract import util

    claim = sys.modules["generator.extract.claim"]  # the module, which the package's `claim` function shadows
    texts = [GARDEN] + [p.read_text(encoding="utf-8") for p in _articles()]
    docs = [parse_markdown(text, "a.md") for text in texts]
    fast = [claim.claim(doc) for doc in docs]
    forget_article()
    monkeypatch.setattr(
        claim, "cloze_spans", lambda *a, **k: util.cloze_spans(*a, **{**k, "leak_checked": False})
    )
    assert [claim.claim(doc) for doc in docs] == fast
    assert sum(map(len, fast)) > 20
