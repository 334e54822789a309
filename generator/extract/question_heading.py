"""Structure rule: a heading phrased as a question, answered by the first sentence under it.

"What is X?" over "X (, also called Z,) is Y." asks for Y (when Y is short enough to recall). Other
question headings ("What makes treatment effective?") are answered by a whole section, not a sentence:
they stay the context cue of the section's cards. Yes/no headings and headings over exercises are left out.
"""

from __future__ import annotations

import re

from ..model import Document, Fact
from ..text import content_words
from .filters import clean_sentence, is_noise
from .prose import in_exercise_section
from .util import MAX_ANSWER_WORDS, question

_YES_NO = re.compile(r"^(is|are|does|do|did|can|could|should|will|would|was|were|has|have)\b", re.I)
_WHAT_IS = re.compile(r"^what\s+(?:is|are)\s+(?:an?\s+|the\s+)?(?P<term>[^?]{2,80})\?$", re.I)
_COPULA = re.compile(
    r"^(?P<subject>.{2,120}?)\s+(?:is|are|means|refers to|is defined as)\s+(?P<answer>.+?)\.?$", re.I
)


def question_heading(doc: Document) -> list[Fact]:
    """Q&A facts: the heading is the question; the first sentence of its section gives the answer."""
    facts: list[Fact] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if (
            block.kind != "heading"
            or not text.endswith("?")
            or _YES_NO.match(text)
            or in_exercise_section(block)
        ):
            continue
        for nxt in blocks[i + 1 :]:
            if nxt.kind == "heading":
                break
            if nxt.kind in ("paragraph", "list_item") and nxt.sentences:
                first = nxt.sentences[0]
                fact = _answer(text, first.text, nxt, first.line)
                if fact:
                    facts.append(fact)
                break
    return facts


def _answer(heading: str, sentence: str, block: object, line: int) -> Fact | None:
    from ..model import Block

    assert isinstance(block, Block)
    if is_noise(sentence) or sentence.rstrip().endswith(":"):
        return None
    answer = clean_sentence(sentence).rstrip(".")
    m = _WHAT_IS.match(heading)
    if m:
        term_words = set(content_words(m.group("term")))
        c = _COPULA.match(answer)
        if c and term_words & set(content_words(c.group("subject"))):
            answer = c.group("answer")
            answer = re.split(r"\s*[;:]\s|\s+[—–]\s", answer)[0]
            if len(answer.split()) <= MAX_ANSWER_WORDS:
                return question(
                    "question-heading", heading, answer, m.group("term"), 0.85, block, sentence, line
                )
    return None
