"""`certdeck add`: convert web pages, URLs, PDFs and Word files into Markdown articles in a source folder.

The article is written once, here; from then on it is an ordinary article to edit, curate and build
offline. Its front matter says where it came from (`origin`, with the date of the conversion) and under
which license, when the text states one.
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from ...errors import GeneratorError
from ..sources import display_path, read_limited
from . import MAX_INPUT_BYTES, article_text, convert, kind_of
from .fetch import MAX_BYTES, TIMEOUT, fetch, is_url, split_credentials


@dataclass(frozen=True, slots=True)
class Added:
    source: str  # the URL or file as given
    path: Path  # the article written
    title: str
    words: int


def add_source(source: str, folder: Path, force: bool = False, timeout: float = TIMEOUT,
               max_bytes: int = MAX_BYTES, today: datetime.date | None = None) -> Added:
    """Convert one URL or file into an article in `folder`; a GeneratorError says why not."""
    given = source
    today = today or datetime.date.today()
    if is_url(source):
        source, _ = split_credentials(source)  # a password in the address is never shown or written
        fetched = fetch(given, timeout, max_bytes)
        kind = kind_of(fetched.url, fetched.content_type) or kind_of(source) or _sniff(fetched.data)
        if kind is None:
            raise GeneratorError(f"cannot convert content of type {fetched.content_type or 'unknown'!r}", source)
        conv = convert(fetched.data, kind, source)
        # The address fetched is the origin, not the one the page claims for itself.
        conv = type(conv)(conv.title, conv.markdown, source, conv.license, conv.warnings)
    else:
        file = Path(source)
        kind = kind_of(file.name)
        if kind is None:
            raise GeneratorError("not a web page (.html, .htm), PDF or Word (.docx) file", source)
        data = read_limited(file, MAX_INPUT_BYTES, source)
        if len(data) > MAX_INPUT_BYTES:
            raise GeneratorError(f"larger than {MAX_INPUT_BYTES // 2**20} MB; not converted", source)
        conv = convert(data, kind, source, origin=file.name)
    text = article_text(conv, today)
    target = folder / (_slug(conv.title) + ".md")
    _write_new(target, text, force)
    return Added(source, target, conv.title, len(conv.markdown.split()))


def _sniff(data: bytes) -> str | None:
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return "docx"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:65536].lower():
        return "html"
    return None


def _slug(title: str) -> str:
    from ...text import slugify

    return slugify(title).strip("-.") or "untitled"


def _write_new(target: Path, text: str, force: bool) -> None:
    """Write `target` through a temporary file and a rename: never over an existing article unless `force`,
    and never through (or over) a symlink."""
    from ...package.apkg import write_text_atomic

    shown = display_path(target)
    if target.is_symlink():
        raise GeneratorError("is a symbolic link; not written", shown)
    if target.exists() and not force:
        raise GeneratorError("already exists; not overwritten (use --force to replace it)", shown)
    if target.exists() and not target.is_file():
        raise GeneratorError("exists and is not a file; not written", shown)
    folder = target.parent
    if folder.is_symlink():
        raise GeneratorError("is a symbolic link; not written into", display_path(folder))
    try:
        os.makedirs(folder, exist_ok=True)
        write_text_atomic(target, text)
    except OSError as err:
        raise GeneratorError(f"cannot write: {err.strerror or err}", shown) from None
