"""The whole pipeline on bytes, in memory, and the checks every output must pass (fuzzers and properties).

`build_bytes` does what `certdeck build` does for one article (decode, front matter, parse, extract,
select, notes, identity, cards JSON) without touching the disk; `check_output` asserts the cards JSON is
valid and every field of every note is safe (tests/safety.py).
"""
from __future__ import annotations

import json
from typing import Any

from generator.build.article import checked_notes, parse_source
from generator.config import Settings
from generator.errors import GeneratorError
from generator.identity.match import assign_identity
from generator.package.export import cards_json
from generator.read.sources import source_from_bytes
from tests.safety import unsafe_html

SETTINGS = Settings(now=1_700_000_000)
KINDS = {"cloze": ("Text", "Extra", "Context", "Sentence", "Source"),
         "qa": ("Question", "Answer", "Extra", "Context", "Sentence", "Source")}


def build_bytes(data: bytes, name: str = "fuzz.md") -> tuple[str, list[str]]:
    """(cards JSON text, problems as `error:`/`warning:` lines) for one article given as bytes."""
    problems: list[str] = []
    try:
        source = source_from_bytes(data, name, plain=name.endswith(".txt"), limit=SETTINGS.article_limit())
        problems += [f"warning: {w}" for w in source.warnings]
        notes: list[Any] = []
        if source.text:
            doc = parse_source(source)
            problems += [f"warning: {w}" for w in doc.warnings]
            notes, _missed, errors = checked_notes(doc, SETTINGS, None, None)
            problems += [f"error: {e}" for e in errors]
    except GeneratorError as err:
        problems.append(f"error: {err}")
        notes = []
    stamped, _, _ = assign_identity(notes, {}, SETTINGS.build_time(), lambda _path: True)
    return cards_json(stamped), problems


def check_output(text: str, problems: list[str]) -> None:
    """Valid cards JSON with every contract key; every field safe; every problem one line."""
    data = json.loads(text)
    assert data["schema"] == "certdeck.cards/1"
    guids = set()
    for note in data["notes"]:
        assert set(note) >= {"guid", "deck", "kind", "fields", "cards", "tags", "source", "rule", "score",
                             "retired"}, note.keys()
        assert note["kind"] in KINDS
        assert tuple(note["fields"]) == KINDS[note["kind"]]
        assert set(note["source"]) == {"path", "line", "section", "sentence"}
        assert isinstance(note["source"]["line"], int) and note["source"]["line"] >= 1
        assert note["cards"] and all(isinstance(c["prompt"], str) for c in note["cards"])
        assert note["guid"] not in guids
        guids.add(note["guid"])
        for name, value in note["fields"].items():
            bad = unsafe_html(value, cloze=(name == "Text" and note["kind"] == "cloze"))
            assert not bad, (name, value, bad)
    for line in problems:
        assert "\n" not in line and line.startswith(("error: ", "warning: ")), line
