"""Faster paths of parse, model, render, notes and select give exactly what the general ones give."""
from __future__ import annotations

import dataclasses
import inspect
import pickle
import re
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from generator import model
from generator.parse.markdown import _collapse_spaces, _without_attrs

SPACES = list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000\ufeff\u200b") + ["a", "b", "{:", "}", "{: x}"]


@given(st.lists(st.sampled_from(SPACES), max_size=20))
def test_space_collapsing_and_attribute_removal_match_the_regexes(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _collapse_spaces(text) == re.sub(r"\s+", " ", text).strip()
    assert _without_attrs(text) == re.sub(r"\{:[^{}\n]*\}", "", text)


def test_every_code_point_is_white_space_to_the_regex_exactly_when_str_split_says_so() -> None:
    pattern = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if bool(pattern.match(c)) != c.isspace()] == []


MODEL_CLASSES = [obj for obj in vars(model).values() if isinstance(obj, type) and dataclasses.is_dataclass(obj)]


def test_quick_init_keeps_each_data_class_signature_defaults_and_behaviour() -> None:
    assert len(MODEL_CLASSES) >= 9
    for cls in MODEL_CLASSES:
        # The signature dataclasses would write: the same names, order and defaults.
        reference = dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, f) for f in dataclasses.fields(cls)],
                                               frozen=True, slots=True)
        params = list(inspect.signature(cls).parameters.values())
        ref_params = list(inspect.signature(reference).parameters.values())
        assert [p.name for p in params] == [p.name for p in ref_params] == [f.name for f in dataclasses.fields(cls)]
        for f, p in zip(dataclasses.fields(cls), params, strict=True):
            if f.default is not dataclasses.MISSING:
                assert p.default == f.default
            elif f.default_factory is dataclasses.MISSING:
                assert p.default is inspect.Parameter.empty


def test_quick_init_objects_are_frozen_equal_hashable_and_pickle() -> None:
    ref = model.SourceRef("a.md", 3, ("Top",), "A sentence.")
    note = model.Note("cloze", "Deck", (("Text", "x"),), (), ("t",), ref, "claim", 0.5, "key")
    assert note.extra == {} and note.extra is not model.Note("qa", "D", (), (), (), ref, "r", 0.1, "k").extra
    assert note == model.Note(kind="cloze", deck="Deck", fields=(("Text", "x"),), cards=(), tags=("t",), source=ref,
                              rule="claim", score=0.5, key="key")
    assert dataclasses.replace(note, guid="g").guid == "g" and note.guid == ""
    try:
        note.guid = "changed"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("not frozen")
    block = model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2)
    assert hash(block) == hash(model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2))
    assert pickle.loads(pickle.dumps(block)) == block and pickle.loads(pickle.dumps(note)) == note
    assert repr(ref) == "SourceRef(path='a.md', line=3, section=('Top',), sentence='A sentence.')"


# --- render: the sanitizer's skip for certdeck's own tags, the unmarked _emit path, the aligner

OWN_PIECES = ["a", " ", "é", "&amp;", "&lt;", "&", "amp;", "<", ">", "\x00", "\r", "\xa0", "\x01", "\"", "{",
              "<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "<s>", "</s>", "<mark>", "</mark>", "<sub>", "</sub>",
              "<sup>", "</sup>", "<span>", "</span>", '<span class="cd-crumbs">', '<span class="cd-file">',
              '<span class="x">', '<b class="cd-file">', "<table>", "<tr>", "<td>", "</td>", "<br>", "<B>", "</ b>"]


@given(st.lists(st.sampled_from(OWN_PIECES), max_size=25))
def test_own_tags_skip_the_sanitizer_only_when_it_would_return_them_unchanged(pieces: list[str]) -> None:
    from generator.notes.finish import _only_own_tags, _sanitizer, sanitize

    fragment = "".join(pieces)
    assert sanitize(fragment) == str(_sanitizer()(fragment))
    if _only_own_tags(fragment):
        assert str(_sanitizer()(fragment)) == fragment


@given(st.lists(st.sampled_from(["<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "x", "&amp;"]), max_size=30))
def test_nested_own_tags_are_recognised(pieces: list[str]) -> None:
    from generator.notes.finish import _only_own_tags, _sanitizer

    fragment = "".join(pieces)
    if str(_sanitizer()(fragment)) != fragment:
        assert not _only_own_tags(fragment)
    assert _only_own_tags("<b>a<i>b<code>c</code></i></b> &amp; d")


@given(st.text(alphabet=st.sampled_from(list("ab <&{}:\n$")), min_size=1, max_size=20),
       st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 3), st.sampled_from(["", "h", "<"])),
                max_size=3),
       st.integers(0, 20), st.integers(0, 20))
def test_unmarked_runs_of_any_range_match_the_general_path(text: str, spans: list[tuple[int, int, int, str]],
                                                            a: int, b: int) -> None:
    from generator.model import Gap
    from generator.notes.marks import NO_MARKS
    from generator.notes.render import _emit

    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    gaps = [Gap(min(x, y), max(x, y), n, hint) for x, y, n, hint in spans if min(x, y) < max(x, y) <= len(text)]
    assert _emit(text, start, end, [], gaps) == _emit(text, start, end, [NO_MARKS] * len(text), gaps)


@given(st.text(alphabet=st.sampled_from(list("ab ")), max_size=30), st.text(alphabet=st.sampled_from(list("ab ")),
                                                                            max_size=40))
def test_matching_blocks_pair_the_characters_difflib_pairs(a: str, b: str) -> None:
    _assert_same_alignment(a, b)


@given(st.text(alphabet=st.sampled_from(list("abcdefgh .,")), max_size=60),
       st.text(alphabet=st.sampled_from(list("abcdefgh .,")), max_size=80))
def test_matching_blocks_pair_the_characters_difflib_pairs_wider_alphabet(a: str, b: str) -> None:
    _assert_same_alignment(a, b)


def test_matching_blocks_on_a_rewritten_sentence() -> None:
    _assert_same_alignment("Empathy is about feeling with them, not just knowing someone else's experiences.",
                           "Empathy goes beyond just knowing someone else's experiences; it's all about feeling with "
                           "them. Can you imagine how good it feels? Subscribe to our newsletter.")
    _assert_same_alignment("arrhythmia: an odd rhythm of the heartbeat.", "Some develop arrhythmia (an odd rhythm "
                                                                           "of the heartbeat).")


def _assert_same_alignment(a: str, b: str) -> None:
    from difflib import SequenceMatcher

    from generator.notes.marks import matching_blocks

    def pairs(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
        return sorted((i + k, j + k) for i, j, n in blocks for k in range(n))

    assert pairs(matching_blocks(a, b)) == pairs(SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


# --- notes: the cue, found through the stem index extraction made

CUE_WORDS = ["Trust", "trusts", "peer", "Peers", "support", "the", "is", "it", "key", "keys", "Specialist",
             "specialists", "empathy", "’s", "a"]


def _context_reference(fact: model.Fact, doc: model.Document) -> str:
    from generator.notes.make import MAX_PROMPT_WORDS, _without_gaps
    from generator.text import normalize, stems

    heading = fact.block.section[-1] if fact.block.section else doc.title
    context = heading if normalize(heading) == normalize(doc.title) else f"{doc.title} › {heading}"
    answers = [fact.answer] if fact.kind == "qa" else [fact.text[g.start : g.end] for g in fact.gaps]
    cue = stems(context)
    visible = cue | stems(_without_gaps(fact))
    if not cue or any(stems(a) and stems(a) <= visible for a in answers):
        return ""
    if cue <= stems(fact.text):
        return ""
    if len(context.split()) + len(fact.text.split()) > MAX_PROMPT_WORDS:
        return ""
    return context


@given(st.lists(st.sampled_from(CUE_WORDS), min_size=1, max_size=12), st.lists(st.sampled_from(CUE_WORDS), max_size=3),
       st.lists(st.sampled_from(CUE_WORDS), max_size=3), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)),
                                                                   max_size=3),
       st.booleans(), st.sampled_from(["", "Trust", "support specialists"]))
def test_context_matches_the_reference(words: list[str], title: list[str], heading: list[str],
                                       spans: list[tuple[int, int]], qa: bool, answer: str) -> None:
    from generator.notes.make import _context

    text = " ".join(words)
    doc_title = " ".join(title) or "Untitled"
    block = model.Block("paragraph", text, 1, (" ".join(heading),) if heading else (), ())
    gaps = tuple(model.Gap(min(a, b), max(a, b), n + 1) for n, (a, b) in enumerate(spans)
                 if min(a, b) < max(a, b) <= len(text))
    fact = model.Fact("claim", "qa" if qa else "cloze", text, "term", 0.5, block, text, 1,
                      () if qa else gaps, answer if qa else "")
    doc = model.Document("a.md", doc_title, {}, (block,))
    assert _context(fact, doc) == _context_reference(fact, doc)


# --- select: the overlap index lists the kept facts of a rare answer instead of indexing their every word


class _OverlapIndexReference:
    """The index as it was: every kept fact indexed under each answer word by prefix word and by word."""

    def __init__(self, word_sets: list[set[str]]) -> None:
        self.df: dict[str, int] = {}
        for words in word_sets:
            for w in words:
                self.df[w] = self.df.get(w, 0) + 1
        self.by_jaccard_prefix: dict[str, list[int]] = {}
        self.by_answer_prefix: dict[str, dict[str, list[int]]] = {}
        self.by_answer_word: dict[str, dict[str, list[int]]] = {}

    def ranked(self, words: set[str]) -> list[str]:
        return sorted(words, key=lambda w: (self.df.get(w, 0), w))

    def candidates(self, words: set[str], answers: set[str]) -> list[int]:
        if not words:
            return []
        ranked = self.ranked(words)
        found: set[int] = set()
        for w in ranked[: len(ranked) - (9 * len(words) + 9) // 10 + 1]:
            found.update(self.by_jaccard_prefix.get(w, ()))
        prefix = ranked[: len(ranked) - (3 * len(words) + 3) // 4 + 1]
        for a in answers:
            for w in words:
                found.update(self.by_answer_prefix.get(a, {}).get(w, ()))
            for w in prefix:
                found.update(self.by_answer_word.get(a, {}).get(w, ()))
        return sorted(found)

    def add(self, words: set[str], answers: set[str], position: int) -> None:
        if not words:
            return
        ranked = self.ranked(words)
        for w in ranked[: len(ranked) - (9 * len(words) + 9) // 10 + 1]:
            self.by_jaccard_prefix.setdefault(w, []).append(position)
        prefix = ranked[: len(ranked) - (3 * len(words) + 3) // 4 + 1]
        for a in answers:
            for w in prefix:
                self.by_answer_prefix.setdefault(a, {}).setdefault(w, []).append(position)
            for w in words:
                self.by_answer_word.setdefault(a, {}).setdefault(w, []).append(position)


small_words = st.sets(st.sampled_from("abcdefghij"), max_size=8)


@given(st.lists(st.tuples(small_words, st.sets(st.sampled_from("abcd"), max_size=3)), max_size=40),
       st.sampled_from([0, 1, 3, 16]), st.lists(small_words, max_size=3))
def test_overlap_index_candidates_are_the_reference_candidates(facts: list[tuple[set[str], set[str]]], limit: int,
                                                               strangers: list[set[str]]) -> None:
    import generator.select.selection as select

    old_limit, select._SCAN_LIMIT = select._SCAN_LIMIT, limit
    try:
        index = select._OverlapIndex([w for w, _ in facts])
        reference = _OverlapIndexReference([w for w, _ in facts])
        for i, (words, answers) in enumerate(facts):
            assert index.candidates(words, answers) == reference.candidates(words, answers)
            index.add(words, answers, i)
            reference.add(words, answers, i)
        for words in strangers:  # words the index was not built with sort as before
            assert index.ranked(words | {"zz"}) == reference.ranked(words | {"zz"})
            assert index.candidates(words | {"zz"}, {"a"}) == reference.candidates(words | {"zz"}, {"a"})
    finally:
        select._SCAN_LIMIT = old_limit


# Inline Markdown: what both parsers read differently (math, strikethrough, references, deep brackets) and
# what they read alike (emphasis, code, links, images, HTML, entities, escapes, breaks).
MARKDOWN_PIECES = ["a", "b c", " ", "\n", "*", "**", "_", "__", "`", "[", "]", "(", ")", "![", "](u)", "<b>", "</b>",
                   "<dfn>", "</dfn>", "<x y='1'>", "&amp;", "&#123;", "\\", "\\*", "$", "$$", "~", "~~", "{: .c}",
                   "http://a.b", "<http://a.b>", "[r]", "  \n", "#", "- ", "1. ", "> ", "|", "---", "\t"]


def _styled_by_parsing(markup: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """marks._styled as it was: its own parse of `markup`, never parse.py's tokens."""
    import generator.notes.marks as marks

    saved = marks.inline_children
    marks.inline_children = lambda content: None
    try:
        return marks._styled.__wrapped__(markup)
    finally:
        marks.inline_children = saved


@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30), st.booleans())
def test_styled_from_the_article_parse_matches_its_own_parse(pieces: list[str], with_reference: bool) -> None:
    import generator.notes.marks as marks
    import generator.parse.markdown as parse

    markup = "".join(pieces)
    article = markup + ("\n\n[r]: http://x.y\n" if with_reference else "")
    parse.parse_markdown(article, "a.md")
    contents = list(parse._LAST_INLINE) or [markup]
    assert not (with_reference and parse._LAST_INLINE)  # an article with a reference shares no tokens
    for content in contents + [markup.strip()]:
        assert marks._styled.__wrapped__(content) == _styled_by_parsing(content)


def test_styled_shares_tokens_only_below_the_nesting_limits() -> None:
    import generator.notes.marks as marks
    import generator.parse.markdown as parse

    for depth in (8, 9, 19, 20, 21, 39, 40, 41):
        for markup in ("[" * depth + "a" + "](b)" * depth, "[" * depth + "a", "![" * depth + "a" + "](b)" * depth,
                       "[a](b) " * depth):
            parse.parse_markdown(markup, "a.md")
            assert marks._styled.__wrapped__(markup) == _styled_by_parsing(markup)
    parse.parse_markdown("plain *words*", "a.md")
    assert parse.inline_children("plain *words*") is not None  # the shortcut is taken where it can be


WORDY_PIECES = ["a", "Bb", "the", "treat", "treatment", "it's", "rock'n'roll", "’s", " ", "  ", "\t", "-", ",", "'",
                "é", "İ", "K", "7", "x2", "planning", "ed", "ness"]


@given(st.lists(st.sampled_from(WORDY_PIECES), max_size=16), st.integers(0, 60), st.integers(0, 60),
       st.lists(st.sampled_from(["treat", "plan", "bb", "7", "x2", "rock", "n", "roll", "s", "a", "ness"]), max_size=4))
def test_stems_outside_is_the_stems_of_the_text_around_the_span(pieces: list[str], a: int, b: int,
                                                                 wanted: list[str]) -> None:
    from generator.text import stems, stems_outside

    text = "".join(pieces)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    for w in [wanted, list(stems(text[start:end])), list(stems(text))]:
        assert stems_outside(text, start, end, w) == (set(w) <= stems(text[:start] + " " + text[end:]))


def _collapsed_reference(text: str, marks: list[frozenset[str]]) -> tuple[str, tuple[frozenset[str], ...]]:
    """marks._styled's collapsing as it was: every run of white space visited."""
    out_chars: list[str] = []
    out_marks: list[frozenset[str]] = []
    pos = 0
    for m in re.finditer(r"\s+", text):
        out_chars.extend(text[pos : m.start()])
        out_marks.extend(marks[pos : m.start()])
        if out_chars:
            out_chars.append(" ")
            out_marks.append(marks[m.start()])
        pos = m.end()
    out_chars.extend(text[pos:])
    out_marks.extend(marks[pos:])
    if out_chars and out_chars[-1] == " ":
        out_chars.pop()
        out_marks.pop()
    return "".join(out_chars), tuple(out_marks)


@given(st.lists(st.tuples(st.sampled_from(SPACES + ["x", "yz", "  ", " \n "]), st.sampled_from("-bi")), max_size=20))
def test_collapsing_visits_only_changed_runs_and_keeps_the_same_marks(pieces: list[tuple[str, str]]) -> None:
    from generator.notes.marks import _collapsed

    text = "".join(p for p, _ in pieces)
    marks = [frozenset(mark.strip("-")) for p, mark in pieces for _ in p]
    assert _collapsed(text, marks) == _collapsed_reference(text, marks)
    assert _collapsed(text, marks)[0] == " ".join(text.split())


@given(st.lists(st.sampled_from(WORDY_PIECES + ["The", "A1", "b-2", "c_d", "e.f", "\n", "~", "'x", "y'"]), max_size=16))
def test_content_words_split_as_the_word_pattern_finds_them(pieces: list[str]) -> None:
    from generator.text import _WORD, STOP_WORDS, _content_words

    text = "".join(pieces)
    found = [w.lower() for w in _WORD.findall(text)]
    assert _content_words.__wrapped__(text) == tuple(w for w in found if w not in STOP_WORDS)


@given(st.lists(st.sampled_from(["bus", "buses", "class", "gas", "its", "disorders", "a", "this", "s", "ss"]),
                max_size=8))
def test_select_words_fold_plurals_as_before(words: list[str]) -> None:
    from generator.select.selection import _words
    from generator.text import content_words

    text = " ".join(words)
    assert _words(text) == {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                            for w in content_words(text)}


@given(st.lists(st.sampled_from(["a", "<", ">", "&", "&amp;", "&lt;", "&gt;", "&am", "&quot;", "amp;", "\x00", "\r",
                                 "\xa0", "\ufeff", "\ud800", "\ue000", "<b>", "</b>", " "]), max_size=12))
def test_sanitizer_checks_split_in_two_searches_find_what_the_alternation_found(pieces: list[str]) -> None:
    from generator.notes.finish import _BARE_AMPERSAND, _NEEDS_SANITIZER_CHAR, _NEEDS_SANITIZER_IN_TEXT_CHAR

    fragment = "".join(pieces)
    old = re.compile(r"[<>\x00\r\xa0\ufeff\ud800-\udfff]|&(?!(?:amp|lt|gt);)")
    old_in_text = re.compile(r"[\x00\r\xa0\ufeff\ud800-\udfff]|&(?!(?:amp|lt|gt);)")
    assert bool(_NEEDS_SANITIZER_CHAR.search(fragment) or _BARE_AMPERSAND.search(fragment)) == \
        bool(old.search(fragment))
    assert bool(_NEEDS_SANITIZER_IN_TEXT_CHAR.search(fragment) or _BARE_AMPERSAND.search(fragment)) == \
        bool(old_in_text.search(fragment))


@given(st.text(alphabet=st.sampled_from(list("a1 \\$\n")), max_size=24), st.integers(0, 24), st.integers(0, 24))
def test_math_is_found_in_a_range_only_where_it_holds_a_dollar(text: str, a: int, b: int) -> None:
    from generator.notes.render import _MATH, _ordered

    start, end = sorted((min(a, len(text)), min(b, len(text))))
    if "$" not in text[start:end]:
        assert not list(_MATH.finditer(text, start, end))  # so _emit skips the search
    assert _ordered(frozenset({"code", "strong", "em"})) == ("strong", "em", "code")


@given(st.text(alphabet=st.sampled_from(list("aA1 .!?…\"”’')]([“‘\n\t") + ["\u2028", "\xa0"]), max_size=30))
def test_patterns_that_open_with_a_class_match_as_the_ones_they_replace(text: str) -> None:
    from generator.notes.marks import _CHANGED_SPACE
    from generator.text import _BOUNDARY

    boundary = re.compile(r"(?<![.!?…])[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in boundary.finditer(text)]
    changed = re.compile(r"\s{2,}|[^\S ]")
    assert [m.span() for m in _CHANGED_SPACE.finditer(text)] == [m.span() for m in changed.finditer(text)]
    for start in range(len(text) + 1):  # _collapsed searches from a position
        assert [m.span() for m in _CHANGED_SPACE.finditer(text, start)] == \
            [m.span() for m in changed.finditer(text, start)]


_SNAPSHOT_TEXT = st.text(alphabet=st.sampled_from(list('ab "\\/\n\t\x00\x1f›é') + ["\ud800", "\U0001f600"]), max_size=6)
_SNAPSHOT_NOTE = st.builds(
    model.Note, kind=st.sampled_from(["cloze", "qa"]), deck=_SNAPSHOT_TEXT,
    fields=st.lists(st.tuples(st.sampled_from(["Text", "Extra", "Sentence", 'a"b']), _SNAPSHOT_TEXT),
                    max_size=4, unique_by=lambda f: f[0]).map(tuple),
    cards=st.lists(st.builds(model.CardView, st.integers(1, 3), _SNAPSHOT_TEXT,
                             st.lists(_SNAPSHOT_TEXT, max_size=2).map(tuple)), max_size=2).map(tuple),
    tags=st.one_of(st.lists(_SNAPSHOT_TEXT, max_size=2).map(tuple), st.lists(_SNAPSHOT_TEXT, max_size=2)),
    source=st.builds(model.SourceRef, _SNAPSHOT_TEXT, st.integers(0, 99),
                     st.lists(_SNAPSHOT_TEXT, max_size=2).map(tuple), _SNAPSHOT_TEXT),
    rule=_SNAPSHOT_TEXT,
    score=st.one_of(st.sampled_from([0.0, -0.0, 1.0, 1, True, 0.5, float("nan"), float("inf")]), st.floats()),
    key=st.just("k"))


@given(st.lists(_SNAPSHOT_NOTE, max_size=6), st.booleans())
def test_snapshot_json_with_its_memo_is_what_json_dumps_gives(notes: list[model.Note], forget: bool) -> None:
    import json

    from generator.identity.lockfile import snapshot_bytes, snapshot_json, snapshot_of
    from generator.memo import forget_article

    if forget:
        forget_article()
    for note in [*notes, *notes]:  # the second time through, from the memo
        expected = json.dumps(snapshot_of(note), ensure_ascii=False, separators=(", ", ": "))
        assert snapshot_json(note) == expected
        assert snapshot_bytes(note) == expected.encode("utf-8", "surrogatepass")


@given(_SNAPSHOT_NOTE)
def test_pending_of_note_hash_and_signatures_are_what_the_general_code_gives(note: model.Note) -> None:
    from generator.identity.ids import content_hash
    from generator.identity.match import Pending, note_hash, pending_of
    from generator.identity.ordinals import _signatures, card_signatures

    def outcome(hash_of: Callable[[], str]) -> tuple[str, object]:
        try:
            return "hash", hash_of()
        except UnicodeEncodeError:  # a lone surrogate: no hash either way
            return "error", None

    assert outcome(lambda: note_hash(note)) == \
        outcome(lambda: content_hash(note.kind, *(v for _, v in note.fields), " ".join(note.tags)))
    assert card_signatures(note) == _signatures(note.cards)  # the one-card shortcut, against the general loop
    if outcome(lambda: note_hash(note))[0] == "error":
        return
    pending = pending_of(note)
    assert type(pending) is Pending and pending == Pending(*pending)
    assert pickle.loads(pickle.dumps(pending)) == pending and pending.key == note.key


@given(st.text(alphabet=st.sampled_from(list("ab [].:")), max_size=12), st.integers(0, 12), st.integers(0, 12),
       st.integers(1, 3), st.sampled_from(["", "h", "x y"]), st.sampled_from(["", "Title › Part"]))
def test_cloze_cards_of_one_gap_are_what_the_general_loop_gives(text: str, a: int, b: int, ordinal: int, hint: str,
                                                                context: str) -> None:
    from generator.notes.make import _cue, cloze_cards

    start, end = sorted((min(a, len(text)), min(b, len(text))))
    gap = model.Gap(start, end, ordinal, hint)
    shown = f"[...: {hint}]" if hint else "[...]"
    expected = (model.CardView(ordinal, _cue(context) + "".join([text[:start], shown, text[end:]]),
                               (text[start:end],)),)
    assert cloze_cards(text, [gap], context) == expected
    # ... and what two gaps of the same number would give with the second one empty at the end
    assert cloze_cards(text, [gap, model.Gap(len(text), len(text), ordinal + 1)], context)[0] == expected[0]
