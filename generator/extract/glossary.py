"""Structure rule: glossary lines, definition lists and term | meaning tables -> cloze on the term.

Handles `Term - definition`, `Term: definition`, `**Term** — definition` (list items or one-line
paragraphs), Markdown definition lists, and table rows whose first cell names the row.
"""
from __future__ import annotations

import re

from ..model import Document, Fact
from .filters import is_noise
from .util import cloze

_GLOSSARY_LINE = re.compile(r"^(?P<term>[^:;.!?—–]{1,60}?)\s*(?::|\s[—–-]\s|[—–])\s*(?P<definition>\S.{5,})$")


def glossary(doc: Document) -> list[Fact]:
    """Cloze facts with the gap on the defined term."""
    facts: list[Fact] = []
    for block in doc.blocks:
        term = definition = ""
        if block.kind == "definition":
            term, definition = block.cells
        elif block.kind == "table_row" and len(block.cells) >= 2:
            term = block.cells[0]
            heads = block.header
            if len(block.cells) == 2:
                definition = block.cells[1]
            else:
                definition = "; ".join(
                    f"{heads[i]}: {c}" if i < len(heads) and heads[i] else c
                    for i, c in enumerate(block.cells) if i and c)
        elif block.kind in ("list_item", "paragraph") and len(block.sentences) <= 3:
            m = _GLOSSARY_LINE.match(block.text)
            if m and _looks_like_term(m.group("term"), block.emphasis):
                term, definition = m.group("term"), m.group("definition")
        term, definition = term.strip(), definition.strip()
        if not term or not definition or is_noise(definition) or len(term.split()) > 6:
            continue
        text = f"{term} — {definition}"
        emphasised = any(term.strip("*_ ") == e.rstrip(":") for e in block.emphasis)
        fact = cloze("glossary", text, term, 0.9 if emphasised or block.kind != "paragraph" else 0.75,
                     block, block.text, block.line)
        if fact:
            facts.append(fact)
    return facts


def _looks_like_term(term: str, emphasis: tuple[str, ...]) -> bool:
    """A short noun-like label: emphasised, or Capitalised and at most four words."""
    term = term.strip()
    if any(term == e.rstrip(":").strip() for e in emphasis):
        return True
    words = term.split()
    return 0 < len(words) <= 4 and term[0].isupper() and not term.endswith(",")
