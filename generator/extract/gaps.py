"""Where a gap goes: the choice between a sentence's candidate answer spans (found by phrases.py).

Choosing the sentence and choosing the gap are separate problems (DESIGN.md, Extraction). A gap is,
best first: an author-emphasised span, a number with its unit, the term a definition defines, the
subject of a "X is the most/key Y" claim, else the new information at the end of the clause (the
object or complement), unless that is only the article's topic. Every pattern here is linear (no
nested quantifiers over overlapping classes), and callers cap sentence length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

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
from .lexicon import RARE, parts_of_speech, zipf
from .phrases import (
    Clause,
    _chunks,
    _number_spans,
    _whole_phrase,
    emphasis_spans,
    main_clause_start,
    split_clause,
)
from .words import (
    ADVERBS,
    AUXILIARIES,
    COPULAS,
    DETERMINERS,
    EVALUATIVE,
    GENERIC,
    MODALS,
    PREPOSITIONS,
    VERBS,
    FoldedPattern,
    Span,
    _is_adverb,
    _tokens,
    _tokens_after,
    _tokens_from,
    nounish,
)


@dataclass(frozen=True, slots=True)
class DocStats:
    """What the whole article says about its words: how often each stem occurs, which are its topic."""

    counts: Counter[str]
    topic: frozenset[str]  # stems of the title's content words
    headings: frozenset[str]
    given: frozenset[str] = field(init=False, repr=False, compare=False)  # topic | headings, made once

    def __post_init__(self) -> None:
        object.__setattr__(self, "given", self.topic | self.headings)  # asked of every ranked sentence


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
    if span.kind in _PHRASAL and span.kind != "subject" and _everyday(answer):
        return False  # "[data]", "[values]", "[access]": a word any sentence could hold, not the fact's key
    if span.kind in _PHRASAL and _verb_at_edge(_lower_case_words(answer, span.start == 0), span.kind != "complement"):
        return False  # "[SFTPPlus emits]", "[prevent heat exhaustion]": the verb belongs to the prompt
    if (
        span.kind in _PHRASAL
        and len(words) > 1
        and words[0] not in DETERMINERS
        and not words[0].isdigit()
        and words[0] not in _NUMBER_WORDS
        and _verb_before_object(words[-1], text[span.end :], words[-2])
    ):
        return False  # "when the [server flushes] the data": an -s verb with its object after the gap
    if span.kind in _PHRASAL and len(words) > 1 and span.start < split_clause(text).verb_start < span.end:
        return False  # "[window function returns] one row": the main verb belongs to the prompt too
    if span.kind in _PHRASAL and span.start <= _instruction_verb_end(text) and len(words) > 1:
        return False  # "[Implement procedures] for testing": ask what to do it to, not the instruction itself
    gap_words = count_content_words(answer)
    return gap_words < 3 or gap_words <= 0.6 * count_content_words(text)


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
    word = words[0].strip(_EDGE_PUNCTUATION)
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


_EDGE_PUNCTUATION = " \t.,;:!?\"'“”‘’()*`"


def _lower_case_words(answer: str, at_start: bool) -> tuple[str, ...]:
    """The answer's words, with any capitalised one (a name such as "Auto Unseal") blanked, except the
    sentence's own first word."""
    out = []
    for i, word in enumerate(_ALNUM.findall(answer)):
        out.append(word.lower() if word.islower() or (i == 0 and at_start) else "")
    return tuple(out)


_INNER_CAPITAL = re.compile(r"\w[A-Z]|\d")
# "X involves / provides / allows ... Y": what the sentence says X does; X is the term to recall.
_DEFINING_VERBS = frozenset(
    "involves involve provides provide allows allow enables enable lets let gives give offers offer means mean "
    "refers refer focuses focus manages manage requires require supports support uses use is are".split()
)


def _term_like(subject: str, verb: str) -> bool:
    """Whether a short subject before a defining verb is written as a term ("PaaS", "Multi-cloud", "RA-GRS",
    "802.11ac"), not English words ("RETIRED", "Well-known")."""
    words = subject.split()
    if not 0 < len(words) <= 3 or verb not in _DEFINING_VERBS:
        return False
    for word in words:
        word = word.strip(_EDGE_PUNCTUATION)
        if _INNER_CAPITAL.search(word) and zipf(word) <= RARE:
            return True
        if "-" in word and word[:1].isupper() and any(zipf(part) < 3.5 for part in word.split("-") if part):
            return True
    return False


def _verb_at_edge(words: tuple[str, ...], gerunds: bool = True) -> bool:
    """Whether a multi-word answer starts or ends with a finite verb: a word English uses only as a verb,
    not a participle ("active listening", "continued bleeding" are noun phrases) and not an infinitive
    ("ability to adapt")."""
    if len(words) < 2:
        return False
    first, last = words[0], words[-1]
    # "[using services] from": a verb phrase; but "is about [shaping the plant]" asks the complement whole
    gerund = gerunds and first.endswith("ing") and parts_of_speech(first) == "v"
    return gerund or _finite_verb(first) or (_finite_verb(last) and words[-2] != "to")


def _instruction_verb_end(text: str) -> int:
    """End of the verb an instruction opens with ("Implement ...", "Bring ..."), or -1 when the text is
    not an instruction."""
    parts = text.split(None, 2)
    if len(parts) < 2:
        return -1
    clause = split_clause(text)
    return len(parts[0]) if clause.verb_start == 0 and not clause.subject else -1


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
_OBJECT_OPENERS = DETERMINERS | frozenset(
    "it them him her us you its their his our your several many some all most few each every any no".split()
)


def _finite_verb(word: str) -> bool:
    return parts_of_speech(word) == "v" and not word.endswith(("ing", "ed"))


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
        if (vp and not pred[:1]) or (vp and pred and pred[0].start > vp.end):
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
                    1.2 if topic_only else (3.4 if _term_like(text[subj[0].start : subj[0].end], clause.verb)
                                            else 1.8 + 0.5 * _salience(clause.subject, stats)),
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
    words = content_stems(phrase)
    if not words:
        return 0.0
    counts, topic = stats.counts, stats.topic
    most = 0
    for w in words:  # the highest count, capped at 4 (a plain loop: every chunk of every sentence is scored)
        most = max(most, counts.get(w, 0))
    best = min(most, 4) / 4
    return 0.5 * best if topic.issuperset(words) else best

