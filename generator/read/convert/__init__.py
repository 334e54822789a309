"""Conversions: a saved web page, a PDF or a Word file -> a Markdown article with `title` and `origin`.

Each converter is a pure function of the file's bytes (so a build that reads `.html`, `.pdf` or `.docx` in
place stays deterministic) and lives in its own module, importing its library only when called: the
libraries are the optional extras `html`, `pdf` and `docx` (all three: `convert`). Any problem with the
input is a GeneratorError naming what is wrong and why.
"""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from ...errors import GeneratorError

# suffix -> converter kind
KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}
MAX_INPUT_BYTES = 50 * 1024 * 1024  # a PDF or Word file larger than this is not a study text
# What each kind needs installed: (module to import, extra that installs it).
_NEEDS = {"html": (("readability", "markdownify"), "html"), "pdf": (("pdfminer",), "pdf"),
          "docx": (("mammoth", "markdownify"), "docx")}


@dataclass(frozen=True, slots=True)
class Converted:
    """A converted text: its title, Markdown body (no front matter), where it came from and its license."""

    title: str
    markdown: str
    origin: str = ""  # the page's own URL when it states one, else what the caller gives
    license: str = ""  # e.g. "CC BY 4.0", when the text states one
    warnings: tuple[str, ...] = field(default=())


def kind_of(name: str, content_type: str = "") -> str | None:
    """The converter for a file name or an HTTP content type ('html', 'pdf', 'docx'), or None."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype == "application/pdf":
        return "pdf"
    if ctype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        return "docx"
    suffix = re.search(r"\.[A-Za-z0-9]+$", name.split("?")[0].split("#")[0])
    return KINDS.get(suffix.group(0).lower()) if suffix else None


def convert(data: bytes, kind: str, path: str, origin: str = "") -> Converted:
    """Convert the bytes of one file; `path` names it in errors, `origin` is the default origin."""
    _require(kind, path)
    _quiet_libraries()
    if kind == "html":
        from .html import convert_html
        result = convert_html(data, path)
    elif kind == "pdf":
        from .pdf import convert_pdf
        result = convert_pdf(data, path)
    elif kind == "docx":
        from .docx import convert_docx
        result = convert_docx(data, path)
    else:
        raise GeneratorError(f"cannot convert {kind} files", path)
    if not result.origin and origin:
        result = Converted(result.title, result.markdown, origin, result.license, result.warnings)
    return result


def _quiet_libraries() -> None:
    """pdfminer and readability log what they repair in a damaged file; certdeck says one line per file."""
    import logging

    for name in ("pdfminer", "readability"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False


def _require(kind: str, path: str) -> None:
    message = missing_extra(kind)
    if message:
        raise GeneratorError(message, path)


def missing_extra(kind: str) -> str:
    """'' when the libraries converting `kind` are installed, else what to install."""
    modules, extra = _NEEDS[kind]
    if all(_installed(m) for m in modules):
        return ""
    return f"reading {kind.upper()} files needs the `{extra}` extra (pip install 'certdeck[{extra}]'); skipped"


def _installed(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: blocked in sys.modules (a test's way to uninstall it)
        return False


def converter_stamp() -> str:
    """The converter libraries installed, with their versions: converted articles' cache entries depend on them."""
    from importlib import metadata

    parts = []
    for dist in ("readability-lxml", "markdownify", "pdfminer.six", "mammoth"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=none")
    return ",".join(parts)


def article_text(conv: Converted, date: datetime.date | None = None) -> str:
    """The Markdown article: front matter `title`, `origin` (with `date` when given), `license`, then the body.

    Values are written as JSON strings, which YAML reads as they are (no alias, tag or type surprises).
    """
    origin = conv.origin
    if date is not None:
        origin = f"{origin} ({date.isoformat()})" if origin else date.isoformat()
    lines = ["---", f"title: {json.dumps(conv.title, ensure_ascii=False)}"]
    if origin:
        lines.append(f"origin: {json.dumps(origin, ensure_ascii=False)}")
    if conv.license:
        lines.append(f"license: {json.dumps(conv.license, ensure_ascii=False)}")
    lines.append("---")
    body = conv.markdown.strip("\n")
    if conv.title and not body.startswith("# "):  # the page's own title heading is kept as it is
        body = f"# {conv.title}\n\n{body}"
    return "\n".join(lines) + "\n\n" + body + "\n"


_LICENSE_URL = re.compile(r"creativecommons\.org/"
                          r"(?:licenses/(by(?:-(?:nc|sa|nd))*)/(\d\.\d)|publicdomain/zero/(\d\.\d))", re.I)
_LICENSE_TEXT = re.compile(r"\b(?:CC[ -](BY(?:-(?:NC|SA|ND))*)|CC0)(?:[ -](\d\.\d))?\b")


def find_license(text: str) -> str:
    """'CC BY 4.0'-style name of a Creative Commons license a text or its links state, else ''."""
    m = _LICENSE_URL.search(text)
    if m:
        if m.group(3):
            return f"CC0 {m.group(3)}"
        return f"CC {m.group(1).upper()} {m.group(2)}"
    m = _LICENSE_TEXT.search(text)
    if m:
        name = f"CC {m.group(1)}" if m.group(1) else "CC0"
        return f"{name} {m.group(2)}" if m.group(2) else name
    return ""


def tidy_markdown(markdown: str) -> str:
    """Trailing spaces gone, at most one blank line in a row, no blank lines at either end."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
