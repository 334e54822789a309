"""What a note is made of and how it is recorded: its cards, cue, hash, lock snapshot and cards JSON.

Guarantees kept from the tests that compared the notes', identity's, lock's and export's fast paths with
copies of their old code:
- cloze_cards: one card per cloze number, its own gaps shown as [...] (or [...: hint]) after the cue, the
  others as plain text; a single gap gives what the general loop gives.
- the cue ("Title › Section") never gives an answer away, adds a word the text lacks, and keeps the
  front short.
- card_signatures: each card's answers, case and spacing folded, joined by " / ", repeats numbered
  " #2"; the one-card shortcut gives what the general loop gives.
- note_hash hashes note type, fields and tags; pending_of carries the note's key, hash, snapshot and
  signatures and pickles.
- snapshot_json / snapshot_bytes are json.dumps of snapshot_of, from their memo or not.
- cards_json in pieces is one JSON document of note_to_json of every note.
"""

from __future__ import annotations

import json
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import model
from generator.build.article import build_cards
from generator.identity.ids import content_hash
from generator.identity.lockfile import snapshot_bytes, snapshot_json, snapshot_of
from generator.identity.match import note_hash, pending_of
from generator.identity.ordinals import card_signatures
from generator.memo import forget_article
from generator.notes.make import cloze_cards
from generator.package.export import CARDS_SCHEMA, cards_json, cards_json_chunks, note_to_json
from generator.text import stems

CARE = """# Peer Support

## Trust

Trust is the cornerstone of every peer support relationship.

A peer specialist builds rapport over several weekly meetings.

## Boundaries

Clear limits protect both the specialist and the client from burnout.

Boundaries keep the helper from taking on every problem of the client.

## Rapport

- **Rapport**: a bond of mutual understanding.
"""


def test_cloze_cards_on_examples() -> None:
    text = "The nucleus holds the chromosomes."
    one = cloze_cards(text, [model.Gap(4, 11, 1, "organelle")], "Cells")
    assert one == (model.CardView(1, "(Cells) The [...: organelle] holds the chromosomes.", ("nucleus",)),)
    two = cloze_cards(text, [model.Gap(4, 11, 1), model.Gap(22, 33, 2)])
    assert two == (
        model.CardView(1, "The [...] holds the chromosomes.", ("nucleus",)),
        model.CardView(2, "The nucleus holds the [...].", ("chromosomes",)),
    )
    same = cloze_cards(text, [model.Gap(4, 11, 1), model.Gap(22, 33, 1)])
    assert same == (model.CardView(1, "The [...] holds the [...].", ("nucleus", "chromosomes")),)


@given(
    st.text(alphabet=st.sampled_from(list("ab [].:")), max_size=12),
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(1, 3),
    st.sampled_from(["", "h", "x y"]),
    st.sampled_from(["", "Title › Part"]),
)
def test_one_gap_gives_the_card_the_general_loop_gives(
    text: str, a: int, b: int, ordinal: int, hint: str, context: str
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    gap = model.Gap(start, end, ordinal, hint)
    (card,) = cloze_cards(text, [gap], context)
    shown = f"[...: {hint}]" if hint else "[...]"
    assert card == model.CardView(
        ordinal, (f"({context}) " if context else "") + text[:start] + shown + text[end:], (text[start:end],)
    )
    # The same gap beside an empty one of another number at the end goes through the general loop.
    assert cloze_cards(text, [gap, model.Gap(len(text), len(text), ordinal + 1)], context)[0] == card


def test_the_cue_is_left_out_where_it_would_give_the_answer_away() -> None:
    cues = [(n.cards[0].answers, dict(n.fields)["Context"]) for n in build_cards(CARE, "care.md")]
    assert (("Trust",), "") in cues  # "Trust" is the section's own name
    assert (("meetings",), "Peer Support › Trust") in cues
    # the heading names the answer, which opens the text: the cue is the article alone
    assert (("Rapport",), "Peer Support") in cues


WORDS = [
    "Trust",
    "trusts",
    "peer",
    "Peers",
    "support",
    "the",
    "is",
    "key",
    "keys",
    "Specialist",
    "specialists",
    "empathy",
    "rapport",
    "bond",
    "helper",
    "limits",
    "client",
    "burnout",
    "protect",
    "builds",
    "a",
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.lists(st.sampled_from(WORDS), max_size=3),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=4, max_size=14), min_size=1, max_size=3),
)
def test_a_cue_never_gives_an_answer_away_and_keeps_the_front_short(
    title: list[str], heading: list[str], paragraphs: list[list[str]]
) -> None:
    article = f"# {' '.join(title).title()}\n\n" + (f"## {' '.join(heading).title()}\n\n" if heading else "")
    article += "\n\n".join(" ".join(words).capitalize() + "." for words in paragraphs) + "\n"
    for note in build_cards(article, "a.md"):
        cue = dict(note.fields)["Context"]
        for card in note.cards:
            if not cue:
                continue
            assert card.prompt.startswith("(")  # the cue opens the front
            assert len(card.prompt.split()) <= 40 + 1
            text = card.prompt.split(") ", 1)[1]
            assert not stems(card.prompt[1 : card.prompt.index(") ")]) <= stems(text)  # it adds a word
            for answer in card.answers:
                if len(card.answers) == 1 and stems(answer):
                    assert not stems(answer) <= stems(card.prompt), (card, answer)


def _note(answers: list[tuple[int, tuple[str, ...]]]) -> model.Note:
    ref = model.SourceRef("a.md", 1, (), "s")
    cards = tuple(model.CardView(n, "p", a) for n, a in answers)
    return model.Note("cloze", "D", (("Text", "x"),), cards, (), ref, "claim", 0.5, "k")


def test_card_signatures_on_examples() -> None:
    assert card_signatures(_note([(1, ("The  Heart",))])) == ((1, "the heart"),)
    assert card_signatures(_note([(1, ("Heart", "LUNG")), (2, ("heart",)), (3, ("Heart",))])) == (
        (1, "heart / lung"),
        (2, "heart"),
        (3, "heart #2"),
    )


ANSWER = st.text(alphabet=st.sampled_from(list("aAbß \t")), max_size=6)


@given(
    st.integers(1, 4),
    ANSWER,
    st.lists(st.tuples(st.integers(1, 4), st.lists(ANSWER, min_size=1, max_size=2).map(tuple)), max_size=3),
)
def test_one_card_signs_as_it_would_among_others(ordinal: int, answer: str, others: list) -> None:
    alone = card_signatures(_note([(ordinal, (answer,))]))
    assert alone == ((ordinal, " ".join(answer.casefold().split())),)
    # The same card first among others goes through the general loop: its signature is the same.
    assert card_signatures(_note([(ordinal, (answer,)), *others]))[0] == alone[0]


_TEXT = st.text(
    alphabet=st.sampled_from(list('ab "\\/\n\t\x00\x1f›é') + ["\ud800", "\U0001f600"]), max_size=6
)
NOTES = st.builds(
    model.Note,
    kind=st.sampled_from(["cloze", "qa"]),
    deck=_TEXT,
    fields=st.lists(
        st.tuples(st.sampled_from(["Text", "Extra", "Sentence", 'a"b']), _TEXT),
        max_size=4,
        unique_by=lambda f: f[0],
    ).map(tuple),
    cards=st.lists(
        st.builds(model.CardView, st.integers(1, 3), _TEXT, st.lists(_TEXT, max_size=2).map(tuple)),
        max_size=2,
    ).map(tuple),
    tags=st.one_of(st.lists(_TEXT, max_size=2).map(tuple), st.lists(_TEXT, max_size=2)),
    source=st.builds(
        model.SourceRef, _TEXT, st.integers(0, 99), st.lists(_TEXT, max_size=2).map(tuple), _TEXT
    ),
    rule=_TEXT,
    score=st.one_of(st.sampled_from([0.0, -0.0, 1.0, 1, True, 0.5, float("nan"), float("inf")]), st.floats()),
    key=st.just("k"),
)


@given(st.lists(NOTES, max_size=6), st.booleans())
def test_snapshots_are_the_json_of_snapshot_of_from_the_memo_or_not(
    notes: list[model.Note], forget: bool
) -> None:
    if forget:
        forget_article()
    for note in [*notes, *notes]:  # the second time through, from the memo
        expected = json.dumps(snapshot_of(note), ensure_ascii=False, separators=(", ", ": "))
        assert snapshot_json(note) == expected
        assert snapshot_bytes(note) == expected.encode("utf-8", "surrogatepass")


def _outcome(make: object) -> tuple[str, object]:
    try:
        return "ok", make()  # type: ignore[operator]
    except UnicodeEncodeError:  # a lone surrogate: no hash
        return "error", None


@given(NOTES)
def test_note_hash_and_pending_hold_what_identity_needs(note: model.Note) -> None:
    hashed = _outcome(lambda: note_hash(note))
    assert hashed == _outcome(
        lambda: content_hash(note.kind, *(v for _, v in note.fields), " ".join(note.tags))
    )
    if hashed[0] == "error":
        return
    pending = pending_of(note)
    assert (pending.key, pending.kind, pending.deck, pending.hash) == (
        note.key,
        note.kind,
        note.deck,
        hashed[1],
    )
    assert pending.snapshot == snapshot_bytes(note) and pending.signatures == card_signatures(note)
    assert pending == type(pending)(*pending) and pickle.loads(pickle.dumps(pending)) == pending


def test_note_hash_changes_with_what_anki_stores() -> None:
    note = build_cards(CARE, "care.md")[0]
    import dataclasses

    assert note_hash(note) != note_hash(dataclasses.replace(note, tags=(*note.tags, "x")))
    assert note_hash(note) != note_hash(
        dataclasses.replace(note, fields=note.fields[:-1] + (("Source", "?"),))
    )
    assert note_hash(note) == note_hash(dataclasses.replace(note, deck="Elsewhere", score=0.1))


def test_cards_json_in_pieces_is_one_json_document_of_the_notes() -> None:
    notes = build_cards(CARE, "care.md")
    assert len(notes) >= 3
    for some in (notes, notes[:1], []):
        text = "".join(cards_json_chunks(iter(some)))
        assert text == cards_json(some) and text.endswith("\n")
        assert json.loads(text) == {"schema": CARDS_SCHEMA, "notes": [note_to_json(n) for n in some]}
        assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
