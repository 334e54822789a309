"""The words of a sentence: closed-class vocabularies, the tokenizer and the span types.

What the gap rules (phrases.py, gaps.py) read a sentence with: word lists (determiners, prepositions,
auxiliaries, everyday verbs), `tokens` with their offsets, the function-word and adverb tests, and
FoldedPattern, which runs a case-insensitive pattern faster on ASCII text. Every pattern here is linear.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import NamedTuple

from ..memo import article_cache
from ..text import LEADING_PRONOUNS, STOP_WORDS


class FoldedPattern:
    """A case-insensitive pattern that runs on ASCII text as its case-sensitive copy over the lower-cased
    text: the same matches at the same offsets, two to four times faster (re.I folds every character it
    compares). In ASCII text re.I folds only A-Z onto a-z, and the pattern's own letters are lower case.
    Other text goes to the pattern itself: there re.I also folds "K" (Kelvin), "ſ" or "İ" onto ASCII
    letters. A match from ASCII text holds the lower-cased text: read offsets and group names, not letters.
    """

    __slots__ = ("_folded", "needles", "pattern")

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...] = ()) -> None:
        """`needles`: lower-case strings one of which every match of the pattern over lower-cased ASCII text
        holds (keep them in step with the pattern): text holding none is not scanned. () for no such test."""
        if not pattern.flags & re.I or re.search("[A-Z]", re.sub(r"\\.", "", pattern.pattern)):
            raise ValueError(f"not a case-insensitive pattern with lower-case letters: {pattern.pattern!r}")
        self.pattern = pattern
        self._folded = re.compile(pattern.pattern, pattern.flags & ~re.I)
        self.needles = needles

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.search_lowered(text, text.lower() if text.isascii() else None, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.match_lowered(text, text.lower() if text.isascii() else None, pos)

    def search_lowered(self, text: str, low: str | None, pos: int = 0) -> re.Match[str] | None:
        """`search(text, pos)`, given `lowered(text)`: callers that try several patterns lower once."""
        if low is None:
            return self.pattern.search(text, pos)
        return self._folded.search(low, pos) if self._may_match(low) else None

    def match_lowered(self, text: str, low: str | None, pos: int = 0) -> re.Match[str] | None:
        """`match(text, pos)`, given `lowered(text)`."""
        if low is None:
            return self.pattern.match(text, pos)
        return self._folded.match(low, pos)

    def finditer_lowered(self, text: str, low: str | None) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)`, given `lowered(text)` (its matches hold `low` when it is not None)."""
        if low is None:
            return self.pattern.finditer(text)
        return self._folded.finditer(low) if self._may_match(low) else iter(())

    def _may_match(self, low: str) -> bool:
        """Whether lower-cased ASCII text holds one of the needles (or there are none)."""
        if not self.needles:
            return True
        for needle in self.needles:  # noqa: SIM110 - a plain loop: a substring test costs a tenth of the scan
            if needle in low:
                return True
        return False


def lowered(text: str) -> str | None:
    """What FoldedPattern scans: the lower-cased text when it is ASCII, else None (the pattern itself)."""
    return text.lower() if text.isascii() else None


_TOKEN = re.compile(r"[A-Za-z0-9$][A-Za-z0-9%+.,$/'’&-]*[A-Za-z0-9%+$]|[A-Za-z0-9]")

DETERMINERS = frozenset(
    "a an the this that these those each every any some all no its their his her our "
    "your "
    "my another such both either neither whose several many few much".split()
)
QUANTIFIERS = DETERMINERS | frozenset(("most",))  # what opens a verb's object: "run [several] processes"
PREPOSITIONS = frozenset(
    "about above across after against along among around as at before behind below "
    "beneath "
    "beside besides between beyond by despite down alongside during except for from in "
    "inside into like "
    "near off on onto out outside over per since than through throughout to toward "
    "towards "
    "under until up upon via with within without".split()
)
CONJUNCTIONS = frozenset(
    "and or but nor so yet because although though while whereas if unless when "
    "whenever where "
    "wherever whether that which who whom what how why once then thus therefore however "
    "and/or".split()
)
AUXILIARIES = frozenset(
    "is are was were be been being am has have had having do does did can could may "
    "might must "
    "shall should will would isn't aren't wasn't weren't doesn't don't didn't can't "
    "cannot "
    "couldn't won't wouldn't shouldn't hasn't haven't it's they're that's there's".split()
)
COPULAS = frozenset("is are was were becomes become became remains remain".split())
ADVERBS = frozenset(
    "also just only even still often usually always never sometimes generally typically "
    "really very "
    "too quite rather almost nearly already now here there instead again ever perhaps mostly "
    "not much more most less least well far soon later first then due".split()
)
# Common English verbs (base forms). Not a list of any text's words: the everyday verbs that start a
# predicate or an instruction, so they can be trimmed from the front of a noun-phrase chunk.
_VERB_BASES = (
    "accept achieve act add address affect allow apply approach arise ask assess avoid become begin believe "
    "bring "
    "build call care carry cause change check choose come connect consider contain continue control cover "
    "create "
    "deal decide decrease define deliver demonstrate depend describe determine develop display do drink eat "
    "elicit "
    "enable encourage ensure enter establish evaluate evoke exist expect experience explain explore express "
    "face "
    "feel find fit follow form foster gain get give go grow happen have hear help hold identify imagine "
    "improve "
    "include increase indicate influence involve keep know lead learn leave let lie limit listen live look "
    "lose "
    "maintain make manage mean measure meet move need note notice observe occur offer open pay perform place "
    "play practice prepare present prevent produce promote protect provide reach read realize receive "
    "recognize "
    "reduce refer reflect relate remain remember remove report represent require respond result return "
    "reveal "
    "run say see seek seem serve set share show sit speak stand start stay stop strive suggest support take "
    "talk "
    "teach tell tend think treat try turn understand use view walk want watch wear work write yield"
)
_IRREGULAR = (
    "goes went gone does has been began begun brought built came chose chosen did done drank drunk "
    "ate eaten felt found fit "
    "gave given went gone got gotten grew grown had heard held kept knew known led learnt left lay "
    "lost "
    "made meant met paid put ran said saw seen sought set showed shown sat spoke spoken stood took "
    "taken "
    "taught told thought understood wore worn wrote written"
)


def _inflections(base: str) -> Iterable[str]:
    yield base
    if base.endswith("e"):
        yield from (base + "s", base + "d", base[:-1] + "ing")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        yield from (base[:-1] + "ies", base[:-1] + "ied", base + "ing")
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        yield from (base + "es", base + "ed", base + "ing")
    else:
        yield from (base + "s", base + "ed", base + "ing")
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", base):
            yield from (base + base[-1] + "ed", base + base[-1] + "ing")


VERBS = frozenset(w for b in _VERB_BASES.split() for w in _inflections(b)) | frozenset(_IRREGULAR.split())
# Verbs that are as often nouns ("peer support", "self-care"): never used to cut a noun phrase in two.
NOUNISH = frozenset(
    "act approach care cause change check control cover deal display drink experience face "
    "fit form "
    "help lead limit measure need note place play practice present report result return run "
    "set "
    "share show stand start stay support talk test treat turn use view walk watch work yield "
    "increase decrease record answer process order".split()
)


def nounish(low: str) -> bool:
    """A verb form whose base is as often a noun ("needs", "supports", "changes")."""
    return any(low[: len(low) - k] in NOUNISH for k in (0, 1, 2, 3) if len(low) - k >= 3)


MODALS = frozenset(
    "can could may might must shall should will would cannot can't won't to do does did "
    "don't doesn't didn't".split()
)
# Words too general to be worth recalling on their own.
GENERIC = frozenset(
    "people person persons individual individuals thing things way ways lot lots part parts "
    "kind "
    "kinds type types example examples fact facts case cases time times something someone "
    "anyone "
    "everyone everything anything moment day days point points aspect aspects factor factors "
    "area "
    "areas issue issues matter role others other many much various several certain number "
    "amount level levels form forms group groups place end lot".split()
)
EVALUATIVE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:single\s+)?(?:most|best|main|primary|principal|only|first|key|"
    r"leading|largest|greatest|biggest|strongest|foundation|cornerstone|basis|heart|core|"
    r"essence|hallmark|backbone|priority|goal|aim|purpose|crucial|vital|essential|critical|"
    r"important|necessary|fundamental)\b",
    re.I,
)


class Span(NamedTuple):
    """A candidate gap. A named tuple, not a dataclass: the ranker makes dozens per sentence and reads
    them by field; nothing compares, hashes or copies them as dataclasses."""

    start: int  # character offsets into the sentence
    end: int
    kind: str  # emphasis | number | term | subject | object | chunk | item
    score: float


class Token(NamedTuple):
    """A word and its offsets. A named tuple, not a dataclass: sentences are tokenised by the thousand
    and a tuple is built in half the time."""

    text: str
    start: int
    end: int
    low: str  # the folded form every rule compares against, computed once when the sentence is tokenised


def tokens(text: str) -> list[Token]:
    """Words of `text` with offsets; hyphenated words, numbers with units and possessives stay whole."""
    return list(_tokens(text))


@article_cache(1 << 12)
def _tokens(text: str) -> tuple[Token, ...]:
    # Memoised: the gap rules tokenise the same clause several times (callers get their own list).
    # A match never ends in "," or "." (the pattern's last character cannot be one): the number's comma
    # or the sentence's full stop stays outside the word. ASCII text has no "’" to fold.
    fold = not text.isascii()
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        start, end = m.span()
        low = word.lower()
        if fold:
            low = low.replace("’", "'")
        out.append(_tuple_new(Token, (word, start, end, low)))  # Token(...) without its Python-level __new__
    return tuple(out)


_tuple_new = tuple.__new__
_TOKEN_START = itemgetter(1)  # Token.start


def _tokens_from(text: str, start: int) -> tuple[Token, ...]:
    """The tokens of `text` that start at or after `start`: tokens come in order of their starts, so a
    bisection finds the first, not a test of every token."""
    toks = _tokens(text)
    return toks[bisect_left(toks, start, key=_TOKEN_START) :]


def _tokens_after(text: str, start: int) -> tuple[Token, ...]:
    """The tokens of `text` that start after `start`."""
    toks = _tokens(text)
    return toks[bisect_right(toks, start, key=_TOKEN_START) :]


def is_function_word(low: str) -> bool:
    # Memoised: a pure test on a word, asked of every token by every rule (the vocabulary is small).
    low = low.replace("’", "'")
    base = _CONTRACTION.sub("", low)  # "you've", "they're", "it'll": a pronoun with an auxiliary
    return (
        low in _FUNCTION_WORDS
        or low.endswith("n't")
        or (base != low and (base in LEADING_PRONOUNS or base in STOP_WORDS))
    )


_CONTRACTION = re.compile(r"'(?:ve|re|s|ll|d|m)$")
_FUNCTION_WORDS = (
    STOP_WORDS | DETERMINERS | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | LEADING_PRONOUNS | ADVERBS
)


def _is_adverb(low: str) -> bool:
    return low in ADVERBS or (
        low.endswith("ly") and len(low) > 4 and low not in ("family", "supply", "apply")
    )
