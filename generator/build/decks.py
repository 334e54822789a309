"""Writing a build's decks (one package per deck, and one of its retired notes) and its cards JSON."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .articles import Progress
from .atomic import _write
from .cache import CACHE_DIR
from .parts import _Listed

if TYPE_CHECKING:
    from ..package.apkg import PackRow
    from .pipeline import Build


def _write_decks_and_json(build: Build, out_dir: Path, json_path: Path | None, use_cache: bool,
                          progress: Progress | None) -> list[tuple[str, Path, int, int, bool]]:
    """write_build's decks and cards JSON, each written atomically; returns (deck, path, notes, cards,
    retired) of each package.

    A deck's retired notes go into a package of their own (`DECK.retired.apkg`, see retired_file_names):
    a learner importing the deck for the first time never gets them as new cards, and one who has them
    imports that package to have them tagged certdeck::retired. A deck without retired notes leaves no
    such package behind from an earlier build.
    """
    from ..package.apkg import write_text_atomic
    from ..package.export import cards_json_chunks
    from .cache import DeckRecord, deck_fingerprint

    record = DeckRecord(out_dir / CACHE_DIR if use_cache else None)
    by_name = {f.name: f.path for f in build.media.values()}
    written = []
    decks = sorted(build.parts.items())
    names = deck_file_names([deck for deck, _ in decks])
    retired_names = retired_file_names(names)
    model_mods = {kind: mod for kind, (_, mod) in sorted(build.styles.items())}
    for done, (deck, parts) in enumerate(decks, 1):
        live = [p for p in parts if not isinstance(p, _Listed)]
        gone = [p for p in parts if isinstance(p, _Listed)]
        for target, group, retired in ((out_dir / names[deck], live, False),
                                       (out_dir / retired_names[deck], gone, True)):
            if not group:  # no notes of this kind: an older package of them would mislead a new learner
                _remove_stale(target)
                continue
            used = {name for part in group for name in part.media_names()}
            files = {name: by_name[name] for name in sorted(used) if name in by_name}
            fingerprint = deck_fingerprint(f"{deck}\x1c{model_mods}" + ("\0retired" if retired else ""),
                                           [p.digest for p in group], files) if use_cache else ""
            if not record.unchanged(target, fingerprint):
                rows = [row for part in group for row in part.rows()]
                _write(target, "deck", _write_deck, rows, out_dir, deck, files, target.name, model_mods)
                record.record(target, fingerprint)
                del rows
            written.append((deck, target, sum(p.count for p in group), sum(p.cards for p in group), retired))
        if progress:
            progress("decks", done, len(decks))
    record.save(p.name for _, p, _, _, _ in written)
    if json_path is not None:  # streamed: an article's notes at a time
        notes = (n for _, parts in decks for part in parts for n in part.notes())
        _write(json_path, "cards JSON", write_text_atomic, json_path, cards_json_chunks(notes))
    return written


def _write_deck(rows: Sequence[tuple[str, int, PackRow]], out_dir: Path, deck: str, files: Mapping[str, Path],
                name: str, model_mods: Mapping[str, int] | None = None) -> None:
    from ..package.apkg import timestamp_of, write_rows

    kinds = dict.fromkeys(row[0] for _, _, row in rows)
    write_rows(rows, kinds, timestamp_of(mod for _, mod, _ in rows), out_dir, deck, files, file_name=name,
               model_mods=model_mods)


def retired_file_names(names: Mapping[str, str]) -> dict[str, str]:
    """Each deck's retired-notes package name: `NAME.retired.apkg` beside `NAME.apkg` (`names`: deck ->
    deck_file_names' name), with a short hash of the deck name if a deck's own package has that name."""
    taken = {name.lower() for name in names.values()}
    out = {}
    for deck, name in names.items():
        retired = name[: -len(".apkg")] + ".retired.apkg"
        if retired.lower() in taken:
            digest = hashlib.sha256(deck.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            retired = f"{name[: -len('.apkg')]}-{digest}.retired.apkg"
        out[deck] = retired
    return out


def _remove_stale(package: Path) -> None:
    """Delete a package an earlier build wrote that this one has no notes for: a retired-notes package of a
    deck with none left, or a deck all of whose notes are now retired (a regular file only: a link of that
    name is left alone)."""
    import stat

    try:
        if stat.S_ISREG(os.lstat(package).st_mode):
            os.unlink(package)
    except OSError:
        pass


def deck_file_names(decks: Sequence[str]) -> dict[str, str]:
    """Each deck's package name in the output folder, never shared by two decks.

    Deck names that clean up to the same file name (`A/B` and `A_B`, or names that differ only in case on
    a case-insensitive disk) or to none at all (`...`) get a short hash of the deck name, so no deck's
    package overwrites another's.
    """
    import hashlib

    from ..package.apkg import deck_file_name

    plain = {deck: deck_file_name(deck) for deck in decks}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    out = {}
    for deck, name in plain.items():
        stem = name[: -len(".apkg")]
        if counts[name.lower()] > 1 or not stem:
            digest = hashlib.sha256(deck.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            name = f"{stem or 'deck'}-{digest}.apkg"
        out[deck] = name
    return out
