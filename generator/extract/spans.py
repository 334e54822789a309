"""Where a gap goes: candidate answer spans in a sentence and the choice between them.

Choosing the sentence and choosing the gap are separate problems (DESIGN.md, Extraction). Without a
tagger, noun-phrase-like chunks are the runs of words between closed-class words (determiners,
prepositions, pronouns, auxiliaries, conjunctions) with leading verbs trimmed. A gap is, best first:
an author-emphasised span, a number with its unit, the term a definition defines, the subject of a
"X is the most/key Y" claim, else the new information at the end of the clause (the object or
complement), unless that is only the article's topic. Every pattern here is linear (no nested
quantifiers over overlapping classes), and callers cap sentence length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ..memo import article_cache
from ..model import Block, Document
from ..text import (
    LEADING_PRONOUNS,
    STOP_WORDS,
    content_stems,
    content_words,
    count_content_words,
    stem,
    stem_set,
    stems,
    stems_outside,
)


class FoldedPattern:
    """A case-insensitive pattern that runs on ASCII text as its case-sensitive copy over the lower-cased
    text: the same matches at the same offsets, two to four times faster (re.I folds every character it
    compares). In ASCII text re.I folds only A-Z onto a-z, and the pattern's own letters are lower case.
    Other text goes to the pattern itself: there re.I also folds "K" (Kelvin), "ſ" or "İ" onto ASCII
    letters. A match from ASCII text holds the lower-cased text: read offsets and group names, not letters.
    """

    __slots__ = ("pattern", "_folded", "needles")

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
        for needle in self.needles:  # a plain loop: a substring test costs a tenth of the scan
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


@lru_cache(maxsize=1 << 14)
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

_NUM = (
    r"(?:\$?\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred|half|a few)"
)
# In lower case ("mL" as "ml", "[CF]" as "[cf]"): under re.I the same pattern, and one FoldedPattern can run.
_UNIT = (
    r"(?:%|percent|°\s?[cf]?|degrees?(?:\s+(?:celsius|fahrenheit|[cf]))?|mg|mcg|g|kg|lbs?|pounds?|oz|ml|ml|"
    r"l|liters?|mmhg|cm|mm|m|km|miles?|feet|inches|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|"
    r"months?|years?|decades?|times|doses?|breaths?|beats?|ml/kg/hr|ml/kg|/min|bpm|million|billion|thousand|"
    r"adults?|children|people|patients|cases|deaths)"
)
NUMBER = re.compile(
    r"(?<![\w./-])(?:(?:at least|at most|about|around|roughly|nearly|almost|approximately|over|under|more "
    r"than|"
    r"less than|fewer than|up to|within|every)\s+)?"
    + _NUM
    + r"(?:\s?%)?(?:\+)?(?:\s?(?:-|–|—|to|or|in|out of)\s?"
    + _NUM
    + r"(?:\s?%)?)?"
    r"(?:(?:\s|-)(?:million|billion|thousand|hundred))?(?:(?:\s|-)?" + _UNIT + r"(?:/[a-z]{1,4})*"
    r"(?:\sper\s(?:minute|hour|day|week|month|year|second|kg|dose))?)?"
    r"(?![\w%/-]|\.\d)",
    re.I,
)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+(?:1[89]|20)\d\d\b"
)
_DECADE = re.compile(r"\b(?:(?:early|mid|late)[- ])?(?:1[5-9]|20)\d0s\b", re.I)
_COMPARATIVE = re.compile(r"\b(?:twice|three times|four times|half) as \w+\b", re.I)
_WORD_NUMBER = re.compile(
    r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|hundred|half|a few)$",
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


@lru_cache(maxsize=1 << 14)
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


@lru_cache(maxsize=1 << 14)
def _is_adverb(low: str) -> bool:
    return low in ADVERBS or (
        low.endswith("ly") and len(low) > 4 and low not in ("family", "supply", "apply")
    )


def chunks(text: str, max_words: int = 6) -> list[Span]:
    """Noun-phrase-like runs: content words, joined by `of`/`and`/`or`/`&` between content words."""
    return list(_chunks(text, max_words))


@article_cache(1 << 12)
def _chunks(text: str, max_words: int) -> tuple[Span, ...]:
    # Memoised: the claim, definition and enumeration rules chunk the same sentence (callers get a list).
    toks = _tokens(text)
    out: list[Span] = []
    run: list[Token] = []

    def flush() -> None:
        while run and (_is_adverb(run[0].low) or run[0].low in _JOINERS):
            run.pop(0)
        while run and (_is_adverb(run[-1].low) or run[-1].low in _JOINERS):
            run.pop()
        if run and len(run) <= max_words:
            out.append(_tuple_new(Span, (run[0].start, run[-1].end, "chunk", 0.0)))
        run.clear()

    verbs = _verb_positions(_lows(toks))
    for i, tok in enumerate(toks):
        low = tok.low
        sep = ""  # the punctuation between this word and the run's last one
        if run:
            sep = text[toks[i - 1].end : tok.start].strip()
            if sep not in ("", "-", "/"):  # punctuation ends a chunk ...
                cumulative = (  # ... except the comma of "a warm, dry place" or "a sudden, very sharp pain"
                    sep == ","
                    and len(run) == 1
                    and i >= 2
                    and toks[i - 2].low in ("a", "an", "the")
                    and (not is_function_word(low.strip()) or low in ("less", "more", "very"))
                )
                if not cumulative:
                    flush()
        if i in verbs:
            if run:  # (flushing no run does nothing)
                flush()
            continue
        if low in _JOINERS and run:
            nxt = toks[i + 1].low if i + 1 < len(toks) else ""
            gerund = low != "of" and nxt.endswith("ing") and not run[0].low.endswith("ing") and len(nxt) > 5
            if (
                nxt
                and not is_function_word(nxt)
                and i + 1 not in verbs
                and not gerund
                and len(run) < max_words - 1
            ):
                run.append(tok)
                continue
            flush()
            continue
        if (is_function_word(low) or low in LEADING_PRONOUNS) and not (
            run and low in ("less", "more", "very") and sep == ","
        ):
            if run:
                flush()
            continue
        run.append(tok)
    if run:
        flush()
    return tuple(out)


_JOINERS = frozenset(("of", "and", "or", "&"))
_OBJECT_START = DETERMINERS | frozenset("to two three four five you them us him her it".split())


def verb_positions(toks: Sequence[Token]) -> set[int]:
    """Indices of tokens that act as verbs: after a modal or "to", participles after an auxiliary, and
    listed verbs that follow a noun (not the noun-like ones such as "support")."""
    return set(_verb_positions(_lows(toks)))


_PREPOSITIONS_OR_DETERMINERS = PREPOSITIONS | DETERMINERS
# A word past the sentence's first two can be a verb only if it is one of these, or follows one of the
# others, or is an inflected word among the first five (see the tests of _verb_positions).
_MAYBE_VERB = AUXILIARIES | COPULAS | VERBS
_BEFORE_VERB = MODALS | AUXILIARIES | frozenset(("to", "who", "which", "that"))
_LOW = itemgetter(3)  # Token.low, read at C speed


def _lows(toks: Sequence[Token]) -> tuple[str, ...]:
    """The folded words of a token run: the memo key of its verbs."""
    return tuple(map(_LOW, toks))


@article_cache(1 << 12)
def _verb_positions(lows: tuple[str, ...]) -> frozenset[int]:
    # Memoised on the folded words (all the rules look at): a sentence's verbs are asked for by the
    # prose filter, the clause splitter, the chunker and the gap ranker in turn.
    out: set[int] = set()
    prev = ""  # the last word that was not an adverb
    for i, low in enumerate(lows):
        if (
            i > 1
            and low not in _MAYBE_VERB
            and prev not in _BEFORE_VERB
            and (i > 4 or out or not low.endswith(("s", "ed")))
        ):
            pass  # what every test below needs fails: none can hold (most words of a sentence)
        elif low in AUXILIARIES or low in COPULAS:
            out.add(i)
        elif prev in MODALS and prev != "to" and not is_function_word(low) and not low[0].isdigit():
            out.add(i)
        elif prev == "to" and (low in VERBS or low.endswith(("ize", "ise", "ate", "ify"))):
            out.add(i)
        elif (
            prev in AUXILIARIES
            and (low.endswith(("ed", "en")) or low in VERBS)
            and low not in ("open", "often", "children")
        ):
            out.add(i)
        elif (
            i == 1
            and _is_adverb(lows[0])
            and not low.endswith(("s", "ing", "ed"))
            and not is_function_word(low)
            and len(lows) > 2
            and lows[2] in _PREPOSITIONS_OR_DETERMINERS
        ):
            out.add(i)  # "Really lean into ...", "Always wash the ...": an instruction after an adverb
        elif (
            i == 0
            and low in VERBS
            and len(lows) > 1
            and lows[1] not in AUXILIARIES
            and lows[1] not in VERBS
            and not low.endswith("ing")
        ):
            out.add(i)  # an instruction: "Practice active listening", "Keep the area dry"
        elif (
            i == 0
            and len(lows) > 1
            and (
                lows[1] in ("to", "the", "a", "an", "your", "their", "all", "any")
                or lows[1][0].isdigit()
            )
            and not low.endswith(("s", "ing"))
            and low not in DETERMINERS
            and not is_function_word(low)
        ):
            out.add(i)  # an instruction with a verb the list lacks: "Titrate to urine output"
        elif (
            low in VERBS
            and not nounish(low)
            and (low.endswith(("s", "ed")) or prev in LEADING_PRONOUNS)
            and prev not in DETERMINERS
            and prev not in PREPOSITIONS
        ):
            out.add(i)
        elif (
            low.endswith(("s", "ed"))
            and not low.endswith("ss")
            and len(low) > 3
            and 0 < i <= 4
            and not out
            and (lows[i + 1] if i + 1 < len(lows) else "") in _OBJECT_START
            and not is_function_word(prev)
            and prev not in DETERMINERS
        ):
            out.add(i)  # "rain washes the topsoil", "treatment needs to": an inflected word before its object
        elif prev in ("who", "which", "that") and (low in VERBS or low.endswith(("ed", "es"))):
            out.add(i)
        elif prev == "who" and not is_function_word(low) and not low[:1].isdigit():
            out.add(i)  # "people who farm ...": after "who" comes the relative clause's verb
        elif (
            i > 0
            and low in VERBS
            and not nounish(low)
            and i - 1 not in out
            and prev not in DETERMINERS
            and not low.endswith("ing")
            and prev not in PREPOSITIONS
            and not is_function_word(prev)
        ):
            out.add(i)
        if not _is_adverb(low):
            prev = low
    return frozenset(out)


def number_spans(text: str) -> list[Span]:
    """Quantities: numbers with their qualifier and unit ("at least three months", "40%–60%")."""
    return list(_number_spans(text))


_QUALIFIER_WORDS = frozenset("at least most about around every for after before by within over under".split())
_DIGITS = re.compile(r"\d+")
# What every match of NUMBER, _COMPARATIVE, _DATE and _DECADE holds: a digit, or a number word that starts a
# word (NUMBER's lookbehind, or the whitespace after its qualifier, comes before it). Same flags, so the
# same case folding: a sentence this misses has no quantity.
_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "half", "a few", "twice",
)
_NUMBER_HINT = FoldedPattern(re.compile(r"\d|(?<!\w)(?:" + "|".join(_NUMBER_WORDS) + ")", re.I))
_YEAR = re.compile(r"(?:19|20)\d\d")
_FOLDED_NUMBER = FoldedPattern(NUMBER)
_FOLDED_COMPARATIVE = FoldedPattern(_COMPARATIVE, needles=("twice", "times", "half"))
_FOLDED_DECADE = FoldedPattern(_DECADE, needles=("0s",))


def _holds_number_hint(text: str, low: str | None) -> bool:
    """`bool(_NUMBER_HINT.search(text))`, given `lowered(text)`. On ASCII text by substring tests, a third of
    the cost of the scan: a digit, or a number word with no word character ([A-Za-z0-9_]) just before it."""
    if low is None:
        return bool(_NUMBER_HINT.search(text))
    for digit in "0123456789":
        if digit in low:
            return True
    for word in _NUMBER_WORDS:
        at = low.find(word)
        while at >= 0:
            if at == 0 or not (low[at - 1].isalnum() or low[at - 1] == "_"):
                return True
            at = low.find(word, at + 1)
    return False


@article_cache(1 << 12)
def _number_spans(text: str) -> tuple[Span, ...]:
    # Memoised: classify and rank_gaps both ask for a sentence's quantities (callers get a list).
    low = lowered(text)
    if not _holds_number_hint(text, low):
        return ()  # no digit and no number word: none of the patterns below can match
    out = []
    for m in _FOLDED_NUMBER.finditer_lowered(text, low):  # a match of `low`: its letters are read from `text`
        whole = text[m.start() : m.end()]
        core = whole.strip()
        words = core.split()
        has_digit = any(c.isdigit() for c in core)
        if not has_digit and (
            len(words) < 2 or all(_WORD_NUMBER.match(w) or w.lower() in _QUALIFIER_WORDS for w in words)
        ):
            continue  # "one fundamental skill": a word number needs a unit to be a quantity
        before = text[: m.start()].split()[-1:] or [""]
        if _DIGITS.fullmatch(core) and before[0][:1].isupper():
            continue  # "Type 2", "Stage 4": a label, not a quantity
        if _YEAR.fullmatch(core):
            out.append(Span(m.start(), m.end(), "number", -0.5))  # a year alone: rarely the point
            continue
        out.append(Span(m.start(), m.start() + len(whole.rstrip()), "number", 1.0))
    for m in _FOLDED_COMPARATIVE.finditer_lowered(text, low):
        out.append(Span(m.start(), m.end(), "number", 0.9))
    # A date holds "," after its day: a sentence without one is not scanned.
    dates = [Span(m.start(), m.end(), "number", 1.0) for m in _DATE.finditer(text)] if "," in text else []
    dates += [Span(m.start(), m.end(), "number", 0.8) for m in _FOLDED_DECADE.finditer_lowered(text, low)]
    out = [s for s in out if not any(d.start <= s.start < d.end for d in dates)] + dates
    return tuple(_no_overlap(sorted(out, key=lambda s: (s.start, -s.end))))


_EMPHASIS_STRIP = " :.,;“”\"'"
_emphasis_index: list[Any] = [None, {}]  # (the last block's emphasis tuple, its index by first three chars)


def emphasis_in(text: str, emphasis: tuple[str, ...]) -> tuple[str, ...]:
    """The block's emphasised phrases that can matter for one of its sentences: those whose core (stripped
    as emphasis_spans strips it) occurs in `text`, in their order. Every use of a phrase needs that, so the
    result is the same; but a paragraph with thousands of bold phrases and sentences no longer costs
    sentences x phrases: the phrases are indexed once per block by their first three characters.
    """
    if len(emphasis) < 32:
        return tuple(e for e in emphasis if e.strip(_EMPHASIS_STRIP) in text)
    if _emphasis_index[0] is not emphasis:
        index: dict[str, list[int]] = {}
        for i, e in enumerate(emphasis):
            index.setdefault(e.strip(_EMPHASIS_STRIP)[:3], []).append(i)
        _emphasis_index[:] = [emphasis, index]
    index = _emphasis_index[1]
    hits: set[int] = set(index.get("", ()))
    for n in (1, 2, 3):  # a phrase's key is its first three characters, or all of it when shorter
        for k in range(len(text) - n + 1):
            hits.update(index.get(text[k : k + n], ()))
    return tuple(emphasis[i] for i in sorted(hits) if emphasis[i].strip(_EMPHASIS_STRIP) in text)


def emphasis_spans(text: str, emphasis: Sequence[str]) -> list[Span]:
    """The author's bold or highlighted phrases, where they occur whole in `text`."""
    out = []
    for e in emphasis:
        e = e.strip(" :.,;“”\"'")
        if not e or len(e.split()) > 8 or e.lower() == text.strip(" .:").lower():
            continue
        m = _whole_phrase(e).search(text) if e in text else None
        if m:
            out.append(Span(m.start(), m.end(), "emphasis", 1.0))
    return _no_overlap(sorted(out, key=lambda s: (s.start, -s.end)))


def _no_overlap(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if not out or s.start >= out[-1].end:
            out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class DocStats:
    """What the whole article says about its words: how often each stem occurs, which are its topic."""

    counts: Counter[str]
    topic: frozenset[str]  # stems of the title's content words
    headings: frozenset[str]
    given: frozenset[str] = field(init=False, repr=False, compare=False)  # topic | headings, made once

    def __post_init__(self) -> None:
        object.__setattr__(self, "given", self.topic | self.headings)  # asked of every ranked sentence


@article_cache(8)
def doc_stats(blocks: tuple[Block, ...], title: str) -> DocStats:
    counts: Counter[str] = Counter()
    headings: set[str] = set()
    for block in blocks:
        if block.kind == "heading":
            headings |= stems(block.text)
        elif block.kind not in ("code", "html"):
            counts.update(stem(w) for w in content_words(block.text))
    return DocStats(counts, frozenset(stems(title)), frozenset(headings))


def stats_for(doc: Document) -> DocStats:
    return doc_stats(doc.blocks, doc.title)


def leaks(answer: str, visible: str) -> bool:
    """Whether every content word of `answer` can be read elsewhere on the card."""
    a = stem_set(answer)
    return bool(a) and a <= stem_set(visible)


def leaks_around(text: str, start: int, end: int, avoid: str = "") -> bool:
    """`leaks(text[start:end], text[:start] + " " + text[end:] + " " + avoid)`, without building the rest
    of the card: asked of every candidate gap, and the words around a gap are the sentence's own."""
    answer = stem_set(text[start:end])
    if not answer:
        return False
    hidden = answer - stem_set(avoid) if avoid else answer  # the words are apart: a space joins the parts
    return stems_outside(text, start, end, hidden)


_ALNUM = re.compile(r"[A-Za-z0-9]+")
_VAGUE_WORDS = STOP_WORDS | GENERIC | LEADING_PRONOUNS


@article_cache(1 << 12)
def _answer_words(answer: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _ALNUM.findall(answer))


def good_span(text: str, span: Span, avoid: str = "") -> bool:
    """A span worth asking: a specific content word, no pronoun, no leak, and not most of the text."""
    answer = text[span.start : span.end]
    words = _answer_words(answer)
    if not words or _VAGUE_WORDS.issuperset(words):
        return False
    if len(words) > 12:
        return False
    if leaks_around(text, span.start, span.end, avoid):
        return False
    if span.kind not in ("number", "equation") and all(w.isdigit() for w in words):
        return False  # a bare number with no unit ("/24", "Class 3") is a label, not a quantity to recall
    before = text[: span.start].rsplit(None, 1)  # only the word just before the gap matters
    after_determiner = bool(before) and before[-1].lower() in DETERMINERS
    if (
        len(words) == 1
        and span.kind not in ("emphasis", "term", "number", "equation", "subject")
        and _weak_word(answer)
        and not after_determiner
    ):
        return False
    gap_words = count_content_words(answer)
    return gap_words < 3 or gap_words <= 0.6 * count_content_words(text)


_COMPARATIVES = frozenset(
    "better worse more less fewer greater smaller larger higher lower faster slower "
    "easier harder best worst most least fastest slowest highest lowest largest "
    "smallest "
    "greatest biggest strongest weakest earliest latest longest shortest".split()
)


@lru_cache(maxsize=1 << 12)
def _weak_word(word: str) -> bool:
    """A one-word answer that is a verb form, an adverb or a bare comparative: nothing to recall alone."""
    low = word.lower().strip(".,;:")
    return (
        (low in VERBS and not nounish(low))
        or _is_adverb(low)
        or low in _COMPARATIVES
        or (low.endswith("ing") and not word[:1].isupper())
        or (low.endswith("ed") and len(low) > 4)
        or low in ADVERBS
        or (word.isupper() and len(word) > 3)
    )


@dataclass(frozen=True, slots=True)
class Clause:
    subject: str
    verb: str
    verb_start: int  # offset of the main verb in the sentence; -1 when none was found


_SUBORDINATE_OPENER = re.compile(
    r"^(?:while|when|whenever|if|because|although|though|as|since|once|unless|after|"
    r"before|regardless of|compared with|compared to|in cases? "
    r"of|for|in|on|at|by|"
    r"during|without|with|despite|according "
    r"to|like|unlike|given)\b[^,]{2,120},\s*",
    re.I,
)


_REPORTING = re.compile(
    r"^(?:[\w'’-]+\s+){0,5}?(?:suggests?|shows?|showed|found|finds|demonstrates?|indicates?|"
    r"proposes?|holds?|argues?|states?|notes?|explains?|reports?)\s+that\s+",
    re.I,
)


@article_cache(1 << 12)
def main_clause_start(text: str) -> int:
    """Offset where the main clause starts: after a leading subordinate or prepositional phrase, and after
    "Studies suggest that" (what is reported is the fact)."""
    # Both patterns are tried only where they can match: the opener ends at a comma, the report at "that".
    m = _SUBORDINATE_OPENER.match(text) if "," in text else None
    start = m.end() if m else 0
    r = _REPORTING.match(text[start:]) if _THAT.search(text, start) else None
    return start + r.end() if r else start


_THAT = re.compile("that", re.I)  # the same flags as _REPORTING, so the same case folding


@article_cache(1 << 12)
def split_clause(text: str) -> Clause:
    """Subject and main verb of a declarative sentence: the first verb after a noun run of the main clause,
    skipping verbs inside a relative clause ("A person who is addicted ... has")."""
    start = main_clause_start(text)
    toks = _tokens_from(text, start)
    verbs = _verb_positions(_lows(toks))
    relative = relative_verb = False
    gerund_subject = (len(toks) > 1 and toks[0].low.endswith("ing") and 0 not in verbs
                      and not toks[1].text[:1].isupper())  # "Warning Signs include": a name, not a gerund
    for i, tok in enumerate(toks):
        low = tok.low
        if gerund_subject and i in verbs and low not in AUXILIARIES and low not in MODALS:
            continue  # "Letting clients know you've faced ... can foster": the gerund phrase is the subject
        if i == 0:
            if i in verbs and low not in AUXILIARIES:
                return Clause("", low, tok.start)  # an instruction has no subject
            continue
        if low in ("who", "which", "that"):
            relative, relative_verb = True, False
            continue
        if i in verbs and toks[i - 1].low != "to":
            if relative and (not relative_verb or i - 1 in verbs):
                relative_verb = True  # the relative clause's own verb; the main verb comes later
                continue
            relative = False
            subject = text[start : tok.start].strip(" ,")
            while subject and _is_adverb(subject.split()[-1].lower()):
                subject = subject.rsplit(None, 1)[0] if " " in subject else ""
            if not subject:
                return Clause("", "", -1)
            return Clause(subject, low, tok.start)
    return Clause("", "", -1)


def choose_gap(
    text: str, stats: DocStats, emphasis: Sequence[str] = (), avoid: str = "", term: str = ""
) -> Span | None:
    """The best single gap in a sentence, or None when no span makes a fair question."""
    return next(iter_gaps(text, stats, emphasis, avoid, term), None)


def rank_gaps(
    text: str,
    stats: DocStats,
    emphasis: Sequence[str] = (),
    avoid: str = "",
    term: str = "",
    strict: bool = True,
) -> list[Span]:
    """Candidate gaps, best first (see the module docstring for the order)."""
    return list(iter_gaps(text, stats, emphasis, avoid, term, strict))


# The highest score a plain chunk candidate can have: 1.0 + salience (at most 1.0), less in parentheses.
_CHUNK_CEILING = 2.0


def _rank_key(span: Span) -> tuple[float, int]:
    return -span.score, span.start


_START, _SCORE = itemgetter(0), itemgetter(3)  # Span.start, Span.score, read at C speed


def _sort_ranked(spans: list[Span]) -> None:
    """`spans.sort(key=_rank_key)` in two stable sorts with C-level keys (by start, then by score, highest
    first: `reverse` keeps equal scores in order), without a Python call per span."""
    spans.sort(key=_START)
    spans.sort(key=_SCORE, reverse=True)


def iter_gaps(
    text: str,
    stats: DocStats,
    emphasis: Sequence[str] = (),
    avoid: str = "",
    term: str = "",
    strict: bool = True,
) -> Iterator[Span]:
    """`rank_gaps` one span at a time, best first: most callers want only the first good span or a few, and
    checking a span (good_span) costs more than finding it.

    The plain chunk candidates (every chunk, scored by salience) are made only once the ranking gets down
    to their scores: they are at most _CHUNK_CEILING, so every other span above that comes first in the
    one sorted list of all candidates, and what follows is that list's tail, in the same order (a stable
    sort of the rest, the chunks last, as they come after every other span of that score in the list).
    """
    found, cks = _ranked_candidates(text, stats, emphasis, term)
    seen: set[tuple[int, int]] = set()
    rest = len(found)
    for i, s in enumerate(found):
        if s.score <= _CHUNK_CEILING:
            rest = i
            break
        where = (s.start, s.end)
        if where in seen:
            continue
        seen.add(where)
        if not strict or good_span(text, s, avoid):  # not strict: the caller checks within a larger card
            yield s
    tail = found[rest:]
    in_parentheses = "(" in text
    for c in cks:
        score = 1.0 + _salience(text[c.start : c.end], stats)
        if in_parentheses and _in_parentheses(text, c):
            score -= 1.0
        tail.append(Span(c.start, c.end, "chunk", score))
    _sort_ranked(tail)
    for s in tail:
        where = (s.start, s.end)
        if where in seen:
            continue
        seen.add(where)
        if not strict or good_span(text, s, avoid):
            yield s


def _ranked_candidates(
    text: str, stats: DocStats, emphasis: Sequence[str], term: str
) -> tuple[list[Span], tuple[Span, ...]]:
    """Every candidate gap but the plain chunks, best first, and the sentence's chunks (see iter_gaps)."""
    found: list[Span] = []
    if term:
        m = _whole_phrase(term).search(text)
        if m:
            found.append(Span(m.start(), m.end(), "term", 5.0))
    opener_end = main_clause_start(text)
    # Bold words in a leading "In cases of X," set the scene; the claim is in the main clause.
    found += [
        Span(s.start, s.end, s.kind, 4.5 if s.start >= opener_end else 2.8)
        for s in emphasis_spans(text, emphasis)
    ]
    found += [Span(s.start, s.end, s.kind, 3.0 + s.score) for s in _number_spans(text)]
    clause = split_clause(text)
    cks = _chunks(text, 6)
    if clause.verb:
        main = opener_end
        subj = [c for c in cks if main <= c.start and c.end <= clause.verb_start]
        pred = [c for c in cks if c.start > clause.verb_start]
        copula_at = _copula_after_modals(text, clause)
        comp = _complement(text, copula_at) if copula_at >= 0 else None
        if comp:
            found.append(comp)
        # Prefilters test only the first letter: re.I also folds "İ", "ı", "ſ" or "K" onto ASCII letters.
        m_not = _NOT_EVERY.match(text, main) if text[main : main + 1] in ("n", "N") else None
        if m_not:
            found.append(Span(m_not.start(1), m_not.end(1), "subject", 3.6))
        vp = _verb_phrase(text, clause.verb_start)
        if vp and not pred[:1] or vp and pred and pred[0].start > vp.end:
            found.append(vp)
        predicate = text[clause.verb_start :].split(None, 1)
        complement = predicate[1] if len(predicate) > 1 else ""
        given = stats.given
        subject_words = stem_set(clause.subject)
        topic_only = bool(subject_words) and subject_words <= given
        plain_subject = not _FOLDED_SUBORDINATOR.search(clause.subject)
        short_subject = 0 < len(clause.subject.split()) <= 4 and plain_subject
        if (
            clause.verb in COPULAS
            and EVALUATIVE.match(complement)
            and subj
            and plain_subject
            and len(clause.subject.split()) <= 7
        ):
            whole = _bare_subject(text, clause)
            best = (
                whole
                if whole and len(text[whole[0] : whole[1]].split()) <= 4
                else (subj[0].start, subj[0].end)
            )
            found.append(Span(best[0], best[1], "subject", 3.5))
        m = _NEITHER_NOR.match(clause.subject + " is") if clause.subject[:1] in ("n", "N") else None
        base = text.find(clause.subject) if m else -1
        if m and base >= 0:
            found.append(Span(base + m.start(1), base + m.end(1), "subject", 3.6))
        for n, c in enumerate(pred[:3]):
            phrase = text[c.start : c.end]
            score = (3.2 if topic_only else 3.0) if n == 0 else 2.3 + 0.5 * _salience(phrase, stats)
            if stem_set(phrase) <= given:
                score -= 1.0  # the article's own topic ("the burn" in an article on burns) is given, not new
            found.append(Span(c.start, c.end, "object", score))
            words = phrase.split()
            if len(words) >= 3 and words[-2].lower() not in ("of", "and", "or", "&"):
                # the head of a long phrase, for when the whole would leave too little to read
                tail = " ".join(words[-2:])
                found.append(Span(c.end - len(tail), c.end, "object", score - 0.3))
        if (
            subj
            and short_subject
            and _PASSIVE_PURPOSE.match(text, clause.verb_start)
        ):
            found.append(Span(subj[0].start, subj[0].end, "subject", 3.3))  # "X is used to treat Y": asks X
        if subj and short_subject:
            found.append(
                Span(
                    subj[0].start,
                    subj[0].end,
                    "subject",
                    1.2 if topic_only else 1.8 + 0.5 * _salience(clause.subject, stats),
                )
            )
    eq = _EQUALS.search(text) if "=" in text else None
    if eq:
        right = text[eq.end() :].rstrip(" .")
        left_start = len(text[: eq.start()]) - len(text[: eq.start()].lstrip())
        if 0 < len(right.split()) <= 5:
            found.append(Span(eq.end(), eq.end() + len(right), "equation", 4.2))
        elif 0 < len(text[: eq.start()].split()) <= 8:
            found.append(Span(left_start, eq.start(), "equation", 4.2))
    if "(" in text:
        found = [
            Span(s.start, s.end, s.kind, s.score - 1.0) if _in_parentheses(text, s) and s.kind != "number" else s
            for s in found
        ]
    _sort_ranked(found)
    return found, cks


def _whole_phrase(phrase: str) -> re.Pattern[str]:
    """`phrase` as a whole-word pattern (compiled once per phrase)."""
    return _compiled(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")


@lru_cache(maxsize=1 << 12)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_NOT_EVERY = re.compile(
    r"(not "
    r"(?:every|all|everyone|everybody|each)\b[^,]*?)\s+(?:will|would|can|may|is|are|has|have|"
    r"does|do|develops?|gets?)\b",
    re.I,
)
_SUBORDINATOR = re.compile(r"\b(that|which|who|when|if)\b", re.I)
_FOLDED_SUBORDINATOR = FoldedPattern(_SUBORDINATOR, needles=("that", "which", "who", "when", "if"))
_NEITHER_NOR = re.compile(r"neither\s+(.+?\s+nor\s+[^,]+?)\s+(?:is|are|has|have|was|were|can|will)\b", re.I)
_PASSIVE_PURPOSE = re.compile(
    r"(?:is|are|was|were|can be|may be|should be|must "
    r"be)\s+(?:\w+ly\s+)?"
    r"\w+ed\s+(?:to|for)\s"
)
_EQUALS = re.compile(r"\s=\s")
_DETERMINER_OR_POSSESSIVE = re.compile(
    r"(?:(?:the|a|an|your|their|our|his|her|its|this|that|these|those)\s+)?", re.I
)
_CLAUSE_END = re.compile(r"[,;:.!?()]|\s[—–]\s")
_COMPLEMENT_END = re.compile(
    r"[,;:.!?()]|\s[—–]\s|\s(?:and|or|but)\s+(?=\w+s\b)|\s(?:when|because|if|which|who|that|as|than)\b"
)


def _bare_subject(text: str, clause: Clause) -> tuple[int, int] | None:
    """The subject without its determiner or possessive ("your ability to adapt" -> "ability to adapt")."""
    start = text.find(clause.subject, main_clause_start(text))
    if start < 0:
        return None
    m = _DETERMINER_OR_POSSESSIVE.match(clause.subject)
    return start + (m.end() if m else 0), start + len(clause.subject)


def _copula_after_modals(text: str, clause: Clause) -> int:
    """Offset of the clause's copula ("is", or "be"/"become" after "may"), -1 when it has none."""
    if clause.verb in COPULAS:
        return clause.verb_start
    if clause.verb not in MODALS and clause.verb not in AUXILIARIES:
        return -1
    for tok in _tokens(text[clause.verb_start :])[1:4]:
        if tok.low in ("be", "become", "remain", "becomes", "remains", "been"):
            return clause.verb_start + tok.start
        if not _is_adverb(tok.low) and tok.low not in ("not", "also"):
            return -1
    return -1


def _complement(text: str, verb_start: int) -> Span | None:
    """An adjective complement after a copula, with its degree word and infinitive ("less able to combat
    bacteria", "highly personal"): up to the clause's end, at most five words."""
    toks = _tokens_after(text, verb_start)
    if len(toks) > 2 and toks[0].low in ("all", "really", "mainly", "mostly") and toks[1].low == "about":
        toks = toks[1:]
    if len(toks) > 1 and toks[0].low == "about" and toks[1].low.endswith("ing"):
        toks = toks[1:]  # "is about feeling with them": what it is about is the answer
        m = _CLAUSE_END.search(text, toks[0].start)
        phrase = text[toks[0].start : m.start() if m else len(text)].strip()
        if 2 <= len(phrase.split()) <= 5:
            return Span(toks[0].start, toks[0].start + len(phrase), "complement", 3.3)
        return None
    if len(toks) > 1 and toks[0].low == "to" and toks[1].low not in DETERMINERS:
        toks = toks[1:]  # "your role is to walk alongside your clients": the purpose is the answer
        m = _CLAUSE_END.search(text, toks[0].start)
        phrase = text[toks[0].start : m.start() if m else len(text)].strip()
        if 2 <= len(phrase.split()) <= 5:
            return Span(toks[0].start, toks[0].start + len(phrase), "complement", 3.3)
        return None
    if (
        not toks
        or toks[0].low in DETERMINERS
        or toks[0].low.endswith("ed")
        or toks[0].low in AUXILIARIES
        or toks[0].low in PREPOSITIONS
        or toks[0].low in LEADING_PRONOUNS
        or toks[0].text[0].isdigit()
    ):
        return None
    start = toks[0].start
    m = _COMPLEMENT_END.search(text, start)
    end = m.start() if m else len(text)
    phrase = text[start:end].strip()
    if not 1 <= len(phrase.split()) <= 5 or toks[0].low in VERBS:
        return None
    return Span(start, start + len(phrase), "complement", 3.1)


def _verb_phrase(text: str, verb_start: int) -> Span | None:
    """A short predicate with no noun phrase of its own ("can strike quickly", "cannot be ignored or left
    alone"): the words after the auxiliaries up to the clause's end, when that is at most four words."""
    toks = _tokens_from(text, verb_start)
    i = 0
    while i < len(toks) and (
        toks[i].low in AUXILIARIES or toks[i].low in MODALS or toks[i].low in ("not", "be")
    ):
        i += 1
    if i == 0 or i >= len(toks):
        return None
    start = toks[i].start
    m = _CLAUSE_END.search(text, start)
    end = m.start() if m else len(text)
    phrase = text[start:end].strip()
    if not 2 <= len(phrase.split()) <= 4:
        return None
    return Span(start, start + len(phrase), "verb", 2.9)


def _in_parentheses(text: str, span: Span) -> bool:
    """An aside in parentheses ("both (or multiple) disorders") is rarely what a card should ask."""
    opened = text.rfind("(", 0, span.start)
    return opened >= 0 and text.find(")", opened) >= span.end


def _salience(phrase: str, stats: DocStats) -> float:
    """0..1: how much the phrase's words recur in the article (a key term) without being its bare topic."""
    words = content_stems(phrase)  # memoised: every chunk of every sentence is scored, some twice
    if not words:
        return 0.0
    counts, topic = stats.counts, stats.topic
    most = 0
    for w in words:  # the highest count, capped at 4 (a plain loop: every chunk of every sentence is scored)
        most = max(most, counts.get(w, 0))
    best = min(most, 4) / 4
    return 0.5 * best if topic.issuperset(words) else best
