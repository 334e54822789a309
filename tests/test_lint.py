"""`certdeck lint`: each card-quality rule is reported with its rule name and source line; --strict fails."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.lint import RULES, card_problems, lint_notes
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


# One bad card each rule flags and one good card it does not: (rule, kind, bad prompt, bad answers,
# good prompt, good answers). Every defect class of the project's evaluator has a row.
CASES = [
    ("empty-answer", "cloze", "Blood flows [...] the heart.", ("into the",),
     "Blood flows into the [...].", ("heart",)),
    ("answer-too-long", "qa", "What does the liver do?",
     ("It filters the blood, stores sugar, makes bile and breaks down most of the drugs we take",),
     "What does the liver make?", ("bile",)),
    ("prompt-too-long", "cloze", " ".join(["word"] * 41) + " [...].", ("ozone",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("boilerplate", "cloze", "Posted by Dana | 6 min read: [...] absorbs light.", ("ozone",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("boilerplate", "cloze", "[...] to get the latest exam news.", ("Subscribe",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("rhetorical", "cloze", "Trust, my friends, is the [...] of support.", ("cornerstone",),
     "Trust is the [...] of peer support.", ("cornerstone",)),
    ("pronoun-led", "cloze", "(Trust) It is the [...] of peer support.", ("cornerstone",),
     "(Trust) Trust is the [...] of peer support.", ("cornerstone",)),
    ("pronoun-led", "cloze", "(Trust) They’re the [...] of peer support.", ("cornerstone",),
     "(Trust) Therapists are the [...] of peer support.", ("cornerstone",)),
    ("answer-in-prompt", "cloze", "The ozone layer ([...]) absorbs ultraviolet light.", ("ozone layer",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("answer-in-prompt", "cloze", "Since v2 you define the provider version: [...] is advised.",
     ("Defining provider versions",),
     "Since v2 you pin the release: [...] is advised.", ("Defining provider versions",)),
    ("answer-in-prompt", "cloze", "Adults have twenty ([...]) baby teeth replaced.", ("20",),
     "Children have [...] baby teeth.", ("20",)),
    ("set-answer", "qa", "Which colours make up white light?", ("red, orange, yellow, green and blue",),
     "Which colour scatters most in air?", ("blue",)),
    ("set-answer", "cloze", "[...], [...], [...] and [...] are noble gases.", ("Helium", "Neon", "Argon", "Krypton"),
     "[...] is the lightest noble gas.", ("Helium",)),
    ("restated-beside-gap", "cloze", "A fever starts at [...] (100.4 °F).", ("38 °C",),
     "A fever starts at [...] measured by mouth.", ("38 °C",)),
    ("gap-splits-word", "cloze", "Run [...]ehost to rename the machine.", ("R",),
     "Run [...] to rename the machine.", ("hostnamectl",)),
    ("one-letter-answer", "cloze", "Vitamin [...] is made in the skin.", ("D",),
     "Vitamin D is made in the [...].", ("skin",)),
    ("navigation", "cloze", "Home > Docs > Tasks > [...] networking.", ("Configure",),
     "A [...] joins two networks.", ("router",)),
    ("answer-ends-in-verb", "cloze", "[...] at Layer 3 of the OSI model.", ("Routers operate",),
     "Routers operate at [...] of the OSI model.", ("Layer 3",)),
    ("label-answer", "cloze", "Risk management is covered in [...].", ("Domain 2",),
     "Risk is the product of likelihood and [...].", ("impact",)),
    ("label-answer", "cloze", "[...]: Evaluate and deliver project benefits.", ("ECO Task",),
     "[...]: the value a project delivers once it ends.", ("Benefits realization",)),
    ("label-answer", "cloze", "Subnetting is task [...] of the blueprint.", ("6.1",),
     "A /24 network has [...] usable hosts.", ("254",)),
    ("junk-in-answer", "qa", "What should you check first?", ("Think: airway first",),
     "What should you check first?", ("the airway",)),
    ("junk-in-answer", "cloze", "Which model bills per use? A) Fixed fee; [...]; C) Free tier.", ("B) Pay as you go",),
     "The cloud model that bills per use is [...].", ("pay as you go",)),
    ("answer-in-prompt", "cloze", "Lines must be exact copies of the original: no [...] may differ.", ("copy",),
     "Lines must match the original: no [...] may differ.", ("character",)),
    ("answer-ends-in-verb", "cloze", "A [...] at Layer 3.", ("router is",),
     "You pay only for the [...].", ("resources you use",)),
    ("junk-in-answer", "cloze", "The motto is [...] everything.", ("“Check",),
     "The motto is [...] everything.", ("“Check”",)),
    ("cloze-without-gap", "cloze", "The ozone layer absorbs ultraviolet light.", ("ozone",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("gap-too-wide", "cloze", "[...] light.", ("The ozone layer absorbs ultraviolet",),
     "The [...] absorbs ultraviolet light.", ("ozone layer",)),
    ("no-question-mark", "qa", "What does the ozone layer absorb", ("ultraviolet light",),
     "What does the ozone layer absorb?", ("ultraviolet light",)),
    ("no-question-word", "qa", "The ozone layer absorbs?", ("ultraviolet light",),
     "Which light does the ozone layer absorb?", ("ultraviolet light",)),
    ("yes-no-question", "qa", "Is the sky blue?", ("Yes",),
     "What colour is the sky?", ("blue",)),
    ("yes-no-question", "qa", "What do you say when asked if ozone absorbs UV?", ("Yes, it does",),
     "What does ozone absorb?", ("UV light",)),
]


@pytest.mark.parametrize("rule, kind, bad, bad_answers, good, good_answers", CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_each_rule_flags_its_bad_card_and_not_a_good_one(rule: str, kind: str, bad: str, bad_answers: tuple,
                                                        good: str, good_answers: tuple) -> None:
    assert rule in {r for r, _ in card_problems(kind, bad, bad_answers)}
    assert rule not in {r for r, _ in card_problems(kind, good, good_answers)}


def test_every_rule_has_a_case() -> None:
    assert {c[0] for c in CASES} | {"duplicate"} == set(RULES)


def test_the_same_answer_asked_twice_of_one_sentence_is_a_duplicate() -> None:
    sentence = "Blood returns to the heart through the vena cava, a large vein."
    a = replace(_note("[...]: a large vein that carries blood.", "vena cava", 6),
                source=SourceRef("x.md", 6, (), sentence))
    b = replace(_note("Blood returns to the heart through the [...].", "vena cava", 6),
                source=SourceRef("x.md", 6, (), sentence), key="other")
    c = replace(_note("Blood returns to the [...] through the vena cava.", "heart", 6),
                source=SourceRef("x.md", 6, (), sentence), key="third")
    problems = lint_notes([a, b, c])
    assert [(p.line, p.rule) for p in problems] == [(6, "duplicate")]
    assert "vena cava" in problems[0].message
