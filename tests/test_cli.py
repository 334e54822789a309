"""The command line: exit codes, one-line errors, output files."""
from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app

ARTICLE = "# Cells\n\nA ribosome is a molecular machine that builds proteins from amino acids.\n"


def test_build_reports_each_deck_and_writes_lock(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "cells.md").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "src"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Cells: 1 notes, 1 cards -> {tmp_path / 'out' / 'Cells.apkg'}\n"
    assert (tmp_path / "out" / "certdeck.lock.json").is_file()
    leftovers = [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".") and p.name != ".certdeck-cache"]
    assert not leftovers  # no temp files left


def test_undecodable_file_is_one_error_line_and_others_still_build(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(ARTICLE, encoding="utf-8")
    (src / "b.md").write_bytes(b"# Bin\x00\x01\x02\xff")
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"error: {src / 'b.md'}: binary file, not text\n"
    assert (tmp_path / "out" / "Cells.apkg").is_file()


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such file or folder\n"


def test_bad_front_matter_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ndeck: [unclosed\n---\n# T\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "bad.md"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'bad.md'}:")
    assert result.stderr.count("\n") == 1


def test_json_export_has_every_contract_key(tmp_path: Path) -> None:
    (tmp_path / "cells.md").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cards.json"
    assert CliRunner().invoke(app, ["build", str(tmp_path / "cells.md"), "-o", str(tmp_path / "o"),
                                    "--json", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "certdeck.cards/1"
    note = data["notes"][0]
    assert set(note) >= {"guid", "deck", "kind", "fields", "cards", "tags", "source", "rule", "score", "retired"}
    assert set(note["source"]) == {"path", "line", "section", "sentence"}
    assert note["cards"] == [{"ord": 1, "prompt": "(Cells) A [...] is a molecular machine that builds proteins "
                              "from amino acids.", "answers": ["ribosome"]}]
    assert note["source"]["line"] == 3


def test_articles_with_the_same_deck_go_into_one_deck(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"---\ndeck: Shared::Deck\n---\n# {name}\n\n"
                                            f"A {name}widget is a device that turns {name} into cards.\n")
    result = CliRunner().invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert result.stdout == f"Shared::Deck: 2 notes, 2 cards -> {tmp_path / 'out' / 'Shared__Deck.apkg'}\n"


def test_bad_option_values_get_typers_own_messages(tmp_path: Path) -> None:
    for value in ("-1", "many", ""):
        result = CliRunner().invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", value])
        assert result.exit_code == 2 and "Invalid value" in result.output, (value, result.output)


def test_build_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    # start-up time: a build of a plain article imports genanki without asyncio, and leaves the preview's
    # and code highlighting's modules alone (Typer's own imports are Typer's: pydantic in 0.29). The build
    # does use lint's card checks: its last gate keeps any card lint would flag from a learner.
    import subprocess
    import sys

    (tmp_path / "cells.md").write_text(ARTICLE, encoding="utf-8")
    script = ("import sys\nfrom generator.cli import app\n"
              f"try:\n    app(['build', {str(tmp_path / 'cells.md')!r}, '-o', {str(tmp_path / 'out')!r}, '-q'])\n"
              "except SystemExit as done:\n    assert not done.code, done.code\n"
              "print(' '.join(sorted(sys.modules)))\n")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(root)})
    loaded = set(done.stdout.split())
    assert (tmp_path / "out" / "Cells.apkg").is_file()
    assert "genanki" in loaded and "generator.build.pipeline" in loaded  # the check sees the build's imports
    assert "generator.lint" in loaded
    unused = ["pygments", "generator.notes.preview"]
    if "pydantic" not in loaded:  # Typer 0.29 converts options through pydantic, which imports asyncio
        unused.append("asyncio")
    for name in unused:
        assert name not in loaded, name
