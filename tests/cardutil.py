"""Decks for the card tests: the seed deck built by the CLI, and a showcase deck of hand-made facts.

The showcase facts are written here (not found by the extraction rules, which change) so each card
exercises one rendering feature: formatting carried from Markdown, an image, math inside a cloze, a
long unbreakable URL, a list and a table with several gaps, a hint, and a Q&A note with a code block.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from pathlib import Path

from generator.identity.match import assign_identity
from generator.model import Document, Fact, Gap, Note
from generator.notes import render
from generator.notes.make import make_notes
from generator.notes.media import collect_media
from generator.package.apkg import write_deck
from generator.parse.markdown import parse_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "cards" / "showcase.md"
SHOWCASE_DECK = "certdeck showcase"
CODE_EXTRA = """Example:

```bash
git stash push -m "wip: {draft}"
git stash pop
```"""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG (made at test time so no binary sits in the repository)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def showcase_source(folder: Path) -> Path:
    """The showcase article and its image, copied into `folder`; returns the article's path."""
    (folder / "img").mkdir(parents=True, exist_ok=True)
    (folder / "img" / "graph.png").write_bytes(png(1200, 300, (46, 160, 67)))
    article = folder / "showcase.md"
    article.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return article


def _gap(text: str, word: str, ordinal: int = 1, hint: str = "") -> Gap:
    start = text.index(word)
    return Gap(start, start + len(word), ordinal, hint)


def _fact(doc: Document, line: int, text: str, gaps: tuple[Gap, ...] = (), *, kind: str = "cloze",
          answer: str = "", term: str = "") -> Fact:
    block = next(b for b in doc.blocks if b.line == line)
    return Fact(rule="showcase", kind=kind, text=text, term=term or text[:20], score=0.9, block=block,  # type: ignore[arg-type]
                sentence=block.text, line=line, gaps=gaps, answer=answer)


def showcase_notes(article: Path) -> tuple[list[Note], dict[str, Path]]:
    """The showcase notes (GUIDs assigned) and the media files they use (package name -> file)."""
    doc = parse_markdown(article.read_text(encoding="utf-8"), "showcase.md")
    media = collect_media(doc, article, article.parent)
    assert not media.errors and not media.warnings, (media.errors, media.warnings)
    rebase = "The git rebase command replays your commits on top of another base commit."
    einstein = "Einstein's relation $E = mc^2$ says that mass and energy are equivalent."
    url = next(b.text for b in doc.blocks if b.line == 15)
    steps = "Steps:\n1. Stage the changed files\n2. Commit them with a message\n3. Push the branch to the remote"
    table = ("| Term | Meaning |\n|---|---|\n"
             "| Fast-forward | Moving a branch pointer ahead without a merge commit |")
    facts = [
        _fact(doc, 5, rebase, (_gap(rebase, "git rebase"),)),
        _fact(doc, 11, einstein, (_gap(einstein, "mc^2"), _gap(einstein, "mass", 2))),
        _fact(doc, 15, url, (_gap(url, "https://api.example.com/v1/organisations/certification-prep/decks/"
                                       "peer-support-specialist/notes-and-cards-export"),)),
        _fact(doc, 19, steps, (_gap(steps, "Stage"), _gap(steps, "Commit", 2, "verb"), _gap(steps, "Push", 3))),
        _fact(doc, 27, table, (_gap(table, "Fast-forward"),)),
        _fact(doc, 31, "What does git stash do?", kind="qa",
              answer="It shelves uncommitted changes so the working tree is clean again", term="git stash"),
    ]
    notes = make_notes(facts, doc, SHOWCASE_DECK, media.files)
    notes = [replace(n, fields=tuple((k, render.markdown_html(CODE_EXTRA) if k == "Extra" else v)
                                     for k, v in n.fields)) if n.kind == "qa" else n for n in notes]
    stamped, _, _ = assign_identity(notes, {}, 1_700_000_000)
    return stamped, {f.name: f.path for f in media.files.values()}


def write_showcase(folder: Path) -> tuple[Path, list[Note], dict[str, Path]]:
    """Build the showcase deck into `folder`; returns the .apkg, its notes and media."""
    article = showcase_source(folder / "src")
    notes, media = showcase_notes(article)
    out = folder / "deck"
    out.mkdir(parents=True, exist_ok=True)
    return write_deck(notes, out, SHOWCASE_DECK, media), notes, media
