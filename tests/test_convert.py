"""Web pages, PDFs and Word files: converted to Markdown (read/convert/), read in place by `build` and
written as articles by `add`. Each input is made for real (a theme's page, Chromium's print, reportlab,
python-docx) and must give the facts of the Markdown it came from."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.read.convert import article_text, convert, find_license

from .convertutil import (
    CHROMIUM,
    HANDOUT_FOOTER,
    HANDOUT_HEADER,
    SEED,
    STUDY,
    STUDY_MUST_HAVE,
    STUDY_TITLE,
    draw_columns,
    draw_handout,
    needs_converters,
    print_pdf,
    seed_in_theme,
    write_docx,
)

pytestmark = needs_converters
SEED_TITLE = "Why Empathy is Crucial for Peer Support Specialists"
FURNITURE = ("Practice Exams", "Editorial Team", "Follow", "Share on", "You May Also Enjoy", "Active Listening Skills",
             "Recovery Model", "cookies", "Got it", "Subscribe", "Get the latest", "privacy policy", "Jekyll",
             "Minimal Mistakes", "minute read", "Tags:", "Sacramento")


def build(tmp_path: Path, *paths: Path, name: str = "out") -> tuple[Any, list[dict[str, Any]]]:
    out, cards = tmp_path / name, tmp_path / f"{name}.json"
    result = CliRunner().invoke(app, ["build", *map(str, paths), "-o", str(out), "--json", str(cards), "-q",
                                      "--no-cache"])
    notes = json.loads(cards.read_text(encoding="utf-8"))["notes"] if cards.exists() else []
    return result, notes


def card_set(notes: list[dict[str, Any]]) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((n["kind"], c["prompt"], tuple(c["answers"])) for n in notes for c in n["cards"])


def card_pairs(notes: list[dict[str, Any]]) -> set[tuple[str, tuple[str, ...]]]:
    return {(c["prompt"], tuple(c["answers"])) for n in notes for c in n["cards"]}


# -- web pages ---------------------------------------------------------------------------------------------

def test_seed_in_a_real_theme_gives_the_same_cards_as_its_markdown(tmp_path: Path) -> None:
    page = tmp_path / "empathy.html"
    page.write_text(seed_in_theme(), encoding="utf-8")
    result, from_page = build(tmp_path, page, name="page")
    assert result.exit_code == 0, result.output
    _, from_markdown = build(tmp_path, SEED, name="md")
    assert len(from_markdown) >= 10
    assert card_set(from_page) == card_set(from_markdown)
    assert {n["deck"] for n in from_page} == {SEED_TITLE}  # no `deck` front matter: the article's title
    text = json.dumps([n["fields"] for n in from_page] + [n["cards"] for n in from_page])
    assert not [word for word in FURNITURE if word.lower() in text.lower()]


def test_converted_page_keeps_the_article_and_names_its_origin() -> None:
    conv = convert(seed_in_theme().encode("utf-8"), "html", "empathy.html")
    article = article_text(conv)
    assert conv.title == SEED_TITLE
    assert conv.origin == "https://example.org/blog/peer-support-empathy/"  # its canonical link
    assert article.startswith(f'---\ntitle: "{SEED_TITLE}"\norigin: "https://example.org/blog/peer-support-empathy/"'
                              f'\n---\n\n# {SEED_TITLE}\n')
    for heading in ("What Makes Empathy So Important?", "Trust is Key", "Wrapping Up"):
        assert f"\n## {heading}\n" in article
    assert "cornerstone of the peer support relationship" in article
    assert not [word for word in FURNITURE if word.lower() in article.lower()]


def test_page_structure_becomes_markdown() -> None:
    page = ("<html><head><title>Ports | Net Notes</title></head><body><nav><a href='/'>Home</a></nav><main><article>"
            "<h1>Common Ports</h1><p>Every exam asks about <strong>well-known ports</strong> and <em>which</em> "
            "service uses them. Learn the table below by heart before the test day.</p>"
            "<h2>Table</h2><table><thead><tr><th>Port</th><th>Service</th></tr></thead><tbody>"
            "<tr><td>22</td><td>SSH</td></tr><tr><td>443</td><td>HTTPS</td></tr></tbody></table>"
            "<h2>Commands</h2><ul><li>Check with <code>ss -tlnp</code></li><li>Or with netstat</li></ul>"
            "<pre><code>ss -tlnp | grep 22\n</code></pre><p><img src='https://example.org/ports.png' alt='Port map'>"
            " The map shows which side opens the connection to the server in each case.</p>"
            "<p>Text on this page is available under <a rel='license' "
            "href='https://creativecommons.org/licenses/by-sa/4.0/'>CC BY-SA 4.0</a>.</p>"
            "</article></main><footer>Subscribe to our newsletter</footer></body></html>")
    conv = convert(page.encode(), "html", "ports.html", origin="ports.html")
    md = conv.markdown
    assert conv.title == "Common Ports" and conv.license == "CC BY-SA 4.0" and conv.origin == "ports.html"
    assert "**well-known ports**" in md and "*which*" in md
    assert "| Port | Service |" in md and "| 22 | SSH |" in md
    assert "- Check with `ss -tlnp`" in md
    assert "```\nss -tlnp | grep 22\n```" in md
    assert "![Port map](https://example.org/ports.png)" in md
    assert "Home" not in md and "Subscribe" not in md


def test_license_names() -> None:
    assert find_license("https://creativecommons.org/licenses/by/4.0/") == "CC BY 4.0"
    assert find_license("Licensed CC BY-NC-SA 3.0.") == "CC BY-NC-SA 3.0"
    assert find_license("https://creativecommons.org/publicdomain/zero/1.0/") == "CC0 1.0"
    assert find_license("All rights reserved") == ""


def test_origin_and_license_on_every_card_back_and_the_deck_description(tmp_path: Path) -> None:
    from .ankiutil import collection, import_package, rendered_cards

    page = seed_in_theme().replace(
        '<div class="page__footer-copyright">',
        '<div class="page__footer-copyright">Licensed under <a rel="license" '
        'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. ')
    src = tmp_path / "src"
    src.mkdir()
    (src / "empathy.html").write_text(page, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    attribution = "from https://example.org/blog/peer-support-empathy/ · CC BY 4.0"
    with collection(tmp_path / "anki") as col:
        import_package(col, next((tmp_path / "out").glob("*.apkg")))
        cards = rendered_cards(col)
        assert len(cards) >= 10
        assert all(attribution in card["answer"] for card in cards)
        deck = col.decks.by_name(SEED_TITLE)
        assert deck is not None and attribution in deck["desc"]


def test_page_with_no_main_text_is_one_error_and_the_rest_is_built(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "cells.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    (src / "login.html").write_text("<html><head><title>Sign in</title></head><body><nav><a href='/'>Home</a>"
                                    "<a href='/blog'>Blog</a></nav><form><input name=user><button>Sign in"
                                    "</button></form><footer>© 2026 Example</footer></body></html>")
    result, notes = build(tmp_path, src)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {src / 'login.html'}: no main text found on this web page")
    assert {n["deck"] for n in notes} == {"Cells"}


# -- PDF ---------------------------------------------------------------------------------------------------

@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium) to print the PDF")
def test_pdf_printed_by_chromium_gives_the_facts_of_its_markdown(tmp_path: Path) -> None:
    pdf = tmp_path / "bleeding.pdf"
    print_pdf(STUDY, STUDY_TITLE, pdf)
    md = tmp_path / "md" / "bleeding.md"
    md.parent.mkdir()
    md.write_text(STUDY, encoding="utf-8")
    result, from_pdf = build(tmp_path, pdf, name="pdf")
    assert result.exit_code == 0, result.output
    _, from_md = build(tmp_path, md, name="md")
    for must in STUDY_MUST_HAVE:
        assert must in card_pairs(from_md)
        assert must in card_pairs(from_pdf)
    assert {n["deck"] for n in from_pdf} == {STUDY_TITLE}
    # Chromium's running header and footer (date, title, file address, page x/y) give no card
    assert not [n for n in from_pdf if "file:" in n["source"]["sentence"] or "/" in n["source"]["sentence"]]


def test_typeset_pdf_loses_running_heads_page_numbers_and_hyphens(tmp_path: Path) -> None:
    pdf = tmp_path / "handout.pdf"
    draw_handout(pdf)
    conv = convert(pdf.read_bytes(), "pdf", "handout.pdf")
    md = conv.markdown
    assert conv.title == STUDY_TITLE
    for gone in (HANDOUT_HEADER, HANDOUT_FOOTER, "Page 1", "Page 3", "bleed-", "in- jured", "centi-", "centi metres"):
        assert gone not in md
    for kept in ("# Controlling Bleeding", "## Key Terms", "## Steps to Stop Bleeding", "## Nosebleeds",
                 "must know about bleeding and shock.", "blood flow to an injured limb.", "speeds up clotting.",
                 "1. Put on disposable gloves.\n2. Press firmly",
                 "raise their legs by about thirty centimetres unless this causes pain.",
                 "## Warning Signs\n\n| Sign | Meaning |\n| --- | --- |\n| Pale skin | Possible shock |\n"
                 "| Spurting blood | Arterial bleeding |"):
        assert kept in md
    result, from_pdf = build(tmp_path, pdf)
    assert result.exit_code == 0, result.output
    for must in STUDY_MUST_HAVE:
        assert must in card_pairs(from_pdf)


def test_pdf_columns_are_read_column_by_column(tmp_path: Path) -> None:
    pdf = tmp_path / "columns.pdf"
    draw_columns(pdf)
    md = convert(pdf.read_bytes(), "pdf", "columns.pdf").markdown
    order = [md.index(start) for start in ("# Blood Vessels", "Arteries carry", "Capillaries are", "Veins carry",
                                           "Venous valves")]
    assert order == sorted(order), md
    assert "arterial bleeding spurts in time with the pulse." in md and "|" not in md


@pytest.mark.parametrize("case, message", [
    ("encrypted", "encrypted PDF: it needs a password to open"),
    ("image-only", "no text in this PDF (a scan or an image-only PDF? run OCR on it first)"),
    ("broken", "not a readable PDF"),
])
def test_bad_pdf_is_one_error_and_the_rest_is_built(tmp_path: Path, case: str, message: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "cells.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    bad = src / "guide.pdf"
    if case == "broken":
        draw_handout(bad)
        bad.write_bytes(bad.read_bytes()[:700])  # cut off, as an interrupted download is
    else:
        draw_handout(bad, encrypt="secret" if case == "encrypted" else None, text=case != "image-only")
    result, notes = build(tmp_path, src)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {bad}: {message}")
    assert {n["deck"] for n in notes} == {"Cells"}


def test_damaged_pdf_is_one_line_in_a_real_process(tmp_path: Path) -> None:
    """pdfminer logs each object it cannot read; none of that may reach the output (pytest captures logging,
    so this runs certdeck as a process of its own)."""
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "cells.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    bad = src / "guide.pdf"
    draw_handout(bad)
    data = bytearray(bad.read_bytes())
    xref = data.index(b"\nxref")  # offsets in the cross-reference table overwritten, the catalog renamed
    data[xref + 20 : xref + 120] = bytes(b if not 48 <= b <= 57 else 0x3F for b in data[xref + 20 : xref + 120])
    data[data.index(b"/Root") : data.index(b"/Root") + 5] = b"/Xoot"
    bad.write_bytes(bytes(data))
    run = subprocess.run([sys.executable, "-m", "generator", "build", str(src), "-o", str(tmp_path / "out"), "-q"],
                         capture_output=True, text=True, cwd=SEED.parent.parent, timeout=300)
    assert run.returncode == 1
    assert run.stderr == f"error: {bad}: not a readable PDF (No /Root object! - Is this really a PDF?)\n"
    assert (tmp_path / "out" / "Cells.apkg").is_file()


# -- Word --------------------------------------------------------------------------------------------------

def test_docx_gives_the_facts_of_its_markdown(tmp_path: Path) -> None:
    doc = tmp_path / "bleeding.docx"
    write_docx(STUDY, doc)
    md = convert(doc.read_bytes(), "docx", "bleeding.docx").markdown
    assert "# Controlling Bleeding" in md and "## Steps to Stop Bleeding" in md
    assert "**Direct pressure** is the first way" in md
    assert "1. Put on disposable gloves.\n2. Press firmly on the wound with a clean cloth." in md
    assert "| Sign | Meaning |" in md and "| Pale skin | Possible shock |" in md
    result, notes = build(tmp_path, doc)
    assert result.exit_code == 0, result.output
    for must in STUDY_MUST_HAVE:
        assert must in card_pairs(notes)


def test_docx_that_is_not_a_zip_is_one_error(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "cells.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    (src / "handout.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # an old .doc
    result, notes = build(tmp_path, src)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {src / 'handout.docx'}: not a Word .docx file (a .docx is a zip archive; "
                             "this is not one: an old .doc? save it as .docx)\n")
    assert {n["deck"] for n in notes} == {"Cells"}


def test_the_folder_a_browser_saves_beside_a_page_is_not_read(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "empathy_files").mkdir(parents=True)
    (src / "empathy.html").write_text(seed_in_theme(), encoding="utf-8")
    (src / "empathy_files" / "ad-frame.html").write_text("<html><body><a href='/'>Buy now</a></body></html>")
    (src / "other_files").mkdir()
    (src / "other_files" / "notes.md").write_text(
        "# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    result, notes = build(tmp_path, src)
    assert result.exit_code == 0, result.output
    assert {n["deck"] for n in notes} == {SEED_TITLE, "Cells"}  # no page beside `other_files`: it is read

