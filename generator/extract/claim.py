"""Prose rule: declarative claims worth recalling, named by the kind of statement they make.

Kinds (the rule name a note records): `number` (a quantity with its unit), `cause` (X leads to / causes /
prevents Y; because; when/if X, Y), `contrast` (not X but Y; X rather than Y; neither/nor; more than),
`procedure` (an instruction: an imperative or "should/must"), `claim` (any other statement about the
article's key terms). The gap goes on the number, the effect, the contrasted term, the object of the
instruction, or else the span `gaps.rank_gaps` prefers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from ..model import Document, Fact
from ..text import content_stems, content_words
from .answers import good_span
from .enumeration import action_series
from .gaps import (
    DocStats,
    iter_gaps,
    rank_gaps,
    stats_for,
)
from .lexicon import RARE, zipf
from .phrases import (
    chunks,
    emphasis_in,
    main_clause_start,
    number_spans,
    split_clause,
)
from .prose import ProseSentence, prose_sentences
from .util import cloze_spans
from .words import (
    VERBS,
    FoldedPattern,
    Span,
    lowered,
)

_CAUSE = FoldedPattern(re.compile(
    r"\b(causes?|caused by|leads? to|led to|results? in|resulting in|due to|because|since|"
    r"so "
    r"that|therefore|prevents?|preventing|reduces?|increases?|decreases?|improves?|elevates?|"
    r"raises?|lowers?|protects?|predicts?|triggers?|contributes? to|is associated with|"
    r"are associated with|is correlated with|risk)\b|→",
    re.I,
), needles=("cause", "lead", "led to", "result", "due to", "since", "so that", "therefore", "prevent", "reduce",
            "increase", "decrease", "improve", "elevate", "raise", "lower", "protect", "predict", "trigger",
            "contribute", "associated with", "correlated with", "risk", "→"))
# Soft causal verbs ("helps", "allows") state a link too loosely to rank with a cause.
_CONDITION = FoldedPattern(re.compile(
    r"^(when|if|without|once|unless|after|before|during|while|by|because|since)\b[^,]{3,},", re.I
))
_CONTRAST = FoldedPattern(re.compile(
    r"\b(not\s(?:just|only|simply|merely)?\s?[^,;]{1,50}?,?\s(?:but|rather)|isn['’]t just|"
    r"rather than|instead of|neither|more than|less than|than do|whereas|unlike|in "
    r"contrast|"
    r"however|goes beyond|as opposed to|vs\.?)\b",
    re.I,
), needles=("not", "isn't", "rather than", "instead of", "neither", "than", "whereas", "unlike", "in contrast",
            "however", "goes beyond", "as opposed to", "vs"))
_IMPORTANCE = FoldedPattern(re.compile(
    r"\b(is|are)\s+(key|crucial|vital|essential|critical|fundamental|important|necessary|"
    r"the (cornerstone|essence|foundation|key|basis|heart|core|priority|goal|most))\b",
    re.I,
), needles=("key", "crucial", "vital", "essential", "critical", "fundamental", "important", "necessary",
            "cornerstone", "essence", "foundation", "basis", "heart", "core", "priority", "goal", "most"))
_OBLIGATION = FoldedPattern(
    re.compile(r"\b(should|must|need to|needs to|has to|have to|cannot|can't|never|always)\b", re.I),
    needles=("should", "must", "need", "has to", "have to", "cannot", "can't", "never", "always"),
)
_IMPERATIVE = FoldedPattern(re.compile(
    r"^(do not|don't|never|always|avoid|use|keep|get|give|call|check|apply|place|remove|"
    r"practice|notice|leave|drink|eat|wash|cook|stop|start|ask|listen|watch|look|note|make|"
    r"take|hold|tighten|pack|wrap|cover|treat|seek|consider|remember|ensure|assess|monitor|"
    r"report|titrate|intubate|expose|maintain|recommend|support|move|cut|identify|confirm|"
    r"provide|position|elevate|cool|continue|begin|follow|wear|store|clean|separate|chill|"
    r"reassess)\b",
    re.I,
))
# Words that lower a claim's score, by kind, found in one scan. Every alternative is whole word (a complete
# run of word characters) and no word is in two kinds, so the counts are those of one pattern per kind.
_WORD_KINDS = re.compile(
    r"\b(?:(?P<chatty>you|we|us|i|me)|(?P<possessive>your|our|my|yourself|ourselves)|"
    r"(?P<narrative>she|he|her|him|his|hers)|(?P<object>it|its|them|they)|"
    r"(?P<hedge>might|perhaps|maybe|possibly|probably|suddenly|really|just))\b",
    re.I,
)
# The same words by kind, for ASCII text: there each match of _WORD_KINDS is a whole run of word characters
# (both ends are word boundaries), so its count is that of the runs that are one of the words, lower-cased.
_KIND_OF_WORD = {
    word: kind
    for kind, words in (
        ("chatty", "you we us i me"),
        ("possessive", "your our my yourself ourselves"),
        ("narrative", "she he her him his hers"),
        ("object", "it its them they"),
        ("hedge", "might perhaps maybe possibly probably suddenly really just"),
    )
    for word in words.split()
}
_WORD_RUN = re.compile(r"\w+")
_VAGUE_SUBJECT = FoldedPattern(
    re.compile(r"^(one|some|another|a variety of|a number of|several|many|more|other)\b", re.I)
)
_AUTHOR_FIRST_PERSON = FoldedPattern(re.compile(r"(?:we|i)\b", re.I))
_CONTRAST_MARKER = re.compile(r"\b(?:but|rather than|instead of|than|whereas|unlike)\b", re.I)
_CONTRAST_BEFORE = re.compile(r"than|rather|instead|unlike", re.I)
_REASON = re.compile(r"(?:because|since|as|given that)\s+(?P<part>[^,]{3,}),", re.I)
_EFFECT_MARKER = re.compile(
    r"\b(?:leads? to|results? in|causes?|prevents?|reduces?|increases?|decreases?|improves?|"
    r"fosters?|→)\s",
    re.I,
)


def claim(doc: Document) -> list[Fact]:
    """Cloze facts from claim sentences, gapped on the span their kind calls for."""
    stats = stats_for(doc)
    facts: list[Fact] = []
    for sent in prose_sentences(doc):
        fact = claim_fact(sent, stats)
        if fact:
            facts.append(fact)
    return facts


def classify(text: str) -> str:
    """The kind of statement a sentence makes (see the module docstring)."""
    return _classify(text, lowered(text))


def _classify(text: str, low: str | None) -> str:
    """`classify(text)`, given `lowered(text)`: the sentence is lower-cased once for all its patterns."""
    if any(s.score >= 1.0 for s in number_spans(text)):
        return "number"
    if _IMPERATIVE.match_lowered(text, low) or _OBLIGATION.search_lowered(text, low):
        return "procedure"
    if _CONTRAST.search_lowered(text, low):
        return "contrast"
    if _CAUSE.search_lowered(text, low) or _CONDITION.match_lowered(text, low):
        return "cause"
    return "claim"


def claim_fact(sent: ProseSentence, stats: DocStats, avoid: str = "") -> Fact | None:
    """One cloze for a prose clause, or None when it states nothing a learner should recall."""
    text = sent.text
    words = content_words(text)
    if len(text.split()) < 3 or len(words) < 3:
        return None
    low = lowered(text)
    kind = _classify(text, low)
    if _AUTHOR_FIRST_PERSON.match_lowered(text, low, main_clause_start(text)):
        return None  # "we all want to feel seen": the author's "we" shares a feeling, not a fact
    if action_series(text):
        return None  # "To scale, use more partitions, add consumers, enable compression, ...": a to-do run
    if not sent.lead and _topic_line(sent.raw, text):
        return None  # "accepted file types": a pasted outline's topic, not a statement
    emphasis = emphasis_in(text, sent.block.emphasis)  # only the bold phrases this sentence holds
    if sent.focus:  # "X is B, not A": ask within B
        start, end = sent.focus
        inside = [s for s in rank_gaps(text, stats, emphasis, f"{avoid} {sent.lead}")
                  if s.start >= start and s.end <= end]
        # The complement if there is one, else the last phrase: new information comes at the end.
        inside.sort(key=lambda s: (s.kind not in ("complement", "emphasis", "number"), -s.end))
        best = inside[0] if inside else _best_in(text, start, end, stats, emphasis, f"{avoid} {sent.lead}")
        spans = [best] if best else []
    else:
        spans = _gaps(text, kind, stats, emphasis, f"{avoid} {sent.lead}")
    if not spans:
        return None
    score = _score(text, kind, stats, spans, low)
    if score < 0.35:
        return None
    card, at = sent.card()
    return cloze_spans(
        kind,
        card,
        [(s.start + at, s.end + at) for s in spans],
        score,
        sent.block,
        sent.raw,
        sent.line,
        avoid=avoid,
        # The ranker kept only spans that leak nothing with `avoid` and the lead: with no lead, the card is
        # the sentence and that is cloze_spans's own leak test (a space added to `avoid` is no word).
        leak_checked=not sent.lead,
    )


def _topic_line(raw: str, text: str) -> bool:
    """A line that names a topic rather than stating a fact: it starts with an English word in lower case
    (not a command such as "modinfo") and either has no verb, or is short and unpunctuated ("download
    files from stage", as an outline pasted without its bullets reads)."""
    raw = raw.strip()
    first = raw.split(None, 1)[0].rstrip(",;:") if raw else ""
    english = zipf(first) > RARE or first.endswith(("ing", "ed"))
    if not first[:1].islower() or not first.isalpha() or not english:
        return False
    if split_clause(text).verb_start < 0:
        return True
    return len(raw.split()) <= 8 and not raw.endswith((".", "!", "?", ":", ";"))


def _gaps(text: str, kind: str, stats: DocStats, emphasis: tuple[str, ...], avoid: str) -> list[Span]:
    # The ranking is read lazily, best first: each branch stops at the first span it can use.
    ranked = iter_gaps(text, stats, emphasis, avoid)
    first = next(ranked, None)
    if first is None:
        return []
    if first.kind == "equation":
        return [first]
    named = _named_values(text)
    if named is not None and first.end <= named.start:
        return [named]  # "Variables that enable debugging: TF_LOG=TRACE and TF_LOG_PATH": ask the values
    if kind == "number":
        numbers = []
        for s in chain((first,), ranked):
            if s.score < 4.0:
                break  # best first: no later span scores 4.0
            if s.kind == "number":
                numbers.append(s)
        if numbers:
            return sorted(numbers, key=lambda s: s.start)[:3]
    if kind == "cause":
        effect = _after_marker(text, first, ranked, stats, emphasis, avoid)
        if effect:
            return [effect]
    if kind == "contrast":
        m = _CONTRAST_MARKER.search(text)
        if m and first.kind not in ("emphasis", "term"):
            pick = _contrasted(first, ranked, m.start(), m.end(), bool(_CONTRAST_BEFORE.match(m.group(0))))
            if pick:
                return [pick]
    return [first]


_IDENTIFIER = re.compile(r"\w[\w-]*(?:[._=/]\w[\w-]*)+|[A-Z]+_[A-Z_]+")  # TF_LOG, terraform.tfstate.d, a=b
MAX_VALUE_WORDS = 8


def _named_values(text: str) -> Span | None:
    """In "What a label names: its values", the values when they are identifiers a learner types
    ("TF_LOG=TRACE and TF_LOG_PATH", "terraform.tfstate.backup"): the span after the colon, or None."""
    colon = text.find(": ")
    if colon < 0:
        return None
    start = colon + 2
    value = text[start:].rstrip(" .")
    if not value or len(value.split()) > MAX_VALUE_WORDS or not _IDENTIFIER.search(value):
        return None
    return Span(start, start + len(value), "term", 4.0)


def _contrasted(first: Span, ranked: Iterator[Span], start: int, end: int, before_wins: bool) -> Span | None:
    """The best span after a contrast marker (chunk, object or subject), or with "than", "rather",
    "instead" or "unlike" the best object or chunk before it if there is one."""
    after = None
    for s in chain((first,), ranked):
        if before_wins and s.end < start and s.kind in ("object", "chunk"):
            return s
        if after is None and s.start > end and s.kind in ("chunk", "object", "subject"):
            after = s
            if not before_wins:
                return s
    return after


def _after_marker(
    text: str, first: Span, ranked: Iterator[Span], stats: DocStats, emphasis: tuple[str, ...], avoid: str
) -> Span | None:
    """For "because X, Y" the best span of X (the reason is the fact); for "when X, Y" and "X leads to Y"
    the best span of Y (the effect). Each part is ranked as a sentence of its own. `first` is the best
    span of the whole sentence, `ranked` the ones after it."""
    if first.kind in ("emphasis", "term", "number") or first.score >= 3.3:
        return None  # the author's emphasis, a quantity, or a passive's subject already says what to ask
    reason = _REASON.match(text)
    if reason:
        return _best_in(text, reason.start("part"), reason.end("part"), stats, emphasis, avoid)
    m = _CONDITION.match(text)
    if m:
        return _best_in(text, m.end(), len(text), stats, emphasis, avoid)
    mm = _EFFECT_MARKER.search(text)
    if not mm:
        return None
    marker_end = mm.end()
    kinds = ("object", "chunk", "subject", "complement")
    return next((s for s in chain((first,), ranked) if s.start >= marker_end and s.kind in kinds), None)


def _best_in(
    text: str, start: int, end: int, stats: DocStats, emphasis: tuple[str, ...], avoid: str
) -> Span | None:
    """The best gap of text[start:end] ranked on its own, as offsets into `text` (fair in the whole card)."""
    part = text[start:end]
    rest = text[:start] + " " + text[end:] + " " + avoid
    lead = len(part) - len(part.lstrip(" ,"))
    for span in iter_gaps(part.strip(" ,"), stats, emphasis, rest, strict=False):
        shifted = Span(start + lead + span.start, start + lead + span.end, span.kind, span.score)
        if good_span(text, shifted, avoid):
            return shifted
    return None


_KINDS = ("chatty", "possessive", "narrative", "object", "hedge")


def _word_kinds(text: str, low: str | None = None) -> dict[str, int]:
    """How many chatty, possessive, narrative, object-pronoun and hedge words `text` holds (`low`: its
    `lowered` form, when the caller has it). Counted by list.count: a Counter costs more to make and read."""
    if text.isascii():  # outside ASCII, re.I folds more than A-Z ("İt" is "it"): the pattern decides
        kinds = _KIND_OF_WORD
        runs = _WORD_RUN.findall(text.lower() if low is None else low)
        found = [kinds[w] for w in runs if w in kinds]
    else:
        found = [m.lastgroup or "" for m in _WORD_KINDS.finditer(text)]  # every match has a group
    if not found:
        return _NO_KINDS
    return {kind: found.count(kind) for kind in _KINDS}


_NO_KINDS = dict.fromkeys(_KINDS, 0)  # read only


def _score(text: str, kind: str, stats: DocStats, spans: list[Span], low: str | None = None) -> float:
    """0..1: how likely a tutor wants this sentence on a card (`low`: `lowered(text)`, when known)."""
    if low is None:
        low = lowered(text)
    score = _BASE_SCORE[kind]
    if _IMPORTANCE.search_lowered(text, low):
        score += 0.1
    if spans[0].kind in ("emphasis", "term"):
        score += 0.1
    n_words = len(text.split())
    if n_words > 35:
        score -= 0.1
    found = _word_kinds(text, low)
    if found["narrative"]:
        score -= 0.15  # "she may be haunted by...": an example about one person, not the rule itself
    if _VAGUE_SUBJECT.match_lowered(text, low) and spans[0].kind != "complement":
        score -= 0.15  # "Some people ...": unless the sentence names what the vague subject is
    score -= 0.05 * found["object"]
    score -= 0.08 * min(found["chatty"], 3) + 0.03 * min(found["possessive"], 3)
    score -= 0.08 * found["hedge"]
    counts = stats.counts
    for w in content_stems(text):  # a plain loop: any(<genexpr>) costs more
        if counts.get(w, 0) >= 2:
            break
    else:
        score -= 0.15  # no word the article repeats: not about its key terms
    if kind == "claim" and VERBS.isdisjoint((text.lower() if low is None else low).split()) and not chunks(text):
        score -= 0.2
    return round(max(0.0, min(0.95, score)), 3)


_BASE_SCORE = {"number": 0.75, "procedure": 0.65, "contrast": 0.65, "cause": 0.65, "claim": 0.55}
