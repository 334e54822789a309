"""Structure rule: glossary lines, definition lists and table rows.

Handles `Term - definition`, `Term: definition`, `**Term** — definition` (list items, or lines of a
paragraph), Markdown definition lists, two-column tables (term | meaning) and tables with a header row.
The gap goes on the term when the other side defines it. It goes on the value when the label is a
field name rather than a term — the same label recurs in the article (`**Damage:**` under each burn
depth) — or when the value is a number or a few words (`**Heals:** 2-3 weeks`, `| Perineum | 1% |`):
then the label and the section say what is asked. A bold part of the value is the gap when there is one.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Block, Document, Fact
from .filters import is_noise, strip_citations
from .gaps import iter_gaps, stats_for
from .prose import in_exercise_section
from .structure import ADMONITION, glossary_parts, group_of
from .util import cloze, cloze_spans, is_set
from .words import DETERMINERS, VERBS

_BOLD_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\*\*(?P<term>[^*\n]{1,60}?):?\*\*:?\s*(?P<value>\S[^\n]*)$")
_INLINE_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
SHORT_VALUE = 6  # words: a value this short is what the card asks


def glossary(doc: Document) -> list[Fact]:
    """Cloze facts from term/definition pairs and table rows."""
    facts: list[Fact] = []
    fields = _field_names(doc)
    for block in doc.blocks:
        if in_exercise_section(block):
            continue
        if block.kind == "definition":
            fact = _pair(block.cells[0], block.cells[1], block, block.text, block.line, term_first=True)
            facts.extend([fact] if fact else [])
        elif block.kind == "table_row" and len(block.cells) >= 2:
            if _comparison(block, doc):
                facts.extend(_compared(block))
            else:
                facts.extend(_table_row(block, doc, fields))
        elif block.kind in ("list_item", "paragraph"):
            lines = _bold_lines(block)
            if lines:
                for offset, (term, value, raw) in enumerate(lines):
                    fact = _pair(term, value, block, raw, block.line + offset, field=term.lower() in fields)
                    facts.extend([fact] if fact else [])
                continue
            parts = glossary_parts(block)
            if parts:
                field = parts[0].lower() in fields
                record = _record_name(block, doc) if field and block.kind == "list_item" else ""
                fact = _pair(parts[0], parts[1], block, block.text, block.line, field=field, record=record)
                facts.extend([fact] if fact else [])
    return facts


def _field_names(doc: Document) -> set[str]:
    """Labels used more than once: field names of repeated records, not terms being defined."""
    seen: Counter[str] = Counter()
    for block in doc.blocks:
        for term, _value, _raw in _bold_lines(block):
            seen[term.lower()] += 1
        parts = glossary_parts(block)
        if parts:
            seen[parts[0].lower()] += 1
        if block.kind == "table_row" and len(block.cells) == 2 and block.cells[0]:
            seen[block.cells[0].strip().lower()] += 1  # "| Uses | ... |" in one table per drug: a record's field
    return {label.rstrip(":").strip() for label, n in seen.items() if n > 1}


def _bold_lines(block: Block) -> list[tuple[str, str, str]]:
    """`**Label:** value` lines of a paragraph written one per line (hard or soft breaks)."""
    lines = [ln for ln in block.markup.split("\n") if ln.strip()]
    if len(lines) < 2 or block.kind != "paragraph":
        return []
    out = []
    for ln in lines:
        m = _BOLD_LINE.match(ln)
        if not m:
            return []
        value = _INLINE_MARKUP.sub("", m.group("value")).strip()
        term = m.group("term").strip().rstrip(":")
        out.append((term, value, f"{term}: {value}"))
    return out


def _pair(
    term: str,
    value: str,
    block: Block,
    sentence: str,
    line: int,
    term_first: bool = False,
    field: bool = False,
    record: str | None = "",
) -> Fact | None:
    """A card for one term/value pair, gapped on whichever side the other side explains. `record`: what a
    field belongs to ("Secure Sockets Layer (SSL)" for "Function: ..."), shown before it."""
    term, value = strip_citations(term.strip()), strip_citations(value.strip().rstrip("."))
    if not term or not value or is_noise(value + ".") or len(term.split()) > 8 or ADMONITION.match(term):
        return None
    if record is None:
        return None  # "Function: Legacy encrypted network protocol" with nothing to say whose function
    label = f"{record} — {term}" if record else term
    text = f"{label}: {value}"
    start = len(label) + 2
    bold = next((e for e in block.emphasis if e and e in value and e != value and e != term), "")
    if bold and not term_first:
        at = start + value.index(bold)
        return cloze_spans("field", text, [(at, at + len(bold))], 0.85, block, sentence, line, term=term)
    short = len(value.split()) <= SHORT_VALUE and not is_set(value)
    if not term_first and short and (field or len(value.split()) <= 3 or re.search(r"\d", value)):
        return cloze_spans(
            "field", text, [(start, len(text))], 0.85, block, sentence, line, term=term, values=True
        )
    if field:
        return None  # a long value under a field name: the prose rules may take its sentences
    return cloze("glossary", text, term, 0.9 if term_first or _defines(value) else 0.8, block, sentence, line)


def _record_name(block: Block, doc: Document) -> str | None:
    """The name of the record a field item belongs to: its list's lead, or the bold name opening the
    paragraph right before the list ("**Secure Sockets Layer (SSL)** Early encrypted ..."); "" when the list
    sits right under its heading (the card's cue names the record), None when nothing names it."""
    group = group_of(block, doc)
    if group is None:
        return ""
    if group.lead:
        return group.lead if len(group.lead.split()) <= 8 else None
    at = doc.blocks.index(group.items[0]) if group.items[0] in doc.blocks else 0
    before = doc.blocks[at - 1] if at > 0 else None
    if before is None or before.kind == "heading":
        return ""
    if before.kind == "paragraph" and before.emphasis:
        name = before.emphasis[0].strip(" :")
        if before.text.lstrip().startswith(name) and len(name.split()) <= 8:
            return name
    return None


def _defines(value: str) -> bool:
    """A value that explains its label: starts with an article, a verb, or is a longer phrase."""
    first = value.split()[0].lower().strip('("“') if value.split() else ""
    return first in DETERMINERS or first in VERBS or first.endswith("ing") or len(value.split()) > SHORT_VALUE


COMPARED_WORDS = 4  # first-column cells longer than this on average: a side-by-side comparison, not records


def _comparison(block: Block, doc: Document) -> bool:
    """Whether a row belongs to a table that compares its columns ("Compliance Testing | Substantive Testing",
    each cell a trait of its column) rather than listing records keyed by the first cell."""
    return _compares(doc.blocks, block.header)


def _compares(blocks: tuple[Block, ...], header: tuple[str, ...]) -> bool:
    head = [h.strip() for h in header]
    if len(head) < 2 or not all(head):
        return False
    rows = [b for b in blocks if b.kind == "table_row" and b.header == header]
    firsts = [len(b.cells[0].split()) for b in rows if b.cells and b.cells[0]]
    return bool(firsts) and sum(firsts) / len(firsts) > COMPARED_WORDS


def _shared_noun(head: list[str]) -> str:
    """The word every header ends with ("Compliance Testing", "Substantive Testing": "testing"), or ""."""
    last = {h.split()[-1].lower().strip("*_:") for h in head if h.split()}
    word = next(iter(last)) if len(last) == 1 and all(len(h.split()) >= 2 for h in head) else ""
    return word if word.isalpha() else ""


def _compared(block: Block) -> list[Fact]:
    """One Q&A per cell of a comparison row: which of the compared columns has this trait? ("Which testing:
    verifies the controls of a process?"). The question names the kind, never the choices (that would show
    the answer)."""
    head = [h.strip() for h in block.header]
    kind = _shared_noun(head)
    if not kind or all(len(c.split()) <= 1 for c in block.cells):
        return []  # nothing to name the choices by without giving them away; a label row ("Examples")
    facts = []
    for i, cell in enumerate(block.cells[: len(head)]):
        trait = strip_citations(cell).strip()
        if len(trait.split()) < 2 or len(trait.split()) > 25:
            continue
        # The answer is one of the choices the question names: that is the card, not a leak.
        asked = trait.rstrip(".")
        asked = asked[0].lower() + asked[1:] if asked[:1].isupper() and not asked[:2].isupper() else asked
        facts.append(Fact(rule="table", kind="qa", text=f"Which {kind}: {asked}?", term=head[i],
                          score=0.8, block=block, sentence=block.text, line=block.line, answer=head[i]))
    return facts


def _table_row(block: Block, doc: Document, fields: frozenset[str] | set[str] = frozenset()) -> list[Fact]:
    cells = [strip_citations(c) for c in block.cells]
    head = [h.strip() for h in block.header]
    if not cells[0] or not any(cells[1:]):
        return []
    if len(cells) == 2:
        fact = _pair(cells[0], cells[1], block, block.text, block.line, field=cells[0].strip().lower() in fields)
        return [fact] if fact else []
    parts = [cells[0]]
    spans = []
    pos = len(cells[0])
    for i, cell in enumerate(cells[1:], start=1):
        if not cell:
            continue
        label = f"{head[i]}: " if i < len(head) and head[i] else ""
        piece = f"{label}{cell}"
        sep = " — " if len(parts) == 1 else "; "
        start = pos + len(sep) + len(label)
        parts.append(sep + piece)
        pos += len(sep) + len(piece)
        if len(cell.split()) <= SHORT_VALUE and not is_set(cell):
            spans.append((start, start + len(cell)))
    text = "".join(parts)
    if len(text.split()) > 40:
        return []
    if not spans:
        best = next(iter_gaps(text, stats_for(doc)), None)
        spans = [(best.start, best.end)] if best else []
    fact = cloze_spans(
        "table", text, spans[:3], 0.8, block, block.text, block.line, term=cells[0], values=True
    )
    return [fact] if fact else []
