"""Cards as a learner sees them: rendered by the official anki package, shown in headless Chromium.

Every card of the seed deck and of the showcase deck (tests/cardutil.py) is loaded front and back at
390x844 (phone) and 1280x800 (desktop), light and night, and measured: no horizontal overflow, no
visible text under 16 px, the cloze gap visible on the front, the answer on the back, the source
sentence and breadcrumb (article › section, file) on the back, night colours at night. Screenshots of the
seed's "Trust" card and every showcase card go to test-artifacts/screenshots/ (git-ignored), with measured
sizes in sizes.txt.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.notes.templates import CSS
from tests.ankiutil import collection, import_package, rendered_cards
from tests.browser import (
    ARTIFACTS,
    DESKTOP,
    MEASURE_JS,
    PHONE,
    ROOT,
    card_page,
    chromium,
    require_browser,
    screenshot,
    set_viewport,
)
from tests.cardutil import write_showcase

SEED_DECK = "Medi-Cal_Peer_Support_Specialist__Empathy.apkg"
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Every card of the seed and showcase decks, rendered by anki, with its note's cards-JSON entry."""
    tmp = tmp_path_factory.mktemp("cards")
    out, cards_json = tmp / "seed", tmp / "seed.json"
    result = CliRunner().invoke(app, ["build", str(ROOT / "source"), "-o", str(out), "--json", str(cards_json), "-q"])
    assert result.exit_code == 0, result.output
    seed_notes = {n["guid"]: n for n in json.loads(cards_json.read_text(encoding="utf-8"))["notes"]}
    apkg, showcase, media = write_showcase(tmp / "showcase")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    (ARTIFACTS / "pages").mkdir(parents=True)
    for name, path in media.items():  # the pages refer to packaged images by name, as Anki's media folder does
        shutil.copy(path, ARTIFACTS / "pages" / name)
    found = []
    with collection(tmp / "anki") as col:
        import_package(col, out / SEED_DECK)
        import_package(col, apkg)
        showcase_by_guid = {n.guid: n for n in showcase}
        for card in rendered_cards(col):
            if card["guid"] in seed_notes:
                note = seed_notes[card["guid"]]
                kind, views, name = note["kind"], note["cards"], "seed"
                answers = (views[card["ord"]] if kind == "cloze" else views[0])["answers"]
            else:
                snote = showcase_by_guid[card["guid"]]
                kind, name = snote.kind, "showcase"
                view = snote.cards[card["ord"]] if kind == "cloze" else snote.cards[0]
                answers = list(view.answers)
            card.update(kind=kind, answers=answers, set=name,
                        id=f"{name}-{card['due']:02d}-c{card['ord'] + 1}")
            found.append(card)
    return sorted(found, key=lambda c: c["id"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    with chromium() as session:
        yield session


def _luminance(css_color: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _load(browser: Any, card: dict[str, Any], side: str, size: str, theme: str) -> dict[str, Any]:
    body = card["question_html"] if side == "front" else card["answer_html"]
    page = ARTIFACTS / "pages" / f"{card['id']}-{side}-{theme}.html"
    page.write_text(card_page(CSS, body, card["ord"], theme == "night"), encoding="utf-8")
    set_viewport(browser, SIZES[size])
    browser.get(page.as_uri())
    return dict(browser.execute_script(MEASURE_JS))


def _screenshot_wanted(card: dict[str, Any]) -> bool:
    return card["set"] == "showcase" or "cornerstone of the peer support relationship" in card["question"]


def test_every_card_fits_reads_and_shows_gap_and_answer(browser: Any, cards: list[dict[str, Any]]) -> None:
    assert len(cards) >= 20
    report = []
    for card in cards:
        for size in SIZES:
            for theme in ("light", "night"):
                for side in ("front", "back"):
                    m = _load(browser, card, side, size, theme)
                    where = f"{card['id']} {side} {size} {theme}"
                    if _screenshot_wanted(card):
                        screenshot(browser, ARTIFACTS / f"{card['id']}-{size}-{theme}-{side}.png")
                    report.append(f"{where}: viewport={m['viewport']} scrollWidth={m['scrollWidth']} "
                                  f"body={m['bodyFont']}px min_text={m['minFont']}px fonts={m['fonts']} "
                                  f"clozes={[(c['text'], round(c['width']), round(c['height'])) for c in m['clozes']]}")
                    assert m["viewport"] == SIZES[size][0], where
                    assert m["scrollWidth"] <= m["viewport"], f"{where}: horizontal overflow {m['scrollWidth']}"
                    assert m["bodyScrollWidth"] <= m["viewport"], where
                    assert m["widest"] <= m["viewport"] + 0.5, f"{where}: text past the right edge"
                    assert m["bodyFont"] >= 16 and m["minFont"] >= 16, f"{where}: small text {m['smallest']}"
                    _check_colours(m, theme, where)
                    if card["kind"] == "cloze":
                        _check_cloze(m, card, side, where)
                    else:
                        _check_qa(m, card, side, where)
                    if side == "back":
                        assert m["sentenceLabel"] == '"From the text"' and re.search(r"\.md\b", m["text"]), where
                        assert m["fonts"][".cd-source"] >= 16 and m["fonts"][".cd-sentence"] >= 16, where
    (ARTIFACTS / "sizes.txt").write_text("\n".join(report) + "\n", encoding="utf-8")


def _check_colours(m: dict[str, Any], theme: str, where: str) -> None:
    bg, fg = _luminance(m["background"]), _luminance(m["color"])
    if theme == "night":
        assert bg < 0.2 and fg > 0.7, f"{where}: not night colours ({m['background']}, {m['color']})"
    else:
        assert bg > 0.9 and fg < 0.3, f"{where}: not day colours ({m['background']}, {m['color']})"


def _check_cloze(m: dict[str, Any], card: dict[str, Any], side: str, where: str) -> None:
    active = list(m["clozes"])
    in_math = "\\(" in card["question_html"] and not active
    if in_math:  # a gap inside MathJax is typeset by MathJax itself, without a span
        assert "[...]" in m["text"] if side == "front" else all(a in m["text"] for a in card["answers"]), where
        return
    assert active, f"{where}: no cloze on the card"
    for gap in active:
        assert gap["width"] > 8 and gap["height"] >= 16, f"{where}: cloze not visible {gap}"
        assert gap["left"] >= 0 and gap["right"] <= m["viewport"], f"{where}: cloze off screen {gap}"
        assert int(gap["weight"]) >= 600, where
        assert gap["background"] not in (m["background"], "rgba(0, 0, 0, 0)"), f"{where}: gap not highlighted"
    shown = " ".join(g["text"] for g in active)
    if side == "front":
        assert re.fullmatch(r"(\[[^\]]*\]\s*)+", shown.strip()), f"{where}: front gap shows {shown!r}"
        front_text = m["text"].replace(m["text"].split("\n")[0], "", 1)  # drop the section cue line
        for answer in card["answers"]:
            assert answer not in front_text, f"{where}: answer {answer!r} visible on the front"
    else:
        for answer in card["answers"]:
            assert answer in shown.replace("\n", " "), f"{where}: answer {answer!r} not highlighted ({shown!r})"


def _check_qa(m: dict[str, Any], card: dict[str, Any], side: str, where: str) -> None:
    if side == "front":
        assert m["fonts"][".cd-question"] >= 20, where
        assert card["answers"][0] not in m["text"], where
    else:
        assert card["answers"][0] in m["text"], where
        assert m["fonts"][".cd-answer"] >= 20, where


def test_showcase_renders_formatting_math_image_and_code(cards: list[dict[str, Any]]) -> None:
    """What the showcase fields become on real Anki cards (content, not counts)."""
    showcase = {c["id"]: c for c in cards if c["set"] == "showcase"}
    by_text = lambda needle: [c for c in showcase.values() if needle in c["answer_html"]]  # noqa: E731
    rebase = by_text("replays your commits")[0]
    assert '<b><code>git rebase</code></b>' in rebase["answer_html"]
    assert re.search(r'<img src="cd-[0-9a-f]{12}-graph\.png" alt="Commit graph', rebase["answer_html"])
    assert "<img" not in rebase["question_html"]  # images sit on the back
    einstein = sorted(by_text("Einstein"), key=lambda c: c["ord"])
    assert "\\(E = [...]\\)" in einstein[0]["question_html"] and "\\(E = mc^2\\)" in einstein[0]["answer_html"]
    assert "<i>mass</i>" in einstein[0]["question_html"]  # the other gap is shown, in its emphasis
    steps = sorted(by_text("Stage"), key=lambda c: c["ord"])
    assert len(steps) == 3 and "<ol><li>" in steps[0]["question_html"] and "[verb]" in steps[1]["question_html"]
    qa = next(c for c in showcase.values() if c["kind"] == "qa")
    assert '<pre class="cd-code"><code>' in qa["answer_html"] and 'style="color:' in qa["answer_html"]
    assert "&#123;draft&#125;" in qa["answer_html"]  # braces in code cannot open a cloze or a field


def test_template_has_no_javascript() -> None:
    from generator.notes import templates

    for t in templates.CLOZE_TEMPLATES + templates.QA_TEMPLATES:
        for side in ("qfmt", "afmt"):
            assert not re.search(r"<script|javascript:|\bon[a-z]+\s*=", t[side], re.I)
    assert "<script" not in templates.CSS and "expression(" not in templates.CSS
