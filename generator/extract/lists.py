"""Structure rule: a list under its lead-in becomes one cloze note with one deletion per item.

`Lead: item; item; item` with c1..cN, so each card asks one item while the others stay visible (never
a card asking for a set). Only fragment items are asked this way (short phrases); sentence items are
left to the prose rules. A long list is cut into notes of at most MAX_NOTE_WORDS words, so no prompt
runs past what a learner reads at a glance. Within an item the gap is its bold part if it has one,
else the item without a trailing parenthesis; an item that is itself a set of four or more stays visible.
"""

from __future__ import annotations

import re

from ..model import Document, Fact
from .filters import is_noise, strip_citations
from .prose import in_exercise_section
from .structure import ListGroup, list_fragments, list_groups
from .util import cloze_spans, is_set

MAX_NOTE_WORDS = 32
MAX_ITEM_GAP_WORDS = 7
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")


def list_items(doc: Document) -> list[Fact]:
    """Cloze facts: one note per list (or per slice of a long list), one deletion per fragment item."""
    facts: list[Fact] = []
    for group in list_groups(doc):
        if in_exercise_section(group.items[0]):
            continue
        facts.extend(_list_notes(group))
    return facts


def _list_notes(group: ListGroup) -> list[Fact]:
    if group.lead_block is not None and not group.lead:
        return []  # named by a reader-directed line ("You can:"): the items mean nothing alone
    items = [b for b in list_fragments(group) if not is_noise(b.text + ".")]
    if len(items) < 2:
        return []
    lead = strip_citations(group.lead)
    head = f"{lead}: " if lead else ""
    notes: list[Fact] = []
    chunk: list[tuple[str, tuple[int, int] | None, int]] = []
    budget = MAX_NOTE_WORDS - len(head.split())

    def flush() -> None:
        if len([c for c in chunk if c[1]]) >= 1 and len(chunk) >= 2:
            notes.append(_note(group, head, chunk))
        chunk.clear()

    words = 0
    for block in items:
        text, gap = _item(block.text, block.emphasis)
        n = len(text.split())
        if chunk and words + n > budget:
            # Overlap by one item so that every item keeps a neighbour as its cue.
            last = chunk[-1]
            flush()
            chunk.append((last[0], None, last[2]))
            words = len(last[0].split())
        chunk.append((text, gap, block.line))
        words += n
    flush()
    return [n for n in notes if n]


def _item(text: str, emphasis: tuple[str, ...]) -> tuple[str, tuple[int, int] | None]:
    """An item's text as shown in the note, and the part of it to delete (offsets into the text)."""
    shown = strip_citations(text).rstrip(".;")
    bold = next((e for e in emphasis if e and e in shown and e != shown), "")
    if bold:
        start = shown.index(bold)
        return shown, (start, start + len(bold))
    paren = _PAREN_TAIL.search(shown)
    # "(7.5-8.0)" is part of the fact; "(where we start)" only glosses it.
    core = shown if paren and re.search(r"\d", paren.group(0)) else (_PAREN_TAIL.sub("", shown) or shown)
    if len(core.split()) > MAX_ITEM_GAP_WORDS or is_set(core):
        return shown, None
    return shown, (0, len(core))


def _note(group: ListGroup, head: str, chunk: list[tuple[str, tuple[int, int] | None, int]]) -> Fact:
    text = head
    spans = []
    for i, (item, gap, _line) in enumerate(chunk):
        if i:
            text += "; "
        if gap:
            spans.append((len(text) + gap[0], len(text) + gap[1]))
        text += item
    text += "."
    line = next(ln for _, g, ln in chunk if g)
    block = next(b for b in group.items if b.line == line)
    score = 0.85 if group.lead else 0.7
    fact = cloze_spans("list", text, spans, score, block, text, line, term=group.lead or text[:40])
    return fact  # type: ignore[return-value]
