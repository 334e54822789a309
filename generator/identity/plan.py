"""`certdeck plan`: what a build would change against the lock file (new, changed, unchanged, retired).

Pure: takes a planned Build and returns text lines or a JSON-ready mapping; the CLI prints them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..build.pipeline import Build
from .lockfile import LOCK_NAME
from .match import Change

PLAN_SCHEMA = "certdeck.plan/1"
STATUSES = ("new", "changed", "unchanged", "retired")


def plan_counts(build: Build) -> str:
    """One line: how many notes a build would add, change, leave alone and retire, and how many it keeps
    from earlier retirements (counted apart from the unchanged live notes)."""
    counts = build.report.counts()
    earlier = sum(1 for c in build.report.changes if c.retired and c.status == "unchanged")
    counts["unchanged"] -= earlier
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES) + (f", {earlier} retired earlier" if earlier else "")


def plan_lines(build: Build, out_dir: Path) -> list[str]:
    """The counts, then one line per note: status, kind, where, sentence, and what changed."""
    lock = out_dir / LOCK_NAME
    head = f"plan: {plan_counts(build)} (against {lock})" if build.had_lock else (
        f"plan: {plan_counts(build)} (no lock file at {lock} yet: every note is new)")
    lines = [head]
    for c in _ordered(build):
        where = f"{c.path}:{c.line}" if c.line else c.path
        notes = _notes(c)
        lines.append(f"{c.status:<9}  {c.kind:<5}  {c.guid}  {where}  {_short(c.sentence)}"
                     + (f"  [{'; '.join(notes)}]" if notes else ""))
    return lines


def plan_json(build: Build, out_dir: Path) -> str:
    """The plan as JSON for scripts (schema certdeck.plan/1)."""
    data: dict[str, Any] = {
        "schema": PLAN_SCHEMA,
        "lock": str(out_dir / LOCK_NAME),
        "lock_found": build.had_lock,
        "counts": build.report.counts(),
        "notes": [{"status": c.status, "guid": c.guid, "kind": c.kind, "path": c.path, "line": c.line,
                   "sentence": c.sentence, "match": c.match, "was_path": c.was_path, "fields": list(c.fields),
                   "retired": c.retired, "emptied_cloze_numbers": list(c.emptied)} for c in _ordered(build)],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _ordered(build: Build) -> list[Change]:
    return sorted(build.report.changes, key=lambda c: (c.path, c.line, STATUSES.index(c.status), c.guid))


def _notes(c: Change) -> list[str]:
    out = []
    if c.fields:
        out.append("changed: " + ", ".join(c.fields))
    if c.match.startswith("similar"):
        out.append(f"matched by {c.match}")
    if c.was_path:
        out.append(f"was in {c.was_path}")
    if c.emptied:
        out.append("cloze " + ", ".join(f"c{n}" for n in c.emptied) + " removed: Anki keeps an empty card")
    if c.retired and c.status != "retired":
        out.append("retired earlier")
    elif c.status == "retired":
        out.append("gone from the source: tagged certdeck::retired")
    return out


def _short(sentence: str, width: int = 72) -> str:
    text = " ".join(sentence.split())
    return json.dumps(text if len(text) <= width else text[: width - 3] + "...", ensure_ascii=False)
