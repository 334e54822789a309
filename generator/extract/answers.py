"""What makes a fair answer span: the checks every candidate gap passes before it is asked.

A gap is a specific word or phrase of the sentence: not a function word, not an everyday word alone
("data", "access"), not a word naming a kind of thing ("command", "values"), never the verb (by the word
lists and the lexicon, extract/lexicon.py), never beside its own restatement, never right after "this"
or after "e.g.", and never most of the sentence. gaps.py ranks the candidates; this module says which
of them may be asked at all.
"""

from __future__ import annotations

import re

from ..text import LEADING_PRONOUNS, STOP_WORDS, count_content_words, stem_set, stems_outside
from .lexicon import finite_verb, parts_of_speech, zipf
from .phrases import split_clause
from .words import ADVERBS, DETERMINERS, GENERIC, QUANTIFIERS, VERBS, Span, _is_adverb, nounish


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
    if before and before[-1].lower() in _DEMONSTRATIVES and span.kind != "term":
        return False  # "Failure to meet this [assumption]": what it points back to is not on the card
    if _EXAMPLE_BEFORE.search(text, 0, span.start):
        return False  # "one per type, e.g. [amq.fanout]": an example the author picked, any other would do
    if (span.kind in _PHRASAL and len(words) >= 3 and words[1] == "of"
            and stems_outside(text, span.start, span.end, stem_set(words[0]))):
        return False  # "the paths of ... follow the [paths of sodium ions]": the head repeats; ask its tail
    if answer.strip(" .,;:()").lower() in _LATIN_MARKERS:
        return False  # "([e.g]., ...)": an abbreviation of the page's own wording, not a fact
    after_determiner = bool(before) and before[-1].lower() in DETERMINERS
    if (
        len(words) == 1
        and span.kind not in ("emphasis", "term", "number", "equation", "subject")
        and _weak_word(answer)
        and not after_determiner
    ):
        return False
    if span.kind in _PHRASAL and _phrase_problem(text, span, answer, words):
        return False
    gap_words = count_content_words(answer)
    return gap_words < 3 or gap_words <= 0.6 * count_content_words(text)


def _phrase_problem(text: str, span: Span, answer: str, words: tuple[str, ...]) -> bool:
    """Whether a phrase the chunker found (not one the author or the sentence's form marks) is an everyday
    word alone or holds a verb: the lexicon's checks, asked only of such phrases."""
    if span.kind != "subject" and _everyday(answer):
        return True  # "[data]", "[values]", "[access]": a word any sentence could hold, not the fact's key
    if _verb_at_edge(_lower_case_words(answer, span.start == 0), span.kind != "complement"):
        return True  # "[SFTPPlus emits]", "[prevent heat exhaustion]": the verb belongs to the prompt
    if len(words) < 2:
        return False
    if (
        words[0] not in DETERMINERS
        and not words[0].isdigit()
        and words[0] not in _NUMBER_WORDS
        and _verb_before_object(words[-1], text[span.end :], words[-2])
    ):
        return True  # "when the [server flushes] the data": an -s verb with its object after the gap
    clause = split_clause(text)
    if span.start < clause.verb_start < span.end:
        return True  # "[window function returns] one row": the main verb belongs to the prompt too
    # "[Implement procedures] for testing": ask what to do it to, not the instruction itself
    return clause.verb_start == 0 and not clause.subject and span.start <= len(text.split(None, 1)[0])


_EXAMPLE_BEFORE = re.compile(r"(?:\be\.g\.|\bfor (?:example|instance))[,:]?\s*[(\"“']?$", re.I)
_DEMONSTRATIVES = frozenset(("this", "these", "those", "such"))  # not "that": "suggest that [X]" is no pointer
_LATIN_MARKERS = frozenset(("e.g", "eg", "i.e", "ie", "etc", "vs", "cf", "viz", "n.b", "nb"))
_PHRASAL = frozenset(("chunk", "object", "subject", "complement"))


EVERYDAY_ZIPF = 4.6  # "systems", "access", "data", "story" and commoner; "leaves", "tool", "metrics" are rarer


def _everyday(answer: str) -> bool:
    """Whether the answer is one everyday English word in lower case, after any determiner: a gap on it
    asks the learner to guess the writer's wording, not to recall a term (names and codes are capitalised
    or absent from the lexicon, so they never count)."""
    words = [w for w in answer.split() if w.lower() not in DETERMINERS]
    if len(words) != 1:
        return False
    word = words[0].strip(EDGE_PUNCTUATION)
    return word.isalpha() and word.islower() and (zipf(word) >= EVERYDAY_ZIPF or word in CATEGORY_NOUNS)


# Nouns technical writing uses for a kind of thing, not a thing: "the -X option specifies the [command]",
# "the same [parameters] as", "a [variable] is given a value". Alone in a gap they ask for nothing.
CATEGORY_NOUNS = frozenset(
    "command commands option options parameter parameters argument arguments variable variables value values "
    "setting settings operation operations feature features function functions method methods object objects "
    "property properties element elements item items component components mechanism mechanisms "
    "resource resources tool tools service services file files field fields entry entries record records "
    "statement statements keyword keywords syntax code data information details content contents "
    "task tasks action actions activity activities procedure procedures process processes step steps".split()
)


EDGE_PUNCTUATION = " \t.,;:!?\"'“”‘’()*`"


def _lower_case_words(answer: str, at_start: bool) -> tuple[str, ...]:
    """The answer's words, with any capitalised one (a name such as "Auto Unseal") blanked, except the
    sentence's own first word."""
    out = []
    for i, word in enumerate(_ALNUM.findall(answer)):
        out.append(word.lower() if word.islower() or (i == 0 and at_start) else "")
    return tuple(out)


def _verb_at_edge(words: tuple[str, ...], gerunds: bool = True) -> bool:
    """Whether a multi-word answer starts or ends with a finite verb: a word English uses only as a verb,
    not a participle ("active listening", "continued bleeding" are noun phrases) and not an infinitive
    ("ability to adapt")."""
    if len(words) < 2:
        return False
    first, last = words[0], words[-1]
    # "[using services] from": a verb phrase; but "is about [shaping the plant]" asks the complement whole
    gerund = gerunds and first.endswith("ing") and parts_of_speech(first) == "v"
    return gerund or finite_verb(first) or (finite_verb(last) and words[-2] != "to")


def _verb_before_object(word: str, after: str, before: str) -> bool:
    """Whether `word` reads as a verb because a determiner, quantifier or pronoun follows it: in its -s form
    ("the server flushes the data"), or in its base form after a plural ("servers run several processes")."""
    following = after.split(None, 1)
    if not following or following[0].lower() not in _OBJECT_OPENERS or "v" not in parts_of_speech(word):
        return False
    if word.endswith("s"):
        return not word.endswith("ss")
    return before.endswith("s") and not before.endswith("ss") and not word.endswith(("ing", "ed"))


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten several many few".split())
_OBJECT_OPENERS = QUANTIFIERS | frozenset("it them him us you".split())  # and the pronouns an object can be


_COMPARATIVES = frozenset(
    "better worse more less fewer greater smaller larger higher lower faster slower "
    "easier harder best worst most least fastest slowest highest lowest largest "
    "smallest "
    "greatest biggest strongest weakest earliest latest longest shortest".split()
)


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
