"""Author markup rule: cards the author wrote into the article. They beat every automatic fact.

- `{{c1::answer}}` or `{{c1::answer::hint}}` in a sentence: that sentence is one cloze note with the
  author's numbers and hints.
- `==words==` (a highlight) in a sentence: the highlighted words are a cloze deletion; each highlight
  gets its own number, after any `{{cN::...}}` numbers of the same sentence.
- `Q: question` followed by `A: answer` (on the next line, or as the next paragraph or list item):
  a Q&A note.
Excluding a block is done by the parser (`<!-- certdeck: skip -->`, see parse.py): its facts never
reach this rule or any other.
"""
from __future__ import annotations

import re

from ..model import Block, Document, Fact, Gap

_CLOZE = re.compile(r"\{\{c(\d{1,3})::(.+?)(?:::(.*?))?\}\}")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_QA_SAME_BLOCK = re.compile(r"^Q:\s*(?P<q>.+?)\s+A:\s*(?P<a>.+)$", re.DOTALL)
_Q = re.compile(r"^Q:\s*(?P<q>.+)$", re.DOTALL)
_A = re.compile(r"^A:\s*(?P<a>.+)$", re.DOTALL)
_LABEL = re.compile(r"^\s*[QA]:\s")
_KINDS = ("paragraph", "list_item", "quote", "definition", "table_row")


def markup(doc: Document) -> list[Fact]:
    """Cloze facts from sentences with `{{cN::...}}` or `==...==`, Q&A facts from `Q:` / `A:` pairs."""
    facts: list[Fact] = []
    blocks = [b for b in doc.blocks if b.kind in _KINDS or b.kind == "heading"]
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            continue
        qa = _qa_pair(block, blocks[i + 1] if i + 1 < len(blocks) else None)
        if qa:
            facts.append(qa)
            continue
        for sent in block.sentences:
            if not (_CLOZE.search(sent.text) or _HIGHLIGHT.search(sent.text)):
                continue
            text, gaps = parse_clozes(sent.text)
            if gaps:
                term = " / ".join(text[g.start : g.end] for g in sorted(gaps, key=lambda g: (g.ordinal, g.start)))
                facts.append(Fact(rule="markup", kind="cloze", text=text, term=term, score=1.0, block=block,
                                  sentence=text, line=sent.line, gaps=gaps, pinned=True))
    return facts


def parse_clozes(marked: str) -> tuple[str, tuple[Gap, ...]]:
    """Plain text and gaps of a sentence written with `{{cN::answer::hint}}` and `==highlight==`."""
    explicit = [int(m.group(1)) for m in _CLOZE.finditer(marked)]
    next_ordinal = max(explicit, default=0) + 1
    out: list[str] = []
    gaps: list[Gap] = []
    pos = length = 0
    for m in sorted([*_CLOZE.finditer(marked), *_HIGHLIGHT.finditer(marked)], key=lambda m: m.start()):
        if m.start() < pos:  # a highlight inside a cloze, or the reverse: the outer one counts
            continue
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        if m.re is _CLOZE:
            ordinal, answer, hint = int(m.group(1)), m.group(2).strip(), (m.group(3) or "").strip()
            answer = _HIGHLIGHT.sub(r"\1", answer)
        else:
            ordinal, answer, hint = next_ordinal, m.group(1).strip(), ""
            next_ordinal += 1
        if answer and ordinal > 0:
            gaps.append(Gap(length, length + len(answer), ordinal, hint))
        out.append(answer)
        length += len(answer)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), tuple(gaps)


def has_markup(text: str) -> bool:
    """Whether `text` holds author markup (cloze, highlight, or a Q:/A: label) that no automatic card may show."""
    return bool(_CLOZE.search(text) or _HIGHLIGHT.search(text) or _LABEL.match(text))


def strip_markup(text: str) -> str:
    """`text` as a reader sees it: clozes and highlights reduced to their words, Q:/A: labels dropped."""
    return _LABEL.sub("", parse_clozes(text)[0])


def _qa_pair(block: Block, nxt: Block | None) -> Fact | None:
    """A Q&A fact from `Q: ... A: ...` in one block, or `Q: ...` followed by an `A: ...` block."""
    m = _QA_SAME_BLOCK.match(block.text)
    if m:
        question, answer, where = m.group("q"), m.group("a"), block
        line = next((s.line for s in block.sentences if s.text.lstrip().startswith("A:")), block.line)
    else:
        q = _Q.match(block.text)
        a = _A.match(nxt.text) if q and nxt is not None and nxt.kind in _KINDS else None
        if not q or not a or nxt is None:
            return None
        question, answer, where, line = q.group("q"), a.group("a"), nxt, nxt.line
    question, answer = strip_markup(question.strip()), strip_markup(answer.strip())
    if not question or not answer:
        return None
    return Fact(rule="markup", kind="qa", text=question, term=question, score=1.0, block=where, sentence=answer,
                line=line, answer=answer, pinned=True)
