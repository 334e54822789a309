"""Text pasted from a browser, as Markdown: one block a line, headings and lists recognised by their shape.

A page copied from the browser (saved as .txt, or as .md with no Markdown in it) has one line per paragraph,
heading or list item, often with no blank line between them, and the site's menu and the page title at the
top. Read as Markdown, its lines would run together into one paragraph ("Counting hosts The number of ...").
Hard-wrapped text (most lines of about the same length, ending mid-sentence) keeps its paragraphs.
"""

from __future__ import annotations

import re

from ..extract.commands import is_command

# What a Markdown author writes and a browser copy never holds.
_MARKDOWN = re.compile(
    r"(?m)^(?:#{1,6}\s|```|~~~|\s*\|.*\|\s*$|[=-]{3,}\s*$|\s*[-*+]\s+\S|>\s)|\*\*\S|__\S|\]\(|<[a-z]+[\s>]"
)
_TITLE_LIKE = re.compile(r"^[\"“]?[A-Z0-9][^\n]{0,79}$")
_SENTENCE_END = re.compile(r"[.!…:;,\"”’]$")  # a short line ending in "?" is a question heading
_OPTION = re.compile(r"^\(?[A-Ha-h][).]\s+\S")
_ORDERED = re.compile(r"^\d{1,2}[.)]\s+\S")
FURNITURE_WORDS = 12  # a line above the title longer than this is a sentence, not the page's furniture
TITLE_WINDOW = 40  # the page title is among the first lines (after the site's menu and author box)


def looks_pasted(text: str) -> bool:
    """Whether a .md file holds no Markdown at all: a page pasted from the browser."""
    return bool(text.strip()) and not _MARKDOWN.search(text)


_SKIP_LINK = re.compile(r"^\s*(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|main)\s*$", re.I)


def pasted_to_markdown(text: str, stem: str = "") -> str:
    """Markdown for pasted plain text: each line a block, title-like lines headings (the page title `#`,
    chosen by its place and the file name `stem`), runs of short lines after a `...:` line a list."""
    # "Skip to main content": a screen reader's link, on every page, never the page's title or content.
    lines = ["" if _SKIP_LINK.match(line) else line.rstrip() for line in text.split("\n")]
    if _hard_wrapped(lines):
        return _paragraphs_with_headings(lines, stem)
    lines = _joined(_tables(lines))
    kinds = _line_kinds(lines)
    _mark_terms(lines, kinds)
    title = _title_line(lines, kinds, stem)
    # Above the title: the site's menu, breadcrumbs, a table of contents, all short lines. A sentence there
    # means the title was found too low (notes typed without Markdown): then nothing is skipped.
    skip = title > 0 and all(len(line.split()) <= FURNITURE_WORDS for line in lines[:title])
    out: list[str] = []
    if skip:
        out += ["<!-- certdeck: off -->", ""]
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        kind = kinds[i]
        if kind == "term":  # "External Trust: Non-transitive, ...": a glossary's bold term, lost in the paste
            term, _, definition = stripped.partition(":")
            out.append(f"- **{term.strip()}:** {definition.strip()}")
            if i + 1 < len(kinds) and kinds[i + 1] == "term":
                continue
            out.append("")
            continue
        if kind == "code":  # a command copied from the page's code box: a code block again
            if not (i and kinds[i - 1] == "code"):
                out.append("```")
            out.append(stripped)
            if i + 1 < len(kinds) and kinds[i + 1] == "code":
                continue
            out += ["```", ""]
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            out.append(stripped)  # a table's rows stay together
            if i + 1 < len(lines) and lines[i + 1].strip().startswith("|"):
                continue
            out.append("")
            continue
        if i == title and skip:
            out += ["<!-- certdeck: on -->", ""]
        if i < title and skip:
            out += [stripped, ""]
        elif i == title:
            out.append("# " + stripped)
        elif kind == "heading":
            out.append("## " + stripped)
        elif kind == "item":
            out.append("- " + stripped.rstrip(","))
            if i + 1 < len(kinds) and kinds[i + 1] == "item" and i + 1 != title:
                continue  # items of one list stay together
        else:
            out.append(stripped)
        out.append("")
    return "\n".join(out)


_CONTINUES = re.compile(r"(?:\b(?:and|or|but|nor|the|a|an|of|to|for|with|while|in|on|by|as|that|which|is|are|"
                        r"be|from|into|than)|,)$", re.I)


def _joined(lines: list[str]) -> list[str]:
    """A line that stops in mid-sentence (on "and", "the", or a comma before a lower-case word) goes on in
    the next line: a page's inline list or line breaks, copied as separate lines."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and stripped and out[-1].strip():
            last = out[-1].rstrip()
            joins = _CONTINUES.search(last) and (not last.endswith(",") or stripped[:1].islower())
            if joins and "\t" not in last and not last.lstrip().startswith("|"):
                out[-1] = f"{last} {stripped}"
                continue
        out.append(line)
    return out


def _tables(lines: list[str]) -> list[str]:
    """Runs of two or more tab-separated lines (a table copied from a page) as a Markdown table."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        taken: list[str] = []
        while j < len(lines) and ("\t" in lines[j].strip() or (taken and not lines[j].strip() and j + 1 < len(lines)
                                                               and "\t" in lines[j + 1].strip())):
            if lines[j].strip():
                taken.append(lines[j])
            j += 1
        if len(taken) >= 2:
            rows = [[cell.strip().replace("|", "\\|") for cell in row.strip().split("\t")] for row in taken]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out += ["", "| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _title_like(line: str, limit: int = 0) -> bool:
    line = _TRAILING_SYMBOLS.sub("", line)
    words = line.split()
    return (0 < len(words) <= (limit or HEADING_WORDS) and bool(_TITLE_LIKE.match(line))
            and not _SENTENCE_END.search(line)
            and not line.startswith(("#", "-", "*", ">", "|")) and not _DATE_ONLY.match(line)
            and "\t" not in line and not _READ_TIME.search(line) and (bool(limit) or len(_NUMBER.findall(line)) < 2))


_READ_TIME = re.compile(r"\b\d+\s*(?:-\s*)?min(?:ute)?s?\s+read\b|\bposted\b|\bupdated\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


TITLE_WORDS = 16  # a page title may be longer than a section heading
HEADING_WORDS = 10  # a longer line is a sentence whose full stop the page left out
_TRAILING_SYMBOLS = re.compile(r"[\s\U0001F000-\U0001FFFF\u2600-\u27BF\uFE0F]+$")
_DATE_ONLY = re.compile(r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|"
                        r"\d{4}-\d{2}-\d{2})$", re.I)


def _line_kinds(lines: list[str]) -> list[str]:
    """heading, item or text for each line ("" for blank lines)."""
    kinds = ["" if not line.strip() else "text" for line in lines]
    in_list = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            in_list = False
            continue
        previous = lines[i - 1].strip() if i else ""
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if _command_line(stripped) or (stripped.startswith("#") and i and kinds[i - 1] == "code"):
            kinds[i] = "code"  # "git stash list", and a comment inside the same code box
            in_list = False
            continue
        short = len(stripped.split()) <= HEADING_WORDS and not re.search(r"[.!?]$", stripped)
        if previous.endswith(":") and short:
            in_list = True
        if in_list and short:
            kinds[i] = "item"
            continue
        in_list = False
        if _ORDERED.match(stripped):
            continue  # Markdown reads it as an ordered list item already
        if _OPTION.match(stripped):
            kinds[i] = "item"  # "B) Geo-distribution": a multiple-choice option, never a heading
            continue
        if _title_like(stripped):
            # A run of short title-like lines with nothing between them is a menu or a list, not headings.
            run = (previous and _title_like(previous) and not _ORDERED.match(previous)) or (
                following and _title_like(following) and not _ORDERED.match(following))
            kinds[i] = "item" if run else "heading"
    return kinds


def _command_line(line: str) -> bool:
    """A shell command as a code box shows it ("git stash pop", "kubectl get pods -A"): lower case, short,
    no sentence end, and a command by its program (extract.commands, the shell's vocabulary)."""
    words = line.split()
    return (line[:1].islower() and len(words) <= MAX_COMMAND_WORDS and not line.endswith((".", ":", "!", "?"))
            and is_command(line))


MAX_COMMAND_WORDS = 14


def _folded_words(text: str) -> set[str]:
    """Words and numbers of `text`, lower case, a plural's "s" off: "web_epa608_refrigerants" meets
    "Refrigerant Types: EPA 608" in "epa", "608" and "refrigerant"."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in _LETTERS_OR_DIGITS.findall(text.lower())}


_LETTERS_OR_DIGITS = re.compile(r"[a-z]+|\d+")


def _mark_terms(lines: list[str], kinds: list[str]) -> None:
    """Lines "Term: what it is" in a run of two or more (blank lines between allowed): a glossary whose
    bold terms the paste lost. A term is one to four capitalised words; what follows says something."""
    shaped = [kinds[i] == "text" and bool(_TERM_LINE.match(line.strip())) for i, line in enumerate(lines)]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for k, i in enumerate(filled):
        neighbours = [filled[k - 1]] if k else []
        neighbours += [filled[k + 1]] if k + 1 < len(filled) else []
        if shaped[i] and any(shaped[j] for j in neighbours):
            kinds[i] = "term"


_TERM_LINE = re.compile(r"^(?:[A-Z0-9][\w/&()+.'-]*)(?: [A-Z0-9(][\w/&()+.'-]*){0,3}: \S+(?: \S+){2,}")


def _title_line(lines: list[str], kinds: list[str], stem: str) -> int:
    """The line that is the page's title: among the first title-like lines, the one sharing most words with
    the file name, else the first heading of three words or more (a site's menu is a few bare names),
    else the first heading."""
    full = [i for i, k in enumerate(kinds) if k][:TITLE_WINDOW]
    early = [i for i in full if (_title_like(lines[i].strip(), TITLE_WORDS) or _exclaimed_title(lines, i))
             and not _ORDERED.match(lines[i].strip())]
    named = _folded_words(stem) - {str(n) for n in range(100)}
    if early and named:
        def shared(i: int) -> tuple[bool, bool, int, int]:
            common = len(named & _folded_words(lines[i]))
            # A line the file name shares a word with and that has a byline or date under it is the title,
            # before a later heading that shares more ("The CISM exam" far down the page).
            return common > 0 and _dated(lines, i, 1), common > 0 and _dated(lines, i), common, -i

        best = max(early, key=shared)
        if named & _folded_words(lines[best]):
            return best
    for reach in (1, 2):  # a page's title is followed by its byline, right after it if it can be
        dated = [i for i in early if len(lines[i].split()) >= 2 and _dated(lines, i, reach)]
        if dated:
            return dated[0]
    headings = [i for i, k in enumerate(kinds) if k == "heading"]
    if not headings:
        return -1
    return next((i for i in headings[:5] if len(lines[i].split()) >= 3), headings[0])


_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[-/]\d{1,2}[-/]\d{4}"
                   r"|[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8},? \d{4})\b")


def _exclaimed_title(lines: list[str], i: int) -> bool:
    """"I Passed!" over "18 Jan 2021": a short exclaimed line with a date right under it is a post's title."""
    line = lines[i].strip()
    return line.endswith("!") and 0 < len(line.split()) <= 4 and bool(_title_like(line[:-1])) and _dated(lines, i, 1)


def _dated(lines: list[str], i: int, reach: int = 2) -> bool:
    """Whether one of the `reach` lines after line i holds a date or a byline: a title is followed by it."""
    after = [line for line in lines[i + 1 : i + 4] if line.strip()][:reach]
    return any(_DATE.search(line) or _READ_TIME.search(line) for line in after)


def _hard_wrapped(lines: list[str]) -> bool:
    """Most lines cut at about the same width in mid-sentence: a wrapped text file, not a page copy."""
    full = [line for line in lines if line.strip()]
    if len(full) < 4:
        return False
    widths = sorted(len(line) for line in full)
    wide = widths[len(widths) * 3 // 4]
    cut = sum(1 for line in full if wide - 15 <= len(line) <= wide and not _SENTENCE_END.search(line))
    return 40 <= wide <= 100 and cut * 2 >= len(full)


def _paragraphs_with_headings(lines: list[str], stem: str) -> str:
    """Blank-line paragraphs as written; a short title-like line standing alone becomes a heading."""
    out: list[str] = []
    seen_title = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if alone and _title_like(stripped):
            out.append(("## " if seen_title else "# ") + stripped)
            seen_title = True
        else:
            out.append(line)
    return "\n".join(out)
