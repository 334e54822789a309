"""Work per article is bounded: the linear scanners agree with the regexes they replaced, and inputs that
made the old code quadratic or cubic now finish.

The hang guards are not timings: each input below took minutes to hours before its fix (quoted per case);
a run under a 60 s alarm can only fail if that behaviour comes back.
"""
from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.build.article import build_cards
from generator.extract.markup import parse_clozes
from generator.notes.render import _TABLE_RULE, _cloze_placeholders
from generator.parse.markdown import parse_markdown
from generator.text import _BOUNDARY, find_clozes, find_highlights, split_sentences

# The regexes as they were: correct, but backtracking without bound on hostile lines.
OLD_CLOZE = re.compile(r"\{\{c(\d{1,3})::(.+?)(?:::(.*?))?\}\}")
OLD_TEMPERED = re.compile(r"\{\{c(\d{1,3})::((?:(?!\{\{|\}\}).)*?)(?:::((?:(?!\{\{|\}\}).)*?))?\}\}", re.DOTALL)
OLD_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
OLD_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
OLD_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")

markup_text = st.lists(st.sampled_from(["{{c1::", "{{c12::", "{{c1234::", "}}", "}", "{", "::", ":", "==", "=", " ",
                                        "a", "b", "\n", "{{c", "\t", "٣"]), max_size=14).map("".join)


@given(markup_text)
def test_find_clozes_agrees_with_the_regex(text: str) -> None:
    want = [(m.start(), m.end(), m.group(1), m.group(2), m.group(3)) for m in OLD_CLOZE.finditer(text)]
    assert find_clozes(text) == want


@given(markup_text)
def test_tempered_find_clozes_agrees_with_the_regex(text: str) -> None:
    want = [(m.start(), m.end(), m.group(1), m.group(2), m.group(3)) for m in OLD_TEMPERED.finditer(text)]
    assert find_clozes(text, tempered=True) == want


@given(markup_text)
def test_find_highlights_agrees_with_the_regex(text: str) -> None:
    # The regex's matches, less marks round no letter or digit ("+=====+", a grid table's border).
    want = [(m.start(), m.end(), m.group(1)) for m in OLD_HIGHLIGHT.finditer(text)
            if any(ch.isalnum() for ch in m.group(1))]
    assert find_highlights(text) == want


@given(st.text(".!?…\"”')] \tAa1(“", max_size=12))
def test_sentence_boundary_agrees_with_the_old_regex(text: str) -> None:
    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in OLD_BOUNDARY.finditer(text)]


@given(st.text("|-: \tx", max_size=14))
def test_table_rule_agrees_with_the_old_regex(text: str) -> None:
    assert bool(_TABLE_RULE.match(text)) == bool(OLD_TABLE_RULE.match(text))


@contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than `seconds`."""
    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: the work is no longer bounded")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# (name, text, what it cost before the fix)
HOSTILE = [
    ("unclosed clozes", "# T\n\n" + "{{c1::" * 3000, "cubic: over 10 minutes for 18 KB"),
    ("unclosed highlights", "# T\n\n" + "==a " * 5000, "quadratic: 11 s for 16 KB"),
    ("run of dots", "# T\n\n" + "." * 20000, "quadratic: 44 s for 20 KB"),
    ("run of ?!", "# T\n\nA" + "!?" * 10000 + " B", "quadratic: 26 s for 20 KB"),
    ("many bold spans", "# T\n\n" + "**a** " * 8000, "quadratic: 770 s for 144 KB, about 85 s for this"),
    ("one long paragraph", "# T\n\n" + "A ribosome is a molecular machine that builds proteins. " * 1000,
     "quadratic: 7.6 s for these 56 KB, 120 s for 224 KB"),
    ("many short lines", "# T\n\n" + "A thing is a thing.\n" * 3000, "quadratic in lines x sentences"),
    ("skip directives", "<!-- certdeck: skip -->\n# H\n\nA thing is a thing.\n\n" * 1000,
     "quadratic in blocks x directives"),
]


@pytest.mark.parametrize("text", [t for _, t, _ in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_hostile_article_finishes(text: str) -> None:
    with hang_guard():
        build_cards(text, "hostile.md")


def test_hostile_markup_in_author_fields_finishes() -> None:
    with hang_guard():
        parse_clozes("{{c1::" + "==a " * 5000 + "}}")
        _cloze_placeholders("{{c1::" + "a::" * 6000)
        split_sentences("." * 50000)
        assert _TABLE_RULE.match("|-- " + " " * 50000 + "x") is None


def test_nesting_too_deep_is_skipped_with_a_warning_naming_its_line() -> None:
    for text, line in (("intro\n\n" + "- " * 10000 + "A thing is deep.\n", 3),
                       ("intro\n\n" + "> " * 10000 + "deep\n", 3),
                       # indented: levels 1-19 parse, the item on line 22 (level 20) holds what is skipped
                       ("intro\n\n" + "".join("  " * i + "- item\n" for i in range(300)), 22)):
        with hang_guard():
            doc = parse_markdown(text, "deep.md")
        assert [str(w) for w in doc.warnings] == [
            f"deep.md:{line}: lists or quotes nested too deeply; the text inside them is skipped"]
        assert doc.blocks[0].text == "intro"


def test_nesting_a_person_writes_is_kept() -> None:
    doc = parse_markdown("".join("  " * i + f"- level {i}\n" for i in range(12)), "outline.md")
    assert doc.warnings == ()
    assert [b.text for b in doc.blocks] == [f"level {i}" for i in range(12)]


word_set = st.sets(st.sampled_from("abcdefghij"), max_size=8)


@given(st.lists(st.tuples(word_set, word_set), max_size=40))
def test_overlap_index_finds_every_near_duplicate(facts: list[tuple[set[str], set[str]]]) -> None:
    from generator.select.selection import _duplicate, _OverlapIndex

    index = _OverlapIndex([w for w, _ in facts])
    for i, (words, answers) in enumerate(facts):
        found = set(index.candidates(words, answers))
        for k in range(i):
            if _duplicate(words, answers, *facts[k]):
                assert k in found, (words, answers, facts[k])
        index.add(words, answers, i)
