"""Structure rule: a question answered on its own line or item ("What replaced BIOS? **Ans: UEFI**"), or
revealed by a click ("<details><summary>What is an onsite backup?</summary> A backup at the same
site.</details>"), or a flashcard written as two labelled paragraphs ("**Front:** Which contract type puts
the most risk on the seller?" then "**Back:** **Firm Fixed Price (FFP)**. The seller ...").

Quiz notes often write each question with its answer after a label on the same line, or on the next
line of the same item or paragraph: "Ans:", "Answer:", "A:", "→". The card asks the question (its
number taken off) and the answer is what follows the label. Other rules leave such a block alone
(`answered_blocks`): "Ans: Shows the path" is no sentence to gap.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..model import Block, Document, Fact
from .structure import memo_by_identity
from .util import question

SCORE = 0.85
MAX_ANSWER_WORDS = 12
_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+\s*[.):-]\s*", re.I)
MAX_REVEALED_WORDS = 16  # a revealed answer is a sentence more often than a term; longer is an essay
_DETAILS = re.compile(r"<summary[^>]*>(?P<q>.{3,300}?)</summary>(?P<a>.{1,400}?)</details>", re.S | re.I)
_TAG = re.compile(r"<[^>]{1,80}>")
_AUTHOR_QA = re.compile(r"^\s*Q\s*:", re.I)
_OPTIONS = re.compile(r"(?:^|\n)\s*(?:[-*+]\s+)?\(?[bB][).]\s")
_FRONT = re.compile(r"^\s*(?:front|question)\s*(?:\d+\s*)?[:.]\s*(?P<q>.{3,300}\?)\s*$", re.I | re.S)
_BACK = re.compile(r"^\s*(?:back|answer|ans)\s*[:.]\s*(?P<a>.{1,600}?)\s*$", re.I | re.S)
_FIRST_SENTENCE = re.compile(r"^(?P<s>.+?[.!;])(?:\s|$)")
_ASIDE = re.compile(r"\s*\([^()]{1,200}\)")
_ANSWERED = re.compile(
    r"^(?P<q>[^?\n]{8,300}\?)\s*(?:\*\*|__)?\s*(?:ans(?:wer)?\s*[:.=\-–—]|a\s*:)\s*(?P<a>[^\n]{1,200}?)\s*(?:\*\*|__)?\s*$",
    re.I | re.S,
)


def answered(doc: Document) -> list[Fact]:
    """One Q&A per question that carries its labelled answer."""
    return list(_analyse(doc.blocks)[0])


def answered_blocks(doc: Document) -> frozenset[int]:
    """ids of the blocks read as a question and its answer (no other rule cards them)."""
    return _analyse(doc.blocks)[1]


@memo_by_identity(8)
def _analyse(blocks: tuple[Block, ...]) -> tuple[tuple[Fact, ...], frozenset[int]]:
    facts: list[Fact] = []
    taken: set[int] = set()
    for front, back in pairwise(blocks):
        fact = _flashcard(front, back)
        if fact is not None:
            taken.update((id(front), id(back)))
            facts.append(fact)
    for block in blocks:
        if id(block) in taken:
            continue
        if block.kind == "html" and "<summary" in block.text:
            fact = _revealed(block)
            if fact is not None:
                taken.add(id(block))
                facts.append(fact)
            continue
        if block.kind not in ("paragraph", "list_item") or "?" not in block.text or _OPTIONS.search(block.markup):
            continue  # lettered options make it a multiple-choice question (mcq.py)
        if _AUTHOR_QA.match(block.text):
            continue  # "Q: ... A: ...": the author's own card (markup.py)
        m = _ANSWERED.match(" ".join(block.text.split()))
        if not m:
            continue
        taken.add(id(block))
        answer = m.group("a").strip(" *_").rstrip(".")
        if len(answer.split()) > MAX_ANSWER_WORDS:
            continue
        ask = _NUMBER.sub("", m.group("q")).strip()
        fact = question("answered", ask, answer, answer, SCORE, block, block.text, block.line)
        if fact is not None:
            facts.append(fact)
    return tuple(facts), frozenset(taken)


def _flashcard(front: Block, back: Block) -> Fact | None:
    """A "Front:" (or "Question:") paragraph asking a question, and right after it a "Back:" ("Answer:")
    paragraph: the answer is the back's bold lead ("**Firm Fixed Price (FFP)**. The seller ...") or
    else its first sentence, when that is short; the rest of the back is the note's extra. ("Q:" and "A:"
    are the author's markup: markup.py.)"""
    if front.kind != "paragraph" or back.kind != "paragraph" or front.section != back.section:
        return None
    q = _FRONT.match(front.text)
    a = _BACK.match(back.text)
    if not q or not a:
        return None
    ask = " ".join(q.group("q").split())
    whole = " ".join(a.group("a").split())
    lead = next((e for e in back.emphasis if e and whole.startswith(e)), "")
    if lead:
        answer = lead
    else:
        first = _FIRST_SENTENCE.match(whole)
        answer = (first.group("s") if first else whole).rstrip(".!;")
        if len(answer.split()) > MAX_ANSWER_WORDS:  # "(e.g., ...)" and other asides go to the extra
            answer = " ".join(_ASIDE.sub(" ", answer).split())
    if len(answer.split()) > MAX_REVEALED_WORDS:
        return None
    extra = whole[len(answer):].strip(" .;") if whole.startswith(answer) else whole
    return question("answered", ask, answer, answer, SCORE, back, whole, front.line, extra)


def _revealed(block: Block) -> Fact | None:
    """"<details><summary>What is an onsite backup?</summary> - A backup at the same site.</details>": a
    flashcard the page reveals on a click, when its answer is plain text (code is the exercise rule's)."""
    m = _DETAILS.search(block.text)
    if not m or "```" in block.text or "<code" in block.text or "<pre" in block.text:
        return None
    ask = _NUMBER.sub("", " ".join(_TAG.sub(" ", m.group("q")).split())).strip()
    answer = " ".join(_TAG.sub(" ", m.group("a")).split()).lstrip("-*• ").rstrip(".")
    if not ask.endswith("?") or not answer or len(answer.split()) > MAX_REVEALED_WORDS:
        return None
    return question("answered", ask, answer, answer, SCORE, block, f"{ask} {answer}", block.line)
