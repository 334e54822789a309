"""The cards JSON export (schema certdeck.cards/1 in DESIGN.md): every packaged note, in document order."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Note

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


def cards_json(notes: Iterable[Note]) -> str:
    """The whole export as text: deterministic, UTF-8, one trailing newline."""
    return "".join(cards_json_chunks(notes))


def cards_json_chunks(notes: Iterable[Note]) -> Iterator[str]:
    """cards_json in pieces, a note at a time: what `json.dumps(doc, indent=1, ensure_ascii=False)` gives for
    the whole document, without holding all of it (or every note's dict) at once."""
    yield f'{{\n "schema": {json.dumps(CARDS_SCHEMA)},\n "notes": ['
    first = True
    for note in notes:
        # A note sits two levels deep; JSON strings hold no raw line break, so every "\n" is indentation's.
        text = json.dumps(note_to_json(note), indent=1, ensure_ascii=False).replace("\n", "\n  ")
        yield ("\n  " if first else ",\n  ") + text
        first = False
    yield "]\n}\n" if first else "\n ]\n}\n"
