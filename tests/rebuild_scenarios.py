"""Rebuild scenarios: a hand-written article (v1), the edits an author makes to it, and what a learner's
collection looks like after re-importing the rebuilt deck, measured with the official anki package.

Used by tests/test_rebuild.py (assertions) and bench/rebuild_table.py (the table for the issue).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer

from generator.build.pipeline import Build, plan_build, write_build
from generator.config import Settings
from tests.ankiutil import collection, import_package, plain

V1_TIME = 1_700_000_000
V2_TIME = V1_TIME + 86_400  # the author rebuilds a day later
DECK = "First Aid::Bleeding"
APKG = "First_Aid__Bleeding.apkg"
RETIRED_APKG = "First_Aid__Bleeding.retired.apkg"  # the deck's retired notes, for learners who have them
ARTICLE = "first-aid.md"

# v1 carries two typos ("condtion", "agian") for the typo scenario to fix.
V1 = """---
deck: "First Aid::Bleeding"
tags: [first-aid]
---

# Controlling Bleeding

A tourniquet is a band that stops the blood flow to an injured limb.

## Direct Pressure

{{c1::Direct pressure}} is the first way to stop most bleeding.

Press on the wound with a clean cloth for at least ==ten minutes== before you look at it agian.

Q: What should you add when blood soaks through the first dressing?
A: A second dressing on top of the first

## Shock

Shock is a condtion in which the organs do not get enough blood flow.

A person in {{c1::shock}} often has pale, cold and clammy skin.

Lay the person down and raise their legs by about {{c1::thirty centimetres}} unless it causes pain.

## Wound Types

The three common open wounds are {{c1::abrasions}}, {{c2::lacerations}} and {{c3::punctures}}.

- Abrasion: a scrape that removes the top layer of the skin
- Laceration: a deep cut or tear in the skin
- Puncture: a small deep hole made by a sharp object
"""

SHOCK_SECTION = V1[V1.index("## Shock") : V1.index("## Wound Types")]


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(src: Path) -> None:
        path = src / ARTICLE
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _rename_file(src: Path) -> None:
    (src / ARTICLE).rename(src / "bleeding-control.md")


@dataclass(frozen=True)
class Scenario:
    name: str
    edit: Callable[[Path], None]
    edited: dict[str, str] = field(default_factory=dict)  # v1 sentence fragment -> fragment its card now shows
    new: tuple[str, ...] = ()  # fragments of facts that must arrive as new notes
    retired: tuple[str, ...] = ()  # fragments of facts that must be reported retired
    everything_updated: bool = False  # every note's content changes (file name in Source, tags)


SCENARIOS = (
    Scenario("no change", lambda src: None),
    Scenario("fix a typo", lambda src: (_replace("condtion", "condition")(src), _replace("agian", "again")(src)),
             edited={"Shock is a condtion": "Shock is a condition", "look at it agian": "look at it again"}),
    Scenario("reword a sentence",
             lambda src: (_replace("{{c1::Direct pressure}} is the first way to stop most bleeding.",
                                   "{{c1::Direct pressure}} is the quickest way to control most bleeding.")(src),
                          _replace("A tourniquet is a band that stops the blood flow to an injured limb.",
                                   "A tourniquet is a tight band that cuts off the blood flow to an injured limb."
                                   )(src)),
             edited={"first way to stop most bleeding": "quickest way to control most bleeding",
                     "band that stops the blood flow": "tight band that cuts off the blood flow"}),
    Scenario("add a paragraph",
             _replace("## Direct Pressure\n\n", "## Direct Pressure\n\nA {{c1::pressure bandage}} keeps a steady "
                      "pressure on a wound while you wait for help.\n\n"),
             new=("keeps a steady pressure on a wound",)),
    Scenario("move a section", lambda src: (_replace(SHOCK_SECTION, "")(src),
                                            _replace("a sharp object\n", "a sharp object\n\n" + SHOCK_SECTION)(src))),
    Scenario("rename a heading", _replace("## Shock\n", "## Recognising Shock\n")),
    Scenario("rename the file", _rename_file, everything_updated=True),
    Scenario("delete a paragraph",
             _replace("Lay the person down and raise their legs by about {{c1::thirty centimetres}} unless it "
                      "causes pain.\n\n", ""),
             retired=("raise their legs",)),
    Scenario("drop a cloze deletion",
             _replace("{{c1::abrasions}}, {{c2::lacerations}} and {{c3::punctures}}",
                      "{{c1::abrasions}} and {{c2::punctures}}"),
             edited={"abrasions, lacerations and punctures": "abrasions and punctures"}),
)


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Run in `folder`, as an author runs `certdeck build` in their project: paths stay `src/...`."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def build(root: Path, now: int, json_name: str | None = None) -> Build:
    """Build `root`/src into `root`/out (lock file included) at build time `now`, from inside `root`."""
    with inside(root):
        result = plan_build([Path("src")], Settings(now=now), Path("out"))
        assert not result.errors, result.errors
        write_build(result, Path("out"), Path(json_name) if json_name else None)
    return result


def answer_every_card(col: Collection) -> int:
    """Study every card once through the v3 scheduler, answering Good; returns how many were answered."""
    for conf in col.decks.all_config():
        conf["new"]["perDay"] = 9999
        conf["rev"]["perDay"] = 9999
        col.decks.update_config(conf)
    col.decks.select(col.decks.id_for_name(DECK.split("::")[0]))
    answered: set[int] = set()
    while True:
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards or queued.cards[0].card.id in answered:
            break  # done, or a card answered a moment ago is due again in learning
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD))
        answered.add(card.id)
    return len(answered)


def make_v1(root: Path) -> Path:
    """v1 source, its build (with lock) and a collection that imported it and answered every card once."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / ARTICLE).write_text(V1, encoding="utf-8")
    build(root, V1_TIME, "v1.cards.json")
    shutil.copy(root / "out" / APKG, root / "v1.apkg")
    with collection(root / "anki") as col:
        import_package(col, root / "v1.apkg")
        answered = answer_every_card(col)
        assert answered == col.card_count(), (answered, col.card_count())
    return root


SCHEDULE = "select c.id, n.guid, c.ord, c.type, c.queue, c.ivl, c.due, c.reps, c.lapses, c.factor, " \
           "(select count() from revlog r where r.cid = c.id) from cards c join notes n on n.id = c.nid"


@dataclass
class Outcome:
    """What re-importing a rebuilt deck did to the learner's collection."""

    build: Build
    log: Any  # Anki's import log
    retired_log: Any  # ... of the retired notes' package, imported after the deck (None: there was none)
    notes_before: dict[str, dict[str, Any]]  # guid -> {"mod", "fields", "tags"}
    notes_after: dict[str, dict[str, Any]]
    cards_before: dict[int, tuple[Any, ...]]  # card id -> schedule and review count
    cards_after: dict[int, tuple[Any, ...]]
    rendered: dict[str, dict[int, tuple[str, str]]]  # guid -> card ord (0-based) -> (question, answer), after import
    package_guids: set[str]

    @property
    def matched(self) -> int:
        return len(self.package_guids & set(self.notes_before))

    @property
    def added(self) -> int:
        return len(self.log.new)

    @property
    def updated(self) -> int:
        return len(self.log.updated) + (len(self.retired_log.updated) if self.retired_log is not None else 0)

    @property
    def orphaned(self) -> list[str]:
        """Notes the learner had that the new package neither updates nor retires: a fact now held twice."""
        return sorted(set(self.notes_before) - self.package_guids)

    @property
    def same_sentence(self) -> list[str]:
        """Sentences (Sentence field) held by more than one live note after import."""
        seen: dict[str, int] = {}
        for n in self.notes_after.values():
            if "certdeck::retired" not in n["tags"]:
                sentence = n["fields"][-2]  # both note types end with Sentence, Source
                seen[sentence] = seen.get(sentence, 0) + 1
        return sorted(s for s, k in seen.items() if k > 1)

    @property
    def duplicated(self) -> int:
        return len(self.orphaned) + len(self.same_sentence)

    @property
    def reviewed_cards(self) -> list[int]:
        return [cid for cid, row in self.cards_before.items() if row[-1] > 0]

    @property
    def kept(self) -> list[int]:
        """Studied cards whose schedule and review history are exactly as before the import."""
        return [cid for cid in self.reviewed_cards if self.cards_after.get(cid) == self.cards_before[cid]]


def _notes(col: Collection) -> dict[str, dict[str, Any]]:
    return {guid: {"mod": mod, "fields": flds.split("\x1f"), "tags": tags.split()}
            for guid, mod, flds, tags in col.db.all("select guid, mod, flds, tags from notes")}


def _cards(col: Collection) -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in col.db.all(SCHEDULE)}


def rebuild_and_reimport(v1: Path, work: Path, scenario: Scenario) -> Outcome:
    """Copy v1 (source, decks, studied collection), apply the scenario's edit, rebuild, re-import."""
    for name in ("src", "out", "anki"):
        shutil.copytree(v1 / name, work / name)
    scenario.edit(work / "src")
    result = build(work, V2_TIME, "v2.cards.json")
    with collection(work / "anki") as col:
        notes_before, cards_before = _notes(col), _cards(col)
        log = import_package(col, work / "out" / APKG)
        # A learner who has the deck imports its retired notes' package too, to have them tagged.
        retired = work / "out" / RETIRED_APKG
        retired_log = import_package(col, retired) if retired.exists() else None
        rendered: dict[str, dict[int, tuple[str, str]]] = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            out = card.render_output()
            rendered.setdefault(card.note().guid, {})[card.ord] = (plain(out.question_text), plain(out.answer_text))
        outcome = Outcome(result, log, retired_log, notes_before, _notes(col), cards_before, _cards(col), rendered,
                          {n.guid for notes in result.decks.values() for n in notes})
    return outcome
