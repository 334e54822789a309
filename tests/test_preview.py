"""`certdeck preview`: one self-contained page with every card, checked in the same headless Chromium."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from generator.cli import app
from generator.notes.preview import render_builtin, render_with_anki
from tests.browser import ARTIFACTS, DESKTOP, PHONE, chromium, require_browser, screenshot, set_viewport
from tests.cardutil import write_showcase


def test_builtin_renderer_matches_anki(tmp_path: Path) -> None:
    """Without the anki package the preview falls back to our copy of the templates: it must agree."""
    _, notes, media = write_showcase(tmp_path)
    decks = {"certdeck showcase": notes}
    anki, builtin = render_with_anki(decks, media), render_builtin(decks)
    assert len(anki) == len(builtin) == sum(len(n.cards) for n in notes)
    for a, b in zip(anki, builtin, strict=True):
        assert (a.note.guid, a.ord, a.question, a.answer) == (b.note.guid, b.ord, b.question, b.answer)


def test_preview_page_shows_every_card(tmp_path: Path, root: Path) -> None:
    page = tmp_path / "preview.html"
    cards_json = tmp_path / "cards.json"
    result = CliRunner().invoke(app, ["preview", str(root / "source"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "rendered by the official anki package" in result.stdout
    assert CliRunner().invoke(app, ["build", str(root / "source"), "-o", str(tmp_path / "d"), "--json",
                                    str(cards_json), "-q"]).exit_code == 0
    notes = json.loads(cards_json.read_text(encoding="utf-8"))["notes"]
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|src=\"http|@import", text)  # self-contained, nothing runs
    assert text.count('class="pv-note"') == len(notes)
    assert text.count('class="pv-face pv-front"') == sum(len(n["cards"]) for n in notes)
    for note in notes:
        assert f'data-guid="{note["guid"]}"' in text
        assert (f'<b>line {note["source"]["line"]}</b> · rule <b>{note["rule"]}</b> '
                f'· score <b>{note["score"]:.2f}</b>') in text
    assert "<h3>Why Empathy is Crucial for Peer Support Specialists › Trust is Key</h3>" in text
    assert '[...]</span> is the cornerstone of the peer support relationship.' in text


def test_preview_page_in_chromium(tmp_path: Path) -> None:
    require_browser()
    src = tmp_path / "src"
    write_showcase(tmp_path)  # puts the article and its image under tmp_path/src
    page = ARTIFACTS / "preview" / "preview.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(app, ["preview", str(src), "-o", str(page), "-q"])
    assert result.exit_code == 0, result.output
    assert "data:image/png;base64," in page.read_text(encoding="utf-8")  # the image travels inside the page
    with chromium() as browser:
        for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
            set_viewport(browser, size)
            browser.get(page.as_uri())
            state: dict[str, Any] = browser.execute_script(_STATE_JS)
            assert state["scrollWidth"] <= state["viewport"] == size[0], state
            assert state["faces"] > 0 and state["images"] >= 1 and state["brokenImages"] == 0, state
            assert state["faceWidth"] == min(390, size[0] - 2 * 12 - 2 * 11), state  # phone frames by default
            screenshot(browser, ARTIFACTS / "preview" / f"preview-{name}-light.png")
            for label in ("pv-night", "pv-desktop"):
                browser.find_element("css selector", f"label[for={label}]").click()
            night: dict[str, Any] = browser.execute_script(_STATE_JS)
            assert night["cardBackground"] != state["cardBackground"], "night toggle changes the cards"
            assert night["faceWidth"] > state["faceWidth"] or size == PHONE, "desktop toggle widens the frames"
            assert night["scrollWidth"] <= night["viewport"], night
            screenshot(browser, ARTIFACTS / "preview" / f"preview-{name}-night-desktop-frames.png")


_STATE_JS = """
const face = document.querySelector('.pv-face');
const card = document.querySelector('.pv-face .card');
const imgs = [...document.querySelectorAll('.pv-face img')];
return {viewport: innerWidth, scrollWidth: document.documentElement.scrollWidth,
        faces: document.querySelectorAll('.pv-face').length, faceWidth: face.getBoundingClientRect().width,
        cardBackground: getComputedStyle(card).backgroundColor, images: imgs.length,
        brokenImages: imgs.filter(i => !i.complete || i.naturalWidth === 0).length};
"""
