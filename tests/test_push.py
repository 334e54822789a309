"""`certdeck push` against a real HTTP server on 127.0.0.1 that carries out AnkiConnect's actions with the
official anki package on a throw-away collection (tests/ankiconnect_server.py): what the learner's
collection holds afterwards is what is checked."""
from __future__ import annotations

import json
import socket
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.anki.ankiconnect import AnkiConnect
from generator.anki.push import count_notes, push, renamed_decks, search
from generator.cli import app
from generator.notes import templates
from generator.package import apkg as package
from tests.ankiconnect_server import AnkiConnectStandIn, serve
from tests.ankiutil import collection
from tests.rebuild_scenarios import APKG, ARTICLE, DECK, V1, answer_every_card

DELETED = "Lay the person down and raise their legs by about {{c1::thirty centimetres}} unless it causes pain.\n\n"


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[tuple[AnkiConnectStandIn, str]]:
    """A learner's empty collection behind an AnkiConnect stand-in; yields (stand-in, URL)."""
    with collection(tmp_path / "anki"):
        pass
    stand_in = AnkiConnectStandIn(tmp_path / "anki" / "collection.anki2")
    with serve(stand_in) as url:
        yield stand_in, url


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An author's project: src/first-aid.md; the tests run inside it; a fixed build clock."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / ARTICLE).write_text(V1, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("ANKICONNECT_URL", raising=False)
    monkeypatch.delenv("ANKICONNECT_KEY", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def package_guids(apkg: Path) -> set[str]:
    with zipfile.ZipFile(apkg) as zf:
        data = zf.read("collection.anki2")
    db = apkg.parent / ".guids.anki2"
    db.write_bytes(data)
    try:
        conn = sqlite3.connect(db)
        guids = {g for (g,) in conn.execute("select guid from notes")}
        conn.close()
    finally:
        db.unlink()
    return guids


def media_files(anki_dir: Path) -> list[str]:
    return sorted(p.name for p in (anki_dir / "collection.media").iterdir())


def test_first_push_adds_every_note_with_its_guid_and_leaves_no_package(project: Path, anki: tuple) -> None:
    stand_in, url = anki
    code, out, err = run("push", "src", "-o", "out", "--url", url)
    assert code == 0, err
    guids = package_guids(project / "out" / APKG)
    assert f"anki: {len(guids)} added, 0 updated, 0 unchanged, 0 suspended" in out
    assert stand_in.log[:3] == ["version", "findNotes", "getMediaDirPath"]  # empty: no notesInfo
    assert [a for a in stand_in.log if a in ("storeMediaFile", "importPackage", "deleteMediaFile")] == \
        ["storeMediaFile", "importPackage", "deleteMediaFile"]
    with collection(project / "anki") as col:
        assert {col.get_note(n).guid for n in col.find_notes("")} == guids
        assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {DECK}
    assert not [f for f in media_files(project / "anki") if f.endswith(".apkg")]
    # pushing again changes nothing
    code, out, err = run("push", "src", "-o", "out", "--url", url)
    assert code == 0, err
    assert f"anki: 0 added, 0 updated, {len(guids)} unchanged, 0 suspended" in out


def _schedule(col) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    return {cid: (ivl, due, reps, queue, n) for cid, ivl, due, reps, queue, n in col.db.all(
        "select c.id, c.ivl, c.due, c.reps, c.queue, (select count() from revlog r where r.cid = c.id) from cards c")}


def test_studied_collection_keeps_reviews_retired_suspended_and_new_css(project: Path, anki: tuple,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = anki
    assert run("push", "src", "-o", "out", "--url", url)[0] == 0
    with collection(project / "anki") as col:
        answer_every_card(col)
        studied = _schedule(col)
        assert all(n == 1 for *_, n in studied.values())
    # the author deletes a paragraph, and a new certdeck version restyles the cards
    article = project / "src" / ARTICLE
    article.write_text(V1.replace(DELETED, ""), encoding="utf-8")
    new_css = templates.CSS + "\n.card .cd-source { font-size: 0.7em; }\n"
    monkeypatch.setattr(templates, "CSS", new_css)
    package._models.cache_clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    try:
        code, out, err = run("push", "src", "-o", "out", "--url", url)
    finally:
        package._models.cache_clear()
    assert code == 0, err
    assert "1 suspended" in out and "0 added" in out
    with collection(project / "anki") as col:
        after = _schedule(col)
        assert after.keys() == studied.keys()  # no card added or lost
        retired = set(col.find_cards('"tag:certdeck::retired"'))
        assert len(retired) == 1
        assert "raise their legs" in col.get_card(next(iter(retired))).note().fields[0]
        for cid, (ivl, due, reps, queue, reviews) in after.items():
            assert (ivl, due, reps, reviews) == studied[cid][:3] + (1,)  # every review kept
            assert (queue == -1) == (cid in retired)  # the retired card, and only it, is suspended
        for name in (templates.CLOZE_MODEL_NAME, templates.QA_MODEL_NAME):
            model = col.models.by_name(name)
            assert model is not None and model["css"] == new_css
    assert not [f for f in media_files(project / "anki") if f.endswith(".apkg")]


def test_delete_retired_and_retired_never_a_first_import(project: Path, anki: tuple, tmp_path: Path) -> None:
    _, url = anki
    assert run("push", "src", "-o", "out", "--url", url)[0] == 0
    (project / "src" / ARTICLE).write_text(V1.replace(DELETED, ""), encoding="utf-8")
    code, out, err = run("push", "src", "-o", "out", "--url", url, "--delete-retired")
    assert code == 0, err
    assert "1 retired deleted" in out
    with collection(project / "anki") as col:
        assert not col.find_notes('"tag:certdeck::retired"')
        assert not [n for n in col.find_notes("") if "raise their legs" in col.get_note(n).fields[0]]
    # a second learner who never had the deck: the retired note does not reach them
    with collection(tmp_path / "anki2"):
        pass
    with serve(AnkiConnectStandIn(tmp_path / "anki2" / "collection.anki2")) as url2:
        code, out, err = run("push", "src", "-o", "out", "--url", url2)
    assert code == 0, err
    with collection(tmp_path / "anki2") as col:
        assert not col.find_notes('"tag:certdeck::retired"')
        assert col.note_count() == len(package_guids(project / "out" / APKG))  # the deck holds live notes only


def test_renamed_deck_moves_its_cards(project: Path, anki: tuple) -> None:
    _, url = anki
    assert run("push", "src", "-o", "out", "--url", url)[0] == 0
    with collection(project / "anki") as col:
        answer_every_card(col)
        cards = set(col.find_cards(""))
    article = project / "src" / ARTICLE
    # renamed, and a paragraph deleted: its retired note stays in the old deck's package, the rest moves
    article.write_text(V1.replace('deck: "First Aid::Bleeding"', 'deck: "First Aid::Bleeding Control"')
                       .replace(DELETED, ""), encoding="utf-8")
    code, out, err = run("plan", "src", "-o", "out")
    assert "warning: deck 'First Aid::Bleeding' is now 'First Aid::Bleeding Control'" in err
    code, out, err = run("push", "src", "-o", "out", "--url", url)
    assert code == 0, err
    assert f"moved: {len(cards)} cards from deck 'First Aid::Bleeding' to 'First Aid::Bleeding Control'" in out
    assert "1 suspended" in out
    with collection(project / "anki") as col:
        assert set(col.find_cards("")) == cards
        assert {col.decks.name(col.get_card(c).did) for c in cards} == {"First Aid::Bleeding Control"}
        assert col.db.scalar("select count() from revlog") == len(cards)
        assert len(col.find_cards("is:suspended")) == 1
    # the next push moves nothing
    code, out, err = run("push", "src", "-o", "out", "--url", url)
    assert code == 0 and "moved" not in out, err


def test_retired_package_beside_the_deck_is_imported(project: Path, anki: tuple) -> None:
    """DECK.retired.apkg (a deck's retired notes in their own package) goes in after DECK.apkg."""
    stand_in, url = anki
    assert run("push", "src", "-o", "out", "--url", url)[0] == 0
    (project / "src" / ARTICLE).write_text(V1.replace(DELETED, ""), encoding="utf-8")
    assert run("build", "src", "-o", "out", "-q")[0] == 0
    # split the build's one package as a build that writes DECK.retired.apkg does
    from generator.identity.lockfile import LOCK_NAME, load_lock

    lock = load_lock((project / "out" / LOCK_NAME).read_bytes(), "lock")
    notes = [e.note() for e in lock.values()]
    live = [n for n in notes if n is not None and not n.retired]
    retired = [n for n in notes if n is not None and n.retired]
    assert len(retired) == 1
    tagged = [replace(n, tags=(*n.tags, "certdeck::retired")) for n in retired]
    split = project / "split"
    split.mkdir()
    package.write_deck(live, split, DECK)
    package.write_deck(tagged, split, DECK, file_name=APKG.replace(".apkg", ".retired.apkg"))
    from generator.anki.push import packages_of

    packages = packages_of([(DECK, split / APKG, len(live), 0)])
    assert [(p.path.name, p.notes, p.retired) for p in packages] == [
        (APKG, len(live), 0), (APKG.replace(".apkg", ".retired.apkg"), 1, 1)]
    stand_in.log.clear()
    report = push(AnkiConnect(url), packages, {})
    assert stand_in.log.count("importPackage") == 2
    assert report.suspended == 1 and report.added == 0
    with collection(project / "anki") as col:
        assert len(col.find_cards('"tag:certdeck::retired" is:suspended')) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_errors_are_one_line(project: Path, anki: tuple, tmp_path: Path) -> None:
    stand_in, url = anki

    def one_error(*args: str) -> str:
        code, _, err = run("push", "src", "-o", "out", *args)
        assert code == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        return lines[0]

    assert "is Anki running" in one_error("--url", f"http://127.0.0.1:{_free_port()}")
    stand_in.key = "sesame"
    assert "pass --key or set ANKICONNECT_KEY" in one_error("--url", url)
    assert "the key is wrong" in one_error("--url", url, "--key", "open")
    stand_in.key, stand_in.version = None, 5
    assert "API version 5 is too old" in one_error("--url", url)
    stand_in.version = 6
    stand_in.fail_on = "importPackage"
    line = one_error("--url", url)
    assert "refused importPackage" in line and "already done" not in line
    assert not [f for f in media_files(project / "anki") if f.endswith(".apkg")]  # the upload was removed
    stand_in.fail_on = None
    assert run("push", "src", "-o", "out", "--url", url)[0] == 0
    stand_in.fail_on = "suspend"
    (project / "src" / ARTICLE).write_text(V1.replace(DELETED, ""), encoding="utf-8")
    line = one_error("--url", url)
    assert "refused suspend" in line and "already done in Anki: imported" in line
    assert "must start with http" in one_error("--url", "127.0.0.1:8765")


@pytest.mark.parametrize("status, body, message", [
    (200, b"<html>hello</html>", "not AnkiConnect"),  # another program on the port
    (403, b"", "refused the request (HTTP 403"),  # AnkiConnect refusing the origin
    (200, b'"6"', "does not speak AnkiConnect API version 6"),  # an add-on answering an older protocol
])
def test_something_else_on_the_port(project: Path, status: int, body: bytes, message: str) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code, _, err = run("push", "src", "-o", "out", "--url", f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1, err


def test_url_and_key_from_the_environment(project: Path, anki: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in, url = anki
    stand_in.key = "sesame"
    monkeypatch.setenv("ANKICONNECT_URL", url)
    monkeypatch.setenv("ANKICONNECT_KEY", "sesame")
    code, out, err = run("push", "src", "-o", "out")
    assert code == 0, err and "added" in out


def test_search_terms_match_literally() -> None:
    assert search("deck", 'A_b*"c') == '"deck:A\\_b\\*\\"c"'
    assert search("deck", "A_b::*", raw_tail=True) == '"deck:A\\_b::*"'


def test_renames_are_whole_decks_only() -> None:
    before = {"g1": "Old", "g2": "Old", "g3": "Split", "g4": "Split", "g5": "Kept"}
    now = {"g1": "New", "g2": "New", "g3": "X", "g4": "Y", "g5": "Kept"}
    assert renamed_decks(before, now) == {"Old": "New"}


def test_count_notes_of_a_package(project: Path) -> None:
    assert run("build", "src", "-o", "out", "-q")[0] == 0
    total, retired = count_notes(project / "out" / APKG)
    assert total == len(package_guids(project / "out" / APKG)) and retired == 0
    assert json.loads((project / "out" / "certdeck.lock.json").read_text())["schema"].startswith("certdeck.lock/")
