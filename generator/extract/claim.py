"""Prose rule: key declarative claims (importance, cause and effect, contrast, numbers with units).

Sentences are scored by the kind of statement they make; the gap goes on the grammatical subject when
it is a short noun phrase, otherwise on the sentence's most salient term in the article.
"""
from __future__ import annotations

import re
from collections import Counter

from ..model import Document, Fact
from ..text import PRONOUNS, STOP_WORDS, content_words
from .filters import clean_sentence, is_noise
from .util import cloze, starts_with_pronoun

_IMPORTANCE = re.compile(r"\b(is|are) (key|crucial|vital|essential|critical|fundamental|the (cornerstone|essence|"
                         r"foundation|key|basis|heart|core)|your greatest|the most important)\b", re.I)
_CAUSAL = re.compile(r"\b(causes?|leads? to|results? in|fosters?|allows?|creates?|catalyzes?|prevents?|"
                     r"reduces?|increases?|builds?|helps?|improves?|requires?|depends on|determines?)\b", re.I)
_CONDITION = re.compile(r"^(when|if|without|once|because|by|unless|after|before)\b[^,]{3,},", re.I)
_CONTRAST = re.compile(r"\b(isn'?t just|isn’t just|not only|more than just|goes beyond|rather than|not .{1,40} but)\b",
                       re.I)
_NUMBER = re.compile(r"\b\d+(\.\d+)?\s*(%|percent|hours?|minutes?|days?|weeks?|months?|years?|°|degrees?|mg|ml|"
                     r"kg|lbs?|mmhg|times|people|adults|children)\b", re.I)
_SUBJECT = re.compile(r"^(?P<np>(?:[A-Za-z][\w'’-]*\s+){0,3}?[A-Za-z][\w'’-]*)\s+(is|are|was|were|can|will|"
                      r"helps?|allows?|fosters?|creates?|causes?|leads?|requires?|means|has|have)\b")
_SECOND_PERSON = re.compile(r"\b(you|your|we|our|us)\b", re.I)


def claim(doc: Document) -> list[Fact]:
    """Cloze facts from sentences that state something worth recalling."""
    salience = _salience(doc)
    facts: list[Fact] = []
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item", "quote"):
            continue
        for sent in block.sentences:
            if is_noise(sent.text):
                continue
            text = clean_sentence(sent.text)
            n_words = len(text.split())
            if n_words < 6 or n_words > 45:
                continue
            score = _score(text, salience)
            if score < 3:
                continue
            term = _gap_term(text, salience)
            if not term:
                continue
            fact = cloze("claim", text, term, min(0.95, 0.3 + score / 12), block, sent.text, sent.line)
            if fact:
                facts.append(fact)
    return facts


def _salience(doc: Document) -> Counter[str]:
    counts: Counter[str] = Counter()
    for block in doc.blocks:
        counts.update(_stem(w) for w in content_words(block.text) if len(w) > 3)
        for e in block.emphasis:
            counts.update({_stem(w): 2 for w in content_words(e)})
    for heading in (b for b in doc.blocks if b.kind == "heading"):
        counts.update({_stem(w): 2 for w in content_words(heading.text)})
    return counts


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word) if len(word) > 4 else word


def _score(text: str, salience: Counter[str]) -> int:
    score = 0
    if _IMPORTANCE.search(text):
        score += 3
    if _CONDITION.match(text):
        score += 2
    if _CONTRAST.search(text):
        score += 2
    if _CAUSAL.search(text):
        score += 1
    if _NUMBER.search(text):
        score += 2
    salient = sum(1 for w in content_words(text) if salience[_stem(w)] >= 3)
    score += min(3, salient) if salient else -2
    if starts_with_pronoun(text):
        score -= 2
    if len(_SECOND_PERSON.findall(text)) >= 2:
        score -= 1
    return score


def _gap_term(text: str, salience: Counter[str]) -> str:
    m = _SUBJECT.match(text)
    if m:
        np = re.sub(r"^(the|a|an)\s+", "", m.group("np"), flags=re.I)
        words = np.lower().split()
        if words and words[0] not in PRONOUNS and not all(w in STOP_WORDS for w in words):
            if any(salience[_stem(w)] >= 3 for w in words):
                return np
    best, best_score = "", 0
    tokens = re.findall(r"[A-Za-z][\w'’-]*", text)
    for tok in tokens:
        low = tok.lower()
        if low in STOP_WORDS or low in PRONOUNS or len(low) < 4:
            continue
        s = salience[_stem(low)]
        if s > best_score:
            best, best_score = tok, s
    return best
