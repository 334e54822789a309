"""Preview: every card of a build, front and back as Anki renders them, on one self-contained HTML page.

Rendering: with the official `anki` package importable (a test extra, not a runtime dependency) each
deck is written to a temporary .apkg, imported into a throw-away collection, and every card's
`render_output()` is taken: exactly the HTML a learner's Anki shows (only MathJax typesetting is
missing: math appears as its TeX source). Without it, `render_builtin` applies our two templates the way
Anki does (conditional sections, fields, `{{cloze:Text}}` with Anki's span markup); the tests check that
both give the same HTML for the same notes.

The page needs no network and no JavaScript: images are embedded as data URIs, and light/night and
phone/desktop are CSS radio toggles that reuse the cards' own palettes (templates.LIGHT / NIGHT).
"""
from __future__ import annotations

import base64
import html
import mimetypes
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..model import Note
from . import templates

if TYPE_CHECKING:
    from .media import MediaFile

Renderer = Literal["auto", "anki", "builtin"]
PHONE_WIDTH = 390  # px: the phone preview, and the width the tests screenshot at


@dataclass(frozen=True, slots=True)
class RenderedCard:
    note: Note
    ord: int  # 0-based, as Anki numbers a note's cards
    question: str  # HTML of the front, without the note type's CSS
    answer: str  # HTML of the back


def anki_available() -> bool:
    """Whether the official anki package can be imported here."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        return False
    return True


def render_cards(decks: Mapping[str, Sequence[Note]], media: Mapping[str, Path],
                 renderer: Renderer = "auto") -> tuple[list[RenderedCard], str]:
    """Every card of `decks`, rendered, and a description of the renderer used."""
    if renderer == "anki" or (renderer == "auto" and anki_available()):
        from anki.buildinfo import version

        return render_with_anki(decks, media), f"the official anki package {version}"
    why = " (the anki package is not installed)" if renderer == "auto" else ""
    return render_builtin(decks), f"certdeck's built-in copy of the templates{why}"


def render_with_anki(decks: Mapping[str, Sequence[Note]], media: Mapping[str, Path]) -> list[RenderedCard]:
    """Cards as Anki renders them: each deck imported into a fresh collection, every card rendered."""
    from anki.collection import Collection, ImportAnkiPackageRequest

    from ..package.apkg import write_deck
    from .media import media_in

    by_guid = {n.guid: n for notes in decks.values() for n in notes}
    found: dict[tuple[str, int], RenderedCard] = {}
    with tempfile.TemporaryDirectory(prefix="certdeck-preview-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            for i, (deck, notes) in enumerate(sorted(decks.items())):
                folder = Path(tmp) / f"deck{i}"
                folder.mkdir()
                files = media_in((v for n in notes for _, v in n.fields), _as_files(media))
                apkg = write_deck(notes, folder, deck, files)
                options = col._backend.get_import_anki_package_presets()
                col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
            for cid in col.find_cards(""):
                card = col.get_card(cid)
                note = by_guid.get(card.note().guid)
                if note is None:
                    continue
                out = card.render_output()
                found[(note.guid, card.ord)] = RenderedCard(note, card.ord, out.question_text, out.answer_text)
        finally:
            col.close()
    return [found[(n.guid, c.ord - 1)] for notes in _ordered(decks) for n in notes for c in n.cards
            if (n.guid, c.ord - 1) in found]


def _as_files(media: Mapping[str, Path]) -> dict[str, MediaFile]:
    from .media import MediaFile

    return {name: MediaFile(name, path) for name, path in media.items()}


def _ordered(decks: Mapping[str, Sequence[Note]]) -> list[Sequence[Note]]:
    return [decks[d] for d in sorted(decks)]


# ---------------------------------------------------------------------------------------------------
# Built-in renderer: Anki's template semantics for the templates certdeck ships

_SECTION = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.S)
_FIELD = re.compile(r"\{\{(?:(cloze):)?([^#^/}][^}]*)\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_MATH_DELIM = re.compile(r"\\[()\[\]]")


def render_builtin(decks: Mapping[str, Sequence[Note]]) -> list[RenderedCard]:
    """Cards rendered by applying our templates as Anki would, without the anki package."""
    out = []
    for notes in _ordered(decks):
        for note in notes:
            fields = dict(note.fields)
            template = (templates.CLOZE_TEMPLATES if note.kind == "cloze" else templates.QA_TEMPLATES)[0]
            for view in note.cards:
                ordinal = view.ord if note.kind == "cloze" else 1
                out.append(RenderedCard(note, view.ord - 1, apply_template(template["qfmt"], fields, ordinal, False),
                                        apply_template(template["afmt"], fields, ordinal, True)))
    return out


def apply_template(template: str, fields: Mapping[str, str], ordinal: int, answer: bool) -> str:
    """One side of a card: `{{#F}}...{{/F}}`, `{{^F}}...{{/F}}`, `{{F}}` and `{{cloze:F}}`."""
    def section(m: re.Match[str]) -> str:
        filled = bool(fields.get(m.group(2).strip(), "").strip())
        return m.group(3) if filled == (m.group(1) == "#") else ""

    def field(m: re.Match[str]) -> str:
        value = fields.get(m.group(2).strip(), "")
        return render_cloze(value, ordinal, answer) if m.group(1) else value

    return _FIELD.sub(field, _SECTION.sub(section, template))


def render_cloze(text: str, ordinal: int, answer: bool) -> str:
    """`{{cN::...}}` as Anki shows it on the front (`answer=False`) or the back of card `ordinal`."""
    out, pos, in_math = [], 0, False
    for m in _CLOZE.finditer(text):
        before = text[pos : m.start()]
        in_math = _math_state(before, in_math)
        out.append(before)
        n, content, hint = int(m.group(1)), m.group(2), m.group(3)
        if n != ordinal:
            out.append(content if in_math else f'<span class="cloze-inactive" data-ordinal="{n}">{content}</span>')
        elif answer:
            out.append(content if in_math else f'<span class="cloze" data-ordinal="{n}">{content}</span>')
        else:
            gap = f"[{hint}]" if hint else "[...]"
            out.append(gap if in_math else
                       f'<span class="cloze" data-cloze="{_encode_attribute(content)}" data-ordinal="{n}">{gap}</span>')
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _math_state(text: str, in_math: bool) -> bool:
    for delim in _MATH_DELIM.findall(text):
        in_math = delim in ("\\(", "\\[")
    return in_math


def _encode_attribute(value: str) -> str:
    """Anki's attribute encoding of a cloze's answer (the htmlescape crate's encode_attribute)."""
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    return "".join(c if c.isascii() and c.isalnum() else named.get(c) or (f"&#x{ord(c):X};" if ord(c) < 256 else c)
                   for c in value)


# ---------------------------------------------------------------------------------------------------
# The page

_PAGE_CSS = """
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere;
  font: 16px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: #1f2328; background: #eef1f4; }
.pv-toggle { position: absolute; opacity: 0; pointer-events: none; }
header { background: #24292f; color: #fff; padding: 10px 14px; }
header h1 { font-size: 18px; margin: 0 0 4px; }
header p { margin: 0 0 8px; font-size: 14px; color: #d0d7de; }
.pv-controls { display: flex; flex-wrap: wrap; gap: 6px 14px; }
.pv-group { display: inline-flex; border: 1px solid #57606a; border-radius: 6px; overflow: hidden; }
.pv-group label { padding: 4px 12px; cursor: pointer; font-size: 15px; color: #d0d7de; }
#pv-light:checked ~ header label[for=pv-light], #pv-night:checked ~ header label[for=pv-night],
#pv-phone:checked ~ header label[for=pv-phone], #pv-desktop:checked ~ header label[for=pv-desktop] {
  background: #fff; color: #24292f; font-weight: 600; }
main { padding: 12px; max-width: 100%; }
nav { font-size: 15px; margin: 0 0 12px; }
nav ul { margin: 4px 0; padding-left: 1.2em; }
.pv-article { margin: 0 0 28px; }
.pv-article > h2 { font-size: 20px; margin: 0 0 2px; overflow-wrap: anywhere; }
.pv-path { font-size: 14px; color: #57606a; margin: 0 0 10px; overflow-wrap: anywhere; }
.pv-section > h3 { font-size: 17px; margin: 14px 0 8px; color: #424a53; overflow-wrap: anywhere; }
.pv-note { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px; margin: 0 0 12px; }
.pv-meta { font-size: 14px; color: #424a53; margin: 0 0 8px; overflow-wrap: anywhere; }
.pv-meta b { color: #1f2328; }
.pv-faces { display: flex; flex-wrap: wrap; gap: 10px; }
.pv-face { border: 1px solid #d0d7de; border-radius: 10px; overflow: hidden; min-width: 0; }
.pv-face-label { font-size: 13px; color: #57606a; background: #f6f8fa; padding: 3px 10px;
  border-bottom: 1px solid #d0d7de; }
.pv-face > .card { padding: 12px 8px; min-height: 120px; }
#pv-phone:checked ~ main .pv-face { width: min(390px, 100%); }
#pv-desktop:checked ~ main .pv-face { width: 100%; max-width: 1100px; }
#pv-night:checked ~ main { background: #0d1117; color: #e6edf3; }
#pv-night:checked ~ main .pv-note { background: #161b22; border-color: #3d444d; }
#pv-night:checked ~ main .pv-meta, #pv-night:checked ~ main .pv-path,
#pv-night:checked ~ main .pv-section > h3, #pv-night:checked ~ main .pv-meta b { color: #c9d1d9; }
#pv-night:checked ~ main .pv-face, #pv-night:checked ~ main .pv-face-label { border-color: #3d444d; }
#pv-night:checked ~ main .pv-face-label { background: #21262d; color: #c9d1d9; }
#pv-night:checked ~ main nav a { color: #79c0ff; }
"""


def preview_page(cards: Sequence[RenderedCard], renderer: str, media: Mapping[str, Path],
                 warnings: Sequence[str] = ()) -> str:
    """The whole preview page: cards grouped by article and section, with each note's rule, score and line."""
    night = f"#pv-night:checked ~ main .card {{ {templates.palette_css(templates.NIGHT)} }}"
    notes = list(dict.fromkeys(c.note.guid for c in cards))
    by_note: dict[str, list[RenderedCard]] = {}
    for card in cards:
        by_note.setdefault(card.note.guid, []).append(card)
    first = {guid: by_note[guid][0].note for guid in notes}
    ordered = sorted(notes, key=lambda g: (first[g].source.path, first[g].source.line, first[g].due))
    data_uris = _data_uris(media)
    articles = []
    nav = []
    for a, (path, group) in enumerate(groupby(ordered, key=lambda g: first[g].source.path)):
        guids = list(group)
        title = first[guids[0]].source.section[0] if first[guids[0]].source.section else path
        nav.append(f'<li><a href="#pv-a{a}">{_e(path)}</a> ({len(guids)} notes)</li>')
        sections = []
        for section, in_section in groupby(guids, key=lambda g: first[g].source.section):
            items = [_note_html(first[g], by_note[g], data_uris) for g in in_section]
            heading = " › ".join(section) if section else "(no heading)"
            sections.append(f'<section class="pv-section"><h3>{_e(heading)}</h3>{"".join(items)}</section>')
        articles.append(f'<section class="pv-article" id="pv-a{a}"><h2>{_e(title)}</h2>'
                        f'<p class="pv-path">{_e(path)}</p>{"".join(sections)}</section>')
    warned = "".join(f"<li>{_e(w)}</li>" for w in warnings)
    summary = (f"{len(notes)} notes, {len(cards)} cards, {len(articles)} articles. Rendered by {_e(renderer)}. "
               "Math shows as TeX source here; Anki typesets it with MathJax.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>certdeck preview</title>
<style>{templates.CSS}</style>
<style>{_PAGE_CSS}
{night}</style>
</head><body>
<input class="pv-toggle" type="radio" name="pv-theme" id="pv-light" checked>
<input class="pv-toggle" type="radio" name="pv-theme" id="pv-night">
<input class="pv-toggle" type="radio" name="pv-width" id="pv-phone" checked>
<input class="pv-toggle" type="radio" name="pv-width" id="pv-desktop">
<header><h1>certdeck preview</h1><p>{summary}</p>
<div class="pv-controls">
<span class="pv-group"><label for="pv-light">Light</label><label for="pv-night">Night</label></span>
<span class="pv-group"><label for="pv-phone">Phone {PHONE_WIDTH}px</label><label for="pv-desktop">Desktop</label></span>
</div></header>
<main>
{f'<ul class="pv-warnings">{warned}</ul>' if warned else ''}
<nav>Articles:<ul>{"".join(nav)}</ul></nav>
{"".join(articles)}
</main>
</body></html>
"""


def _note_html(note: Note, cards: Sequence[RenderedCard], data_uris: Mapping[str, str]) -> str:
    kind = "Cloze" if note.kind == "cloze" else "Q&A"
    meta = (f"<b>line {note.source.line}</b> · rule <b>{_e(note.rule)}</b> · score <b>{note.score:.2f}</b> · "
            f"{kind} · deck {_e(note.deck)}" + (" · <b>retired</b>" if note.retired else ""))
    faces = []
    for card in cards:
        label = f"card {card.ord + 1}" if note.kind == "cloze" else "card"
        for side, body in (("front", card.question), ("back", card.answer)):
            faces.append(f'<div class="pv-face pv-{side}"><div class="pv-face-label">{label} · {side}</div>'
                         f'<div class="card card{card.ord + 1}">{_embed(body, data_uris)}</div></div>')
    return (f'<article class="pv-note" data-guid="{_e(note.guid)}"><div class="pv-meta">{meta}</div>'
            f'<div class="pv-faces">{"".join(faces)}</div></article>')


def _data_uris(media: Mapping[str, Path]) -> dict[str, str]:
    out = {}
    for name, path in media.items():
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        out[name] = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return out


def _embed(body: str, data_uris: Mapping[str, str]) -> str:
    """Card HTML with packaged images inlined, so the page stands alone."""
    return re.sub(r'<img src="([^"]+)"', lambda m: f'<img src="{data_uris.get(m.group(1), m.group(1))}"', body)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
