"""Deck files a build no longer makes (a deck renamed, or all of its articles gone): found from the lock of the
previous build, removed after the new decks are written.

A deck is stale only when every article that made it last time was read by this build or is gone from disk:
a partial build (`certdeck build one.md`) never removes the deck of an article it did not read.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..identity.lockfile import LockEntry

_DECK_HEAD = b'{"deck": "'


def deck_of(entry: LockEntry) -> str | None:
    """The deck a lock entry's note was in when last built (read from the front of its snapshot)."""
    data = entry.snapshot_json
    if data is None:
        return None
    if data.startswith(_DECK_HEAD):  # as lockfile.snapshot_json writes it: the deck first
        end = data.find(b'", "kind": ', len(_DECK_HEAD))
        if end > 0:
            try:
                deck = json.loads(data[len(_DECK_HEAD) - 1 : end + 1])
                return deck if isinstance(deck, str) else None
            except ValueError:
                pass
    snapshot = entry.snapshot
    deck = snapshot.get("deck") if snapshot else None
    return deck if isinstance(deck, str) else None


def stale_decks(entries: Iterable[LockEntry], built: Iterable[str], in_scope: Callable[[str], bool]) -> list[str]:
    """Decks the previous build made (per `entries`, its lock) that this build (`built`: its decks) does not,
    and whose articles are all in scope (read by this build, or gone)."""
    made = set(built)
    paths: dict[str, set[str]] = {}
    for entry in entries:
        deck = deck_of(entry)
        if deck is not None and deck not in made:
            paths.setdefault(deck, set()).add(entry.path)
    return sorted(deck for deck, articles in paths.items() if all(in_scope(p) for p in articles))


def remove_stale(decks: Sequence[str], written: Iterable[Path], out_dir: Path) -> list[tuple[str, Path]]:
    """Remove the package of each stale deck from `out_dir` (and its DECK.retired.apkg), unless a deck of this
    build was written under that name; never through a link. Returns (deck, removed file)."""
    from .apkg import deck_file_name

    kept = {p.name.lower() for p in written}
    removed = []
    for deck in decks:
        name = deck_file_name(deck)
        for file_name in (name, name[: -len(".apkg")] + ".retired.apkg"):
            target = out_dir / file_name
            if file_name.lower() in kept or target.is_symlink() or not target.is_file():
                continue
            os.unlink(target)
            removed.append((deck, target))
    return removed
