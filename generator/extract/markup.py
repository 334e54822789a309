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
from ..text import find_clozes, find_highlights, split_sentences

# Clozes `{{cN::answer::hint}}` and highlights `==words==` are found by text.find_clozes / find_highlights:
# linear scans, where the equivalent regexes backtrack cubically on a line of unclosed markers.
_QA_SAME_BLOCK = re.compile(r"^Q:\s*(?P<q>.+?)\s+A:\s*(?P<a>.+)$", re.DOTALL)
_Q = re.compile(r"^Q:\s*(?P<q>.+)$", re.DOTALL)
_A = re.compile(r"^A:\s*(?P<a>.+)$", re.DOTALL)
_LABEL = re.compile(r"^\s*[QA]:\s")
SHORT_ANSWER_WORDS = 15  # longer is no answer to recall at a glance
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
            if not (find_clozes(sent.text) or find_highlights(sent.text)):
                continue
            text, gaps = parse_clozes(sent.text)
            if gaps:
                term = " / ".join(text[g.start : g.end] for g in sorted(gaps, key=lambda g: (g.ordinal, g.start)))
                facts.append(Fact(rule="markup", kind="cloze", text=text, term=term, score=1.0, block=block,
                                  sentence=text, line=sent.line, gaps=gaps, pinned=True))
    return facts


def parse_clozes(marked: str) -> tuple[str, tuple[Gap, ...]]:
    """Plain text and gaps of a sentence written with `{{cN::answer::hint}}` and `==highlight==`."""
    clozes = find_clozes(marked)
    explicit = [int(c[2]) for c in clozes]
    next_ordinal = max(explicit, default=0) + 1
    out: list[str] = []
    gaps: list[Gap] = []
    pos = length = 0
    # (start, end, cloze number or None for a highlight, answer, hint)
    found = [(s, e, n, a, h) for s, e, n, a, h in clozes] + [(s, e, None, w, None) for s, e, w in
                                                             find_highlights(marked)]
    for start, end, digits, words, hint_text in sorted(found, key=lambda m: m[0]):
        if start < pos:  # a highlight inside a cloze, or the reverse: the outer one counts
            continue
        before = marked[pos:start]
        out.append(before)
        length += len(before)
        if digits is not None:
            ordinal, answer, hint = int(digits), words.strip(), (hint_text or "").strip()
            answer = _unhighlight(answer)
        else:
            ordinal, answer, hint = next_ordinal, words.strip(), ""
            next_ordinal += 1
        if answer and ordinal > 0:
            gaps.append(Gap(length, length + len(answer), ordinal, hint))
        out.append(answer)
        length += len(answer)
        pos = end
    out.append(marked[pos:])
    return "".join(out), tuple(gaps)


def _unhighlight(text: str) -> str:
    """`text` with each `==words==` reduced to its words."""
    out, pos = [], 0
    for start, end, words in find_highlights(text):
        out.append(text[pos:start])
        out.append(words)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def qa_blocks(doc: Document) -> frozenset[int]:
    """ids of the author's `Q:` and `A:` lines: the markup card stands for all their sentences."""
    return frozenset(id(b) for b in doc.blocks if in_qa_pair(b))


def in_qa_pair(block: Block) -> bool:
    """Whether `block` is an author's `Q:` or `A:` line: the markup card stands for all its sentences."""
    return bool(_LABEL.match(block.text))


def has_markup(text: str) -> bool:
    """Whether `text` holds author markup (cloze, highlight, or a Q:/A: label) that no automatic card may show."""
    if "{{" not in text and "==" not in text:  # every cloze and highlight opens with one of these
        return bool(_LABEL.match(text))
    return bool(find_clozes(text) or find_highlights(text) or _LABEL.match(text))


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
    whole, extra = answer, ""
    parts = [p for _, p in split_sentences(answer)]
    if len(parts) > 1 and parts[0].endswith(".") and len(parts[0].split()) <= SHORT_ANSWER_WORDS:
        # "A: Trench pins. They keep the shield from moving.": the first sentence answers, the rest explains
        answer, extra = parts[0].rstrip("."), " ".join(parts[1:])
    elif answer.endswith(".") and answer.count(".") == 1:
        answer = answer[:-1]  # "A: Any destination with no more specific route.": the answer, not its full stop
    return Fact(rule="markup", kind="qa", text=question, term=question, score=1.0, block=where, sentence=whole,
                line=line, answer=answer, pinned=True, extra=extra)
