"""Inputs for the conversion tests, made at test time: the seed article inside a real theme's page, a study
page as Markdown, printed by Chromium, drawn by reportlab with running heads, and written by python-docx."""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

# The converters and the tools the tests make their inputs with: all in the `test` extra (pyproject.toml), so CI
# has them; a checkout run without `pip install -e '.[test]'` skips these tests and says why.
MISSING = [m for m in ("readability", "markdownify", "pdfminer", "mammoth", "docx", "reportlab")
           if importlib.util.find_spec(m) is None]
needs_converters = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)}: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
THEME_PAGE = Path(__file__).parent / "fixtures" / "convert" / "minimal-mistakes-post.html"
SEED = ROOT / "source" / "peer-support-empathy.md"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

STUDY_TITLE = "Controlling Bleeding"
STUDY = """# Controlling Bleeding

This study page covers what a first-aid candidate must know about bleeding and shock.

## Key Terms

A tourniquet is a tight band that cuts off the blood flow to an injured limb.

A pressure bandage is a bandage that keeps a steady pressure on a wound while help is on the way.

Hemostatic gauze is a dressing soaked in an agent that speeds up clotting.

## Direct Pressure

Direct pressure is the first way to stop most bleeding. Press on the wound with a clean cloth for at least ten \
minutes without lifting it to check.

## Steps to Stop Bleeding

1. Put on disposable gloves.
2. Press firmly on the wound with a clean cloth.
3. Raise the injured limb above the level of the heart.
4. Call the emergency number if the bleeding does not stop.

## Shock

Shock is a condition in which the organs do not get enough blood. A person in shock often has pale, cold and \
clammy skin. Lay the person down and raise their legs by about thirty centimetres unless this causes pain.

## Nosebleeds

For a nosebleed, the person should lean forward and pinch the soft part of the nose. Leaning back makes the \
person swallow blood, which can cause vomiting.
"""

# Cards the study page must give whatever it was converted from: (prompt, answers), the prompt with its
# context cue, so the headings must have come through as headings.
STUDY_MUST_HAVE = [
    ("(Controlling Bleeding › Key Terms) A [...] is a tight band that cuts off the blood flow to an injured limb.",
     ("tourniquet",)),
    ("(Controlling Bleeding › Key Terms) [...] is a dressing soaked in an agent that speeds up clotting.",
     ("Hemostatic gauze",)),
    ("[...] is the first way to stop most bleeding.", ("Direct pressure",)),
    ("(Controlling Bleeding › Direct Pressure) Press on the wound with a clean cloth for [...] without lifting it "
     "to check.", ("at least ten minutes",)),
    ("(Controlling Bleeding › Steps to Stop Bleeding) Call the [...] if the bleeding does not stop.",
     ("emergency number",)),
    ("(Controlling Bleeding) [...] is a condition in which the organs do not get enough blood.", ("Shock",)),
    ("(Controlling Bleeding › Shock) Lay the person down and raise their legs by about [...] unless "
     "this causes pain.", ("thirty centimetres",)),
]


def markdown_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def seed_in_theme() -> str:
    """The seed article's body as the theme's page renders it: title in the page header, the article in
    the content section, and its "Subscribe" lines where the site has them, in the page footer."""
    body = re.sub(r"\A---\n.*?\n---\n", "", SEED.read_text(encoding="utf-8"), flags=re.S)
    title = re.search(r"^# (.+)$", body, re.M).group(1)  # type: ignore[union-attr]
    body = body.replace(f"# {title}\n", "", 1).split("\nSubscribe\n")[0]
    page = THEME_PAGE.read_text(encoding="utf-8")
    return page.replace("{{ title }}", title).replace("{{ content }}", markdown_html(body))


def print_pdf(markdown: str, title: str, target: Path) -> None:
    """`markdown` as an HTML page, printed to `target` by headless Chromium with its default header and footer
    (date, title, address, page x/y on every page)."""
    page = target.with_suffix(".html")
    page.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
                    "<style>body{font-family:serif;font-size:19px;line-height:1.5}</style></head><body>"
                    f"{markdown_html(markdown)}</body></html>", encoding="utf-8")
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={target}",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    page.unlink()


# The study page as a typeset handout: (style, lines as set, with hyphens where the typesetter broke a word);
# None starts a new page. The Shock paragraph runs on from page 2 to page 3.
HANDOUT = [
    ("h1", ["Controlling Bleeding"]),
    ("p", ["This study page covers what a first-aid candidate must know about bleed-", "ing and shock."]),
    ("h2", ["Key Terms"]),
    ("p", ["A tourniquet is a tight band that cuts off the blood flow to an in-", "jured limb."]),
    ("p", ["A pressure bandage is a bandage that keeps a steady pressure on a", "wound while help is on the way."]),
    ("p", ["Hemostatic gauze is a dressing soaked in an agent that speeds up clot-", "ting."]),
    None,
    ("h2", ["Direct Pressure"]),
    ("p", ["Direct pressure is the first way to stop most bleeding. Press on the", "wound with a clean cloth for "
           "at least ten minutes without lifting it to", "check."]),
    ("h2", ["Steps to Stop Bleeding"]),
    ("li", ["1. Put on disposable gloves."]),
    ("li", ["2. Press firmly on the wound with a clean cloth."]),
    ("li", ["3. Raise the injured limb above the level of the heart."]),
    ("li", ["4. Call the emergency number if the bleeding does not stop."]),
    ("h2", ["Shock"]),
    ("p", ["Shock is a condition in which the organs do not get enough blood. A", "person in shock often has "
           "pale, cold and clammy skin. Lay the person", "down and raise their legs by about thirty centi-"]),
    None,
    ("p+", ["metres unless this causes pain."]),
    ("h2", ["Nosebleeds"]),
    ("p", ["For a nosebleed, the person should lean forward and pinch the soft", "part of the nose. Leaning back "
           "makes the person swallow blood, which", "can cause vomiting."]),
    ("h2", ["Warning Signs"]),
    ("table", ["Sign|Meaning", "Pale skin|Possible shock", "Spurting blood|Arterial bleeding"]),
]
HANDOUT_HEADER = "First Aid Study Guide · Unit 4"
HANDOUT_FOOTER = "© 2026 Example Training Ltd. All rights reserved."


def draw_handout(target: Path, encrypt: str | None = None, text: bool = True) -> None:
    """The handout as a 3-page PDF: a running header and footer and "Page N of 3" on every page, headings in
    a larger bold face. `encrypt`: a user password; `text=False`: shapes only, as a scan would have."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    pdf = canvas.Canvas(str(target), pagesize=A4, encrypt=encrypt, invariant=1)
    pages = [[]]  # type: list[list[tuple[str, list[str]]]]
    for block in HANDOUT:
        if block is None:
            pages.append([])
        else:
            pages[-1].append(block)
    for number, blocks in enumerate(pages, 1):
        if not text:
            pdf.rect(72, 200, width - 144, height - 300, fill=1)
            pdf.showPage()
            continue
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, height - 40, HANDOUT_HEADER)
        pdf.drawRightString(width - 72, height - 40, "Controlling Bleeding")
        pdf.drawString(72, 36, HANDOUT_FOOTER)
        pdf.drawRightString(width - 72, 36, f"Page {number} of {len(pages)}")
        y = height - 100
        for style, lines in blocks:
            big = {"h1": 20, "h2": 15}.get(style)
            if big:
                y -= 10
                pdf.setFont("Helvetica-Bold", big)
                pdf.drawString(72, y, lines[0])
                y -= big + 14
                continue
            pdf.setFont("Helvetica", 11)
            if style == "table":  # cells side by side, one row per line
                for row in lines:
                    for x, cell in zip((72, 260), row.split("|"), strict=False):  # a third cell is not drawn
                        pdf.drawString(x, y, cell)
                    y -= 18
                continue
            for line in lines:
                pdf.drawString(72, y, line)
                y -= 15
            y -= 12 if style == "li" else 18
        pdf.showPage()
    pdf.save()


def draw_columns(target: Path) -> None:
    """A page set in two columns under a full-width title: paragraphs side by side, their tops level."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _, height = A4
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, height - 80, "Blood Vessels Compared Side by Side in Two Columns of Text")
    pdf.setFont("Helvetica", 10)
    columns = {72: [["Arteries carry blood away from the heart under", "high pressure, which is why arterial "
                     "bleeding", "spurts in time with the pulse."],
                    ["Capillaries are the smallest vessels, where", "oxygen passes into the tissues."]],
               320: [["Veins carry blood back to the heart under low", "pressure, so venous bleeding flows in a "
                      "steady", "stream and is darker red."],
                     ["Venous valves stop the blood from flowing", "backwards in the limbs."]]}
    for x, paragraphs in columns.items():
        y = height - 120
        for lines in paragraphs:
            for line in lines:
                pdf.drawString(x, y, line)
                y -= 13
            y -= 20
    pdf.showPage()
    pdf.save()


def write_docx(markdown: str, target: Path) -> None:
    """The study page as a Word file with Word's own styles: Title/Heading 1-2, List Number, bold runs."""
    import docx

    document = docx.Document()
    document.core_properties.title = STUDY_TITLE
    for block in markdown.strip().split("\n\n"):
        if block.startswith("# "):
            document.add_heading(block[2:], 1)
        elif block.startswith("## "):
            document.add_heading(block[3:], 2)
        elif re.match(r"\d+\. ", block):
            for item in block.split("\n"):
                document.add_paragraph(item.split(". ", 1)[1], style="List Number")
        else:
            paragraph = document.add_paragraph()
            for i, part in enumerate(re.split(r"(Direct pressure)", block)):
                paragraph.add_run(part).bold = i % 2 == 1  # a bold run: emphasis must survive
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Sign", "Meaning"), ("Pale skin", "Possible shock"),
                                ("Spurting blood", "Arterial bleeding")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.save(str(target))
