"""The text helpers every stage shares: what they return, whichever internal path or memo answers.

Guarantees kept from the tests that compared these helpers with copies of their old code:
- normalize: NFKC, curly quotes and long dashes made plain, lower case, ASCII words with an
  apostrophe suffix; the ASCII shortcut gives what the general path gives; the memo changes nothing.
- content_words / stems: the words `words()` finds, lower-cased, stop words out; the ASCII, apostrophe
  and non-ASCII paths agree; callers get copies, so changing one does not change the memo.
- stems_outside: exactly "every wanted stem is among the stems of the text around the span".
- normalizes_to_any: exactly "normalize(text) is one of the normals".
- split_sentences: breaks after terminal punctuation before a capital or digit, never after an
  abbreviation or an initial; offsets point at each sentence.
- select's word fold: plurals fold ("disorders" meets "disorder"), "ss" words and short words do not.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.memo import forget_article
from generator.text import (
    STOP_WORDS,
    content_words,
    normalize,
    normalizes_to_any,
    split_sentences,
    stem,
    stems,
    stems_outside,
    words,
)

ODD = list("’‘“”—–²ﬁ\u00a0İıſKÅé") + ["e\u0301"]
TEXT = st.lists(
    st.sampled_from(list("ab AB_1.,-'") + ODD + ["the ", "Is ", "it's ", "heart"]), max_size=20
).map("".join)
ASCII_TEXT = st.lists(
    st.sampled_from(list("ab AB_1.,-") + ["the ", "Is ", "heart", "Pumps", " it ", "x2"]), max_size=16
).map("".join)
NORMAL_FORM = re.compile(r"(?:[a-z0-9]+(?:'[a-z]+)?(?: (?=.)|$))*")


def test_normalize_on_examples() -> None:
    assert (
        normalize("The Heart’s ﬁrst beat — it pumps 2 L/min, “fast”!")
        == "the heart's first beat it pumps 2 l min fast"
    )
    assert normalize("  A\u00a0B\tc  ") == "a b c"
    assert normalize("x²") == "x2"  # NFKC
    assert normalize("café") == "caf"  # accented letters are not ASCII words
    assert normalize("") == normalize("—") == ""


@given(TEXT)
def test_normalize_gives_a_normal_form_that_is_its_own_normal_form(text: str) -> None:
    out = normalize(text)
    assert NORMAL_FORM.fullmatch(out), out
    assert normalize(out) == out


@given(TEXT)
def test_normalize_treats_curly_and_straight_quotes_and_dashes_alike(text: str) -> None:
    plain = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    assert normalize(plain.replace("—", "-").replace("–", "-")) == normalize(text)


@given(ASCII_TEXT)
def test_normalize_of_ascii_text_is_what_the_general_path_gives(text: str) -> None:
    # A trailing non-ASCII word adds nothing to the normal form but sends the text down the general path.
    assert normalize(text) == normalize(text + " é") == normalize(text + " —")
    assert normalize(text.upper()) == normalize(text.lower()) == normalize(text)


@given(TEXT)
def test_normalize_does_not_depend_on_its_memo(text: str) -> None:
    first = normalize(text)
    assert normalize(text) == first
    forget_article()
    bare = getattr(normalize, "__wrapped__", normalize)  # the memo may be gone (docs/speed.md): then it is itself
    assert normalize(text) == first == bare(text)


def test_content_words_on_examples() -> None:
    assert content_words("The heart is a pump; it’s the KEY organ of 2 bodies.") == [
        "heart",
        "pump",
        "it’s",
        "key",
        "organ",
        "2",
        "bodies",
    ]
    assert content_words("the of and is") == []


@given(TEXT)
def test_content_words_are_the_words_found_lower_cased_without_stop_words(text: str) -> None:
    found = content_words(text)
    assert found == [w.lower() for w in words(text) if w.lower() not in STOP_WORDS]
    assert not set(found) & STOP_WORDS


@given(ASCII_TEXT)
def test_content_words_take_the_same_words_whichever_path_reads_them(text: str) -> None:
    # Without an apostrophe, with one, and with a non-ASCII character, the helper reads text three ways.
    assert content_words(text + " '") == content_words(text) == content_words(text + " é")
    assert content_words(text.upper()) == content_words(text)


@given(TEXT)
def test_callers_get_copies_the_memo_keeps_its_own(text: str) -> None:
    forget_article()
    words_now, stems_now = content_words(text), stems(text)
    assert stems_now == {stem(w) for w in words_now}
    words_now.append("mutated")
    stems_now.add("mutated")
    assert "mutated" not in content_words(text) and "mutated" not in stems(text)
    assert content_words(text) == words_now[:-1]


def test_stem_folds_inflections() -> None:
    assert stems("The planning of treatments stopped") == {"plan", "treat", "stop"}
    assert stem("Heart’s") == stem("hearts") == stem("heart") == "heart"


WORDY = st.lists(
    st.sampled_from(
        [
            "a",
            "Bb",
            "the",
            "treat",
            "treatment",
            "it's",
            "rock'n'roll",
            "’s",
            " ",
            "  ",
            "\t",
            "-",
            ",",
            "'",
            "é",
            "İ",
            "K",
            "7",
            "x2",
            "planning",
            "ed",
            "ness",
        ]
    ),
    max_size=16,
).map("".join)


@given(
    WORDY,
    st.integers(0, 60),
    st.integers(0, 60),
    st.lists(
        st.sampled_from(["treat", "plan", "bb", "7", "x2", "rock", "n", "roll", "s", "a", "ness"]), max_size=4
    ),
)
def test_stems_outside_is_membership_in_the_stems_around_the_span(
    text: str, a: int, b: int, wanted: list[str]
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    around = stems(text[:start] + " " + text[end:])
    for want in (wanted, list(stems(text[start:end])), list(stems(text))):
        assert stems_outside(text, start, end, want) == (set(want) <= around)


def test_stems_outside_on_examples() -> None:
    text = "cool burns heal"
    assert not stems_outside(text, 5, 10, ["burn"])  # the gap holds the only "burns"
    assert stems_outside(text, 5, 8, ["heal", "cool"])
    assert not stems_outside(text, 5, 8, ["burn"])  # "bur|ns": the cut word is no longer "burns"
    assert stems_outside("cools heal cool", 11, 15, ["cool"])  # "cools" outside the gap


@given(
    st.lists(
        st.sampled_from(["the", "heart", "Heart", "", " ", ", ", "!!", "é", "İ", "’s", "x"]), max_size=8
    ),
    st.lists(st.sampled_from(["the heart", "heart", "", "the", "heart x", "heart's"]), max_size=3),
)
def test_normalizes_to_any_is_membership_of_the_normal_form(pieces: list[str], normals: list[str]) -> None:
    text = " ".join(pieces)
    assert normalizes_to_any(text, normals) == (normalize(text) in normals)


def test_split_sentences_on_examples() -> None:
    text = "Dr. Smith rests. The heart pumps! Does it? e.g. yes. 3 L a min. Next one"
    assert split_sentences(text) == [
        (0, "Dr. Smith rests."),
        (17, "The heart pumps!"),
        (34, "Does it? e.g. yes."),
        (53, "3 L a min. Next one"),
    ]
    assert [s for _, s in split_sentences("He said “Stop.” Then left… Really!!! Yes.  (A) no")] == [
        "He said “Stop.”",
        "Then left…",
        "Really!!!",
        "Yes.",
        "(A) no",
    ]
    assert split_sentences("J. R. Doe wrote it. Fine") == [(0, "J. R. Doe wrote it."), (20, "Fine")]


SENTENCE_PIECES = list("aA1 .!?…\"”’')]([“‘\n\t") + ["\u2028", "\xa0", "Dr.", "e.g.", " The", " 7"]


@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=30).map("".join))
def test_split_sentences_keeps_every_word_in_order_at_its_offset(text: str) -> None:
    pieces = split_sentences(text)
    for offset, sentence in pieces:
        assert text[offset : offset + len(sentence)] == sentence and sentence == sentence.strip() and sentence
    assert [o for o, _ in pieces] == sorted({o for o, _ in pieces})
    assert " ".join(s for _, s in pieces).split() == text.split()


def test_select_folds_plurals_when_it_compares_cards() -> None:
    from generator.select.selection import _words  # the fold that decides which two cards are duplicates

    assert _words("buses class gas its disorders this") == {"buse", "class", "gas", "disorder"}
