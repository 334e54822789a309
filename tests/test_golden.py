"""Golden files: reviewed expectations of the notes each fixture article gives.

Each `golden/<rule>/<case>.md` has `<case>.cards.json` (regenerate with UPDATE_GOLDEN=1 only after reading
the diff) and may have `<case>.expect.json` with hand-written must-have (prompt fragment, answer) pairs and
must-not-have texts, which hold whatever the golden file says.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.build.article import notes_for, parse_source
from generator.config import Settings
from generator.package.export import note_to_json
from generator.read.sources import read_source

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.rglob("*") if p.suffix in (".md", ".txt"))


def _notes(path: Path) -> list[dict]:
    doc = parse_source(read_source(path, f"{path.parent.name}/{path.name}"))
    return [note_to_json(n) for n in notes_for(doc, Settings(now=1))]


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(case: Path) -> None:
    got = json.dumps(_notes(case), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    want = case.with_suffix(".cards.json")
    if os.environ.get("UPDATE_GOLDEN"):
        want.write_text(got, encoding="utf-8")
    assert want.exists(), f"no golden file {want.name}: run with UPDATE_GOLDEN=1 and review it"
    assert got == want.read_text(encoding="utf-8")


EXPECTS = sorted(GOLDEN.rglob("*.expect.json"))


@pytest.mark.parametrize("expect", EXPECTS, ids=lambda p: f"{p.parent.name}/{p.name.split('.')[0]}")
def test_must_have_and_must_not_have(expect: Path) -> None:
    spec = json.loads(expect.read_text(encoding="utf-8"))
    stem = expect.name.split(".")[0]
    case = next(p for p in expect.parent.iterdir() if p.stem == stem and p.suffix in (".md", ".txt"))
    cards = [(c["prompt"], a) for n in _notes(case) for c in n["cards"] for a in c["answers"]]
    if "count" in spec:
        assert len(cards) == spec["count"], cards
    for prompt_part, answer in spec.get("must_have", []):
        assert any(prompt_part in p and answer == a for p, a in cards), (prompt_part, answer, cards)
    for text in spec.get("must_not_have", []):
        assert not any(text in p or text in a for p, a in cards), (text, cards)
