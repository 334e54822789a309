"""Prose rule: definitional sentences `X is/are (a|an|the) Y`, `X means / refers to / is defined as Y`.

The gap goes on X, the term being defined; a pronoun or a long clause as X makes no fact.
"""
from __future__ import annotations

import re

from ..model import Document, Fact
from ..text import PRONOUNS
from .filters import clean_sentence, is_noise
from .util import cloze

_DEFINITION = re.compile(
    r"^(?P<term>[A-Za-z][\w'’()/-]*(?:\s+[\w'’()/-]+){0,5}?)"
    r"(?:\s*\([^)]{1,40}\))?"
    r"(?:,\s+(?:or|also called|also known as)\s+[^,]{1,40},)?"
    r"\s+(?P<verb>is|are|means|refers to|refer to|is defined as|are defined as|is known as|is called|"
    r"describes|is the term for)\s+"
    r"(?P<definition>.{8,})$"
)
_STRONG_VERBS = ("means", "refers to", "refer to", "is defined as", "are defined as", "is known as", "is the term for")
_WEAK_SUBJECT = re.compile(r"^(the|a|an|this|that|these|those|it|there|here|what|which|who|one|each|every|all|"
                           r"some|many|most)\b", re.I)


def definition(doc: Document) -> list[Fact]:
    """Cloze facts from sentences that define a term."""
    facts: list[Fact] = []
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item", "quote"):
            continue
        for sent in block.sentences:
            if is_noise(sent.text):
                continue
            text = clean_sentence(sent.text)
            m = _DEFINITION.match(text)
            if not m:
                continue
            term = m.group("term")
            head = term.split()[0].lower()
            if head in PRONOUNS or (_WEAK_SUBJECT.match(term) and len(term.split()) == 1):
                continue
            term = re.sub(r"^(the|a|an)\s+", "", term, flags=re.I)
            strong = m.group("verb") in _STRONG_VERBS or bool(re.match(r"(a|an|the)\s", m.group("definition")))
            fact = cloze("definition", text, term, 0.85 if strong else 0.6, block, sent.text, sent.line)
            if fact:
                facts.append(fact)
    return facts
