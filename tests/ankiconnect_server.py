"""A stand-in for the AnkiConnect add-on: a real HTTP server on 127.0.0.1 that speaks its documented protocol
(API version 6: POST `{"action", "version", "params", "key"}`, answer `{"result", "error"}`) and carries out
each action certdeck uses with the official `anki` package on a real collection, as the add-on's
plugin/__init__.py does (FooSoft/anki-connect). Nothing is mocked: only Anki's window is missing.

The collection is opened for each request and closed after it, so a test can open it between requests.
"""
from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import anki.utils
from anki.collection import Collection

# What the add-on's `from anki.importing import AnkiPackageImporter` gives in Anki 26.9 (that name is a
# deprecated alias of this class: imported by its own name here, so no deprecation warning is raised).
from anki.importing import _LegacyAnkiPackageImporter as AnkiPackageImporter


class AnkiConnectStandIn:
    """The add-on's actions over the collection at `path`; `key`, `version` as the add-on's settings."""

    def __init__(self, path: Path, key: str | None = None, version: int = 6) -> None:
        self.path, self.key, self.version = path, key, version
        self.log: list[str] = []  # actions run, in order
        self.fail_on: str | None = None  # an action that answers with an error (a refusal)

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        name = request.get("action", "")
        params = request.get("params", {})
        try:
            if request.get("key") != self.key and name != "requestPermission":
                raise Exception("valid api key must be provided")
            method = getattr(self, "do_" + name, None)
            if method is None:
                raise Exception("unsupported action")
            self.log.append(name)
            if name == self.fail_on:
                raise Exception(f"{name} refused by the test")
            col = Collection(str(self.path))
            try:
                result = method(col, **params)
            finally:
                col.close()
            return {"result": result, "error": None}
        except Exception as err:  # noqa: BLE001 - the add-on answers every failure so
            return {"result": None, "error": str(err)}

    # The actions, each as the add-on runs it.

    def do_version(self, col: Collection) -> int:
        return self.version

    def do_findNotes(self, col: Collection, query: str | None = None) -> list[int]:
        return [] if query is None else list(map(int, col.find_notes(query)))

    def do_findCards(self, col: Collection, query: str | None = None) -> list[int]:
        return [] if query is None else list(map(int, col.find_cards(query)))

    def do_notesInfo(self, col: Collection, notes: list[int]) -> list[dict[str, Any]]:
        out = []
        for nid in notes:
            note = col.get_note(nid)
            model = note.note_type()
            assert model is not None
            fields = {f["name"]: {"value": note.fields[f["ord"]], "order": f["ord"]} for f in model["flds"]}
            out.append({"noteId": note.id, "tags": note.tags, "fields": fields, "modelName": model["name"],
                        "cards": col.db.list("select id from cards where nid = ? order by ord", note.id)})
        return out

    def do_getMediaDirPath(self, col: Collection) -> str:
        return os.path.abspath(col.media.dir())

    def do_storeMediaFile(self, col: Collection, filename: str, data: str | None = None,
                          deleteExisting: bool = True) -> str:
        if not data:
            raise Exception('You must provide a "data", "path", or "url" field.')
        if deleteExisting:
            col.media.trash_files([filename])
        return col.media.write_data(filename, base64.b64decode(data))

    def do_deleteMediaFile(self, col: Collection, filename: str) -> None:
        col.media.trash_files([filename])

    def do_importPackage(self, col: Collection, path: str) -> bool:
        AnkiPackageImporter(col, path).run()
        return True

    def do_deleteNotes(self, col: Collection, notes: list[int]) -> None:
        col.remove_notes(notes)

    def do_changeDeck(self, col: Collection, cards: list[int], deck: str) -> None:
        did = col.decks.id(deck)
        mod, usn = anki.utils.int_time(), col.usn()
        col.sched.remFromDyn(cards)  # type: ignore[attr-defined]  # the add-on's call (legacy scheduler API)
        col.db.execute("update cards set usn=?, mod=?, did=? where id in " + anki.utils.ids2str(cards), usn, mod, did)

    def do_suspend(self, col: Collection, cards: list[int], suspend: bool = True) -> bool:
        queue = dict(col.db.all("select id, queue from cards where id in " + anki.utils.ids2str(cards)))
        cards = [c for c in cards if (queue.get(c) == -1) != suspend]
        if not cards:
            return False
        if suspend:
            col.sched.suspend_cards(cards)
        else:
            col.sched.unsuspend_cards(cards)
        return True

    def do_modelNames(self, col: Collection) -> list[str]:
        return [m.name for m in col.models.all_names_and_ids()]

    def do_modelStyling(self, col: Collection, modelName: str) -> dict[str, str]:
        model = col.models.by_name(modelName)
        if model is None:
            raise Exception(f"model was not found: {modelName}")
        return {"css": model["css"]}

    def do_updateModelStyling(self, col: Collection, model: dict[str, str]) -> None:
        existing = col.models.by_name(model["name"])
        if existing is None:
            raise Exception(f"model was not found: {model['name']}")
        existing["css"] = model["css"]
        col.models.update_dict(existing)


@contextmanager
def serve(stand_in: AnkiConnectStandIn) -> Iterator[str]:
    """Serve `stand_in` on 127.0.0.1 at a free port, in a thread; yields its URL, stops it afterwards."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not body:
                self._send(b"AnkiConnect v.6")
                return
            try:
                request = json.loads(body)
            except ValueError as err:
                self._send(json.dumps({"result": None, "error": str(err)}).encode())
                return
            self._send(json.dumps(stand_in.handle(request)).encode())

        def _send(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
