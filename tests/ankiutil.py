"""Import packages into real, throw-away Anki collections with the official `anki` package (no mocks)."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


@contextmanager
def collection(folder: Path) -> Iterator[Collection]:
    """A brand-new empty collection in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_package(col: Collection, apkg: Path) -> Any:
    """Import as Anki desktop does with its pre-filled options; returns the import log."""
    options: ImportAnkiPackageOptions = col._backend.get_import_anki_package_presets()
    resp = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg.resolve()), options=options))
    col.models._clear_cache()  # the Python-side note type cache does not see backend imports
    return resp.log


def plain(fragment: str) -> str:
    """Rendered card HTML as the text a learner reads ([...] for a cloze gap)."""
    text = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    text = re.sub(r"<span class=\"?cloze\"?[^>]*>\[\.\.\.\]</span>", "[...]", text)
    text = re.sub(r"<hr id=answer>|<hr id=\"answer\">", "\n----\n", text)
    text = re.sub(r"<br\s*/?>|</div>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(re.sub(r"[ \t]+", " ", text)).strip()


def rendered_cards(col: Collection) -> list[dict[str, Any]]:
    """Every card in the collection: deck, note type, guid, question and answer as plain text."""
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        note = card.note()
        rendered = card.render_output()
        out.append({
            "guid": note.guid, "ord": card.ord, "deck": col.decks.name(card.did),
            "notetype": note.note_type()["name"], "due": card.due,
            "question": plain(rendered.question_text), "answer": plain(rendered.answer_text),
            "question_html": rendered.question_text, "answer_html": rendered.answer_text,
        })
    return out
