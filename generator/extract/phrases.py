"""What a sentence holds: noun-phrase chunks, its verbs and main clause, quantities, emphasised phrases.

These are the candidate spans gaps.py ranks. Without a tagger, noun-phrase-like chunks are the runs of
words between closed-class words (determiners, prepositions, pronouns, auxiliaries, conjunctions) with
leading verbs trimmed. Every pattern here is linear (no nested quantifiers over overlapping classes), and
callers cap sentence length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..memo import article_cache
from ..text import LEADING_PRONOUNS
from .lexicon import parts_of_speech
from .words import (
    AUXILIARIES,
    COPULAS,
    DETERMINERS,
    MODALS,
    PREPOSITIONS,
    QUANTIFIERS,
    VERBS,
    FoldedPattern,
    Span,
    Token,
    _is_adverb,
    _tokens,
    _tokens_from,
    _tuple_new,
    is_function_word,
    lowered,
    nounish,
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


def chunks(text: str, max_words: int = 6) -> list[Span]:
    """Noun-phrase-like runs: content words, joined by `of`/`and`/`or`/`&` between content words."""
    return list(_chunks(text, max_words))


def _chunks(text: str, max_words: int) -> tuple[Span, ...]:
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
    return frozenset(out or _lexicon_verbs(lows))




def _lexicon_verbs(lows: tuple[str, ...]) -> set[int]:
    """The verb of a sentence the word lists found none in, by the lexicon: an instruction's opening verb
    ("Implement procedures for ...", "Bring tap water to a boil"), else the first word that can be a verb
    in its -s form after a noun ("The window function returns one row", "MongoDB uses locking")."""
    if len(lows) < 2:
        return set()
    first = lows[0]
    if "v" in parts_of_speech(first) and first.isalpha() and not first.endswith(("ed", "s")) and not (
        first.endswith("ing") and len(first) > 5
    ):
        return {0}
    for i in range(1, len(lows) - 1):
        low, prev = lows[i], lows[i - 1]
        if (  # "Brokers run several services": a base form after a plural, before its object
            prev.endswith("s") and not prev.endswith("ss") and lows[i + 1] in QUANTIFIERS
            and "v" in parts_of_speech(low) and not low.endswith(("s", "ing", "ed"))
        ):
            return {i}
        if (
            low.endswith("s")
            and not low.endswith("ss")
            and "v" in parts_of_speech(low)
            and prev not in _PREPOSITIONS_OR_DETERMINERS
            and not is_function_word(prev)
        ):
            return {i}
    return set()


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
_YEARS = re.compile(r"1[5-9]\d\d\s*[–—-]\s*(?:1[5-9]|20)?\d\d")  # "1787–1854": a life or a reign
# "(N-1)/2", "2f+1", "n-1": a count written as a formula of one variable
_FORMULA = re.compile(r"(?<![\w/^])(?:\d+\^[a-z](?:\s?[-+]\s?\d+)?(?![\w^])|"
                      r"\(\s?[A-Za-z]\s?[-+]\s?\d+\s?\)(?:\s?[/*]\s?\d+)?|"
                      r"\d+[A-Za-z]\s?[-+]\s?\d+|[a-z]\s?[-+]\s?\d+)(?![\w(])")
# "paragraph 421", "section 5", "Table 3": a number that points into a document, not a quantity
_REFERENCE_NOUNS = frozenset("paragraph paragraphs section sections clause item page pages figure table chapter "
                             "part article rule footnote appendix question step card exhibit".split())
_COUNTED_AFTER = re.compile(r"\s*[A-Za-z]")  # "60 questions", "4 interfaces": the number counts a noun
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
        if _YEAR.fullmatch(core) or _YEARS.fullmatch(core):
            out.append(Span(m.start(), m.end(), "number", -0.5))  # a year alone, a life's span: rarely the point
            continue
        named = (before[0].isalpha() and "n" in parts_of_speech(before[0]) and not is_function_word(before[0].lower())
                 and before[0].lower() not in _REFERENCE_NOUNS)
        if _DIGITS.fullmatch(core) and not named and (
                core == "1" or not _COUNTED_AFTER.match(text, m.start() + len(whole))):
            out.append(Span(m.start(), m.start() + len(whole.rstrip()), "number", 0.5))
            continue  # "(1 and 2)", "1 unit of ...": a bare number counts nothing ("port 53" names a thing)
        out.append(Span(m.start(), m.start() + len(whole.rstrip()), "number", 1.0))
    for m in _FOLDED_COMPARATIVE.finditer_lowered(text, low):
        out.append(Span(m.start(), m.end(), "number", 0.9))
    if "-" in text or "+" in text:
        out.extend(Span(m.start(), m.end(), "number", 1.0) for m in _FORMULA.finditer(text))
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


def main_clause_start(text: str) -> int:
    """Offset where the main clause starts: after a leading subordinate or prepositional phrase, and after
    "Studies suggest that" (what is reported is the fact)."""
    # Both patterns are tried only where they can match: the opener ends at a comma, the report at "that".
    m = _SUBORDINATE_OPENER.match(text) if "," in text else None
    start = m.end() if m else 0
    r = _REPORTING.match(text[start:]) if _THAT.search(text, start) else None
    return start + r.end() if r else start


_THAT = re.compile("that", re.I)  # the same flags as _REPORTING, so the same case folding


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


def _whole_phrase(phrase: str) -> re.Pattern[str]:
    """`phrase` as a whole-word pattern (re's own cache keeps it compiled)."""
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
