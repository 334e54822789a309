"""Saved web page -> Markdown: the main content only (readability-lxml), as Markdown (markdownify).

Readability scores the page's blocks by their text and links and keeps the article, leaving navigation,
sidebars, share bars, related posts, cookie banners and footers behind. The title, the page's own URL
(canonical link, og:url, or the "saved from" comment browsers write) and a stated license are read from
the whole page first, since they usually sit outside the article.
"""
from __future__ import annotations

import re
from typing import Any

from ...errors import GeneratorError
from . import Converted, find_license, tidy_markdown

MIN_MAIN_WORDS = 20  # less than this is not an article (a login wall, an error page, an empty shell)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
# Readability keeps these when they sit inside the article; they are page furniture all the same.
_FURNITURE = ("script", "style", "noscript", "form", "button", "iframe", "svg", "template")


def decode_html(data: bytes) -> str:
    """The page's text: a BOM, else UTF-8, else the charset its <meta> names, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


def convert_html(data: bytes, path: str) -> Converted:
    import lxml.etree
    import lxml.html
    from readability import Document

    # lxml refuses text that still declares its encoding (XHTML pages saved with <?xml ... encoding=...?>)
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", decode_html(data))
    if not text.strip():
        raise GeneratorError("empty web page, nothing to read", path)
    controls = len(_CONTROLS.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise GeneratorError("binary file, not a web page", path)
    text = _CONTROLS.sub(" ", text)  # lxml refuses them, and they carry no text
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as err:
        raise GeneratorError(f"not a readable web page: {err}", path) from None
    title = _title(tree)
    origin = _own_url(tree, data)
    license_ = _license(tree)
    tables = _stand_in_for_tables(tree)
    try:
        summary = Document(lxml.html.tostring(tree, encoding="unicode")).summary(html_partial=True)
    except Exception as err:  # noqa: BLE001 - readability raises bare Exceptions (Unparseable) on junk
        raise GeneratorError(f"no main text found on this web page ({err})", path) from None
    try:
        main = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (lxml.etree.ParserError, ValueError, AssertionError):  # nothing, or a page with no <body>
        raise GeneratorError("no main text found on this web page", path) from None
    for stand_in in main.xpath("//p[@data-certdeck-table]"):
        stand_in.getparent().replace(stand_in, tables[int(stand_in.get("data-certdeck-table"))])
    for tag in _FURNITURE:
        for el in main.iter(tag):
            el.drop_tree()
    words = len(main.text_content().split())
    if words < MIN_MAIN_WORDS:
        raise GeneratorError(f"no main text found on this web page (the article part has {words} words)", path)
    markdown = html_to_markdown(lxml.html.tostring(main, encoding="unicode"))
    return Converted(title or _first_heading(markdown) or "Untitled page", markdown, origin, license_)


def _stand_in_for_tables(tree: Any) -> list[Any]:
    """Put a paragraph of each table's text in its place (marked with its index) and return the tables.

    Readability drops tables with little text as page furniture, but a table of short cells (ports,
    dosages, dates) is often what a study page is for. As a paragraph of the same words, a table is scored
    as the text it holds, and is put back in the article if its stand-in is kept.
    """
    import lxml.html

    tables: list[Any] = []  # lxml elements, as `tree` is
    for table in list(tree.iter("table")):
        if table.getparent() is None or any(a.tag == "table" for a in table.iterancestors()):
            continue
        words = " ".join(table.text_content().split())
        if not words:
            continue
        stand_in = lxml.html.Element("p", {"data-certdeck-table": str(len(tables))})
        stand_in.text = words
        stand_in.tail = table.tail
        table.tail = None
        table.getparent().replace(table, stand_in)
        tables.append(table)
    return tables


def html_to_markdown(fragment: str) -> str:
    """Markdown for an HTML fragment: ATX headings, `-` bullets, pipe tables, fenced code, images; link
    targets dropped (their text stays), as a card has no use for them."""
    from markdownify import markdownify

    markdown = markdownify(fragment, heading_style="ATX", bullets="-", strip=["a"], escape_misc=False,
                           escape_underscores=False, code_language="", newline_style="BACKSLASH",
                           table_infer_header=True)
    return tidy_markdown(markdown)


def _title(tree: Any) -> str:
    """og:title, else the page's only <h1>, else <title> without its " | Site name" tail."""
    for value in tree.xpath('//meta[@property="og:title"]/@content'):
        if value.strip():
            return " ".join(value.split())
    h1s = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    h1s = [h for h in h1s if h]
    if len(h1s) == 1:
        return h1s[0]
    titles = tree.xpath("//title/text()")
    if titles and titles[0].strip():
        title = " ".join(titles[0].split())
        parts = re.split(r"\s+[|\u2013\u2014·-]\s+", title)
        return max(parts, key=len) if len(parts) > 1 else title
    return ""


def _own_url(tree: Any, data: bytes) -> str:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in tree.xpath(xpath):
            if re.match(r"^https?://\S+$", value.strip()):
                return str(value).strip()
    m = _SAVED_FROM.search(data[:8192])
    return m.group(1).decode("ascii", "replace") if m else ""


def _license(tree: Any) -> str:
    """A Creative Commons license the page states: rel=license links, license meta, or its footer text."""
    stated = [*tree.xpath('//*[@rel="license"]/@href'),
              *tree.xpath('//meta[@name="license" or @name="dc.rights" or @name="DC.rights"]/@content')]
    found = find_license(" ".join(stated))
    if found:
        return found
    links = " ".join(tree.xpath('//a[contains(@href, "creativecommons.org")]/@href'))
    return find_license(links) or find_license(tree.text_content())


def _first_heading(markdown: str) -> str:
    m = re.search(r"^#{1,6}\s+(.+)$", markdown, re.M)
    return m.group(1).strip() if m else ""
