"""Images an article references: packaged under unique names and shown on their card, only from the source folder."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from tests.ankiutil import collection, import_package, rendered_cards
from tests.cardutil import png

ARTICLE = """# Cell Biology

## Organelles

A ribosome is a molecular machine that builds proteins from amino acids.

![A ribosome at work](img/ribosome.png)

A mitochondrion is the organelle that produces most of the ATP of a cell ![outside](../secret.png).

A nucleus is the organelle that stores the genetic material of a cell ![missing](img/nucleus.png).

A lysosome is the organelle that breaks down waste inside the cell ![remote](https://example.com/l.png).

A vacuole is the organelle that stores water and nutrients in a plant cell ![abs](/etc/hostname).

A chloroplast is the organelle that captures light energy in a plant cell ![link](img/escape.png).

A centriole is the organelle that organises the spindle during cell division ![data](data:image/png;base64,AAAA).
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "ribosome.png").write_bytes(png(40, 20, (200, 40, 40)))
    (tmp_path / "secret.png").write_bytes(png(4, 4, (0, 0, 0)))
    os.symlink(tmp_path / "secret.png", folder / "img" / "escape.png")
    (folder / "cells.md").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_images_are_packaged_checked_and_reported(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "decks"
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out), "-q"])
    article = source / "cells.md"
    assert result.exit_code == 1  # an image outside the source folder is an error; the deck is still written
    assert result.stderr.splitlines() == [
        f"error: {article}:9: image outside the source folder is not packaged: ../secret.png",
        f"error: {article}:15: image path is absolute; only files under the source folder are packaged: /etc/hostname",
        f"error: {article}:17: image outside the source folder is not packaged: img/escape.png",
        f"warning: {article}:11: image not found, left out: img/nucleus.png",
        f"warning: {article}:13: remote image left out (decks are built offline; save it beside the article): "
        "https://example.com/l.png",
        f"warning: {article}:19: image with a data: URL left out: data:image/png;base64,AAAA",
    ]
    with collection(tmp_path / "anki") as col:
        import_package(col, out / "Cell_Biology.apkg")
        media_dir = Path(col.media.dir())
        names = [p.name for p in media_dir.iterdir()]
        assert len(names) == 1 and re.fullmatch(r"cd-[0-9a-f]{12}-ribosome\.png", names[0]), names
        cards = rendered_cards(col)
        ribosome = [c for c in cards if "molecular machine" in c["answer"]]
        assert ribosome and re.search(r'<img src="cd-[0-9a-f]{12}-ribosome\.png" alt="A ribosome at work">',
                                      ribosome[0]["answer_html"])
        assert "<img" not in ribosome[0]["question_html"]
        others = [c for c in cards if c is not ribosome[0]]
        assert others and all("<img" not in c["answer_html"] for c in others)


def test_same_bytes_same_name_changed_bytes_new_name(source: Path, tmp_path: Path) -> None:
    from generator.notes.media import resolve_image

    article = source / "cells.md"
    first = resolve_image("img/ribosome.png", article, source, "cells.md", 7)
    again = resolve_image("./img/../img/ribosome.png", article, source, "cells.md", 7)
    assert first == again
    (source / "img" / "ribosome.png").write_bytes(png(40, 20, (0, 90, 200)))
    changed = resolve_image("img/ribosome.png", article, source, "cells.md", 7)
    assert changed.name != first.name and changed.name.endswith("-ribosome.png")
