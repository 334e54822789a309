"""Word (.docx) -> Markdown: mammoth turns the document's styles into HTML (Heading 1-6, lists, tables,
bold and italic), which html.py's converter turns into Markdown. The whole document is the article: a
Word handout has no navigation to leave out. The title is the document's Title property, else its first
heading.
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from ...errors import GeneratorError
from . import Converted
from .html import html_to_markdown

MAX_CORE_XML = 1024 * 1024
MAX_UNPACKED = 256 * 1024 * 1024  # bytes of all the archive's files unpacked
# mammoth's default map knows "Heading 1".."Heading 6"; Word's "Title" style is the document's title.
_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"


def convert_docx(data: bytes, path: str) -> Converted:
    import mammoth

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise GeneratorError("not a Word .docx file (a .docx is a zip archive; this is not one: an old .doc? "
                             "save it as .docx)", path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise GeneratorError("not a Word .docx file (no word/document.xml inside)", path)
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED:  # a zip bomb, or far more than a handout
                raise GeneratorError(f"unpacks to {unpacked // 2**20} MB, more than {MAX_UNPACKED // 2**20} MB; "
                                     "not converted", path)
            title = _core_title(archive)
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP)
    except GeneratorError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged archive or XML can fail in many ways
        raise GeneratorError(f"not a readable Word file ({type(err).__name__}: {err})", path) from None
    markdown = html_to_markdown(result.value)
    if not markdown.strip():
        raise GeneratorError("no text in this Word file", path)
    heading = re.search(r"^#{1,6}\s+(.+)$", markdown, re.M)
    return Converted(title or (heading.group(1).strip() if heading else "Untitled document"), markdown)


def _core_title(archive: zipfile.ZipFile) -> str:
    """dc:title from docProps/core.xml, or ''."""
    try:
        info = archive.getinfo("docProps/core.xml")
    except KeyError:
        return ""
    if info.file_size > MAX_CORE_XML:
        return ""
    try:
        root = ElementTree.fromstring(archive.read(info))
    except ElementTree.ParseError:
        return ""
    node = root.find("{http://purl.org/dc/elements/1.1/}title")
    return " ".join((node.text or "").split()) if node is not None else ""
