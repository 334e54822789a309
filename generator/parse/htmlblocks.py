"""HTML tables and lists written into a Markdown article, read as the Markdown they stand for.

Notes copied from web pages often keep a `<table>` or `<ol>` as raw HTML, which Markdown passes through
as an HTML block: no rule reads it, and a page of them gives no card. Each top-level `<table>`, `<ol>`,
`<ul>` or `<dl>` block is converted with the same converter `certdeck add` uses for web pages (needs the
`html` extra; without it the blocks stay as they are). `<details>` and other HTML are left alone: the
exercise rule reads them.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"^[ \t]{0,3}<(table|ol|ul|dl)\b", re.I | re.M)
MAX_BLOCK_CHARS = 200_000  # a larger block is left as it is: bounded work per article


def convert_html_blocks(text: str) -> str:
    """`text` with each top-level HTML table or list block replaced by Markdown."""
    if "<" not in text or not _OPEN.search(text):
        return text
    try:
        from ..read.convert.html import html_to_markdown
    except ImportError:  # pragma: no cover - the html extra is missing
        return text
    out: list[str] = []
    pos = 0
    for m in _OPEN.finditer(text):
        if m.start() < pos:
            continue  # inside a block already converted
        end = _block_end(text, m.start(), m.group(1).lower())
        if end < 0 or end - m.start() > MAX_BLOCK_CHARS:
            continue
        try:
            markdown = html_to_markdown(text[m.start():end])
        except (ImportError, ValueError, RecursionError):
            continue
        # Padded to the lines the HTML took, so that line numbers of the text below stay true when it is
        # shorter (a table's Markdown is; a longer list moves the lines below, never a note's identity).
        lines = text.count("\n", m.start(), end)
        body = markdown.strip("\n").split("\n")
        body += [""] * max(0, lines + 1 - len(body))
        out += [text[pos:m.start()], "\n".join(body)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _block_end(text: str, start: int, tag: str) -> int:
    """Where the element opened at `start` closes (after its `</tag>`), counting nested ones; -1 if never."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    depth = 0
    for m in pattern.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return -1
