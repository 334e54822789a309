"""Structure rule: a list under its lead-in becomes one cloze note with one deletion per item.

The lead, then one bullet line per item, with c1..cN, so each card asks one item while the others stay
visible (never a card asking for a set); the items stay items (rendered as a list, never one line).
Only fragment items are asked this way (short phrases); sentence items are left to the prose rules. A
long ordered list (steps) is cut into notes of at most MAX_NOTE_WORDS words, so no prompt runs past what a
learner reads at a glance; a note that shows part of a list says which part ("(items 4–7 of 12)"), so that
nine items are never shown under "Ten domains:" as if whole. An unordered list too long for one note gives
none unless its lead counts it (a set to learn whole): with items left out, any of them would fit a gap.
Within an item the gap is its bold part if it has one, else the item without a trailing parenthesis; an
item that is itself a set of four or more stays visible.
"""

from __future__ import annotations

import re

from ..model import Document, Fact
from ..text import normalize
from .filters import is_noise, strip_citations
from .prose import in_exercise_section
from .structure import COUNTED, ListGroup, list_fragments, list_groups
from .util import cloze_spans, is_set

MAX_NOTE_WORDS = 36  # with its bullets; a card's front stays under 40 words
MAX_ITEM_GAP_WORDS = 7
MARK_WORDS = 4  # "(items 4–7 of 12)"
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")


def list_items(doc: Document) -> list[Fact]:
    """Cloze facts: one note per list (or per slice of a long list), one deletion per fragment item."""
    facts: list[Fact] = []
    for group in list_groups(doc):
        if in_exercise_section(group.items[0]):
            continue
        facts.extend(_list_notes(group, doc.title))
    return facts


def _list_notes(group: ListGroup, title: str) -> list[Fact]:
    if group.lead_block is not None and not group.lead:
        return []  # named by a reader-directed line ("You can:"): the items mean nothing alone
    items = [b for b in list_fragments(group) if not is_noise(b.text + ".")]
    if len(items) < 2 or 2 * sum(1 for b in items if _PATH_ITEM.match(b.text)) >= len(items):
        return []  # "/sbin/pv*", "/etc/lvm/lvm.conf": which file is missing from a list asks nothing
    lead = strip_citations(group.lead) or _heading_lead(group, title)
    place = {id(b): k for k, b in enumerate(group.items, 1)}  # each item's place in the whole list
    shown = [(*_item(b.text, b.emphasis), b.line, place[id(b)]) for b in items]
    notes: list[list[_Shown]] = []
    chunk: list[_Shown] = []
    budget = MAX_NOTE_WORDS - len(lead.split())
    if len(items) < len(group.items) or sum(len(t.split()) + 1 for t, *_ in shown) > budget:
        budget -= MARK_WORDS  # the note will say which part of the list it shows

    def flush() -> None:
        if len([c for c in chunk if c[1]]) >= 1 and len(chunk) >= 2:
            notes.append(list(chunk))
        chunk.clear()

    words = 0
    for item in shown:
        n = len(item[0].split()) + 1  # its bullet is read too
        if chunk and words + n > budget:
            # Overlap by one item so that every item keeps a neighbour as its cue.
            last = chunk[-1]
            flush()
            chunk.append((last[0], None, last[2], last[3]))
            words = len(last[0].split()) + 1
        chunk.append(item)
        words += n
    flush()
    whole = len(notes) == 1 and len(notes[0]) == len(group.items)
    if not whole and not group.ordered and not COUNTED.search(lead):
        # "Causes (6 of 8 items): ... [...]": any of the two items not shown fits the gap as well. A set the
        # lead counts ("the ten knowledge areas") is one to learn whole, part by part.
        return []
    facts = [_note(group, lead, c, "" if whole else _part(c, len(group.items))) for c in notes]
    return [f for f in facts if f]


def _heading_lead(group: ListGroup, title: str) -> str:
    """A list right under its heading ("# Things to look for on all prescriptions") is named by it: the
    heading leads the note, so that no card shows bare items. Not the article's title, nor a numbered label."""
    section = group.items[0].section
    heading = section[-1] if section else ""
    if not heading or normalize(heading) == normalize(title) or len(heading.split()) > MAX_LEAD_WORDS \
            or not any(c.isalpha() for c in heading) or _NUMBERED.match(heading):
        return ""
    return heading


MAX_LEAD_WORDS = 10
_PATH_ITEM = re.compile(r"^\s*(?:~|\.{0,2}/|\w+\.\w{1,4}\b)\S*\s*$")  # a path, a glob or a file name alone
_NUMBERED = re.compile(r"^\W*(?:[A-Za-z]+\s+)?\d+[\d.]*\W*$")
_Shown = tuple[str, tuple[int, int] | None, int, int]  # (item text, gap offsets or None, line, place in the list)


def _part(chunk: list[_Shown], total: int) -> str:
    """Which part of a longer list a note shows: "items 4–7 of 12" (or "5 of 12 items" with gaps between)."""
    places = [c[3] for c in chunk]
    if places == list(range(places[0], places[-1] + 1)):
        return f"items {places[0]}–{places[-1]} of {total}"
    return f"{len(places)} of {total} items"


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


def _note(group: ListGroup, lead: str, chunk: list[_Shown], part: str) -> Fact | None:
    """The note's text keeps the items as items, one bullet line each (rendered as a list); its source
    sentence is the list on one line, as before, so that a note keeps its identity."""
    head = " ".join(x for x in (lead, f"({part})" if part else "") if x)
    text = f"{head}:" if head else ""
    flat = f"{lead}: " if lead else ""
    spans = []
    for i, (item, gap, _line, _place) in enumerate(chunk):
        text += ("\n" if text else "") + "- "
        if gap:
            spans.append((len(text) + gap[0], len(text) + gap[1]))
        text += item
        flat += ("; " if i else "") + item
    flat += "."
    line = next(ln for _, g, ln, _p in chunk if g)
    block = next(b for b in group.items if b.line == line)
    score = 0.85 if group.lead else 0.7
    return cloze_spans("list", text, spans, score, block, flat, line, term=group.lead or flat[:40])
