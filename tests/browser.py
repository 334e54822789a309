"""Headless Chromium (Debian's chromium + chromedriver, driven by selenium) for looking at cards as a learner would.

`card_page` wraps one side of a card, as rendered by the official anki package, the way Anki's reviewers
do: the note type's CSS, `<body class="card cardN">` (plus `nightMode night_mode` at night, as desktop
sets both and AnkiDroid/AnkiMobile one of them) and the HTML in `<div id="qa">`. With CI=true a missing
browser fails the tests instead of skipping them.
"""
from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"  # git-ignored
PHONE = (390, 844)
DESKTOP = (1280, 800)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-color-profile=srgb")


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> tuple[str, str]:
    """Paths of chromium and chromedriver; fails under CI=true when they are missing, else skips."""
    browser = _find("chromium", "chromium-browser", "google-chrome")
    driver = _find("chromedriver")
    try:
        import selenium  # noqa: F401
        missing = [] if browser and driver else ["chromium" if not browser else "chromedriver"]
    except ImportError:
        missing = ["selenium (pip install -e '.[test]')"]
    if missing:
        message = f"browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return str(browser), str(driver)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium session with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="certdeck-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        session = webdriver.Chrome(service=Service(driver), options=options)
        try:
            yield session
        finally:
            session.quit()


def set_viewport(session: Any, size: tuple[int, int]) -> None:
    """Emulate a screen: phone sizes as a mobile device (viewport meta honoured), others as a desktop."""
    width, height = size
    session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def screenshot(session: Any, path: Path) -> None:
    """A PNG of the whole page (beyond the viewport when the card is taller)."""
    height = session.execute_script("return Math.max(document.documentElement.scrollHeight, innerHeight)")
    width = session.execute_script("return innerWidth")
    shot = session.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 4000), "scale": 1}})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def card_page(css: str, body: str, ord_: int, night: bool) -> str:
    """One side of a card as a page, the way Anki's reviewers wrap it."""
    classes = f"card card{ord_ + 1}" + (" nightMode night_mode" if night else "")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<style>{css}</style></head><body class=\"{classes}\"><div id=\"qa\">{body}</div></body></html>")


# Measurements taken inside the page: overflow, the smallest font of any visible text, the cloze spans.
MEASURE_JS = r"""
const doc = document.documentElement;
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (!node.textContent.trim()) continue;
  const el = node.parentElement;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;
  texts.push({size: parseFloat(getComputedStyle(el).fontSize), cls: el.className, tag: el.tagName,
              text: node.textContent.trim().slice(0, 40), right: r.right});
}
const px = (el, prop) => el ? getComputedStyle(el)[prop] : null;
const clozes = [...document.querySelectorAll('.cloze')].map(el => {
  const r = el.getBoundingClientRect();
  return {text: el.innerText, width: r.width, height: r.height, left: r.left, right: r.right,
          color: px(el, 'color'), background: px(el, 'backgroundColor'), weight: px(el, 'fontWeight')};
});
const body = document.body;
return {
  viewport: innerWidth, scrollWidth: doc.scrollWidth, bodyScrollWidth: body.scrollWidth,
  bodyFont: parseFloat(px(body, 'fontSize')),
  minFont: Math.min(...texts.map(t => t.size)),
  smallest: texts.reduce((a, t) => (a && a.size <= t.size) ? a : t, null),
  widest: Math.max(...texts.map(t => t.right)),
  fonts: Object.fromEntries(['.cd-context', '.cd-text', '.cd-question', '.cd-answer', '.cd-sentence',
                             '.cd-source', '.cd-extra'].map(s => [s, document.querySelector(s) ?
                             parseFloat(px(document.querySelector(s), 'fontSize')) : null])),
  background: px(body, 'backgroundColor'), color: px(body, 'color'),
  clozes: clozes, text: body.innerText,
  sentenceLabel: document.querySelector('.cd-sentence') ?
    getComputedStyle(document.querySelector('.cd-sentence'), '::before').content : null,
};
"""
