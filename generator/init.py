"""`certdeck init [DIR]`: a project to start from: source/ with one short example article that shows the
markup, and a [tool.certdeck] block in pyproject.toml with every setting, commented out.

Nothing that exists is overwritten: an existing article stays, and a pyproject.toml that already has a
[tool.certdeck] table is left alone (one without gets the block appended).
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError

EXAMPLE_NAME = "example.md"

EXAMPLE = """\
---
deck: "Example::First Aid"
tags: [first-aid, skills/bleeding]
---

# Controlling Bleeding

A tourniquet is a tight band that stops the blood flow to an injured limb.

## Direct Pressure

{{c1::Direct pressure}} is the first way to stop most bleeding.

Press on the wound with a clean cloth for at least ==ten minutes==.

Q: What do you add when blood soaks through the first dressing?
A: A second dressing on top of the first

## Terms

Abrasion - a scrape that removes the top layer of the skin
Laceration - a deep cut or tear in the skin

<!-- certdeck: skip -->
Thanks for reading! Share this page with a friend.
"""

SETTINGS = """\
[tool.certdeck]
# Every setting, with its default. Remove the # to change one.
# parent-deck = ""          # deck that articles without a `deck` in front matter go under
# folder-decks = false      # true: source/ sub-folders become sub-decks (under parent-deck)
# retired = true            # ship notes whose fact left the source, tagged certdeck::retired
# now = 0                   # build time (seconds since 1970); 0 = the clock or SOURCE_DATE_EPOCH
# max-article-mb = 1        # read at most this many MiB of one article (the rest is skipped)
"""


@dataclass(frozen=True)
class Made:
    path: Path
    what: str  # "created", "kept" (it existed), "appended" (settings added to an existing file)


def init_project(folder: Path) -> list[Made]:
    """Lay out a project in `folder` (made if missing); returns what was done to each file."""
    source = folder / "source"
    for path in (folder, source):
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise GeneratorError("is not a folder (or is a link); choose another", str(path))
    try:
        source.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GeneratorError(f"cannot make the folder: {err.strerror or err}", str(source)) from None
    made = []
    article = source / EXAMPLE_NAME
    articles = [p for p in source.iterdir() if p.suffix.lower() in (".md", ".markdown", ".txt")]
    if articles:
        made.append(Made(articles[0] if not article.exists() else article, "kept"))
    else:
        _write_new(article, EXAMPLE)
        made.append(Made(article, "created"))
    pyproject = folder / "pyproject.toml"
    if pyproject.is_symlink():
        raise GeneratorError("is a link; not written through", str(pyproject))
    if not pyproject.exists():
        _write_new(pyproject, SETTINGS)
        made.append(Made(pyproject, "created"))
    else:
        text = pyproject.read_text(encoding="utf-8")
        if "[tool.certdeck]" in text:
            made.append(Made(pyproject, "kept"))
        else:
            _write_new(pyproject, text + ("" if text.endswith("\n") or not text else "\n") + "\n" + SETTINGS)
            made.append(Made(pyproject, "appended"))
    return made


def _write_new(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".certdeck-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
