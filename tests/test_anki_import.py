"""End to end: build the seed deck and import it into a brand-new collection with the official anki package."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app
from tests.ankiutil import collection, import_package, rendered_cards


def test_seed_deck_imports_into_real_anki(tmp_path: Path, root: Path) -> None:
    out, cards_json = tmp_path / "decks", tmp_path / "cards.json"
    result = CliRunner().invoke(app, ["build", str(root / "source"), "-o", str(out), "--json", str(cards_json)])
    assert result.exit_code == 0, result.output
    export = json.loads(cards_json.read_text(encoding="utf-8"))
    notes = [n for n in export["notes"] if n["deck"] == "Medi-Cal Peer Support Specialist::Empathy"]
    assert len(notes) >= 10
    apkg = out / "Medi-Cal_Peer_Support_Specialist__Empathy.apkg"
    with collection(tmp_path / "anki") as col:
        log = import_package(col, apkg)
        assert len(log.new) == len(notes) and not log.duplicate and not log.conflicting
        assert col.note_count() == len(notes)
        cards = rendered_cards(col)
        assert len(cards) == sum(len(n["cards"]) for n in notes)
        assert {c["deck"] for c in cards} == {"Medi-Cal Peer Support Specialist::Empathy"}
        assert {c["notetype"] for c in cards} <= {"certdeck Cloze v1", "certdeck Q&A v1"}
        by_guid = {n["guid"]: n for n in notes}
        for card in cards:
            note = by_guid[card["guid"]]
            want = note["cards"][card["ord"]] if note["kind"] == "cloze" else note["cards"][0]
            if note["kind"] == "cloze":
                assert "[...]" in card["question"]
                for answer in want["answers"]:
                    assert answer not in card["question"].replace(want["prompt"], "")
                    assert answer in card["answer"]
            else:
                assert want["answers"][0] in card["answer"]
            assert note["source"]["sentence"] in card["answer"]  # the back shows the source sentence


def test_seed_trust_card_shows_gap_and_answer(tmp_path: Path, root: Path) -> None:
    """The seed's central claim becomes a card asking for 'Trust', with the source cue on the back."""
    out = tmp_path / "decks"
    assert CliRunner().invoke(app, ["build", str(root / "source"), "-o", str(out), "-q"]).exit_code == 0
    with collection(tmp_path / "anki") as col:
        import_package(col, out / "Medi-Cal_Peer_Support_Specialist__Empathy.apkg")
        trust = [c for c in rendered_cards(col) if "cornerstone of the peer support relationship" in c["question"]]
        assert trust, "the cornerstone claim must be a card"
        card = trust[0]
        assert "[...] is the cornerstone" in card["question"]
        assert "Trust" not in card["question"].split("----")[0].replace("Trust is Key", "")
        assert "Trust" in card["answer"]
        assert "peer-support-empathy.md" in card["answer"]


def test_rebuild_gives_same_guids_and_due_order(tmp_path: Path, root: Path) -> None:
    runner = CliRunner()
    for i in (1, 2):
        result = runner.invoke(app, ["build", str(root / "source"), "-o", str(tmp_path / "d"), "--json",
                                     str(tmp_path / f"c{i}.json")])
        assert result.exit_code == 0
    assert (tmp_path / "c1.json").read_text() == (tmp_path / "c2.json").read_text()
    with collection(tmp_path / "anki") as col:
        import_package(col, tmp_path / "d" / "Medi-Cal_Peer_Support_Specialist__Empathy.apkg")
        export = json.loads((tmp_path / "c1.json").read_text())
        order = [n["guid"] for n in export["notes"]]
        cards = sorted(rendered_cards(col), key=lambda c: (c["due"], c["ord"]))
        assert [c["guid"] for c in cards if c["ord"] == 0] == order
