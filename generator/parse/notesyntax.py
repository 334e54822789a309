"""Syntax of note apps and page exports that Markdown does not know, read as what a reader sees.

- Obsidian (and GitHub) callouts: `> [!WARNING] Title` is a quote opened by a label; it becomes
  `> **Warning:** Title`, so the marker is no word of a card and the label is read as other labels are.
- MathML annotations: `<annotation encoding="StarMath 5.0"> size 12{V} {}</annotation>` is a second
  encoding of a formula for editors, never shown by a browser; its text would land in sentences.

- Rule lines of "=" after a blank line (`=====` framing a plain-text file's section title): no setext
  underline can follow a blank line, so Markdown would read the rule as a paragraph or glue it to the title.

- Wiki links: `[[Cards/Blood|Blood]]` reads "Blood", `[[Stress]]` reads "Stress", `[[#adverse reaction]]`
  reads "adverse reaction"; an embed `![[diagram.png]]` is no text.

- Keycap emoji numbers (`1️⃣`, `1️⃣4️⃣`) that number questions and answers are list markers, not words: a
  card would ask for "1".

Every rewrite keeps the text's line breaks, so line numbers stay those of the file.
"""

from __future__ import annotations

import re

_CALLOUT = re.compile(r"^([ \t]{0,3}(?:>[ \t]?)+)\[!([A-Za-z][\w-]{0,30})\][+-]?[ \t]*", re.M)
_EMBED = re.compile(r"!\[\[[^\[\]\n]{1,300}\]\]")
_WIKI_LINK = re.compile(r"\[\[(?![\w-]+:)(?P<target>[^\[\]|\n]{1,300})(?:\|(?P<alias>[^\[\]\n]{1,300}))?\]\]")
_KEYCAP = re.compile(r"(?:[0-9#*]\ufe0f?\u20e3)+[ \t]?")
_RULE_LINE = re.compile(r"(?:(?<=\n\n)|(?<=\A))[ \t]*={3,}[ \t]*(?=\n|\Z)")
_ANNOTATION = re.compile(r"<annotation(?:-xml)?\b[^>]{0,200}>.*?</annotation(?:-xml)?>", re.S | re.I)


def read_note_syntax(text: str) -> str:
    """`text` with callout markers, MathML annotations and rule lines rewritten (see the module docstring)."""
    if "[[" in text:
        text = _EMBED.sub("", text)
        text = _WIKI_LINK.sub(_wiki_text, text)
    if "===" in text:
        text = _RULE_LINE.sub("", text)
    if "\u20e3" in text:
        text = _KEYCAP.sub("", text)
    if "[!" in text:
        text = _CALLOUT.sub(_callout_label, text)
    if "<annotation" in text or "<ANNOTATION" in text:
        text = _ANNOTATION.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return text


def _wiki_text(m: re.Match[str]) -> str:
    if m.group("alias"):
        return m.group("alias")
    target = m.group("target").rsplit("/", 1)[-1]
    page, _, heading = target.partition("#")
    return (heading or page).strip()


def _callout_label(m: re.Match[str]) -> str:
    label = m.group(2).replace("-", " ").replace("_", " ").capitalize()
    return f"{m.group(1)}**{label}:** "
