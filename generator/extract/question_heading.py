"""Structure rule: a heading phrased as a question, answered by the first sentence under it."""
from __future__ import annotations

import re

from ..model import Document, Fact
from .filters import clean_sentence, is_noise
from .util import question

_YES_NO = re.compile(r"^(is|are|does|do|did|can|could|should|will|would|was|were|has|have)\b", re.I)


def question_heading(doc: Document) -> list[Fact]:
    """Q&A facts: the heading is the question; a short first sentence of its section is the answer."""
    facts: list[Fact] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.kind != "heading" or not block.text.endswith("?") or _YES_NO.match(block.text):
            continue
        for nxt in blocks[i + 1 :]:
            if nxt.kind == "heading":
                break
            if nxt.kind in ("paragraph", "list_item") and nxt.sentences:
                first = nxt.sentences[0]
                if not is_noise(first.text):
                    answer = clean_sentence(first.text)
                    fact = question("question-heading", block.text, answer, block.text, 0.7, nxt, first.text,
                                    first.line)
                    if fact:
                        facts.append(fact)
                break
    return facts
