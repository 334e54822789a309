"""Every prefilter keeps its contract: it skips a pattern only where the pattern could not match.

Extraction tries many case-insensitive patterns on every sentence; three kinds of object let it skip most of
them cheaply, each with a written contract:
- Scan (filters): runs its pattern only on text that holds one of its needles once folded (`scan_fold`);
  its answer is the pattern's.
- Opener (filters, definition): tries its anchored pattern only when the opening word is one it can
  open with; its answer is the pattern's.
- FoldedPattern (words, phrases, gaps, claim): runs the case-sensitive copy over lower-cased ASCII
  text, skipping text without a needle; same matches, same offsets, same group names as the pattern.
- scan_fold folds exactly the letters re.I takes for ASCII ones; any_of finds a text exactly when it
  holds a needle.

The instances are found in whatever generator modules define them, so that a new one is checked too. The
texts are made of the patterns' own words, in any case and spelt with the letters re.I folds from outside
ASCII ("K" Kelvin, "ſ", "İ", "ı"), near misses and separators; a second set walks every branch of each
anchored pattern. Guarantees kept from the tests that compared these with copies of the old code:
the scans, openers and folded patterns agree with their patterns, is_noise's verdict stays the
patterns' verdict, and a FoldedPattern refuses a pattern it could not fold.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.extract.filters import Opener, Scan, any_of, is_noise, scan_fold
from generator.extract.words import FoldedPattern

if sys.version_info >= (3, 11):  # the parsed form of a pattern, to write out texts its branches match
    import re._parser as sre_parse
else:
    import sre_parse


def _instances(kind: type) -> dict[str, object]:
    found: dict[int, tuple[str, object]] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("generator"):
            for attr, value in vars(module).items():
                if isinstance(value, kind):
                    found.setdefault(id(value), (f"{name}.{attr}", value))
    return dict(found.values())


SCANS: dict[str, Scan] = _instances(Scan)  # type: ignore[assignment]
OPENERS: dict[str, Opener] = _instances(Opener)  # type: ignore[assignment]
FOLDED: dict[str, FoldedPattern] = _instances(FoldedPattern)  # type: ignore[assignment]


def test_the_prefilters_are_found() -> None:
    assert len(SCANS) >= 5 and len(OPENERS) >= 4 and len(FOLDED) >= 8


def _words_of(patterns: list[re.Pattern[str]]) -> list[str]:
    return sorted({w for p in patterns for w in re.findall(r"[a-z']+", p.pattern)} - {"s", "w", "d", "b"})


WORDS = _words_of(
    [s.pattern for s in SCANS.values()]
    + [o.pattern for o in OPENERS.values()]
    + [f.pattern for f in FOLDED.values()]
) + [
    "causes",
    "leads",
    "prevents",
    "vs.",
    "isn't",
    "can't",
    "needs",
    "so",
    "that",
    "not",
    "just",
    "but",
    "it",
    "water",
    "x",
    "3",
    "20",
    "is",
    "the",
    "?",
    "!",
]
ODD_LETTERS = {"k": "K", "s": "ſ", "i": "ı", "'": "’"}


@st.composite
def texts(draw: st.DrawFn) -> str:
    """The patterns' words, each in any case, some letters spelt as re.I's non-ASCII equivalents."""
    out = []
    for word in draw(st.lists(st.sampled_from(WORDS), max_size=10)):
        shape = draw(st.sampled_from(["as is", "upper", "title", "odd", "cut", "plural"]))
        if shape == "odd":
            word = "".join(draw(st.sampled_from([c, c.upper(), ODD_LETTERS.get(c, c)])) for c in word)
        else:
            word = {
                "as is": word,
                "upper": word.upper(),
                "title": word.title(),
                "cut": word[:-1],
                "plural": word + "s",
            }[shape]
        out.append(
            word + draw(st.sampled_from([" ", "  ", "\t", "\n", ", ", "; ", "-", "", "'", ".", "\xa0"]))
        )
    return "".join(out)


def _same(got: re.Match[str] | None, want: re.Match[str] | None) -> bool:
    if got is None or want is None:
        return got is want
    return got.span() == want.span() and got.lastgroup == want.lastgroup


def _check_all(text: str) -> None:
    for name, scan in SCANS.items():
        assert bool(scan.search(text)) == bool(scan.pattern.search(text)), (name, text)
    for name, opener in OPENERS.items():
        assert bool(opener.match(text)) == bool(opener.pattern.match(text)), (name, text)
    for name, folded in FOLDED.items():
        assert _same(folded.search(text), folded.pattern.search(text)), (name, text)
        assert _same(folded.match(text), folded.pattern.match(text)), (name, text)
        assert _same(folded.match(text, 2), folded.pattern.match(text, 2)), (name, text)


@given(texts())
def test_every_prefilter_answers_as_its_pattern(text: str) -> None:
    for probe in (text, text.replace(" ", "", 1), text.lower(), text.capitalize()):
        _check_all(probe)


def _examples(pattern: re.Pattern[str]) -> list[str]:
    """Texts that between them take every branch of `pattern` and every character of its classes, each
    repeat at its least and once more (one text for each choice, not one for each combination)."""

    def seq(items: list) -> list[str]:
        columns = [one(op, arg) for op, arg in items]
        n = max((len(c) for c in columns), default=1)
        return ["".join(c[i % len(c)] for c in columns) for i in range(n)]

    def one(op: object, arg: object) -> list[str]:
        name = str(op)
        if name == "LITERAL":
            return [chr(arg)]  # type: ignore[arg-type]
        if name == "SUBPATTERN":
            return seq(arg[-1])  # type: ignore[index]
        if name == "BRANCH":
            return [t for alt in arg[1] for t in seq(alt)]  # type: ignore[index]
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, items = arg  # type: ignore[misc]
            once = seq(items)
            least = [e * low for e in once]
            return least + [e * (low + 1) for e in once] if high > low else least
        if name == "IN":
            if str(arg[0][0]) == "NEGATE":  # type: ignore[index]
                return [" "]
            # IN's argument is a list of (op, member) pairs; the parser's stubs type it as object
            return [c for member_op, member in arg for c in member_of(str(member_op), member)]  # type: ignore[attr-defined]
        if name == "ANY":
            return ["x"]
        if name == "AT" and str(arg) == "AT_BOUNDARY":
            return [" "]  # a space makes a boundary between two words the pattern writes side by side
        return [""]  # other anchors and lookarounds take no characters

    def member_of(kind: str, member: object) -> list[str]:
        if kind == "LITERAL":
            return [chr(member)]  # type: ignore[arg-type]
        if kind == "RANGE":
            return [chr(member[0])]  # type: ignore[index]
        if kind == "CATEGORY":
            return [{"CATEGORY_SPACE": " ", "CATEGORY_DIGIT": "0"}.get(str(member), "a")]
        raise AssertionError(kind)

    return seq(list(sre_parse.parse(pattern.pattern, pattern.flags)))


TAILS = ["", " rest helps.", "Rest helps?", " the heart, rest helps.", ": rest."]


@pytest.mark.parametrize("name", sorted(OPENERS) + sorted(SCANS) + sorted(FOLDED))
def test_every_branch_of_each_pattern_answers_as_the_pattern(name: str) -> None:
    pattern = {**OPENERS, **SCANS, **FOLDED}[name].pattern  # type: ignore[attr-defined]
    texts_ = [e + tail for e in _examples(pattern) for tail in TAILS]
    if name not in FOLDED:  # (the texts made from some folded patterns, with [^,] and the like, match none)
        assert sum(bool(pattern.search(t)) for t in texts_) >= len(texts_) // len(
            TAILS
        )  # the branches are taken
    for text in texts_:
        for variant in (text, text.capitalize(), text.upper(), text.replace("s", "ſ").replace("k", "K")):
            _check_all(variant)


def test_is_noise_on_examples() -> None:
    noise = [
        "Click here to subscribe.",
        "Can you imagine that?",
        "Wow — what a plant!",
        "The diagram shows the roots.",
        "Remind yourself to water.",
        "It's like a river of sap.",
        "Please SUBSCRIBE now",
        "Buckle up for pruning season",
        "Let’s water the roses.",
        "Pleaſe ſubſcribe now",
        "We uſe cookies.",
    ]
    for sentence in noise:
        assert is_noise(sentence), sentence
    for sentence in [
        "Roots take up water.",
        "Kelvin measured it.",
        "Roses bloom in June.",
        "Compost feeds the soil.",
    ]:
        assert not is_noise(sentence), sentence


@given(texts())
def test_is_noise_is_the_verdict_of_its_patterns(text: str) -> None:
    s = text.strip()
    by_patterns = any(scan.pattern.search(s) for name, scan in SCANS.items() if ".filters." in name)
    if by_patterns:
        assert is_noise(text), text
    # Its memo, where it has one (docs/speed.md says which stayed), changes nothing.
    assert is_noise(text) == getattr(is_noise, "__wrapped__", is_noise)(text)


def test_scan_fold_folds_every_letter_re_i_takes_for_an_ascii_one() -> None:
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if any_letter.fullmatch(ch):
            folded = scan_fold(ch)
            assert len(folded) == 1 and "a" <= folded <= "z" and re.fullmatch(folded, ch, re.IGNORECASE), hex(
                code
            )
    assert scan_fold("Let’s İmagine") == "let's imagine"


@given(
    st.lists(st.text(alphabet="abc '", min_size=1, max_size=4), min_size=1, max_size=6),
    st.text(alphabet="abc 'A(|)*", max_size=30),
)
def test_any_of_finds_a_text_exactly_when_it_holds_a_needle(needles: list[str], text: str) -> None:
    assert bool(any_of(tuple(needles)).search(text)) == any(n in text for n in needles)


def test_a_folded_pattern_needs_re_i_and_lower_case_letters() -> None:
    assert FoldedPattern(re.compile(r"\bwe\S", re.IGNORECASE)).search("So WE! go").span() == (3, 6)
    for bad in (re.compile("we"), re.compile("We", re.IGNORECASE), re.compile("[A-Z]", re.IGNORECASE)):
        with pytest.raises(ValueError):
            FoldedPattern(bad)


def test_needles_skip_what_matches_nowhere_and_find_what_matches() -> None:
    cause = next(f for name, f in FOLDED.items() if name.endswith("._CAUSE"))
    assert cause.search("Water is wet and cold.") is None
    assert cause.search("Smoking CAUSES cancer.").span() == (8, 14)
    assert cause.search("Smoking cauſes cancer.").span() == (8, 14)  # not ASCII: the pattern itself
