"""The cheap checks that let extraction and rendering skip work never change an answer.

Each shortcut skips a regex (or the HTML sanitizer) when a necessary condition fails; these tests hold
the condition and the full check side by side.
"""
from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import generator.extract  # noqa: F401  (loads the rule modules the package's names shadow)
from generator.extract.filters import BOILERPLATE_SCAN, RHETORIC_SCAN, is_noise
from generator.notes.finish import _sanitizer, sanitize

filters = sys.modules["generator.extract.filters"]
definition = sys.modules["generator.extract.definition"]
enumeration = sys.modules["generator.extract.enumeration"]

SCANS = {
    "boilerplate": (BOILERPLATE_SCAN, [
        "Please subscribe now", "You can unsubscribe", "Read our Privacy Policy", "the terms of use apply",
        "Our newsletter", "Click here", "sign up today", "log in to see", "We use cookies", "this site uses cookies",
        "Cookie settings", "All rights reserved", "share this", "Follow us", "get the latest news", "Read more",
        "learn more", "download the app", "Buy now", "add to cart", "Advertisement", "Sponsored",
        "the comments section", "Copyright 2020", "Watch this", "This video explains", "this overview is about",
        "by the end of this lesson", "In this article", "you will be able to"]),
    "rhetoric": (RHETORIC_SCAN, [
        "right? yes", "isn't it", "isnt that", "who wouldn't", "can you imagine", "you know what",
        "buckle up", "let's be real", "lets go", "dive into", "guess what", "believe me", "imagine how",
        "here's the thing", "isn’t it", "let’s see"]),
    "figure": (filters._FIGURE_SCAN, [
        "the photograph shows", "a chart labeled", "graphs depict", "the diagram illustrates",
        "figure 2 shows", "an image pictured", "an illustration shows", "an arrow changing color",
        "the icon shows", "a picture depicts", "the screenshot shows"]),
    "reflexive": (filters._REFLEXIVE_SCAN, ["remind yourself", "ask yourselves", "let ourselves"]),
    "metaphor": (filters._METAPHOR_SCAN, ["it's like a river", "that’s all part of it", "this is like"]),
}
CASES = [(name, phrase) for name, (_, phrases) in SCANS.items() for phrase in phrases]


@pytest.mark.parametrize("name, phrase", CASES)
def test_scan_finds_every_kind_of_match_in_any_case(name: str, phrase: str) -> None:
    scan = SCANS[name][0]
    for text in (phrase, phrase.upper(), f"So, {phrase.title()} today."):
        assert bool(scan.pattern.search(text)) == bool(scan.search(text)), text
    assert scan.search(phrase), phrase


WORDS = [w for _, phrase in CASES for w in phrase.split()] + ["is", "the", "Kelvin", "K", "ſ", "x,", "?"]


@given(st.lists(st.sampled_from(WORDS), max_size=8))
def test_scan_agrees_with_its_pattern(words: list[str]) -> None:
    text = " ".join(words)
    for scan, _ in SCANS.values():
        assert bool(scan.search(text)) == bool(scan.pattern.search(text))
    assert is_noise.__wrapped__(text) == _is_noise_reference(text)


def _is_noise_reference(sentence: str) -> bool:
    s = sentence.strip()
    if not s or s.endswith(("?", "!")) or filters._EXCLAIM_TAIL.search(s) or filters._SPEECH.search(s):
        return True
    if filters._FIGURE.search(s) or filters._REFLEXIVE.search(s):
        return True
    return bool(filters.BOILERPLATE.search(s) or filters.RHETORIC.search(s) or filters._METAPHOR.search(s))


PIECES = list("ab ,;:()→\"“!?.-") + [" and ", " or ", " is ", " are ", " called ", " known as ", " means ",
                                      " this is called ", "which ", "Term", " the "]


@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_prefilters_only_skip_text_the_pattern_cannot_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    comma = enumeration._COMMA.search(text)
    if not comma or not enumeration._CONJUNCTION.search(text, comma.end()):
        assert enumeration._SERIES.search(text) is None
    if "→" not in text:
        assert enumeration._ARROWS.search(text) is None
    if not definition._THIS_IS_CALLED_SCAN.holds_needle(filters.scan_fold(text)):
        assert definition._THIS_IS_CALLED.search(text) is None
    if not any(v in text for v in definition._EXPLICIT_VERBS):
        assert definition._EXPLICIT.match(text) is None
    if not definition._IS_ARE.search(text):
        assert definition._COPULAR.match(text) is None
    if not any(v in text for v in definition._CALLED_VERBS):
        assert definition._CALLED.search(text) is None


FRAGMENT_PIECES = list("a <>&;amplgt\r\n\x00\xa0\ufeff{}\ue000\ue003\"'é") + ["&amp;", "&lt;", "&gt;", "<b>", "</b>"]


@given(st.lists(st.sampled_from(FRAGMENT_PIECES), max_size=30))
def test_sanitize_skips_only_fragments_the_sanitizer_returns_unchanged(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    assert sanitize(fragment) == str(_sanitizer()(fragment))


@given(st.text(alphabet=st.sampled_from(list("ab <&{}:\n")), min_size=1, max_size=20),
       st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 3), st.sampled_from(["", "h"])),
                max_size=3))
def test_unmarked_text_takes_the_short_way_to_the_same_html(text: str, spans: list[tuple[int, int, int, str]]) -> None:
    from generator.model import Gap
    from generator.notes.marks import NO_MARKS
    from generator.notes.render import _emit

    gaps = [Gap(min(a, b), max(a, b), n, hint) for a, b, n, hint in spans if min(a, b) < max(a, b) <= len(text)]
    # Marks that are all empty send _emit down its general path, which must write the same HTML.
    assert _emit(text, 0, len(text), [], gaps) == _emit(text, 0, len(text), [NO_MARKS] * len(text), gaps)


# Folded patterns with needles: text holding none of a pattern's needles is not scanned, so every match
# over lower-cased ASCII text must hold one. Texts are made of the patterns' own words (each alternative,
# in any case), near misses and filler, joined by the separators their \s and \b read.
claim = sys.modules["generator.extract.claim"]
words = sys.modules["generator.extract.words"]
phrases = sys.modules["generator.extract.phrases"]
gaps = sys.modules["generator.extract.gaps"]
NEEDLED = {name: p for mod in (claim, phrases, gaps) for name, p in vars(mod).items()
           if isinstance(p, words.FoldedPattern) and p.needles}
PATTERN_WORDS = sorted({w for p in NEEDLED.values() for w in re.findall(r"[a-z']+", p.pattern.pattern)}
                       | {"causes", "leads", "results", "prevents", "reduces", "vs.", "isn't", "can't",
                          "needs", "so", "that", "not", "just", "but", "rather", "it", "water", "x", "3"})
CASED_WORD = st.sampled_from(PATTERN_WORDS).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title(), w[:-1], w + "s", "a" + w]))
SEPARATOR = st.sampled_from([" ", "  ", "\t", "\n", ", ", "; ", "-", "", "'", "."])


@given(st.lists(st.tuples(CASED_WORD, SEPARATOR), max_size=12).map(lambda ps: "".join(w + s for w, s in ps)))
def test_every_folded_match_holds_a_needle(text: str) -> None:
    assert len(NEEDLED) >= 3
    for name, pattern in NEEDLED.items():
        for probe in (text, text.replace(" ", "", 1)):
            low = probe.lower()
            if probe.isascii() and pattern._folded.search(low):
                assert any(n in low for n in pattern.needles), (name, probe)
            got, expected = pattern.search(probe), pattern.pattern.search(probe)
            assert (got and got.span()) == (expected and expected.span()), (name, probe)


def test_the_needles_skip_what_matches_nowhere() -> None:
    assert claim._CAUSE.search("Water is wet and cold.") is None
    assert claim._CAUSE.search("Smoking CAUSES cancer.").span() == (8, 14)
    assert claim._CONTRAST.search("Not every burn, but most").span() == (0, 19)
    assert claim._OBLIGATION.search("You Must rest.").span() == (4, 8)


# The definition patterns as they were before their runs were made possessive: the same matches, slower.
_TERM_BACKTRACKING = r"(?P<term>[A-Za-z][\w'’/-]*(?:\s+[\w'’/-]+){0,4}?)"
_APPOSITIVE_BACKTRACKING = (
    r"(?:\s*\([^()]{1,60}\))?(?:,\s+(?:(?:often|also|sometimes|commonly|usually)\s+)?(?:called|known as|"
    r"or|the|a|an)\s[^,]{2,90},)?"
)
_EXPLICIT_BACKTRACKING = re.compile(
    r"^" + _TERM_BACKTRACKING + _APPOSITIVE_BACKTRACKING
    + r"\s+(?P<verb>(?:is|are)\s+(?:(?:often|usually|commonly|generally|also|best)\s+)?"
    r"(?:defined as|known as|described as|the term for|referred to as)|means|refers to|refer to|"
    r"can be defined as|describes)\s+(?P<definition>\S.{6,})$"
)
_COPULAR_BACKTRACKING = re.compile(
    r"^" + _TERM_BACKTRACKING + _APPOSITIVE_BACKTRACKING
    + r"\s+(?:is|are)\s+(?P<definition>(?:(?:a|an|any|the|one of the)\s.{6,}|"
    r"(?!(?:often|usually|also|always|to|about|not|more|less|most|very|so|too)\b)(?![a-z]+ly\b)"
    r"[a-z][\w-]+(?:\s[a-z][\w-]+)?\s(?:that|which|who|whose|where|\w+ed|\w+ing)\s.{6,}))$"
)
DEFINITION_PIECES = [
    "Term", "word", "x", "’s", "/", "-", "it's", " ", "  ", "\t", "\xa0", "(", ")", ",", ", ", ".", "\n",
    " is ", " are ", " is a ", " are the ", " means ", " refers to ", " is defined as ", " is often known as ",
    " called ", ", often called ", ", the ", ", a ", ", or ", " known as ", "that ", " which ", " used ",
    " running ", " one of the ", "often ", "quickly ", "a" * 30, "b" * 61, "c " * 40, "(" + "d" * 59 + ")",
]


@given(st.lists(st.sampled_from(DEFINITION_PIECES), max_size=24))
def test_possessive_definition_patterns_match_as_the_backtracking_ones(pieces: list[str]) -> None:
    text = "".join(pieces)
    for fast, slow in ((definition._EXPLICIT, _EXPLICIT_BACKTRACKING), (definition._COPULAR, _COPULAR_BACKTRACKING)):
        got, want = fast.match(text), slow.match(text)
        assert (got is None) == (want is None), text
        if want:
            assert got.span() == want.span() and got.groupdict() == want.groupdict(), text
            assert all(got.span(g) == want.span(g) for g in want.groupdict()), text


@pytest.mark.parametrize("text", [
    "Term is a word defined here", "Term (the word), often called x y, is the one that runs today",
    "Big Term, a kind of thing, is a word used widely", "The cat’s/dog-like way means a thing done",
    "A, B is x", "Term\tis a word here", "Term is\xa0a word here",
])
def test_possessive_definition_patterns_on_examples(text: str) -> None:
    test_possessive_definition_patterns_match_as_the_backtracking_ones.hypothesis.inner_test([text])


@given(st.lists(st.sampled_from(["is", "are", "Is", "x", " ", "\t", "\n", "\xa0", "\u2028", "\u3000", "\x85"]),
                max_size=10))
def test_is_are_substrings_agree_with_the_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert definition._holds_is_are(text) == bool(definition._IS_ARE.search(text)), repr(text)


@pytest.mark.parametrize("text", ["x is y", "x are y", "x\tis y", "x is\xa0y", "x\u2028are\u3000y", "x isare y",
                                  "is a"])
def test_is_are_substrings_on_examples(text: str) -> None:
    assert definition._holds_is_are(text) == bool(definition._IS_ARE.search(text)), repr(text)
