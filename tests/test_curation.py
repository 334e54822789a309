"""Curation files: reject, pin and edit generated facts; decisions survive small changes to the source."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.build.pipeline import plan_build, write_build
from generator.cli import app
from generator.config import Settings
from generator.errors import GeneratorError
from generator.select.curation import load_curation

ARTICLE = """# Cells

A ribosome is a molecular machine that builds proteins from amino acids.

A lysosome is an organelle that breaks down waste material inside the cell.

A centriole is a structure that organises the spindle during cell division.
"""
CURATION = """reject:
  - "A lysosome is an organelle that breaks down waste material inside the cell."
edit:
  - sentence: "A ribosome is a molecular machine that builds proteins from amino acids."
    cloze: "A {{c1::ribosome}} builds {{c2::proteins}} from amino acids."
  - sentence: "A centriole is a structure that organises the spindle during cell division."
    question: "What organises the spindle during cell division?"
    answer: "The centriole"
"""


def build(root: Path, now: int):  # type: ignore[no-untyped-def]
    result = plan_build([root / "src"], Settings(now=now), root / "out")
    assert not result.errors, result.errors
    write_build(result, root / "out")
    return result


def shown(result) -> dict[str, list[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return {n.source.sentence: [c.answers for c in n.cards] for notes in result.decks.values() for n in notes
            if not n.retired}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "cells.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "src" / "cells.curation.yaml").write_text(CURATION, encoding="utf-8")
    return tmp_path


def test_rejected_fact_is_gone_and_edits_give_the_wording(root: Path) -> None:
    first = build(root, 1_700_000_000)
    got = shown(first)
    assert got == {"A ribosome is a molecular machine that builds proteins from amino acids.":
                   [("ribosome",), ("proteins",)],
                   "A centriole is a structure that organises the spindle during cell division.": [("The centriole",)]}
    notes = {n.source.sentence: n for n in first.decks["Cells"]}
    ribosome = notes["A ribosome is a molecular machine that builds proteins from amino acids."]
    assert dict(ribosome.fields)["Text"] == "A {{c1::ribosome}} builds {{c2::proteins}} from amino acids."
    assert ribosome.rule == "curation"
    assert dict(notes["A centriole is a structure that organises the spindle during cell division."].fields)[
        "Question"] == "What organises the spindle during cell division?"


def test_decisions_hold_when_the_source_changes_slightly(root: Path) -> None:
    first = build(root, 1_700_000_000)
    guids = {n.source.sentence.split()[1]: n.guid for n in first.decks["Cells"]}
    text = (ARTICLE.replace("waste material", "waste").replace("builds proteins", "assembles proteins")
            .replace("organises", "organizes"))
    (root / "src" / "cells.md").write_text(text, encoding="utf-8")
    second = build(root, 1_700_086_400)
    assert sorted(shown(second)) == [
        "A centriole is a structure that organizes the spindle during cell division.",
        "A ribosome is a molecular machine that assembles proteins from amino acids."]
    notes = {n.source.sentence.split()[1]: n for n in second.decks["Cells"]}
    assert dict(notes["ribosome"].fields)["Text"] == "A {{c1::ribosome}} builds {{c2::proteins}} from amino acids."
    assert {k: n.guid for k, n in notes.items()} == guids  # the same notes, so learners keep their reviews
    assert second.report.counts()["new"] == 0


def test_pin_keeps_a_fact_selection_would_drop(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    body = "".join(f"A gadget{i} is a device that turns numbers into widgets of kind {i}.\n\n" for i in range(5))
    dropped = "In my shop a gadget7 is a device that turns numbers into widgets."  # first person: no card
    (tmp_path / "src" / "kit.md").write_text(f"# Kit\n\n{body}{dropped}\n", encoding="utf-8")
    before = set(shown(build(tmp_path, 1_700_000_000)))
    assert dropped not in before
    (tmp_path / "src" / "kit.curation.yaml").write_text(f'pin:\n  - "{dropped}"\n', encoding="utf-8")
    after = set(shown(build(tmp_path, 1_700_086_400)))
    assert dropped in after and before <= after


def test_a_decision_that_matches_nothing_is_a_warning_with_its_line(root: Path) -> None:
    (root / "src" / "cells.curation.yaml").write_text('pin:\n  - "Mitochondria make most of the ATP."\n')
    result = CliRunner().invoke(app, ["build", str(root / "src"), "-o", str(root / "out"), "-q"])
    assert result.exit_code == 0
    curation = root / "src" / "cells.curation.yaml"
    assert result.stderr == (f"warning: {curation}:2: curation: no card comes from 'Mitochondria make most of the "
                             "ATP.' any more (pin not applied)\n")


@pytest.mark.parametrize("text, line, message", [
    ("reject: [\n", 2, "bad curation file"),
    ("keep:\n  - x\n", 1, "unknown key 'keep'"),
    ("edit:\n  - sentence: s\n", 2, "edit: give either cloze, or question and answer"),
    ("edit:\n  - sentence: s\n    cloze: no deletion here\n", 2, "edit: cloze has no {{c1::...}} deletion"),
    ("pin: just text\n", 1, "pin: must be a list"),
])
def test_a_mistake_in_a_curation_file_names_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GeneratorError) as err:
        load_curation(text, "c.yaml")
    assert (err.value.line, err.value.message.startswith(message)) == (line, True), err.value


def test_a_broken_curation_file_fails_its_article_but_retires_nothing(root: Path) -> None:
    first = build(root, 1_700_000_000)
    (root / "src" / "cells.curation.yaml").write_text("keep:\n  - x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(root / "src"), "-o", str(root / "out"), "-q"])
    assert result.exit_code == 1
    assert result.stderr == \
        f"error: {root / 'src' / 'cells.curation.yaml'}:1: unknown key 'keep' (use reject, pin or edit)\n"
    second = plan_build([root / "src"], Settings(now=1_700_086_400), root / "out")
    assert second.report.counts()["retired"] == 0 and len(first.decks["Cells"]) == 2
