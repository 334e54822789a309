"""What the prose rules make of sentences written here: cleaned sentences, clauses, definitions, series.

Guarantees kept from the tests that compared the cleaning, clause splitting, pronoun resolving, the
definition and series patterns (and their cheap prechecks) with copies of their old code:
- clean_sentence trims every kind of opener (fillers, hedges, "Did you know", admonitions, vocatives)
  and citations, whatever the case or the letters re.I folds; cleaning twice changes nothing more; its
  memo changes nothing.
- prose_sentences splits long and compound sentences at their clause breaks, drops dash asides, resolves
  "Those who" and skips a sentence that restates the title.
- the definition rule finds each form of definition (copular, "refers to", "means", an appositive,
  "this is called"), whatever white space sits around "is"; the series rule finds a comma series and
  an arrow chain; the glossary rule reads ":", "—" and "-" lines.
- memo_by_identity answers the same tuple from memory, recomputes an equal but other tuple, stays bounded.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import generator.extract  # noqa: F401  (loads the rule modules)
from generator.extract import extract
from generator.extract.filters import clean_sentence, strip_citations
from generator.extract.prose import prose_sentences
from generator.memo import forget_article
from generator.parse.markdown import parse_markdown

OPENERS = [
    ("So, the heart pumps, folks.", "The heart pumps."),
    ("Note: hearts pump.", "Hearts pump."),
    ("Research has shown that rest helps.", "Rest helps."),
    ("Too, it helps.", "It helps."),
    ("In other words, keep in mind that rest helps.", "Rest helps."),
    ("Did you know that rest helps?", "Rest helps."),
    ("ſo, rest helps.", "Rest helps."),
    ("SO, REST HELPS.", "REST HELPS."),
    ("Rest helps (Lee, 2019) [3].", "Rest helps."),
    ("Rest helps [link] a lot .", "Rest helps a lot."),
]


@pytest.mark.parametrize("raw, want", OPENERS)
def test_clean_sentence_trims_every_kind_of_opener(raw: str, want: str) -> None:
    assert clean_sentence(raw) == want
    forget_article()
    assert clean_sentence(raw) == want


def test_strip_citations_on_examples() -> None:
    assert strip_citations("Rest helps (Lee, 2019) [3].") == "Rest helps."
    assert strip_citations("Rest  helps [link] a lot.") == "Rest helps a lot."
    assert strip_citations("So, the heart pumps.") == "So, the heart pumps."


ODD = ["K", "ſ", "İ", "ı", "’", "“", "”", "—", "–", "\u00a0", "\t", "\n", "é"]
CLEAN_PIECES = [
    "so",
    "note",
    "did you know",
    "research has shown that",
    "in other words",
    "keep in mind that",
    "too",
    "(NIDA, 2012)",
    "(APA, 2020)",
    "(p. 27)",
    "[link]",
    "[3]",
    "(“I can”)",
    ", my friends,",
    ", folks.",
    ": ",
    " — ",
    ", ",
    " ,",
    " .",
    " ; ",
    "  ",
    "?",
    "n.b.",
    "1990",
    "Kelvin",
    "you",
    "that",
    "x",
    "rest helps",
]


@given(st.lists(st.sampled_from(CLEAN_PIECES + ODD), max_size=12).map(" ".join))
@example("(\u201cI can\u201d) research has shown that note so")  # found by CI: an aside, a hedge, then a label
def test_cleaning_is_stable(text: str) -> None:
    once = clean_sentence(text)
    assert "  " not in strip_citations(text)
    assert clean_sentence(once) == once  # one call reaches the fixed point, even where a trimmed opener reveals one


ROSES = """# Roses

Roses need sun; they also need water in the summer months when it is hot and dry.

Those who mulch their beds save water. This is why roots stay cool.

Pruning removes dead wood — the oldest canes — and the plant then grows many new shoots from the \
base of the stem every single spring season.

Roses are plants.

Roses need a lot of care. Subscribe to our newsletter.

Caring for ROSES takes time. Share this page.

Pruning roses is a skill gardeners learn.
"""


def test_prose_sentences_split_clauses_drop_asides_and_resolve_openers() -> None:
    doc = parse_markdown(ROSES, "roses.md")
    assert [p.text for p in prose_sentences(doc)] == [
        "Roses need sun.",
        "People who mulch their beds save water.",
        (
            "Pruning removes dead wood and the plant then grows many new shoots from the base of the stem "
            "every single spring season."
        ),
        "Roses are plants.",
        "Pruning roses is a skill gardeners learn.",
    ]  # a sentence restating the title beside boilerplate is a teaser; "This is why ..." has no "this"
    forget_article()
    assert prose_sentences(parse_markdown(ROSES, "roses.md")) == prose_sentences(doc)


CLAUSE_PIECES = [
    "The heart pumps blood",
    "it is vital",
    "and then it rests",
    ", and the lungs are full",
    "; ",
    " — ",
    "–",
    "—",
    " – an aside – ",
    ", but ",
    ",",
    " ",
    "(a long parenthesis of thirty chars)",
    "word " * 12,
    ".",
    "Those who rest",
    "This is why",
    "It is",
    "Kelvin",
    "İt",
    "’s",
    "\u00a0",
]


@given(
    st.lists(
        st.lists(st.sampled_from(CLAUSE_PIECES), min_size=1, max_size=10).map("".join), min_size=1, max_size=3
    )
)
def test_prose_sentences_are_whole_clauses_and_do_not_depend_on_the_memos(paragraphs: list[str]) -> None:
    article = "# Heart\n\n" + "\n\n".join(paragraphs) + "\n"
    found = prose_sentences(parse_markdown(article, "h.md"))
    for sentence in found:
        assert len(sentence.text.split()) >= 3 and sentence.text == sentence.text.strip()
        assert sentence.text[0].isupper() or not sentence.text[0].isalpha()
        assert sentence.text[-1] in ".!?…" or sentence.text.endswith((")", "”", "'", '"')), sentence.text
        if (
            not sentence.raw.lower().lstrip(" ,;—–").startswith(("and ", "but "))
        ):  # a later clause loses its "and"
            assert not sentence.text.lower().startswith(("and ", "but ")), sentence.text
    forget_article()
    assert prose_sentences(parse_markdown(article, "h.md")) == found


SOIL = """# Soil

Humus is the dark organic matter that forms when plants decay.

Loam, often called garden soil, is a mix of sand, silt and clay in about equal parts.

Tilth is a word for how well soil suits planting.

Leaching refers to the loss of nutrients as water drains through the soil.

Compost means decayed plant matter added to soil to feed it.

When soil is packed so tight that roots cannot grow, this is called compaction.

Good soil holds air, water, and food for roots.

Seed → seedling → flowering plant → seed.

- **Mulch**: a layer spread on soil to keep it moist.
- **Marl** — a clay rich in lime.
- Peat - partly decayed moss from bogs.
"""


def _answers(markdown: str, rules: set[str]) -> list[tuple[str, list[str]]]:
    facts = extract(parse_markdown(markdown, "soil.md"))
    return [(f.rule, [f.text[g.start : g.end] for g in f.gaps]) for f in facts if f.rule in rules]


def test_definitions_series_and_glossary_lines_are_found() -> None:
    assert _answers(SOIL, {"definition", "enumeration", "glossary"}) == [
        ("glossary", ["Mulch"]),
        ("glossary", ["Marl"]),
        ("glossary", ["Peat"]),
        ("definition", ["Compaction"]),
        ("definition", ["Humus"]),
        ("definition", ["Loam"]),
        ("definition", ["Tilth"]),
        ("definition", ["Leaching"]),
        ("definition", ["Compost"]),
        ("definition", ["compaction"]),
        ("enumeration", ["air, water, and food"]),
        ("enumeration", ["seedling", "flowering plant"]),
    ]


@pytest.mark.parametrize("space", ["\t", "\xa0", "\u2028", "\u3000", "  ", " \n"])
def test_definitions_are_found_whatever_white_space_parts_the_words(space: str) -> None:
    odd = (
        SOIL.replace(" is ", f"{space}is{space}")
        .replace(" are ", f"{space}are ")
        .replace(" means ", f" means{space}")
    )
    assert _answers(odd, {"definition"}) == _answers(SOIL, {"definition"})


def test_a_long_run_of_words_before_is_does_not_stall_the_definition_rule() -> None:
    import time

    text = (
        "# T\n\n"
        + "Term "
        + "word " * 3000
        + "is a thing.\n\n"
        + ("Term (" + "d" * 59 + "), ") * 300
        + "is x.\n"
    )
    started = time.perf_counter()
    extract(parse_markdown(text, "t.md"))
    assert time.perf_counter() - started < 5


def test_memo_by_identity_answers_the_same_tuple_from_memory_and_stays_bounded() -> None:
    structure = sys.modules["generator.extract.structure"]
    calls: list[tuple[object, ...]] = []

    @structure.memo_by_identity(2)
    def count(blocks: tuple[object, ...], title: str) -> int:
        calls.append(blocks)
        return len(blocks) + len(title)

    a, b, c = (1, 2), tuple(range(1, 3)), (3,)  # b: equal to a, another object
    assert count(a, "x") == count(a, "x") == 3 and len(calls) == 1
    assert count(b, "x") == 3 and len(calls) == 2  # equal but another object: computed again, same answer
    assert count(a, "yy") == 4 and len(calls) == 3
    count(c, "")
    assert count(a, "x") == 3 and len(calls) == 5  # the oldest entries made room
    forget_article()
    assert count(c, "") == 1 and len(calls) == 6  # emptied with the article memos
