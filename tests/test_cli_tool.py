"""The CLI as a well-kept tool: --version, help with defaults, stdin and stdout, init, settings typos, -o,
files it does not read, stale deck files, folder sub-decks and hierarchical tags."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.config import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ARTICLE = "# Cells\n\nA ribosome is a molecular machine that builds proteins from amino acids.\n"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path


def test_version_and_completion() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("certdeck ")
    code, out, _ = run("--help")
    assert "--install-completion" in out and "--show-completion" in out and "--version" in out


@pytest.mark.parametrize("command", ["build", "plan", "lint", "preview", "push"])
def test_help_shows_defaults_and_no_bool_types(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "[default: source/]" in flat and "<bool>" not in out
    if command in ("build", "plan", "push"):
        assert "[default: decks]" in flat


def test_stdin_article_and_json_to_stdout(here: Path) -> None:
    code, out, err = run("build", "-", "-o", "out", "--json", "-", input=ARTICLE)
    assert code == 0, err
    cards = json.loads(out)  # standard output holds the JSON and nothing else
    assert cards["schema"] == "certdeck.cards/1"
    assert [n["cards"][0]["answers"] for n in cards["notes"]] == [["ribosome"]]
    assert (here / "out" / "Cells.apkg").is_file()
    # the same article again keeps its note (its saved copy has the same path every time)
    code, out2, _ = run("build", "-", "-o", "out", "--json", "-", input=ARTICLE)
    assert json.loads(out2)["notes"][0]["guid"] == cards["notes"][0]["guid"]


def test_init_makes_a_project_that_builds(here: Path) -> None:
    code, out, err = run("init", "proj")
    assert code == 0, err
    assert "created: proj/source/example.md" in out and "next: cd proj && certdeck build" in out
    text = (here / "proj" / "pyproject.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"tool": {"certdeck": {}}}  # every setting commented out
    for name in Settings.__dataclass_fields__:
        assert f"# {name.replace('_', '-')} = " in text, name
    # each commented line, uncommented, is a valid setting with its default value
    uncommented = "\n".join(line.removeprefix("# ").split("  #")[0] if " = " in line else line
                            for line in text.splitlines())
    values = tomllib.loads(uncommented)["tool"]["certdeck"]
    assert values == {n.replace("_", "-"): getattr(Settings(), n) for n in Settings.__dataclass_fields__}
    code, out, err = run("build", "proj/source", "-o", "proj/decks")
    assert code == 0, err
    assert "Example::First Aid:" in out
    cards = here / "cards.json"
    assert run("build", "proj/source", "-o", "proj/decks", "--json", str(cards), "-q")[0] == 0
    notes = json.loads(cards.read_text(encoding="utf-8"))["notes"]
    assert {n["rule"] for n in notes} >= {"markup"}
    assert all("skills::bleeding" in n["tags"] for n in notes)
    assert not [n for n in notes if "Share this page" in n["source"]["sentence"]]
    # again: nothing is overwritten
    (here / "proj" / "source" / "example.md").write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run("init", "proj")
    assert "kept: proj/source/example.md" in out and "kept: proj/pyproject.toml" in out
    assert (here / "proj" / "source" / "example.md").read_text(encoding="utf-8") == ARTICLE
    # a pyproject.toml without the table gets it appended
    (here / "other").mkdir()
    (here / "other" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    code, out, _ = run("init", "other")
    assert "appended: other/pyproject.toml" in out
    data = tomllib.loads((here / "other" / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"] == {"name": "x"} and data["tool"]["certdeck"] == {}


def test_misspelt_setting_warns_with_a_suggestion(here: Path) -> None:
    (here / "source").mkdir()
    (here / "source" / "cells.md").write_text(ARTICLE, encoding="utf-8")
    (here / "pyproject.toml").write_text('[tool.certdeck]\nparent_dek = "Bio"\nwords-per-note = 15\n',
                                         encoding="utf-8")
    code, _, err = run("build", "-q")
    assert code == 0
    assert "warning: " in err
    assert "unknown [tool.certdeck] key `parent_dek` ignored (did you mean `parent-deck`?)" in err
    assert "`words-per-note` is no longer used: there is no note budget" in err


def test_out_dir_named_like_a_package_is_an_error(here: Path) -> None:
    (here / "cells.md").write_text(ARTICLE, encoding="utf-8")
    code, _, err = run("build", "cells.md", "-o", "deck.apkg")
    assert code == 1 and err.startswith("error: deck.apkg: -o names the folder") and not (here / "deck.apkg").exists()


def test_file_certdeck_does_not_read_is_a_warning(here: Path) -> None:
    (here / "slides.pptx").write_bytes(b"PK\x03\x04 not an article")
    code, out, err = run("build", "slides.pptx", "-o", "out")
    assert code == 1 and "warning: slides.pptx: certdeck does not read .pptx files" in err
    assert "error: nothing to build" in err and "no notes" not in out
    (here / "cells.md").write_text(ARTICLE, encoding="utf-8")
    code, out, err = run("build", "slides.pptx", "cells.md", "-o", "out")
    assert code == 0 and "warning: slides.pptx" in err and "Cells: 1 notes" in out


def test_missing_source_folder_hints_init(here: Path) -> None:
    code, _, err = run("build")
    assert code == 1 and "certdeck init" in err and err.count("\n") == 1


def test_stale_deck_file_removed_only_when_its_articles_were_built(here: Path) -> None:
    src = here / "src"
    src.mkdir()
    (src / "a.md").write_text("---\ndeck: Old\n---\n" + ARTICLE, encoding="utf-8")
    (src / "b.md").write_text("---\ndeck: Other\n---\n# Nucleus\n\nThe nucleus is the organelle that holds "
                              "the DNA of a cell.\n", encoding="utf-8")
    assert run("build", "src", "-o", "out", "-q")[0] == 0
    (src / "a.md").write_text("---\ndeck: New\n---\n" + ARTICLE, encoding="utf-8")
    (src / "b.md").write_text((src / "b.md").read_text().replace("deck: Other", "deck: Other2"))
    code, out, err = run("plan", "src", "-o", "out")
    assert "warning: deck 'Old' is now 'New'" in err and "a build removes out/Old.apkg" in err
    code, out, _ = run("build", "src/a.md", "-o", "out")  # partial: b.md is not read
    assert code == 0 and "removed: out/Old.apkg (deck 'Old' is no longer built)" in out
    assert sorted(p.name for p in (here / "out").glob("*.apkg")) == ["New.apkg", "Other.apkg"]
    code, out, _ = run("build", "src", "-o", "out")
    assert code == 0 and "removed: out/Other.apkg" in out
    assert sorted(p.name for p in (here / "out").glob("*.apkg")) == ["New.apkg", "Other2.apkg"]
    (src / "b.md").unlink()  # gone from disk: its note is retired, shipped apart for learners who have it
    code, out, _ = run("build", "src/a.md", "-o", "out")
    assert code == 0 and "Other2: 1 retired notes" in out and "retired: src/b.md" in out
    assert sorted(p.name for p in (here / "out").glob("*.apkg")) == ["New.apkg", "Other2.retired.apkg"]


def test_folder_decks_and_hierarchical_tags(here: Path) -> None:
    from tests.ankiutil import collection, import_package

    (here / "source" / "biology" / "cells").mkdir(parents=True)
    (here / "source" / "top.md").write_text("# Top\n\nA gene is a unit of heredity made of DNA.\n", encoding="utf-8")
    (here / "source" / "biology" / "cells" / "ribosome.md").write_text(
        "---\ntags: [biology/cells, exam]\n---\n" + ARTICLE, encoding="utf-8")
    (here / "pyproject.toml").write_text('[tool.certdeck]\nparent-deck = "Study"\nfolder-decks = true\n',
                                         encoding="utf-8")
    code, _, err = run("build", "-o", "out", "--json", "cards.json", "-q")
    assert code == 0, err
    notes = json.loads((here / "cards.json").read_text(encoding="utf-8"))["notes"]
    assert {n["deck"] for n in notes} == {"Study::Top", "Study::biology::cells::Cells"}
    cell = next(n for n in notes if n["deck"].endswith("Cells"))
    assert "biology::cells" in cell["tags"] and "exam" in cell["tags"]
    with collection(here / "anki") as col:
        import_package(col, here / "out" / "Study__biology__cells__Cells.apkg")
        assert "biology::cells" in col.tags.all()
        assert col.decks.id_for_name("Study::biology::cells::Cells") is not None
    # off by default: the title under parent-deck, as before
    (here / "pyproject.toml").write_text('[tool.certdeck]\nparent-deck = "Study"\n', encoding="utf-8")
    assert run("build", "-o", "out2", "--json", "cards2.json", "-q")[0] == 0
    notes = json.loads((here / "cards2.json").read_text(encoding="utf-8"))["notes"]
    assert {n["deck"] for n in notes} == {"Study::Top", "Study::Cells"}
