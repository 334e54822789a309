"""Study notes indented like an outline, read as the outline they are rather than as code.

Markdown takes every block indented by four spaces for code, so notes written as an indented outline
("    1.1 Install laptop hardware" over "        -Inverter- converts DC to AC") would give no card at all. A run of
indented lines that reads as prose (words, list markers, few code symbols) is rewritten: numbered outline
titles ("1.1 ...") become headings, "-" lines list items nested by their indentation, other lines paragraphs.
Indented code (symbols, commands) is left alone.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKER = re.compile(r"^(?:[-*+•]\s*|\d{1,2}[.)]\s+)")
_OUTLINE_TITLE = re.compile(r"^\d+(?:\.\d+)+\s+[A-Z]")
_CODE_CHARS = re.compile(r"[{}();=<>$\[\]|\\`]")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’]+")
PROSE_SHARE = 0.8  # of a run's lines, for the run to be read as notes


def unindent_outline(text: str) -> str:
    """`text` with indented runs that read as prose turned into headings, lists and paragraphs."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    fenced = False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not _indented(line) or (out and out[-1].strip() and not out[-1].lstrip().startswith("#")):
            out.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and (_indented(lines[j]) or not lines[j].strip()):
            j += 1
        run = lines[i:j]
        if _reads_as_notes(run):
            out += _as_markdown(run)
        else:
            out += run
        i = j
    return "\n".join(out)


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t")) and bool(line.strip())


def _width(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _reads_as_notes(run: list[str]) -> bool:
    full = [line.strip() for line in run if line.strip()]
    if len(full) < 2:
        return False
    prose = 0
    for line in full:
        body = _MARKER.sub("", line)
        words = _WORDS.findall(body)
        if len(words) >= 2 and len(_CODE_CHARS.findall(body)) <= max(1, len(body) // 25) and body[:1].isalnum():
            prose += 1
    return prose >= PROSE_SHARE * len(full)


def _as_markdown(run: list[str]) -> list[str]:
    base = min(_width(line) for line in run if line.strip())
    out: list[str] = [""]
    for line in run:
        if not line.strip():
            out.append("")
            continue
        level = (_width(line) - base) // 4
        body = line.strip()
        if level == 0 and _OUTLINE_TITLE.match(body):
            out += ["", "#### " + body.rstrip("."), ""]
        elif _MARKER.match(body):
            marker = "1. " if body[:1].isdigit() else "- "
            out.append("  " * max(0, level - 1) + marker + _MARKER.sub("", body))
        else:
            out += ["", body, ""]
    out.append("")
    return out
