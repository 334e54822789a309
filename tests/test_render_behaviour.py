"""Field HTML is the same whichever shortcut renders it, and parsing keeps the plain text it promises.

Guarantees kept from the tests that compared the renderer's and the parser's fast paths with copies of
their old code:
- sanitize returns what the sanitizer returns: a fragment let through untouched (only certdeck's own
  tags, nothing to escape) is one the sanitizer would leave as it is; sanitizing twice changes nothing.
- cloze_field / text_field: text without formatting renders the same by the short way (no marks) as by
  the general way (marks that are all empty); inline Markdown renders the same whether its tokens come
  from the article's parse or from a parse of its own (nested brackets near the parsers' limits,
  references, math and strikethrough included); runs of white space collapse as the parse collapses them.
- math is found only where a "$" is; nested marks are written strong, em, code, in that order.
- matching_blocks pairs the characters difflib pairs (the source sentence aligned with a cleaned one).
- parse_markdown: block text has no runs of white space and no attribute lists; `\\s` is str.isspace.
- the model's data classes keep their signature, defaults, freezing, equality, hashing and pickling.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import re
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import model
from generator.memo import forget_article
from generator.model import Gap
from generator.notes.finish import sanitize
from generator.notes.marks import matching_blocks
from generator.notes.render import cloze_field, text_field
from generator.parse.markdown import parse_markdown

OWN_PIECES = [
    "a",
    " ",
    "é",
    "&amp;",
    "&lt;",
    "&",
    "amp;",
    "<",
    ">",
    "\x00",
    "\r",
    "\xa0",
    "\x01",
    '"',
    "{",
    "\ufeff",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<code>",
    "</code>",
    "<s>",
    "</s>",
    "<mark>",
    "</mark>",
    "<sub>",
    "</sub>",
    "<sup>",
    "</sup>",
    "<span>",
    "</span>",
    '<span class="cd-crumbs">',
    '<span class="cd-file">',
    '<span class="x">',
    '<b class="cd-file">',
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "<br>",
    "<B>",
    "</ b>",
    "&gt;",
    "&am",
    "&quot;",
    '<b onclick="x()">',
    "<script>",
    "</script>",
]
EMPTY_COMMENT = "<!---->"  # the sanitizer drops it; any fragment holding it goes the whole way through


def test_sanitize_on_examples() -> None:
    assert sanitize("<b>a<i>b<code>c</code></i></b> &amp; d") == "<b>a<i>b<code>c</code></i></b> &amp; d"
    assert sanitize("a & b") == "a &amp; b"
    assert sanitize("a<b>c") == "a<b>c</b>"
    assert sanitize("<b><i>a</b></i>") == "<b><i>a</i></b>"  # certdeck's own tags, but crossed
    assert sanitize("a\x00b<x>c</x>") == "abc"
    assert sanitize("<script>z</script>q") == "q"
    assert sanitize('<b onclick="x()">b</b>') == "<b>b</b>"


@settings(max_examples=300)
@given(st.lists(st.sampled_from(OWN_PIECES), max_size=25).map("".join))
def test_sanitize_lets_through_only_what_the_sanitizer_would_return_unchanged(fragment: str) -> None:
    out = sanitize(fragment)
    assert sanitize(fragment + EMPTY_COMMENT) == out
    if "\ufeff" not in fragment:  # (the sanitizer drops a leading byte-order mark, so a second one surfaces)
        assert sanitize(out) == out


PLAIN_TEXT = st.lists(st.sampled_from(list("ab :{}\n") + ["ab", "c d"]), min_size=1, max_size=12).map("".join)
GAPS = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 3), st.sampled_from(["", "h", "<"])),
    max_size=3,
)


@given(PLAIN_TEXT, GAPS)
def test_unformatted_text_renders_the_same_with_or_without_its_markup(text: str, spans: list) -> None:
    gaps = sorted(
        {Gap(min(a, b), max(a, b), n, hint) for a, b, n, hint in spans if min(a, b) < max(a, b) <= len(text)},
        key=lambda g: (g.start, g.end),
    )
    gaps = [
        g for i, g in enumerate(gaps) if not i or g.start >= gaps[i - 1].end
    ]  # apart, as the rules make them
    flat = " ".join(text.split())
    # Markup that is the text itself gives every character empty marks: the general path of the renderer.
    assert cloze_field(flat, gaps, flat) == cloze_field(flat, gaps)
    assert text_field(flat, flat) == text_field(flat)


def test_rendering_on_examples() -> None:
    assert cloze_field("The heart pumps blood.", [Gap(4, 9, 1)]) == "The {{c1::heart}} pumps blood."
    assert (
        cloze_field("The heart pumps blood.", [Gap(4, 9, 1, "organ")], "The **heart** pumps blood.")
        == "The {{c1::<b>heart</b>::organ}} pumps blood."
    )
    assert text_field("Use a b now", "Use `a` *b*  now") == "Use <code>a</code> <i>b</i> now"


def test_math_and_nested_marks_on_examples() -> None:
    assert text_field("Use $x^2$ here", "Use $x^2$ here") == "Use \\(x^2\\) here"
    assert cloze_field("Use $x^2$ here", [Gap(10, 14, 1)], "Use $x^2$ here") == "Use \\(x^2\\) {{c1::here}}"
    assert (
        text_field("x y", "***`x`*** y") == "<b><i><code>x</code></i></b> y"
    )  # strong, em, code: that order


@given(
    st.text(alphabet=st.sampled_from(list("a1 \\$\n")), max_size=24), st.integers(0, 24), st.integers(0, 24)
)
def test_math_is_rendered_only_where_a_dollar_sign_opens_it(text: str, a: int, b: int) -> None:
    flat = " ".join(text.split())
    start, end = sorted((min(a, len(flat)), min(b, len(flat))))
    gaps = [Gap(start, end, 1)] if start < end else []
    html = cloze_field(flat, gaps, flat)
    if "$" not in flat:
        assert "\\(" not in html and "\\[" not in html
    assert html == cloze_field(flat, gaps, flat)  # from the memo: the same


MARKDOWN_PIECES = [
    "a",
    "b c",
    " ",
    "\n",
    "*",
    "**",
    "_",
    "__",
    "`",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](u)",
    "<b>",
    "</b>",
    "<dfn>",
    "</dfn>",
    "<x y='1'>",
    "&amp;",
    "&#123;",
    "\\",
    "\\*",
    "$",
    "$$",
    "~",
    "~~",
    "{: .c}",
    "http://a.b",
    "<http://a.b>",
    "[r]",
    "  \n",
    "- ",
    "1. ",
    "|",
    "\t",
]


def _fields_from_the_articles_parse_and_from_their_own(article: str) -> tuple[list[str], list[str]]:
    forget_article()
    doc = parse_markdown(article, "a.md")  # leaves its inline tokens for the renderer
    shared = [text_field(b.text, b.markup) for b in doc.blocks if b.markup]
    forget_article()  # forgets the tokens too: each field is parsed alone
    own = [text_field(b.text, b.markup) for b in doc.blocks if b.markup]
    return shared, own


@settings(max_examples=150)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join), st.booleans())
def test_inline_markdown_renders_the_same_from_the_articles_parse(markup: str, with_reference: bool) -> None:
    article = "# T\n\n" + markup + ("\n\n[r]: http://x.y\n" if with_reference else "\n")
    shared, own = _fields_from_the_articles_parse_and_from_their_own(article)
    assert shared == own


@pytest.mark.parametrize(
    "markup",
    [
        "Use $x^2$ here",
        "Use $*a*$ here",
        "*$*$ b",
        "Use $$x_1 + y_1$$ here",
        "Use $$x$$ here",
        "~~gone~~ and *kept*",
        "See [r] and *this*",
        "a `$b$` c",
    ],
)
def test_what_the_two_parsers_read_differently_renders_the_same(markup: str) -> None:
    # The article's parser has no math, no strikethrough; a reference definition changes what [r] is.
    for article in (f"# T\n\n{markup}\n", f"# T\n\n{markup}\n\n[r]: http://x.y\n"):
        shared, own = _fields_from_the_articles_parse_and_from_their_own(article)
        assert shared == own


@pytest.mark.parametrize("depth", [8, 9, 19, 20, 21, 39, 40, 41])
def test_nested_brackets_render_the_same_from_the_articles_parse(depth: int) -> None:
    for markup in (
        "[" * depth + "a" + "](b)" * depth,
        "[" * depth + "a",
        "![" * depth + "a" + "](b)" * depth,
        "[a](b) " * depth,
        "*a* " + "[" * depth + "b",
    ):
        shared, own = _fields_from_the_articles_parse_and_from_their_own(f"# T\n\n{markup}\n")
        assert shared == own


SPACES = list(" \t\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000")


@given(
    st.lists(
        st.tuples(st.sampled_from(SPACES + ["x", "yz", "  "]), st.sampled_from(["", "**", "*", "`"])),
        min_size=1,
        max_size=12,
    )
)
def test_white_space_in_markup_collapses_as_the_parse_collapses_it(pieces: list[tuple[str, str]]) -> None:
    markup = "".join(
        f"{fence}{piece}{fence}" if fence and piece.strip() else piece for piece, fence in pieces
    )
    plain = " ".join("".join(p for p, _ in pieces).split())
    html = text_field(plain, markup)
    assert re.sub(r"<[^>]*>", "", html).replace("&#123;", "{") == plain.replace("&", "&amp;")
    assert text_field(plain, " ".join(markup.split())) == html or "`" in markup  # code keeps its own spaces


def _pairs(blocks: list[tuple[int, int, int]] | list) -> list[tuple[int, int]]:
    return sorted((i + k, j + k) for i, j, n in blocks for k in range(n))


@given(
    st.text(alphabet=st.sampled_from(list("abcdefgh .,")), max_size=60),
    st.text(alphabet=st.sampled_from(list("abcdefgh .,")), max_size=80),
)
def test_matching_blocks_pair_the_characters_difflib_pairs(a: str, b: str) -> None:
    blocks = matching_blocks(a, b)
    assert all(a[i : i + n] == b[j : j + n] for i, j, n in blocks)
    assert _pairs(blocks) == _pairs(SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def test_matching_blocks_on_a_rewritten_sentence() -> None:
    for a, b in [
        (
            "Mulch is about keeping roots cool, not just wet.",
            (
                "Mulch goes beyond just wet soil; it's all about keeping roots cool. "
                "Subscribe to our newsletter."
            ),
        ),
        (
            "chlorosis: a yellowing of the leaves.",
            "Some roses develop chlorosis (a yellowing of the leaves).",
        ),
    ]:
        assert _pairs(matching_blocks(a, b)) == _pairs(
            SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        )


@given(
    st.lists(st.sampled_from(SPACES + ["a", "b", "{: x}", "{:", "}", "\n", "*c*"]), max_size=20).map("".join)
)
def test_parsed_block_text_has_single_spaces_and_no_attribute_lists(body: str) -> None:
    doc = parse_markdown(f"# T\n\nA {body} z\n", "a.md")
    for block in doc.blocks:
        if block.kind != "code":
            assert block.text == " ".join(block.text.split()), block
            assert "{: x}" not in block.text


def test_attribute_lists_and_odd_spaces_leave_the_parse() -> None:
    doc = parse_markdown("# T\n\nRoots\u00a0\u2028take  up {: .note} water.\n", "a.md")
    assert doc.blocks[-1].text == "Roots take up water."


def test_every_code_point_is_white_space_to_the_regex_exactly_when_str_isspace_says_so() -> None:
    # The parse collapses with str.split(); the renderer finds runs with `\s`: they must agree.
    pattern = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if bool(pattern.match(c)) != c.isspace()] == []


MODEL_CLASSES = [
    obj for obj in vars(model).values() if isinstance(obj, type) and dataclasses.is_dataclass(obj)
]


def test_model_classes_keep_the_signature_dataclasses_would_write() -> None:
    assert len(MODEL_CLASSES) >= 9
    for cls in MODEL_CLASSES:
        params = list(inspect.signature(cls).parameters.values())
        assert [p.name for p in params] == [f.name for f in dataclasses.fields(cls)]
        for f, p in zip(dataclasses.fields(cls), params, strict=True):
            if f.default is not dataclasses.MISSING:
                assert p.default == f.default
            elif f.default_factory is dataclasses.MISSING:
                assert p.default is inspect.Parameter.empty
            if p.default is inspect.Parameter.empty:  # a required field is required
                with pytest.raises(TypeError):
                    cls(*[None] * (len([q for q in params if q.default is inspect.Parameter.empty]) - 1))


def test_model_objects_are_frozen_equal_hashable_and_pickle() -> None:
    ref = model.SourceRef("a.md", 3, ("Top",), "A sentence.")
    note = model.Note("cloze", "Deck", (("Text", "x"),), (), ("t",), ref, "claim", 0.5, "key")
    assert note.extra == {} and note.extra is not model.Note("qa", "D", (), (), (), ref, "r", 0.1, "k").extra
    assert note == model.Note(
        kind="cloze",
        deck="Deck",
        fields=(("Text", "x"),),
        cards=(),
        tags=("t",),
        source=ref,
        rule="claim",
        score=0.5,
        key="key",
    )
    assert dataclasses.replace(note, guid="g").guid == "g" and note.guid == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.guid = "changed"  # type: ignore[misc]
    block = model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2)
    assert hash(block) == hash(model.Block("paragraph", "T.", 1, (), (model.Sentence("T.", 1),), list_id=2))
    assert block != dataclasses.replace(block, list_id=3)
    assert pickle.loads(pickle.dumps(block)) == block and pickle.loads(pickle.dumps(note)) == note
    assert repr(ref) == "SourceRef(path='a.md', line=3, section=('Top',), sentence='A sentence.')"
