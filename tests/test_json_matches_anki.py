"""The cards JSON says what a learner sees: each card's `prompt` and `answers` are what real Anki renders.

The fixture decks are built by the CLI, imported with the official `anki` package into a fresh collection,
and every card is rendered by Anki. The front's text (context cue in parentheses, then the prompt; an
active gap as [...], a hinted one as [...: hint]) must equal the JSON prompt, and the back's highlighted
answers (the active cloze spans, or the Q&A answer) must equal the JSON answers. MathJax delimiters are
read as the `$...$` the JSON keeps (Anki typesets both alike).
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from tests.ankiutil import collection, import_package

FIXTURES = Path(__file__).parent / "fixtures" / "cards"
WATCHED = ("cd-context", "cd-text", "cd-question", "cd-answer")


class _Parts(HTMLParser):
    """Text of each part of a rendered card (by class), and of its active cloze spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: dict[str, str] = {}
        self.clozes: list[str] = []  # text of each active cloze span, in order
        self.hints: list[str | None] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, watched class or "cloze" or None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        mark = next((c for c in classes if c in WATCHED), None)
        if "cloze" in classes:
            mark = "cloze"
            self.clozes.append("")
        if tag not in ("br", "hr", "img"):
            self._open.append((tag, mark))
        if tag == "li":  # a list line: the JSON writes it "- item" on its own line
            self.handle_data("\n- ")

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, mark in self._open:
            if mark in WATCHED:
                self.parts[mark] = self.parts.get(mark, "") + data
            elif mark == "cloze":
                self.clozes[-1] += data


def _parts(fragment: str) -> _Parts:
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    parsed = _Parts()
    parsed.feed(fragment)
    parsed.close()
    return parsed


def _plain(text: str) -> str:
    text = html.unescape(text).replace("\\(", "$").replace("\\)", "$").replace("\\[", "$$").replace("\\]", "$$")
    return " ".join(text.split())


def _front(question_html: str) -> str:
    """The front as the JSON writes it: "(context) prompt", gaps as [...] or [...: hint]."""
    # A hinted gap is rendered as "[hint]" inside the active cloze span: the JSON writes it "[...: hint]".
    question_html = re.sub(r'(<span class="cloze"[^>]*>)\[(?!\.\.\.\])([^\]<]*)\]</span>', r"\1[...: \2]</span>",
                           question_html)
    parts = _parts(question_html).parts
    body = _plain(parts.get("cd-text", parts.get("cd-question", "")))
    context = _plain(parts.get("cd-context", ""))
    return f"({context}) {body}" if context else body


def _answers(answer_html: str, kind: str) -> list[str]:
    parsed = _parts(answer_html)
    if kind == "qa":
        return [_plain(parsed.parts.get("cd-answer", ""))]
    return [_plain(c) for c in parsed.clozes]


def _build(tmp_path: Path, *articles: Path) -> tuple[list[dict], Path]:
    out, cards = tmp_path / "out", tmp_path / "cards.json"
    result = CliRunner().invoke(app, ["build", *map(str, articles), "-o", str(out), "--json", str(cards), "-q"])
    assert result.exit_code == 0, result.output
    return json.loads(cards.read_text(encoding="utf-8"))["notes"], out


def _rendered(tmp_path: Path, out: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(guid, ord) -> (question HTML, answer HTML) of every card, as Anki renders it."""
    shown = {}
    with collection(tmp_path / "anki") as col:
        for apkg in sorted(out.glob("*.apkg")):
            import_package(col, apkg)
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            rendered = card.render_output()
            shown[(card.note().guid, card.ord + 1)] = (rendered.question_text, rendered.answer_text)
    return shown


@pytest.mark.parametrize("article", ["render-check.md", "showcase.md"])
def test_each_json_card_is_what_anki_renders(tmp_path: Path, article: str) -> None:
    notes, out = _build(tmp_path, FIXTURES / article)
    shown = _rendered(tmp_path, out)
    checked = 0
    for note in notes:
        for card in note["cards"]:
            question, answer = shown[(note["guid"], card["ord"])]
            assert _front(question) == _plain(card["prompt"]), note["source"]
            assert not _cuts_math(card["answers"]), card  # a gap never cuts a formula (Anki's cloze would run on)
            assert _answers(answer, note["kind"]) == [_plain(a) for a in card["answers"]], note["source"]
            checked += 1
    assert checked == len(shown) and checked >= 5  # every Anki card has its JSON entry, and the other way round


def _cuts_math(answers: list[str]) -> bool:
    return any(a.count("$") % 2 for a in answers)


def test_the_fixture_covers_hints_lists_qa_escapes_and_math(tmp_path: Path) -> None:
    notes, _ = _build(tmp_path, FIXTURES / "render-check.md")
    prompts = [c["prompt"] for n in notes for c in n["cards"]]
    assert any("[...: organelle]" in p for p in prompts)
    assert any(n["kind"] == "qa" for n in notes)
    assert any(len(n["cards"]) == 4 for n in notes)  # a list: one card per item
    assert any("<" in p and "&" in q for p in prompts for q in prompts)
    assert any("$E = mc^2$" in p for p in prompts)


def test_no_gap_cuts_math_and_json_matches_anki(tmp_path: Path) -> None:
    """A sentence whose automatic gap ends inside `$...$`: Anki's back must still highlight what the JSON says."""
    article = tmp_path / "math.md"
    article.write_text("# Physics\n\nEinstein's relation $E = mc^2$ says that *mass* and energy are equivalent.\n",
                       encoding="utf-8")
    notes, out = _build(tmp_path, article)
    shown = _rendered(tmp_path, out)
    # A gap that would cut the formula is refused (extract/worth.py); any card left keeps it whole.
    for note in notes:
        for card in note["cards"]:
            question, answer = shown[(note["guid"], card["ord"])]
            assert not _cuts_math(card["answers"]), card
            assert _front(question) == _plain(card["prompt"])
            assert _answers(answer, note["kind"]) == [_plain(a) for a in card["answers"]]
