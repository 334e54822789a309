"""Extraction helpers: gap choice, clean-up, pronouns, enumerations, selection. Hand-written text only."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.build.article import build_cards
from generator.config import Settings
from generator.extract.answers import leaks
from generator.extract.enumeration import items
from generator.extract.filters import clean_sentence, is_noise, strip_citations
from generator.extract.gaps import DocStats, choose_gap
from generator.extract.phrases import chunks, number_spans, split_clause
from generator.extract.prose import prose_sentences
from generator.parse.markdown import parse_markdown

NO_STATS = DocStats(Counter(), frozenset(), frozenset())


def _gap(text: str, stats: DocStats = NO_STATS) -> str:
    span = choose_gap(text, stats)
    assert span is not None, text
    return text[span.start : span.end]


@pytest.mark.parametrize(
    "text, want",
    [
        ("Adults need 7 to 9 hours of sleep each night.", ["7 to 9 hours"]),
        ("Teenagers need at least eight hours to stay alert.", ["at least eight hours"]),
        ("About 40%–60% of patients improve.", ["About 40%–60%"]),
        ("Water boils at 100 °C at sea level.", ["100 °C"]),
        ("The treaty was signed on March 4, 1990 in Oslo.", ["March 4, 1990"]),
        ("One key skill is patience.", []),  # a word number with no unit is not a quantity
        ("Smokers are twice as likely to develop it.", ["twice as likely"]),
        ("Type 2 diabetes and DSM-5 and the 9/11 attacks.", []),  # numbers glued to names are not quantities
    ],
)
def test_number_spans_take_qualifier_and_unit(text: str, want: list[str]) -> None:
    assert [text[s.start : s.end] for s in number_spans(text) if s.score >= 0.8] == want


def test_chunks_are_noun_phrases_without_verbs_or_determiners() -> None:
    text = "Clients may feel judged or criticized by the whole care team."
    assert [text[c.start : c.end] for c in chunks(text)] == [
        "Clients",
        "judged or criticized",
        "whole care team",
    ]


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "The primary focus of treatment is abstinence.",
            "abstinence",
        ),  # descriptive subject: ask the complement
        ("Cooling is the priority.", "Cooling"),  # "X is the priority/key/foundation": ask X
        ("Family involvement in teen treatment is vital.", "Family involvement"),
        ("Bacteria grow fastest in the temperature danger zone.", "temperature danger zone"),
        ("As people age, their bodies are less able to combat bacteria.", "less able to combat bacteria"),
        ("Neither aspirin nor ibuprofen prevents the infection.", "aspirin nor ibuprofen"),
        ("Your role as a peer worker is to walk alongside your clients.", "walk alongside your clients"),
        ("Patient's palm = 1% TBSA.", "1% TBSA"),
    ],
)
def test_gap_goes_on_the_new_information(text: str, want: str) -> None:
    assert _gap(text) == want


def test_the_articles_topic_is_not_the_gap_when_something_newer_is() -> None:
    stats = DocStats(Counter({"burn": 5}), frozenset({"burn"}), frozenset())
    assert _gap("Cover the burn loosely with a sterile dressing.", stats) == "sterile dressing"


def test_a_gap_never_leaks_into_the_rest_of_the_card() -> None:
    assert leaks("Peer Support Specialist", "Why empathy matters for peer support specialists")
    assert choose_gap("Trust builds trust.", NO_STATS) is None  # each candidate is visible elsewhere


def test_subject_skips_relative_clause_and_subordinate_opener() -> None:
    assert split_clause("A person who is addicted to drugs has a second disorder.").verb == "has"
    clause = split_clause("When forests are cleared, rain washes the topsoil away.")
    assert (clause.subject, clause.verb) == ("rain", "washes")


@pytest.mark.parametrize(
    "raw, want",
    [
        (
            "Did you know that sharing your own struggles can foster belonging?",
            "Sharing your own struggles can foster belonging.",
        ),
        (
            "Trust, my friends, is the cornerstone of the relationship.",
            "Trust is the cornerstone of the relationship.",
        ),
        ("So, remember, hydration matters.", "Hydration matters."),
        ("Relapse rates are high (Smith & Jones, 2012; NIDA, 2008).", "Relapse rates are high."),
        ("Research has shown that sleep consolidates memory.", "Sleep consolidates memory."),
    ],
)
def test_clean_sentence_trims_filler_and_restates_questions(raw: str, want: str) -> None:
    assert clean_sentence(raw) == want


@pytest.mark.parametrize(
    "text",
    [
        "Who wouldn't want that, right?",
        "Let's be real for a moment.",
        "Subscribe to our newsletter today.",
        "A chart labeled risk by age shows three bars.",
        "She said, “I can't do this anymore.”",
        "This article explains how to study.",
        "It's like riding a bike.",
        "What makes this so hard?",
        "gsutil mb -c nearline -l us-central1 gs://my-backups/",
        "kubectl run web --image=nginx --restart=Never",
        "-rw-r--r-- 1 root staff 1660 16 Mar 11:51 note.txt",
        "reduce(lambda x, y: x**y, [3, 2, 1, 2])",
    ],
)
def test_noise_makes_no_card(text: str) -> None:
    assert is_noise(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ohm's law is I = V/R, where R = resistance in ohms.",
        "The I/O scheduler and/or the kernel decide the order of writes.",
        "Run the ls -l command to see each file's owner and permissions.",
        "The exam fee is $30 for members and $50 for others.",
        "Give oxygen when SpO2 < 94% or the patient is short of breath.",
    ],
)
def test_prose_that_names_code_or_symbols_is_not_noise(text: str) -> None:
    assert not is_noise(text)


def test_citations_and_link_references_are_removed() -> None:
    assert strip_citations("Use gloves ([link]) every time (APA, 2013, p. 271).") == "Use gloves every time."


def _prose(markdown: str) -> list[str]:
    return [s.text for s in prose_sentences(parse_markdown(markdown, "t.md"))]


def test_pronouns_take_the_subject_of_an_earlier_sentence() -> None:
    got = _prose("# T\n\nA person's recovery is built on strengths. It is holistic and personal.\n")
    assert got == [
        "A person's recovery is built on strengths.",
        "A person's recovery is holistic and personal.",
    ]


def test_demonstratives_become_the_and_clausal_this_is_dropped() -> None:
    got = _prose(
        "# T\n\nTides rise twice a day. These tides follow the Moon. This is why sailors check tables. "
        "This means harbours close at low water.\n"
    )
    assert got == ["Tides rise twice a day.", "The tides follow the Moon.", "Harbours close at low water."]


def test_an_unresolvable_pronoun_drops_the_sentence() -> None:
    assert _prose("# T\n\nWhen it rains, many stay in. They read books.\n") == [
        "When it rains, many stay in."
    ]


def test_enumeration_items_stop_at_the_closing_and() -> None:
    text = "Heat cramps are muscle cramps, pain, or spasms in the abdomen, arms, or legs."
    assert [text[s:e] for s, e in items(text)] == ["muscle cramps", "pain", "spasms"]


def test_examples_in_a_parenthesis_are_not_an_enumeration_card() -> None:
    assert items("Harm by others (e.g., combat, assault, and theft) carries greater risk.") == []


def test_every_note_records_rule_and_score_in_document_order() -> None:
    text = (
        "# Water\n\n## Facts\n\nWater boils at 100 °C at sea level.\n\n"
        "- **Density:** 1 g/mL at 4 °C\n- **Freezing point:** 0 °C\n\n"
        "A hydrogen bond is a weak attraction between molecules.\n"
    )
    notes = build_cards(text, "w.md", Settings(now=1))
    assert [n.source.line for n in notes] == sorted(n.source.line for n in notes)
    assert all(n.rule and 0 < n.score <= 1 for n in notes)
    assert {n.rule for n in notes} >= {"number", "field", "definition"}


def test_a_summary_restating_a_sentence_is_merged_with_it() -> None:
    text = (
        "# Sleep\n\nAdults need 7 to 9 hours of sleep each night.\n\n## Summary\n\n"
        "Adults need 7 to 9 hours of sleep each night, experts agree.\n"
    )
    notes = build_cards(text, "s.md", Settings(now=1))
    assert len([n for n in notes if "7 to 9 hours" in n.cards[0].answers]) == 1


def test_no_quota_the_number_of_cards_follows_the_facts() -> None:
    one = "".join(f"Widget{i} parts are made of alloy{i} and last {i + 2} years.\n\n" for i in range(8))
    many = "".join(f"Widget{i} parts are made of alloy{i} and last {i + 2} years.\n\n" for i in range(80))
    small, large = build_cards("# W\n\n" + one, "a.md"), build_cards("# W\n\n" + many, "b.md")
    assert len(small) == 8 and len(large) == 80


def test_pathological_inputs_finish() -> None:
    # Long runs that defeat backtracking regexes: these must return (the suite would hang otherwise).
    for text in (
        "a, " * 5000 + "and b.",
        "(" * 3000 + "1990" + ")" * 3000,
        "1 " * 4000 + "%",
        "Neither " + "x nor " * 2000 + "y.",
        "**" + "a" * 20000 + "**: b",
    ):
        build_cards("# T\n\n" + text + "\n", "p.md")


@pytest.mark.parametrize(
    ("sentence", "bare"),
    [
        ("The notes follow the lecture slides (1 and 2).", ["1", "2"]),
        ("Georg Simon Ohm (1787–1854) first showed it.", ["1787–1854"]),
        ("DNS servers answer queries on port 53.", []),
        ("A standard pallet holds 40 cartons.", []),
        ("A cluster of N members tolerates up to (N-1)/2 failures.", []),
    ],
)
def test_a_number_that_counts_nothing_is_no_quantity(sentence: str, bare: list[str]) -> None:
    from generator.extract.phrases import number_spans

    weak = [sentence[s.start:s.end] for s in number_spans(sentence) if s.score < 1.0]
    assert weak == bare


def test_a_count_written_as_a_formula_is_a_quantity() -> None:
    from generator.extract.phrases import number_spans

    text = "A cluster of N members tolerates up to (N-1)/2 failures, and SHA-256 is a hash."
    assert [text[s.start:s.end] for s in number_spans(text)] == ["(N-1)/2"]


@pytest.mark.parametrize(
    ("text", "answer", "glossary", "label"),
    [
        ("Intervention: discontinue immediately.", "Intervention", False, True),
        ("Security and compliance: the service is ISO certified.", "Security and compliance", False, True),
        ("Different types of phishing: vishing, smishing, whaling.", "Different types of phishing", True, True),
        ("Smishing: phishing by SMS text messages.", "Smishing", False, False),
        ("Social Proof: people copy what others do.", "Social Proof", True, False),
    ],
)
def test_a_gap_on_an_outline_label_is_told_from_a_term(text: str, answer: str, glossary: bool, label: bool) -> None:
    from generator.extract.gapcheck import _label_gap

    assert _label_gap(text, 0, len(answer), glossary) is label
