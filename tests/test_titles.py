"""A deck's title: never a screen reader's skip link, a site's menu bar or an exercise's first question."""
from __future__ import annotations

from generator.parse.markdown import parse_markdown
from generator.parse.pasted import pasted_to_markdown


def test_first_heading_names_the_deck() -> None:
    assert parse_markdown("# Heat Pumps\n\nA heat pump moves heat.\n", "notes.md").title == "Heat Pumps"


def test_exercise_notes_are_named_by_their_file() -> None:
    text = "### [1] What is a heat pump? Explain.\n\nA heat pump moves heat from a cold place to a warm one.\n"
    assert parse_markdown(text, "source/hvac-questions.md").title == "hvac questions"
    text = "## Q1. Which valve reverses the flow?\n\nThe reversing valve does.\n"
    assert parse_markdown(text, "source/valves.md").title == "valves"


def test_menu_bar_and_skip_link_are_not_the_title() -> None:
    page = (
        "Skip to main content\n\nJo's Study Blog\n\nAbout Writeups Contact\n\nHVAC Refrigerant Basics\n\n"
        "The compressor raises the pressure and temperature of the refrigerant vapor.\n"
    )
    markdown = pasted_to_markdown(page, "web_hvac")
    assert "Skip to main content" not in markdown
    assert parse_markdown(markdown, "web_hvac.txt").title == "HVAC Refrigerant Basics"


def test_a_pasted_page_title_is_found_by_the_file_name_in_other_forms() -> None:
    from generator.parse.pasted import pasted_to_markdown

    page = ("ExamGuides Free Exam Prep\n\nHVAC\n\nMedical Coding\n\n"
            "Refrigerant Types & Regulations: EPA 608 Exam Study Guide\n\n"
            "Refrigerants are classified by their chemical composition and environmental properties.\n")
    markdown = pasted_to_markdown(page, "web_epa608_refrigerants")
    assert "# Refrigerant Types & Regulations: EPA 608 Exam Study Guide" in markdown.split("\n")


def test_the_first_level_one_heading_names_the_deck_over_menu_headings() -> None:
    from generator.parse.markdown import parse_markdown

    text = "## Home\n\n## Services\n\n# The Ultimate Heat Pump Guide\n\nA heat pump moves heat.\n"
    doc = parse_markdown(text, "h.md")
    assert doc.title == "The Ultimate Heat Pump Guide"
    part = parse_markdown("## Server Administration\n\n# Part 1\n\nRAID 5 needs three drives.\n", "s.md")
    assert part.title == "Server Administration"
