"""PDF -> Markdown with pdfminer.six: text in reading order, headings by font size and weight, lists,
page headers, footers and page numbers removed, words hyphenated at line ends joined.

pdfminer groups characters into lines and lines into text boxes (paragraphs) in reading order. A line is
a heading when its font is clearly larger than the body text's, or bold throughout and short; the larger
the font, the higher the level. A line at the top or bottom of a page is a running header or footer when
the same text (numbers aside) is there on most pages, or when it is only a page number. pdf_layout.py
puts the boxes in reading order (columns) and finds tables whose cells pdfminer kept apart.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...errors import GeneratorError
from . import Converted, tidy_markdown
from .pdf_layout import reading_order

EDGE = 0.1  # share of the page height at the top and at the bottom where running heads and feet live
HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
SMALL_PRINT = 0.9  # a line at a page edge this much smaller than the body text is a running head or foot
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^\s*([•◦▪▫‣⁃●○■□–\-*·])\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_LIGATURES = re.compile("[\ufb00-\ufb06]")  # ﬁ, ﬂ, ﬀ ...: one glyph in the PDF, letters in the text
_HYPHENATED = re.compile(r"(\w)[-\u00ad]$")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    size: float  # the font size most of its characters have
    bold: bool  # every character in a bold face
    top: float  # distance from the top of the page, 0..1
    bottom: float  # distance of its lower edge from the top of the page, 0..1
    page: int
    box: int  # which text box (paragraph) of its page it belongs to
    x0: float
    table: bool = False  # a whole table, as Markdown


def convert_pdf(data: bytes, path: str) -> Converted:
    lines, title = _read_lines(data, path)
    if not lines:
        raise GeneratorError("no text in this PDF (a scan or an image-only PDF? run OCR on it first)", path)
    lines = _without_running_lines(lines)
    markdown = _markdown(lines)
    heading = re.search(r"^#{1,6}\s+(.+)$", markdown, re.M)
    return Converted(title or (heading.group(1).strip() if heading else "Untitled PDF"), markdown)


def _read_lines(data: bytes, path: str) -> tuple[list[Line], str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    lines: list[Line] = []
    try:
        title = _metadata_title(data)
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            height = (page.y1 - page.y0) or 1.0
            boxes = [el for el in page if isinstance(el, LTTextBox)]
            for index, (kind, item) in enumerate(reading_order(boxes)):
                if kind == "table":
                    table = _table(item, number, index, page.y1, height)
                    if table is not None:
                        lines.append(table)
                    continue
                for line in item:
                    if not isinstance(line, LTTextLine):
                        continue
                    made = _line(line, number, index, page.y1, height)
                    if made is not None:
                        lines.append(made)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise GeneratorError("encrypted PDF: it needs a password to open; save an unprotected copy", path) from None
    except (PDFSyntaxError, PSException) as err:
        raise GeneratorError(f"not a readable PDF ({err or type(err).__name__})", path) from None
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds of errors on damaged files
        if "crypt" in type(err).__name__.lower() or "password" in str(err).lower():
            raise GeneratorError("encrypted PDF: it needs a password to open; save an unprotected copy",
                                 path) from None
        raise GeneratorError(f"not a readable PDF ({type(err).__name__}: {err})", path) from None
    return lines, title


def _metadata_title(data: bytes) -> str:
    """The document's /Title, when it is text a person would call a title (not a file name)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    for info in doc.info:
        raw = resolve1(info.get("Title"))
        if isinstance(raw, bytes):
            text = raw[2:].decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        elif isinstance(raw, str):
            text = raw
        else:
            continue
        text = " ".join(text.split())
        if text and not re.search(r"\.(?:md|html?|docx?|pdf|txt)$|^untitled|^microsoft word", text, re.I):
            return text
    return ""


def _line(line: Any, page: int, box: int, page_top: float, height: float) -> Line | None:
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    text = " ".join(unicodedata.normalize("NFKC", line.get_text()).split()) if _LIGATURES.search(
        line.get_text()) else " ".join(line.get_text().split())
    if not chars or not text:
        return None
    sizes = Counter(round(c.size, 1) for c in chars if c.get_text().strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0].size, 1)
    bold = all(_BOLD.search(c.fontname or "") for c in chars if c.get_text().strip())
    return Line(text, size, bold, (page_top - line.y1) / height, (page_top - line.y0) / height, page, box,
                line.x0)


def _table(rows: list[list[Any]], page: int, box: int, page_top: float, height: float) -> Line | None:
    """Rows of side-by-side boxes as a Markdown table, the first row its header."""
    cells = [[_cell_text(b) for b in row] for row in rows]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + " --- |" * width)
    first = [line for line in rows[0][0] if hasattr(line, "get_text")]
    size = first[0].height if first else 0.0
    top = (page_top - rows[0][0].y1) / height
    bottom = (page_top - rows[-1][0].y0) / height
    return Line("\n".join(lines), round(size, 1), False, top, bottom, page, box, rows[0][0].x0, table=True)


def _cell_text(box: Any) -> str:
    text = " ".join(unicodedata.normalize("NFKC", box.get_text()).split())
    return text.replace("|", "\\|")


def _without_running_lines(lines: list[Line]) -> list[Line]:
    """Lines minus running headers and footers (the same text at a page edge on most pages) and page numbers."""
    pages = len({line.page for line in lines})
    body = _body_size(lines)
    at_edge = [line for line in lines if line.top < EDGE or line.bottom > 1 - EDGE]
    counts = Counter((_shape(line.text), line.top < EDGE) for line in at_edge)
    repeated = {key for key, n in counts.items() if pages >= 2 and n >= max(2, pages // 2)}
    drop = {id(line) for line in at_edge
            if (_shape(line.text), line.top < EDGE) in repeated or _PAGE_NUMBER.match(line.text)
            # small print at the very edge: a browser's or word processor's date, title and address line
            or (line.size < body * SMALL_PRINT and len(line.text.split()) <= 12)}
    return [line for line in lines if id(line) not in drop]


def _shape(text: str) -> str:
    """A running line's text with its numbers blanked: 'Page 3 of 9' and 'Page 4 of 9' are the same line."""
    return re.sub(r"\d+", "#", text.lower())


def _markdown(lines: list[Line]) -> str:
    body = _body_size(lines)
    levels = _heading_levels(lines, body)
    out: list[str] = []
    para: list[str] = []
    prefix = ""

    def flush() -> None:
        nonlocal para, prefix
        if para:
            out.append(prefix + _join(para))
            out.append("" if not prefix else "\x00")  # list items stay together: no blank line between them
        para, prefix = [], ""

    previous: Line | None = None
    for line in lines:
        if line.table:
            flush()
            out.extend([line.text, ""])
            previous = line
            continue
        level = levels.get(line.size) if line.size > body * HEADING_RATIO else None
        if level is None and line.bold and _heading_like(line.text):
            level = max(levels.values(), default=1) + (1 if line.size > body * HEADING_RATIO else 0)
            level = min(max(level, 2), 6)
        if level is not None:
            flush()
            if out and out[-1].startswith("#" * level + " ") and previous is not None and \
                    previous.size == line.size and previous.box == line.box and previous.page == line.page:
                out[-1] += " " + line.text  # a heading that wraps onto a second line
                out.append("")
            else:
                out.extend([f"{'#' * level} {line.text}", ""])
            previous = line
            continue
        new_block = previous is None or line.page != previous.page or line.box != previous.box
        bullet, numbered = _BULLET.match(line.text), _NUMBERED.match(line.text)
        marker = bullet or numbered
        if marker:
            flush()
            prefix = "- " if bullet else f"{marker.group(1)}. "
            para = [line.text[marker.end():]]
        elif new_block and not _continues(para, line, previous):
            flush()
            para = [line.text]
        else:
            para.append(line.text)
        previous = line
    flush()
    text = "\n".join(out)
    text = re.sub(r"\n\x00\n(?=(?:- |\d+\. ))", "\n", text).replace("\x00", "")
    return tidy_markdown(text)


def _continues(para: list[str], line: Line, previous: Line | None) -> bool:
    """A paragraph that runs on across a page break or a column: its last line has no end and this one
    starts in lower case."""
    return bool(para) and previous is not None and not re.search(r"[.!?:;\"”)]$", para[-1]) and \
        line.text[:1].islower()


def _join(parts: Iterable[str]) -> str:
    """Lines of a paragraph as one line, a word hyphenated at a line end put back together."""
    text = ""
    for part in parts:
        if text and _HYPHENATED.search(text) and part[:1].islower():
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return text


def _body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0]


def _heading_levels(lines: list[Line], body: float) -> dict[float, int]:
    """Heading font sizes, largest first, as levels 1, 2, ... (at most 6); sizes used for long runs of
    text are not headings (a large-print page)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.size > body * HEADING_RATIO and _heading_like(line.text):
            sizes[line.size] += 1
    return {size: min(i + 1, 6) for i, size in enumerate(sorted(sizes, reverse=True))}


def _heading_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 14 and not re.search(r"[.,;]$", text)
