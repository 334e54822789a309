"""Selection stage: merge facts found twice, rank by score, keep the best within a budget; document order."""
from __future__ import annotations

from typing import Sequence

from .extract.markup import has_markup
from .model import Document, Fact
from .text import normalize

# Structure and author markup are more reliable than prose rules (DESIGN.md, Extraction).
RULE_PRIORITY = {"markup": 0, "glossary": 1, "question-heading": 2, "definition": 3, "claim": 4}
MIN_BUDGET = 5


def select(facts: Sequence[Fact], doc: Document, words_per_note: int = 30) -> list[Fact]:
    """The facts worth a note, deduplicated and within the article's budget, in document order.

    Pinned facts (author markup, curation) beat automatic ones on the same sentence and are kept whatever
    the budget; automatic facts on a sentence with markup are dropped (they would show it raw).
    """
    best: dict[str, Fact] = {}
    for fact in facts:
        if not fact.pinned and (has_markup(fact.sentence) or has_markup(fact.text)):
            continue
        key = normalize(fact.sentence)
        held = best.get(key)
        if held is None or _rank(fact) < _rank(held):
            best[key] = fact
    words = sum(len(b.text.split()) for b in doc.blocks if b.kind != "code")
    budget = max(MIN_BUDGET, words // max(1, words_per_note))
    pinned = [f for f in best.values() if f.pinned]
    automatic = sorted((f for f in best.values() if not f.pinned), key=_rank)
    kept = pinned + automatic[:budget]  # the budget limits automation, not the author
    return sorted(kept, key=lambda f: (f.line, RULE_PRIORITY.get(f.rule, 9), f.text))


def _rank(fact: Fact) -> tuple[int, float, int, str]:
    return (0 if fact.pinned else 1, -fact.score, fact.line, fact.text)
