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
    content_stems,
    content_words,
    stem,
    stem_set,
    stems,
)
from .answers import EDGE_PUNCTUATION, good_span
from .lexicon import RARE, zipf
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
    AUXILIARIES,
    COPULAS,
    DETERMINERS,
    EVALUATIVE,
    MODALS,
    PREPOSITIONS,
    VERBS,
    FoldedPattern,
    Span,
    _is_adverb,
    _tokens,
    _tokens_after,
    _tokens_from,
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
        word = word.strip(EDGE_PUNCTUATION)
        if _INNER_CAPITAL.search(word) and zipf(word) <= RARE:
            return True
        if "-" in word and word[:1].isupper() and any(zipf(part) < 3.5 for part in word.split("-") if part):
            return True
    return False



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

