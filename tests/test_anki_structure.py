"""Structure kept, as real Anki shows it: a list note's items are list items, an exercise asks its task and
answers with the command, a marked multiple-choice question answers with its option (official anki package)."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app
from tests.ankiutil import collection, import_package, rendered_cards

ARTICLE = """# Shell Drills

## Stages

The build has four stages:

- Fetch
- Compile
- Test
- Package

## Task 1: Manage accounts

Create the following accounts:
- A group named auditors
- A user maria who belongs to auditors as a secondary group

<details><summary>Solution</summary>

```bash
groupadd auditors
useradd -G auditors maria
```

</details>

## Quiz

Q1. Which command prints the kernel release?

A) uname -a
B) uname -r
C) lsmod

Answer: B
"""


def test_lists_exercises_and_choices_render_as_built(tmp_path: Path) -> None:
    src, out, cards_json = tmp_path / "src", tmp_path / "decks", tmp_path / "cards.json"
    src.mkdir()
    (src / "drills.md").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(out), "--json", str(cards_json), "-q"])
    assert result.exit_code == 0, result.output
    notes = json.loads(cards_json.read_text(encoding="utf-8"))["notes"]
    with collection(tmp_path / "anki") as col:
        import_package(col, out / "Shell_Drills.apkg")
        cards = rendered_cards(col)
    stage = [c for c in cards if "The build has four stages" in c["question"]]
    assert len(stage) == 4  # one card per item
    for card in stage:
        assert card["question_html"].count("<li>") == 4  # the items stay items: a list, not one line
        assert "Fetch; Compile" not in card["question"]
    asked = {c["question"].split("\n----\n")[0]: c["answer"] for c in cards}
    group = next(q for q in asked if "How do you create a group named auditors?" in q)
    assert "groupadd auditors" in asked[group] and "groupadd" not in group
    user = next(q for q in asked if "create a user maria who belongs to auditors" in q)
    assert "useradd -G auditors maria" in asked[user]
    quiz = next(q for q in asked if "Which command prints the kernel release?" in q)
    assert "uname -r" in asked[quiz] and "uname -a" not in asked[quiz]
    assert not any("lsmod" in q for q in asked)  # options are no cards of their own
    by_rule = {n["rule"] for n in notes}
    assert {"list", "exercise", "mcq"} <= by_rule
