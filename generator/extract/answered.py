"""Structure rule: a question answered on its own line or item ("What replaced BIOS? **Ans: UEFI**"), or
revealed by a click ("<details><summary>What is an onsite backup?</summary> A backup at the same
site.</details>"), or a flashcard written as two labelled paragraphs ("**Front:** Which contract type puts
the most risk on the seller?" then "**Back:** **Firm Fixed Price (FFP)**. The seller ..."), or a bold question
with its answer on the lines under it in the same item ("- **What is ITIL?**" / "ITIL is a framework for
service management.").

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
from .util import cloze_spans, question

SCORE = 0.85
MAX_ANSWER_WORDS = 12
MAX_DEFINITION_WORDS = 30  # a definition asked by its term ("[...]: A set of ... capabilities")
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
    for k, (front, back) in enumerate(pairwise(blocks)):
        fact = _flashcard(front, back)
        if fact is not None:
            taken.update((id(front), id(back)))
            facts.append(fact)
            continue
        before = blocks[max(0, k - STEM_REACH):k]
        selected = _selected_answer(front, back, before)
        if selected is not None:
            taken.update((id(front), id(back)))
            # the question's case above its stem ("A 58-year-old man is admitted ..."), back to "Question 7"
            for b in reversed(before):
                if b.kind != "paragraph" or _SCORED.match(b.text) or _QUESTION_LABEL.match(b.text) \
                        or _SELECTED.match(b.text):
                    break
                taken.add(id(b))
            if selected[0] is not None:
                facts.append(selected[0])
    for block in blocks:
        if id(block) in taken:
            continue
        bold = _bold_question(block)
        if bold is not None:
            taken.add(id(block))
            if bold[0] is not None:
                facts.append(bold[0])
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


_BOLD_QUESTION = re.compile(r"^\s*(?:\*\*|__)(?P<q>[^*_\n]{3,300}\?|"
                            r"(?:what|which|who|when|where|why|how)\b[^*_\n?]{3,300})\s*(?:\*\*|__)\s*$", re.I)
_WH = re.compile(r"\b(?:what|which|who|when|where|why|how)\b", re.I)
_YES_NO = re.compile(r"^(?:is|are|can|does|do|should|will|was|were|has|have)\b", re.I)
_WHAT_IS = re.compile(r"^what (?:is|are) (?:an? |the )?(?P<term>[^?:]{1,60})\?$", re.I)
_URL = re.compile(r"https?://|www\.")
_MARKS = re.compile(r"\*\*|__|`")


def _bold_question(block: Block) -> tuple[Fact | None] | None:
    """"- **What is ITIL?**" over "ITIL is a framework for service management.": (the fact, or None when the
    question asks nothing a card can: yes/no, links, a long answer), or None when the block is no such
    question. A short answer is a Q&A; a long one to "What is X?" asks X from its definition."""
    if block.kind not in ("list_item", "paragraph"):
        return None
    lines = [ln.strip() for ln in block.markup.split("\n") if ln.strip()]
    m = _BOLD_QUESTION.match(lines[0]) if len(lines) >= 2 else None
    if not m:
        return None
    ask = " ".join(m.group("q").split()).rstrip("?") + "?"
    body = " ".join(_MARKS.sub("", ln) for ln in lines[1:])
    # "What are the X?" over a line per X, or "What are X, when ..., what ...?": a set, or several questions
    listed = len(lines) >= 4 and (ask.lower().startswith("what are") or not lines[1].rstrip(" *").endswith("."))
    if _YES_NO.match(ask) or _URL.search(body) or listed or len(_WH.findall(ask)) > 1:
        return (None,)
    first = re.split(r"(?<=[.!;])\s+", body, maxsplit=1)[0].rstrip(".!;")
    what = _WHAT_IS.match(ask)
    if what:  # "ITIL is a framework ...": the answer without the subject it repeats
        first = re.sub(rf"^(?:an? |the )?{re.escape(what.group('term'))}\s+(?:is|are)\s+(?=(?:an?|the)\s)", "",
                       first, flags=re.I)
    if len(first.split()) <= MAX_ANSWER_WORDS:
        return (question("answered", ask, first, first, SCORE, block, body, block.line),)
    if what and len(first.split()) <= MAX_DEFINITION_WORDS:
        term = what.group("term").strip()
        text = f"{term}: {first}"
        return (cloze_spans("answered", text, [(0, len(term))], SCORE, block, body, block.line, term=term),)
    return (None,)


_SELECTED = re.compile(r"^\s*(?:selected|correct|right|your)?\s*answer\s*:\s*(?P<a>\S.{0,300}?)\s*$", re.I | re.S)
_SCORED = re.compile(r"^\s*(?P<got>\d+(?:\.\d+)?)\s+out of\s+\d+(?:\.\d+)?\s+points?\s*$", re.I)
MAX_STEM_WORDS = 40
STEM_REACH = 6  # paragraphs above a stem that may be its question's case
_QUESTION_LABEL = re.compile(r"^\s*(?:question|q)\s*\d+\W*$", re.I)


def _selected_answer(stem: Block, answer: Block, before: tuple[Block, ...]) -> tuple[Fact | None] | None:
    """A quiz's stem ("... reduces the potential for:") with the answer line under it ("Selected Answer:
    nitrate tolerance."), as a graded quiz is exported: (the fact, or None when the answer was marked wrong
    ("0 out of 1 points") or the stem is too long to read), or None when the blocks are no such pair."""
    if stem.kind != "paragraph" or answer.kind != "paragraph" or stem.section != answer.section:
        return None
    m = _SELECTED.match(answer.text)
    ask = " ".join(stem.text.split())
    if not m or not ask.endswith(("?", ":")) or _SELECTED.match(stem.text):
        return None
    scored = [b for b in before if b.kind == "paragraph" and _SCORED.match(b.text)]
    got = _SCORED.match(scored[-1].text) if scored else None
    if (got and float(got.group("got")) == 0) or len(ask.split()) > MAX_STEM_WORDS:
        return (None,)  # a wrong answer is never asked; a case vignette is no card to read at a glance
    reply = " ".join(m.group("a").split()).rstrip(".")
    if ask.endswith("?"):
        return (question("answered", ask, reply, reply, SCORE, answer, f"{ask} {reply}", stem.line),)
    text = f"{ask.rstrip(':').rstrip()} {reply}."
    start = len(ask.rstrip(":").rstrip()) + 1
    return (cloze_spans("answered", text, [(start, start + len(reply))], SCORE, answer, text, stem.line,
                        term=reply),)


def asks_on_front(block: Block) -> bool:
    """Whether `block` is the "Front:" (or "Question:") side of a flashcard written as two paragraphs."""
    return bool(_FRONT.match(block.text))


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
