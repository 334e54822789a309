"""The cards JSON export (schema certdeck.cards/1 in DESIGN.md): every packaged note, in document order."""
from __future__ import annotations

import json
from typing import Any, Sequence

from .model import Note

CARDS_SCHEMA = "certdeck.cards/1"


def note_to_json(note: Note) -> dict[str, Any]:
    """One note as the cards JSON describes it."""
    return {
        "guid": note.guid,
        "deck": note.deck,
        "kind": note.kind,
        "fields": dict(note.fields),
        "cards": [{"ord": c.ord, "prompt": c.prompt, "answers": list(c.answers)} for c in note.cards],
        "tags": list(note.tags),
        "source": {"path": note.source.path, "line": note.source.line, "section": list(note.source.section),
                   "sentence": note.source.sentence},
        "rule": note.rule,
        "score": note.score,
        "retired": note.retired,
    }


def cards_json(notes: Sequence[Note]) -> str:
    """The whole export as text: deterministic, UTF-8, one trailing newline."""
    doc = {"schema": CARDS_SCHEMA, "notes": [note_to_json(n) for n in notes]}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
