"""Structure rule: a multiple-choice question becomes a card only when the text marks its answer.

A question (or a stem ending in ":" or a blank) followed by three or more options lettered in order
("A) ...", "b. ...", "(C) ...", one per line or list item, or the lines of a code block) is asked as a Q&A
whose answer is the correct option's text ("Which cloud benefit is this?" -> "Elasticity"); a stem that is
not a question is a cloze with the option filled in. The correct option is the one named by an answer line
after the options ("Answer: B", "✅ Correct answer: C — ...", or a bare "Answer:" over the lettered option,
as a `<details>` block shows it), or the one option marked (bold, ✅, ✓, [x], "(correct)").
An unmarked question gives no card, and neither it nor its options give any other rule a card
(`mcq_blocks`): an option alone is not a fact. The explanation on an answer line is handed to the prose
rules without its label and the option it repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Block, Document, Fact, Sentence
from ..text import split_sentences
from .util import cloze_spans, question

SCORE = 0.85
MIN_OPTIONS = 3
_OPTION = re.compile(r"^\s*(?:[-*+]\s+)?(?:\[[ xX]\]\s*)?(?:[✅✔☑✓]\s*)?"
                     r"\(?(?P<letter>[A-Ha-h])(?:[).:]|\s+[-–])\s+(?P<text>\S.*)$")
_OPTION_A = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\[[ xX]\][ \t]*)?(?:[✅✔☑✓][ \t]*)?"
                       r"(?:\*\*|__)?\(?[Aa](?:[).:]|[ \t]+[-–])(?:\*\*|__)?[ \t]", re.M)
_ANSWER = re.compile(
    r"^\W*(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|ans|solution|key)\s*(?:is)?\s*[:\-–—=]?\s*\**\s*"
    r"\(?(?P<letter>[A-Ha-h])\b(?![a-z'’])",
    re.I,
)
_ANSWER_LABEL = re.compile(
    r"^\W*(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|ans|solution|key)\s*(?:is)?\s*[:\-–—=]?\s*\**\s*"
    r"\(?[A-Ha-h]\b[).]?\s*(?:[:\-–—]\s*)?",
    re.I,
)
_ANSWER_ONLY = re.compile(r"^\W*(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|ans|solution)\s*:?\W*$", re.I)
_MARKED = re.compile(r"[✅✔☑✓]|\[[xX]\]|\((?:correct|right answer)\)|\bcorrect\s*$", re.I)
_LABEL = re.compile(r"^\W*(?:(?:q|question)\s*\d+\s*[.:)\-–—]?|\d+[.)])\s*", re.I)
_BLANK = re.compile(r"_{3,}|\.{4,}")
_INLINE_MARKUP = re.compile(r"\*\*|__|`")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # plain text of one source line
    bold: bool  # the whole line is bold
    block: Block
    line: int


def mcq(doc: Document) -> list[Fact]:
    """Facts for the multiple-choice questions whose answer the text marks, and for their explanations."""
    facts, _taken, explained = _analyse(doc.blocks)
    if not explained:
        return list(facts)
    # "✅ Answer: C — Elasticity Elasticity is the ability to ...": the prose rules read the explanation
    # without its label and the echoed option, as if it were a paragraph of its own.
    from .claim import claim
    from .definition import definition
    from .enumeration import enumeration

    mini = replace(doc, blocks=explained)
    return [*facts, *definition(mini), *enumeration(mini), *claim(mini)]


def mcq_blocks(doc: Document) -> frozenset[int]:
    """ids of the blocks holding a multiple-choice question, its options or its answer line (no other rule
    cards them as they stand)."""
    return _analyse(doc.blocks)[1]


def _analyse(blocks: tuple[Block, ...]) -> tuple[tuple[Fact, ...], frozenset[int], tuple[Block, ...]]:
    checked = _checkbox_questions(blocks)
    if not any(_OPTION_A.search(b.text if b.kind == "code" else b.markup) or "①" in b.text[:4] for b in blocks):
        if checked[1]:
            return checked[0], checked[1], ()
        return (), frozenset(), ()  # no line opens with an "A)" option: no question here (most articles)
    lines = _lines(blocks)
    table_key, key_rows = _key_table(blocks)
    key = _answer_key(lines) | table_key
    code_lines = [b.line for b in blocks if b.kind == "code"]
    facts: list[Fact] = []
    taken: set[int] = set()
    explained: list[Block] = []
    i = 0
    while i < len(lines):
        options = _options_from(lines, i)
        if len(options) < MIN_OPTIONS:
            i += 1
            continue
        stem = lines[i - 1] if i > 0 and not _OPTION.match(lines[i - 1].text) else None
        end = i + len(options)
        correct, answer_line = _correct(options, lines[end : end + 3])
        if correct is None and stem is not None and _number(stem) in key:
            k = key[_number(stem)]  # "## Answers" at the end: "Answer 3: B) ..."
            correct = options[k] if k < len(options) else None
            if any(stem.line < c < options[0].line for c in code_lines):
                correct = None  # "What is the output?" over a program: the question is the code, not its stem
        if correct is None and (stem is None or not stem.text.rstrip().endswith("?")):
            # "Eligibility requires:" over "a) ... b) ... c) ...": a lettered list, not a question. Written as
            # lines of one paragraph, no sentence rule may read it as one run-on sentence.
            taken.update(id(o.block) for o in options if o.block.kind == "paragraph")
            i = end
            continue
        taken.update(id(o.block) for o in options)
        if stem is not None and _is_stem(stem.text):
            taken.add(id(stem.block))
            if correct is not None:
                fact = _fact(stem, correct)
                if fact is not None:
                    facts.append(fact)
        if answer_line is not None and correct is not None and answer_line.block.kind == "paragraph":
            taken.add(id(answer_line.block))
            rest = _explanation(answer_line.block.text, _option_text(correct))
            if rest:
                explained.append(replace(answer_line.block, text=rest, markup=rest, emphasis=(),
                                         sentences=tuple(Sentence(t, answer_line.line)
                                                         for _, t in split_sentences(rest))))
        i = end
    facts.extend(checked[0])
    taken.update(checked[1])
    taken.update(key_rows)  # "| 1 | ② | ... |": the key's rows ask nothing of their own
    for b in blocks:  # an answer key's explanations ("## Answer 8: A) KeyError" over "Explanation: ..."):
        if b.section and _KEY_LINE.match(b.section[-1]):  # about the question's own code, not facts alone
            taken.add(id(b))
    return tuple(facts), frozenset(taken), tuple(explained)


# "Answer 3: **B) Else**", "Q3 - C", "3. (D)": one line of an answer key, kept apart from the questions.
_KEY_LINE = re.compile(r"^\W*(?:(?:answers?|ans|q(?:uestion)?)\s*)?(?P<n>\d{1,3})\s*[.:)\-–—]\s*\**\s*\(?"
                       r"(?P<letter>[A-H])\b(?:[).:]|\s*$|\s+[-–—])", re.I)
_KEY_SECTION = re.compile(r"^\W*(?:answers?(?: key)?|answer sheet|solutions?|key)\W*$", re.I)


def _answer_key(lines: list[_Line]) -> dict[str, int]:
    """Question number -> option index, from an answer key: lines of a section headed "Answers" (or "Answer
    Key", "Solutions"), headings "Answer 3: B) ...", or a numbered question repeated as a heading in the key
    with "Answer: c) ..." under it."""
    key: dict[str, int] = {}
    number = ""  # the number of the key's last heading ("### 10. Which command ...?")
    for ln in lines:
        in_key = (ln.block.kind == "heading" and ln.text.lower().startswith(("answer", "ans", "solution"))) or any(
            _KEY_SECTION.match(h) for h in ln.block.section)
        if not in_key:
            continue
        m = _KEY_LINE.match(ln.text)
        if m:
            key[m.group("n").lstrip("0")] = ord(m.group("letter").upper()) - ord("A")
        elif ln.block.kind == "heading":
            numbered = _QUESTION_NUMBER.match(ln.text)
            number = numbered.group(1).lstrip("0") if numbered else ""
        elif number and (answered := _ANSWER.match(ln.text)):
            key.setdefault(number, ord(answered.group("letter").upper()) - ord("A"))
            number = ""
    return key


_QUESTION_NUMBER = re.compile(r"^\W*(?:q(?:uestion)?\s*)?(\d{1,3})\b", re.I)


def _number(stem: _Line) -> str:
    """The number of the question `stem` asks: its own label ("Q3.", "3.") or its heading's ("Question 3")."""
    for text in (stem.text, stem.block.section[-1] if stem.block.section else ""):
        m = _QUESTION_NUMBER.match(text)
        if m:
            return m.group(1).lstrip("0")
    return ""


_CHECKBOX = re.compile(r"^\s*\[(?P<mark>[ xX])\]\s+(?P<text>\S.*)$", re.S)


def _checkbox_questions(blocks: tuple[Block, ...]) -> tuple[tuple[Fact, ...], frozenset[int]]:
    """A question (heading or paragraph ending in "?" or ":") over a list of checkbox options, "- [ ] ..."
    and "- [x] ..." (task-list style): asked with the checked option(s); the options give no other card."""
    facts: list[Fact] = []
    taken: set[int] = set()
    runs: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "list_item" and _CHECKBOX.match(b.text):
            runs.setdefault(b.list_id, []).append(b)
    for items in runs.values():
        if len(items) < MIN_OPTIONS:
            continue
        taken.update(id(b) for b in items)
        first = blocks.index(items[0])
        stem = next((b for b in reversed(blocks[max(0, first - 2):first]) if b.kind in ("heading", "paragraph")), None)
        right = [m.group("text").strip() for m in (_CHECKBOX.match(b.text) for b in items)
                 if m and m.group("mark") in "xX"]
        if stem is None or not stem.text.rstrip().endswith(("?", ":")) or not 1 <= len(right) <= 2:
            continue
        taken.add(id(stem))
        answer = _Line(" and ".join(right), False, items[0], items[0].line)
        fact = _fact(_Line(stem.text, False, stem, stem.line), answer)
        if fact is not None:
            facts.append(fact)
    return tuple(facts), frozenset(taken)


def _explanation(text: str, option: str) -> str:
    """An answer line without its label and the option it repeats: what explains the answer."""
    m = _ANSWER_LABEL.match(text)
    rest = text[m.end():].strip() if m else text
    if option and rest.lower().startswith(option.lower()):
        rest = rest[len(option):].lstrip(" .:;,—–-")
    return rest if len(rest.split()) >= 4 else ""


def _lines(blocks: tuple[Block, ...]) -> list[_Line]:
    out: list[_Line] = []
    for b in blocks:
        if b.kind == "html":  # "<details><summary>Answer</summary> B </details>": its words, as one line
            out.append(_Line(_plain(" ".join(b.text.split())), False, b, b.line))
            continue
        if b.kind == "code":  # options, or the answer, set in a code block: each lettered line is one line
            rows = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
            if rows and all(_OPTION.match(r) for r in rows):
                out.extend(_Line(r, False, b, b.line + 1 + k) for k, r in enumerate(rows))
            continue
        if b.kind not in ("paragraph", "list_item", "heading", "quote"):
            continue
        raw = [ln for ln in b.markup.split("\n") if ln.strip()] if b.kind != "heading" else [b.text]
        if len(raw) <= 1:
            out.append(_Line(b.text, _all_bold(b.markup, b.text, b.emphasis), b, b.line))
            continue
        for k, ln in enumerate(raw):
            if ln[:1] in " \t" and out and out[-1].block is b and _OPTION.match(out[-1].text):
                # "**A)** Try  /      Else": an option's text goes on over an indented line
                prev = out[-1]
                out[-1] = _Line(f"{prev.text} {_plain(ln)}", prev.bold, b, prev.line)
                continue
            out.append(_Line(_plain(ln), _all_bold(ln, _plain(ln), ()), b, b.line + k))
    return [_Line(_CIRCLED.sub(_circled_letter, ln.text, count=1), ln.bold, ln.block, ln.line)
            if ln.text[:1] in _CIRCLED_DIGITS else ln for ln in out]


_CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧"
_CIRCLED = re.compile(r"^([①-⑧])\s+")  # "① COUNT(*) is faster": options numbered with circled digits


def _circled_letter(m: re.Match[str]) -> str:
    return f"{'abcdefgh'[_CIRCLED_DIGITS.index(m.group(1))]}) "


_KEY_HEADING = re.compile(r"\b(?:answers?|solutions?)\b", re.I)  # "Answer Key and Model Answers"


def _key_table(blocks: tuple[Block, ...]) -> tuple[dict[str, int], frozenset[int]]:
    """(question number -> option index, ids of the rows read), from an answer key written as a table
    ("| 1 | ② | ... |") in a section headed "Answers" (or "Answer Key", "... Answers")."""
    key: dict[str, int] = {}
    rows: set[int] = set()
    for b in blocks:
        if b.kind != "table_row" or len(b.cells) < 2 or not any(_KEY_HEADING.search(h) for h in b.section):
            continue
        number, answer = b.cells[0].strip(), b.cells[1].strip()
        if number.isdigit() and len(answer) == 1 and (answer in _CIRCLED_DIGITS or answer.upper() in "ABCDEFGH"):
            key[number.lstrip("0")] = (_CIRCLED_DIGITS.index(answer) if answer in _CIRCLED_DIGITS
                                       else ord(answer.upper()) - ord("A"))
            rows.add(id(b))
    return key, frozenset(rows)


def _plain(line: str) -> str:
    return " ".join(_INLINE_MARKUP.sub("", re.sub(r"<[^>]{1,40}>", "", line)).split())


def _all_bold(markup: str, text: str, emphasis: tuple[str, ...]) -> bool:
    m = _OPTION.match(text)
    body = m.group("text").strip() if m else text.strip()
    s = markup.strip().lstrip("-*+ ").strip()
    return bool(body) and (any(e.strip() in (text.strip(), body) for e in emphasis)
                           or (s.startswith("**") and s.rstrip().endswith("**")))


def _options_from(lines: list[_Line], i: int) -> list[_Line]:
    """The lettered options starting at lines[i] ("A" first, each letter the next), or []."""
    found: list[_Line] = []
    expected = ord("a")
    for ln in lines[i:]:
        m = _OPTION.match(ln.text)
        if not m or ord(m.group("letter").lower()) != expected:
            break
        found.append(ln)
        expected += 1
    return found


def _is_stem(text: str) -> bool:
    s = text.strip()
    return s.endswith(("?", ":")) or bool(_BLANK.search(s)) or bool(_LABEL.match(s) and "?" in s)


def _correct(options: list[_Line], after: list[_Line]) -> tuple[_Line | None, _Line | None]:
    """The option the text marks as the answer (an answer line names its letter, or one option is marked),
    and the answer line that names it."""
    labelled = False  # the line before was a bare "Answer:" (as a <details> summary is)
    for ln in after:
        if ln.block.kind == "heading" and not (_ANSWER_ONLY.match(ln.text) or _ANSWER.match(ln.text)):
            break  # "## Answers" / "### 1. What is ...": the answer lines below belong to other questions
        option = _OPTION.match(ln.text)
        if labelled and option:
            k = ord(option.group("letter").lower()) - ord("a")
            return (options[k], None) if k < len(options) else (None, None)
        labelled = bool(_ANSWER_ONLY.match(ln.text))
        if option and not _ANSWER.match(ln.text):
            break
        m = _ANSWER.match(ln.text)
        if m and (m.group("letter").isupper() or ln.text[m.end() : m.end() + 1] in (")", ".", "")):  # not "a cloud"
            k = ord(m.group("letter").lower()) - ord("a")
            return (options[k], ln) if k < len(options) else (None, None)
    marked = [o for o in options if _MARKED.search(o.text) or o.bold]
    return (marked[0], None) if len(marked) == 1 else (None, None)


def _option_text(option: _Line) -> str:
    m = _OPTION.match(option.text)
    text = m.group("text") if m else option.text
    text = _MARKED.sub("", text)
    return " ".join(text.split()).strip(" *").rstrip(".")


def _fact(stem: _Line, option: _Line) -> Fact | None:
    answer = _option_text(option)
    ask = _LABEL.sub("", stem.text).strip()
    if not answer or not ask:
        return None
    block = stem.block
    if ask.endswith("?"):
        return question("mcq", ask, answer, answer, SCORE, block, stem.text, stem.line)
    blank = _BLANK.search(ask)
    if blank:
        text = ask[: blank.start()] + answer + ask[blank.end() :]
        start = blank.start()
    else:
        text = ask.rstrip(": ") + " " + answer
        start = len(ask.rstrip(": ")) + 1
    text = text.rstrip(".") + "."
    return cloze_spans("mcq", text, [(start, start + len(answer))], SCORE, block, stem.text, stem.line, term=answer)
