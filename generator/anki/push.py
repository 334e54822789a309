"""`certdeck push`: send built decks to a running Anki through AnkiConnect, keeping every note's identity.

AnkiConnect's note actions know no GUIDs, so the packages go in whole: each .apkg is stored in the
collection's media folder (`storeMediaFile`, so Anki may run on another machine or under WSL), imported
as the add-on imports (`importPackage`: Anki's package import matching notes by GUID), and deleted from
the media folder again (`deleteMediaFile`) so it never syncs to AnkiWeb. Then, in the learner's
collection: cards of a renamed deck move to its new name (`changeDeck`), retired notes' cards are
suspended (or the notes deleted), and note-type CSS that differs from ours is replaced
(`updateModelStyling`). What changed is measured in Anki, before and after.
"""
from __future__ import annotations

import base64
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GeneratorError
from ..identity.match import RETIRED_TAG
from ..notes import templates
from .ankiconnect import AnkiConnect

PUSH_RECORD = "certdeck.push.json"  # beside the lock: each note's deck as last pushed (finds renamed decks)
PUSH_SCHEMA = "certdeck.push/1"
RETIRED_SUFFIX = ".retired.apkg"  # DECK.retired.apkg beside DECK.apkg: the deck's retired notes, if any
MEDIA_PREFIX = "certdeck-push-"  # the name a package has in the media folder while it is imported


def styles() -> dict[str, str]:
    """Our note types' names and the CSS this build gives them."""
    return {templates.CLOZE_MODEL_NAME: templates.CSS, templates.QA_MODEL_NAME: templates.CSS}


@dataclass(frozen=True)
class Package:
    deck: str
    path: Path
    notes: int  # notes in the package
    retired: int  # of them tagged certdeck::retired


@dataclass
class PushReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    suspended: int = 0  # retired notes' cards suspended by this push
    deleted: int = 0  # retired notes deleted (--delete-retired)
    kept_out: int = 0  # retired notes new to this collection, removed again (never a first import)
    moved: list[tuple[str, str, int]] = field(default_factory=list)  # (old deck, new deck, cards)
    styled: list[str] = field(default_factory=list)  # note types whose CSS was replaced
    done: list[str] = field(default_factory=list)  # steps carried out, for an error message

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        out = [f"moved: {n} cards from deck {old!r} to {new!r} (renamed)" for old, new, n in self.moved]
        out += [f"styled: {name}" for name in self.styled]
        retired = f"{self.suspended} suspended" + (f", {self.deleted} retired deleted" if self.deleted else "")
        out.append(f"anki: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, {retired}")
        return out


def packages_of(written: Iterable[tuple[str, Path, int, int]]) -> list[Package]:
    """The packages a build wrote, each followed by its deck's DECK.retired.apkg when there is one."""
    out = []
    seen: set[Path] = set()
    for deck, path, _, _ in written:
        retired = path.with_name(path.name[: -len(".apkg")] + RETIRED_SUFFIX)
        for candidate in (path,) if path.name.endswith(RETIRED_SUFFIX) else (path, retired):
            if candidate in seen:
                continue
            seen.add(candidate)
            if candidate.is_file() and not candidate.is_symlink():
                total, retired_notes = count_notes(candidate)
                out.append(Package(deck, candidate, total, retired_notes))
    return out


def count_notes(apkg: Path) -> tuple[int, int]:
    """(notes, notes tagged certdeck::retired) in a package we built."""
    with tempfile.TemporaryDirectory(prefix="certdeck-push-") as tmp:
        try:
            with zipfile.ZipFile(apkg) as zf:
                zf.extract("collection.anki2", tmp)
        except (OSError, KeyError, zipfile.BadZipFile) as err:
            raise GeneratorError(f"not a package certdeck made: {err}", str(apkg)) from None
        conn = sqlite3.connect(os.path.join(tmp, "collection.anki2"))
        try:
            tags = [t for (t,) in conn.execute("SELECT tags FROM notes")]
        finally:
            conn.close()
    return len(tags), sum(RETIRED_TAG in t.split() for t in tags)


def push(client: AnkiConnect, packages: Sequence[Package], renames: Mapping[str, str],
         delete_retired: bool = False) -> PushReport:
    """Send `packages` to Anki and bring the learner's collection in line; raises GeneratorError (saying
    what was already done) when a step fails."""
    report = PushReport()
    try:
        _push(client, packages, renames, delete_retired, report)
    except GeneratorError as err:
        if report.done:
            raise GeneratorError(f"{err.message} (already done in Anki: {'; '.join(report.done)})",
                                 err.path, err.line) from None
        raise
    return report


def _push(client: AnkiConnect, packages: Sequence[Package], renames: Mapping[str, str], delete_retired: bool,
          report: PushReport) -> None:
    client.check()
    ours = " OR ".join(search("note", name) for name in styles())
    before = _contents(client, ours)
    media_dir = str(client.call("getMediaDirPath")).rstrip("/\\")
    for package in packages:
        _import(client, package, media_dir)
        report.done.append(f"imported {package.path.name}")
    after = _contents(client, ours)
    new = [nid for nid in after if nid not in before]
    fresh_retired = [nid for nid in new if RETIRED_TAG in after[nid][1]]
    if fresh_retired:  # a retired note reaches only a learner who has it already
        client.call("deleteNotes", notes=fresh_retired)
        report.done.append(f"removed {len(fresh_retired)} retired notes new to this collection")
    report.kept_out = len(fresh_retired)
    report.added = len(new) - len(fresh_retired)
    report.updated = sum(1 for nid, content in before.items() if nid in after and after[nid] != content)
    total = sum(p.notes for p in packages)
    report.unchanged = max(0, total - report.added - report.updated - report.kept_out)
    decks = sorted({p.deck for p in packages})
    for old, new_deck in sorted(renames.items()):
        if new_deck not in decks or old == new_deck:
            continue
        cards = client.call("findCards", query=f"{search('deck', old)} -{search('deck', old + '::*', raw_tail=True)}")
        if cards:
            client.call("changeDeck", cards=cards, deck=new_deck)
            report.moved.append((old, new_deck, len(cards)))
            report.done.append(f"moved {len(cards)} cards from {old!r} to {new_deck!r}")
    in_decks = "(" + " OR ".join(search("deck", d) for d in decks) + ")" if decks else ""
    if in_decks:
        retired = f"{search('tag', RETIRED_TAG)} {in_decks}"
        if delete_retired:
            notes = client.call("findNotes", query=retired)
            if notes:
                client.call("deleteNotes", notes=notes)
                report.deleted = len(notes)
                report.done.append(f"deleted {len(notes)} retired notes")
        else:
            cards = client.call("findCards", query=f"{retired} -is:suspended")
            if cards:
                client.call("suspend", cards=cards)
                report.suspended = len(cards)
                report.done.append(f"suspended {len(cards)} retired cards")
    names = set(client.call("modelNames"))
    for name, css in styles().items():
        if name in names and client.call("modelStyling", modelName=name).get("css") != css:
            client.call("updateModelStyling", model={"name": name, "css": css})
            report.styled.append(name)
            report.done.append(f"replaced the CSS of {name}")


def _import(client: AnkiConnect, package: Package, media_dir: str) -> None:
    """storeMediaFile + importPackage + deleteMediaFile of one package; the upload is deleted whatever happens."""
    data = base64.b64encode(package.path.read_bytes()).decode("ascii")
    stored = client.call("storeMediaFile", filename=MEDIA_PREFIX + package.path.name, data=data)
    stored = str(stored or MEDIA_PREFIX + package.path.name)
    try:
        # importPackage runs in Anki's process: the path is the media folder's there (Windows included)
        client.call("importPackage", path=f"{media_dir}/{stored}")
    finally:
        try:
            client.call("deleteMediaFile", filename=stored)
        except GeneratorError as err:
            raise GeneratorError(f"{err.message}; {stored} is left in Anki's media folder: delete it there "
                                 "(Tools > Check Media) before you sync", err.path) from None


def _contents(client: AnkiConnect, query: str) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Note id -> (fields, tags) of every note `query` finds."""
    nids = client.call("findNotes", query=query)
    out = {}
    for info in client.call("notesInfo", notes=nids) if nids else ():
        if info:
            fields = json.dumps(info.get("fields", {}), sort_keys=True)
            out[int(info["noteId"])] = (fields, tuple(sorted(info.get("tags", []))))
    return out


def search(name: str, value: str, raw_tail: bool = False) -> str:
    """An Anki search term `name:value` that matches `value` literally (quoted; `*` `_` `\\` `"` escaped)
    - but for a trailing `*` when `raw_tail` (a wildcard)."""
    tail = ""
    if raw_tail and value.endswith("*"):
        value, tail = value[:-1], "*"
    escaped = "".join("\\" + c if c in '\\"*_' else c for c in value)
    return f'"{name}:{escaped}{tail}"'


# Renamed decks: each note's deck as last pushed, against its deck now.

def decks_by_guid(lock_bytes: bytes | None, live_only: bool = False) -> dict[str, str]:
    """GUID -> deck of every note in a lock file's text (live and retired, or `live_only`).

    A retired note keeps the deck it was last built in, so after a rename it is the only note left in the
    old deck: leaving the retired out shows the rename."""
    from ..identity.lockfile import load_lock
    from ..package.stale import deck_of

    out = {}
    for entry in load_lock(lock_bytes, LOCK_LABEL).values():
        deck = None if live_only and entry.retired else deck_of(entry)
        if deck is not None:
            out[entry.guid] = deck
    return out


LOCK_LABEL = "certdeck.lock.json"


def read_record(out_dir: Path) -> dict[str, str] | None:
    """GUID -> deck as last pushed from `out_dir`, None if nothing was pushed from it yet."""
    path = out_dir / PUSH_RECORD
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise GeneratorError(f"cannot read the push record ({err}); move it away", str(path)) from None
    if not isinstance(data, dict) or data.get("schema") != PUSH_SCHEMA or not isinstance(data.get("decks"), dict):
        raise GeneratorError(f"not a {PUSH_SCHEMA} record; move it away", str(path))
    return {str(g): str(d) for g, d in data["decks"].items()}


def record_text(decks: Mapping[str, str]) -> str:
    """The push record's text: sorted, one note per line."""
    lines = [f"  {json.dumps(g)}: {json.dumps(d, ensure_ascii=False)}" for g, d in sorted(decks.items())]
    return f'{{"schema": "{PUSH_SCHEMA}", "decks": {{\n' + ",\n".join(lines) + "\n}}\n"


def renamed_decks(before: Mapping[str, str], now: Mapping[str, str]) -> dict[str, str]:
    """Old deck -> new deck, for each deck of `before` that no note is in any more and whose notes all went
    to one other deck (a rename); a deck whose notes were split up is not a rename."""
    current = set(now.values())
    targets: dict[str, set[str]] = {}
    for guid, old in before.items():
        if old not in current and guid in now:
            targets.setdefault(old, set()).add(now[guid])
    return {old: next(iter(new)) for old, new in targets.items() if len(new) == 1}
