"""`certdeck explain` says, per sentence or block, which card it became or what dropped it; builds warn when
most of an article is skipped or it gives no card; the drop tracing costs nothing when nobody listens."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app
from generator.config import Settings
from generator.explain import explain_file
from generator.extract.trace import collecting, record_drop, tracing

ARTICLE = """# First Aid Basics

## Bleeding

A tourniquet is a band that stops the blood flow to an injured limb.

Direct pressure is the first way to stop most bleeding.

Bandages come in many colours and sizes.

<!-- certdeck: skip -->
A splint is a rigid support that keeps a broken bone still.

Subscribe to our newsletter for weekly safety tips.

Who wouldn't want to stay safe, right?

It helps a lot when you stay calm.

Blood loss of 40 percent of the total volume is life threatening.

## Examples

Shock is a condition in which the organs do not get enough blood flow.
"""
CURATION = 'reject:\n  - "Bandages come in many colours and sizes."\n'
# Most of the words sit in sections that are skipped (examples and practice questions).
EXAMPLES_TITLE = """# Sorting: Definition, Examples, and Exam Tips

A stable sort keeps equal keys in their original order.

## Examples

Merge sort splits the list in half, sorts each half and merges the two sorted halves back together again.
Insertion sort takes each element in turn and moves it left until the element before it is no larger.
Quick sort picks a pivot, puts smaller elements before it and larger ones after it, then sorts both parts.

## Practice questions

Which of these sorts is stable when two records share the same key and the input is already sorted?
"""
ANECDOTES = """# How I Passed

I studied every evening after work for three months.

My cat sat on my notes most nights, which was not helpful.
"""


def _article(tmp_path: Path, text: str = ARTICLE, name: str = "first-aid.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if text is ARTICLE:
        (tmp_path / "first-aid.curation.yaml").write_text(CURATION, encoding="utf-8")
    return path


def _explain(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["explain", *args])
    return result.exit_code, result.stdout, result.stderr


def _block(out: str, line: int) -> str:
    """The lines `explain` prints for the unit at `line`: its header and the indented lines under it."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if f".md:{line}: " in ln and not ln.startswith(" "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])


def test_each_sentence_says_its_card_or_what_dropped_it(tmp_path: Path) -> None:
    code, out, _ = _explain(str(_article(tmp_path)))
    assert code == 0
    tourniquet = _block(out, 5)
    assert "card (definition, score 0.80, cloze): (First Aid Basics › Bleeding) A [...] is a band" in tourniquet
    assert "-> tourniquet" in tourniquet
    assert "not kept: duplicate of the definition card from line 5" in tourniquet
    assert "curation: rejected (" in _block(out, 9) and "first-aid.curation.yaml:2)" in _block(out, 9)
    assert "excluded by the author" in _block(out, 12)
    assert "no card: boilerplate" in _block(out, 14)
    assert "no card: a question or exclamation" in _block(out, 16)
    assert "no card: opens with a pronoun" in _block(out, 18)
    assert "no card: section 'Examples'" in _block(out, 24)
    assert out.splitlines()[-1].endswith("first-aid.md: 3 notes")


def test_a_line_shows_only_what_starts_there_or_spans_it(tmp_path: Path) -> None:
    path = _article(tmp_path)
    code, out, _ = _explain(f"{path}:9")
    assert code == 0
    units = [ln for ln in out.splitlines() if ln.startswith(str(path) + ":")]
    assert units == [f"{path}:9: paragraph: 'Bandages come in many colours and sizes.'", f"{path}: 3 notes"]


def test_below_the_score_threshold_names_both_numbers(root: Path) -> None:
    explained = explain_file(root / "source" / "peer-support-empathy.md", Settings())
    reasons = [d.reason for v in explained.verdicts for d in v.drops if d.rule and not v.notes]
    assert any(r.startswith("below the score threshold (0.") and r.endswith(" < 0.40)") for r in reasons), reasons


def test_explain_reports_the_cards_a_build_makes(tmp_path: Path, root: Path) -> None:
    seed = root / "source" / "peer-support-empathy.md"
    explained = explain_file(seed, Settings())
    out = tmp_path / "cards.json"
    result = CliRunner().invoke(app, ["build", str(seed), "-o", str(tmp_path / "decks"), "--json", str(out), "-q"])
    assert result.exit_code == 0
    built = [c["prompt"] for n in json.loads(out.read_text())["notes"] for c in n["cards"]]
    shown = [c.prompt for v in explained.verdicts for n in v.notes for c in n.cards]
    assert sorted(shown) == sorted(built)  # every card, each placed on exactly one sentence


def test_bad_targets_are_one_error_line(tmp_path: Path) -> None:
    code, _, err = _explain(str(tmp_path / "missing.md"))
    assert code == 1 and err.startswith("error: ") and "missing.md" in err and len(err.splitlines()) == 1
    path = _article(tmp_path)
    code, _, err = _explain(f"{path}:999")
    assert code == 0 or err.startswith("error: ")  # past the end: the last block spans it, or one error line
    code, _, err = _explain(f"{path}:0")
    assert code == 1 and err == f"error: {path}:0: no sentence or block starts at or spans this line\n"


def test_build_warns_when_most_text_is_skipped_and_when_no_card_comes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, EXAMPLES_TITLE, "sorting.md")
    _article(src, ANECDOTES, "story.md")
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "out")])
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: ")]
    sorting, story = src / "sorting.md", src / "story.md"
    skipped = [w for w in warnings if w.startswith(f"warning: {sorting}: ") and "of the text skipped" in w]
    assert len(skipped) == 1, warnings
    assert "(section 'Examples' " in skipped[0] and ", section 'Practice questions' " in skipped[0]
    share = int(skipped[0].split(": ", 2)[2].split("%")[0])
    assert share > 50
    assert f"warning: {story}: no cards: 0 sentences looked like facts worth recalling" in warnings


def test_an_article_with_cards_and_little_skipped_has_no_warning(tmp_path: Path, root: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(root / "source"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0 and "warning:" not in result.stderr


def test_tracing_is_off_unless_a_collector_listens() -> None:
    assert not tracing()
    record_drop(3, "text", "filter", "dropped %d", 1)  # no collector: nothing to record into, nothing raised
    with collecting() as outer:
        assert tracing()
        record_drop(3, "Some text.", "filter", "dropped %d", 1)
        with collecting(blocks_only=True) as joined:  # a build inside explain joins explain's collector
            record_drop(4, "More text.", "filter", "again")
        assert joined is outer
    assert not tracing()
    assert [(d.line, d.reason) for d in outer.drops] == [(3, "dropped 1"), (4, "again")]
    with collecting(blocks_only=True) as build_only:
        record_drop(5, "Sentence.", "filter", "a sentence drop")  # a build's own watch keeps only block drops
    assert build_only.drops == []


def test_author_comments_and_the_text_they_exclude_say_so(tmp_path: Path) -> None:
    text = ("# Cells\n\n<!-- certdeck: off -->\n\nThe nucleus is a sealed box in the cell.\n\n<!-- certdeck: on -->\n\n"
            "A ribosome is a molecular machine that builds proteins.\n")
    code, out, _ = _explain(str(_article(tmp_path, text, "cells.md")))
    assert code == 0
    assert "no card: a certdeck comment (it acts on the text after it)" in _block(out, 3)
    assert "excluded by the author (<!-- certdeck: skip --> or off)" in _block(out, 5)
    assert "card (definition" in _block(out, 9)
