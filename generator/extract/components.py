"""Structure rule: flashcards an author already wrote inside a page component.

Documentation sites (VitePress, MDX) embed card decks as component props: `{ front: `...`, back: `...` }`
(also `question`/`answer` and `term`/`definition` keys). A front that asks (ends in "?", or starts with a
question word or an instruction such as "Give") becomes a Q&A note; a front that names a term becomes a
cloze asking for the term from its back. Backs longer than a learner can recall are cut at the first
clause break; a back that is a set of four or more items makes no card. Markup is never shown raw.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Document, Fact
from .filters import strip_citations
from .util import MAX_ANSWER_WORDS, cloze, question

_STRING = r"(?:`(?:[^`\\]|\\.){1,400}`|'(?:[^'\\]|\\.){1,400}'|\"(?:[^\"\\]|\\.){1,400}\")"
_PAIR = re.compile(
    r"\{\s*(?P<k1>front|question|term|q)\s*:\s*(?P<v1>" + _STRING + r")\s*,\s*"
    r"(?P<k2>back|answer|definition|a)\s*:\s*(?P<v2>" + _STRING + r")\s*,?\s*\}",
    re.I,
)
_ASKS = re.compile(
    r"^(what|which|who|whom|whose|when|where|why|how|name|list|give|define|describe|identify|state|"
    r"explain)\b",
    re.I,
)
_TAGS = re.compile(r"<[^>]{0,200}>")
_CLAUSE_CUT = re.compile(r"\s*(?:;|, | \(| such as | that | which )")
MAX_COMPONENT_CHARS = 200_000  # raw HTML blocks larger than this are not read (bounded work)


def components(doc: Document) -> list[Fact]:
    """Q&A and cloze facts from front/back pairs in HTML or component blocks."""
    facts: list[Fact] = []
    for block in doc.blocks:
        if block.kind != "html" or len(block.text) > MAX_COMPONENT_CHARS:
            continue
        for m in _PAIR.finditer(block.text):
            front, back = _unquote(m.group("v1")), _unquote(m.group("v2"))
            line = block.line + block.text.count("\n", 0, m.start())
            fact = _card(front, back, block, line)
            if fact:
                # The author wrote this card: like markup, it is kept whatever the budget.
                facts.append(replace(fact, pinned=True))
    return facts


def _unquote(value: str) -> str:
    inner = value[1:-1]
    inner = re.sub(r"\\+(['\"`])", r"\1", inner)
    inner = _TAGS.sub("", inner)
    return re.sub(r"\s+", " ", strip_citations(inner)).strip()


def _card(front: str, back: str, block: object, line: int) -> Fact | None:
    from ..model import Block

    assert isinstance(block, Block)
    if not front or not back:
        return None
    sentence = f"{front} — {back}"
    if front.endswith("?") or _ASKS.match(front):
        answer = back.rstrip(".")
        if len(answer.split()) > MAX_ANSWER_WORDS:
            answer = _CLAUSE_CUT.split(answer, maxsplit=1)[0]
        if len(answer.split()) > MAX_ANSWER_WORDS:
            return None
        return question("component", front, answer, front, 0.9, block, sentence, line)
    if len(front.split()) > 8:
        return None
    return cloze("component", f"{front}: {back}", front, 0.9, block, sentence, line)
