"""`certdeck lint`: each card-quality rule is reported with its rule name and source line; --strict fails."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app
from generator.lint import lint_notes
from generator.model import CardView, Note, SourceRef

# Author markup is kept as written (it is pinned), so it is how a test gets cards that break the rules.
BAD = """# Sky Facts

Q: Is the sky blue?
A: Yes

Q: What colours make up white light
A: red, orange, yellow, green, blue and violet

It scatters {{c1::blue light}} more than red light, which is why blue light fills the sky.

Q: What does the ozone layer do?
A: It absorbs most of the ultraviolet light that reaches the upper atmosphere from the sun each day
"""
GOOD = "# Cells\n\nA ribosome is a molecular machine that builds proteins from amino acids.\n"


def _lint(tmp_path: Path, text: str, *flags: str) -> tuple[int, list[str]]:
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["lint", str(tmp_path / "a.md"), *flags])
    return result.exit_code, result.stdout.splitlines()


def test_lint_names_each_rule_and_the_source_line(tmp_path: Path) -> None:
    code, lines = _lint(tmp_path, BAD)
    assert code == 0  # without --strict, problems are reported but do not fail
    path = tmp_path / "a.md"
    found = {(ln.split(": ")[0], ln.split(": ")[1]) for ln in lines[:-1]}
    assert (f"{path}:4", "yes-no-question") in found
    assert (f"{path}:6", "set-answer") in found
    assert (f"{path}:6", "no-question-mark") in found
    assert (f"{path}:9", "answer-in-prompt") in found
    assert (f"{path}:9", "pronoun-led") in found
    assert (f"{path}:12", "answer-too-long") in found
    assert lines[-1] == "4 notes checked, 6 problems"


def test_strict_exits_non_zero_only_when_a_rule_is_broken(tmp_path: Path) -> None:
    assert _lint(tmp_path, BAD, "--strict")[0] == 1
    code, lines = _lint(tmp_path, GOOD, "--strict")
    assert code == 0 and lines == ["1 notes checked, 0 problems"]


def test_the_seed_article_passes_strict_lint(root: Path) -> None:
    result = CliRunner().invoke(app, ["lint", str(root / "source"), "--strict"])
    assert result.exit_code == 0, result.stdout


def _note(prompt: str, answer: str, line: int, path: str = "x.md") -> Note:
    return Note(
        kind="cloze",
        deck="D",
        fields=(),
        cards=(CardView(1, prompt, (answer,)),),
        tags=(),
        source=SourceRef(path, line, (), prompt),
        rule="claim",
        score=0.5,
        key=f"k{line}",
    )


def test_duplicate_cards_point_at_the_first_one() -> None:
    notes = [
        _note("The [...] absorbs ultraviolet light.", "ozone layer", 3, "a.md"),
        _note("The [...] absorbs ultraviolet light.", "ozone layer", 7, "b.md"),
    ]
    problems = lint_notes(notes)
    assert [(p.path, p.line, p.rule) for p in problems] == [("b.md", 7, "duplicate")]
    assert "a.md:3" in problems[0].message


def test_long_prompt_and_empty_answer_are_reported() -> None:
    long_prompt = "(Cue) " + " ".join(["word"] * 45) + " [...]."
    rules = {p.rule for p in lint_notes([_note(long_prompt, "the", 1)])}
    assert rules == {"prompt-too-long", "empty-answer"}
