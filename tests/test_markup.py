"""Author markup: clozes, highlights, Q:/A: pairs and skip comments; they beat automatic facts."""
from __future__ import annotations

import re

from generator.build.article import build_cards
from generator.parse.markdown import parse_markdown


def cards(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(rule, prompt without its context cue, answers) of every card."""
    return [(n.rule, re.sub(r"^\([^)]*\) ", "", c.prompt), c.answers) for n in build_cards(text, "t.md")
            for c in n.cards]


def test_cloze_with_hint_and_highlight_make_one_note_with_numbered_cards() -> None:
    notes = build_cards("# Cells\n\nThe {{c1::nucleus::organelle}} holds the DNA, and ==mitochondria== make ATP.\n",
                        "t.md")
    assert len(notes) == 1 and notes[0].rule == "markup"
    assert dict(notes[0].fields)["Text"] == \
        "The {{c1::nucleus::organelle}} holds the DNA, and {{c2::mitochondria}} make ATP."
    assert [(c.ord, c.prompt, c.answers) for c in notes[0].cards] == [
        (1, "(Cells) The [...: organelle] holds the DNA, and mitochondria make ATP.", ("nucleus",)),
        (2, "(Cells) The nucleus holds the DNA, and [...] make ATP.", ("mitochondria",))]  # prompts: DESIGN.md
    assert notes[0].source.sentence == "The nucleus holds the DNA, and mitochondria make ATP."


def test_markup_beats_an_automatic_fact_on_the_same_sentence() -> None:
    got = cards("# Cells\n\nA {{c1::ribosome}} is a molecular machine that builds proteins from amino acids.\n")
    assert got == [("markup", "A [...] is a molecular machine that builds proteins from amino acids.",
                    ("ribosome",))]
    assert not any("{{" in p or "==" in p for _, p, _ in cards("# Cells\n\n- **Ribosome**: a ==machine== that builds"
                                                                " proteins from amino acids\n"))


def test_question_and_answer_in_one_paragraph_or_two() -> None:
    text = ("# Cells\n\nQ: What carries amino acids to the ribosome?\nA: Transfer RNA\n\n"
            "Q: What is the outer boundary of a cell?\n\nA: The plasma membrane\n\n"
            "- Q: Where is DNA kept?\n  A: In the nucleus\n")
    assert cards(text) == [
        ("markup", "What carries amino acids to the ribosome?", ("Transfer RNA",)),
        ("markup", "What is the outer boundary of a cell?", ("The plasma membrane",)),
        ("markup", "Where is DNA kept?", ("In the nucleus",))]


def test_skip_comments_exclude_a_block_a_section_or_a_stretch() -> None:
    text = """# Cells

<!-- certdeck: skip -->
A lysosome is an organelle that digests waste inside the cell.

- A vacuole is a sac that stores water in plant cells.

<!-- certdeck: skip -->
## Trivia

A golgi apparatus is an organelle that packages proteins for export.

### Deeper

A vesicle is a small sac that carries proteins around the cell.

## Kept

<!-- certdeck: off -->
A centrosome is a structure that organises microtubules.

{{c1::Chloroplasts}} capture light energy in plant cells.
<!-- certdeck: on -->
A ribosome is a molecular machine that builds proteins from amino acids.
"""
    answers = [a for _, _, ans in cards(text) for a in ans]
    assert answers == ["vacuole", "ribosome"]


def test_no_quota_the_cards_follow_the_facts() -> None:
    """No per-words budget: forty definitions give forty cards, and the author's cards come on top."""
    auto = "".join(f"A gadget{i} is a device that turns numbers into widgets of kind {i}.\n\n" for i in range(40))
    marked = "".join(f"The {{{{c1::part{i}}}}} is fitted at step {i} of the assembly.\n\n" for i in range(6))
    notes = build_cards("# Kit\n\n" + auto + marked, "t.md")
    assert sum(n.rule == "markup" for n in notes) == 6
    assert sum(n.rule != "markup" for n in notes) == 40


def test_an_answer_of_several_sentences_asks_the_first() -> None:
    text = ("==========\nSHORING\nSHORING\n==========\n\n"
            "Q: What holds a hydraulic shore in place?\nA: Trench pins. They stop the shore from sliding.\n")
    doc = parse_markdown(text, "s.md")
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["SHORING"]
    notes = build_cards(text, "s.md")
    assert [(n.cards[0].answers, dict(n.fields).get("Extra")) for n in notes] == [
        (("Trench pins",), "They stop the shore from sliding.")]
