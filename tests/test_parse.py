"""Parsing: blocks, sections, sentences and 1-based lines."""
from __future__ import annotations

from generator.parse.markdown import parse_markdown
from generator.text import split_sentences

MD = """# Title

## Part One

First sentence here. Second one
spans a line.

- item **bold term**: its meaning
- second item

| Term | Meaning |
|---|---|
| Alpha | the first |

> A quoted line.
"""


def test_blocks_have_kinds_sections_and_lines() -> None:
    doc = parse_markdown(MD, "t.md")
    kinds = [(b.kind, b.line) for b in doc.blocks]
    assert kinds == [("heading", 1), ("heading", 3), ("paragraph", 5), ("list_item", 8), ("list_item", 9),
                     ("table_row", 13), ("quote", 15)]
    para = doc.blocks[2]
    assert para.section == ("Title", "Part One")
    assert [(s.text, s.line) for s in para.sentences] == [("First sentence here.", 5),
                                                          ("Second one spans a line.", 5)]
    assert doc.blocks[3].emphasis == ("bold term",)
    assert doc.blocks[5].cells == ("Alpha", "the first") and doc.blocks[5].header == ("Term", "Meaning")


def test_sentence_split_keeps_abbreviations() -> None:
    got = [s for _, s in split_sentences("Dr. Lee works at the U.S. office. She is e.g. kind. Next one.")]
    assert got == ["Dr. Lee works at the U.S. office.", "She is e.g. kind.", "Next one."]


def test_callout_markers_and_math_annotations_are_not_words() -> None:
    text = ("# Transfusion\n\n>[!WARNING] Check the unit twice.\n\n"
            'Voltage <math><semantics><mi>V</mi><annotation encoding="StarMath 5.0"> size 12{V} {}'
            "</annotation></semantics></math> drives current.\n")
    doc = parse_markdown(text, "t.md")
    quote, para = [b for b in doc.blocks if b.kind != "heading"]
    assert quote.text.startswith("Warning:") and "[!" not in quote.text
    assert "size 12" not in para.text and para.line == 5


def test_wiki_links_read_as_their_words() -> None:
    text = "# Phlebotomy\n\nA [[Cards/Tourniquet|tourniquet]] makes [[Veins]] visible. ![[arm.png]]\n"
    para = next(b for b in parse_markdown(text, "p.md").blocks if b.kind == "paragraph")
    assert para.text == "A tourniquet makes Veins visible."


def test_keycap_numbers_are_markers_not_words() -> None:
    text = "# Java OOP\n\n## 1️⃣4️⃣ What is encapsulation?\n\n7️⃣ Encapsulation hides state behind methods.\n"
    blocks = parse_markdown(text, "j.md").blocks
    assert [b.text for b in blocks[1:]] == ["What is encapsulation?", "Encapsulation hides state behind methods."]
