"""`certdeck add`: URLs from a real HTTP server on 127.0.0.1, and files, written as articles in a source folder."""
from __future__ import annotations

import base64
import contextlib
import datetime
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from generator.cli import app

from .convertutil import needs_converters, seed_in_theme

pytestmark = needs_converters
SEED_TITLE = "Why Empathy is Crucial for Peer Support Specialists"
SLUG = "why-empathy-is-crucial-for-peer-support-specialists.md"


class _Site(BaseHTTPRequestHandler):
    page = seed_in_theme().encode("utf-8")
    logins: ClassVar[list[str]] = []  # shared: http.server makes a handler per request

    def do_GET(self) -> None:
        self.logins.append(self.headers.get("Authorization", ""))
        if self.path == "/post":
            self._send(self.page)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(self.page)
        elif self.path == "/trickle":  # starts at once, then stalls: only the whole-download limit stops it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>\n")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/big":  # says its size up front
            self._send(b"<html><body>" + b"<p>word </p>" * 200_000 + b"</body></html>")
        elif self.path == "/big-unsized":  # no Content-Length: the limit must count the bytes as they come
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # certdeck stops reading at 1 MB
                for _ in range(40):
                    self.wfile.write(b"<p>word</p>" * 6000)
        elif self.path == "/moved-here":
            self.send_response(302)
            self.send_header("Location", "/post")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/moved-away":  # the same server under another host name
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/post")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/missing":
            self.send_error(404, "Not Found")
        else:
            self._send(b"\x89PNG\r\n\x1a\n", "image/png")

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def add(*args: str) -> object:
    return CliRunner().invoke(app, ["add", *args])


def test_add_url_writes_the_article_and_the_build_makes_its_cards(tmp_path: Path, site: str) -> None:
    src = tmp_path / "source"
    result = add(f"{site}/post", "-d", str(src))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    article = (src / SLUG).read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    assert article.startswith(f'---\ntitle: "{SEED_TITLE}"\norigin: "{site}/post ({today})"\n---\n\n# {SEED_TITLE}\n')
    assert "cornerstone of the peer support relationship" in article and "Subscribe" not in article
    assert result.stdout.startswith(f"{site}/post -> {src / SLUG} ('{SEED_TITLE}', ")  # type: ignore[attr-defined]
    built = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "-q"])
    assert built.exit_code == 0, built.output


def test_add_never_overwrites_without_force(tmp_path: Path, site: str) -> None:
    src = tmp_path / "source"
    src.mkdir()
    (src / SLUG).write_text("# Mine\n\nMy own edits.\n", encoding="utf-8")
    result = add(f"{site}/post", "-d", str(src))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == (f"error: {src / SLUG}: already exists; not overwritten "  # type: ignore[attr-defined]
                             "(use --force to replace it)\n")
    assert (src / SLUG).read_text(encoding="utf-8") == "# Mine\n\nMy own edits.\n"
    result = add(f"{site}/post", "-d", str(src), "--force")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "cornerstone" in (src / SLUG).read_text(encoding="utf-8")
    assert not [p for p in src.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_add_refuses_to_write_through_a_symlink(tmp_path: Path, site: str) -> None:
    src = tmp_path / "source"
    src.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("keep\n", encoding="utf-8")
    (src / SLUG).symlink_to(outside)
    result = add(f"{site}/post", "-d", str(src), "--force")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == f"error: {src / SLUG}: is a symbolic link; not written\n"  # type: ignore[attr-defined]
    assert outside.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("path, options, message", [
    ("/slow", ["--timeout", "1"], "timed out after 1 s"),
    ("/trickle", ["--timeout", "1"], "timed out after 1 s"),
    ("/big", ["--max-mb", "1"], "larger than the 1 MB limit"),
    ("/big-unsized", ["--max-mb", "1"], "larger than the 1 MB limit"),
    ("/missing", [], "the server answered 404 Not Found"),
    ("/picture.png", [], "cannot convert content of type 'image/png'"),
])
def test_a_url_that_fails_is_one_line_and_the_other_sources_are_added(tmp_path: Path, site: str, path: str,
                                                                       options: list[str], message: str) -> None:
    src = tmp_path / "source"
    started = time.monotonic()
    result = add(f"{site}{path}", f"{site}/post", "-d", str(src), *options)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.count("\n") == 1, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.startswith(f"error: {site}{path}: {message}")  # type: ignore[attr-defined]
    assert [p.name for p in src.iterdir()] == [SLUG]


def test_add_files(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_text(seed_in_theme(), encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("plain\n", encoding="utf-8")
    src = tmp_path / "source"
    result = add(str(page), str(notes), str(tmp_path / "gone.pdf"), "-d", str(src))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"error: {notes}: not a web page (.html, .htm), PDF or Word (.docx) file",
        f"error: {tmp_path / 'gone.pdf'}: cannot read: No such file or directory"]
    article = (src / SLUG).read_text(encoding="utf-8")
    # a saved page names its own address (canonical link): that is its origin
    assert f'origin: "https://example.org/blog/peer-support-empathy/ ({datetime.date.today().isoformat()})"' in article


def test_help_states_the_network_access() -> None:
    result = CliRunner().invoke(app, ["add", "--help"], terminal_width=200)
    text = " ".join(result.output.split())
    assert "Fetching a URL is the only network access certdeck makes" in text
    assert "--timeout" in text and "--max-mb" in text


def test_a_password_in_the_url_stays_out_of_the_article(tmp_path: Path, site: str) -> None:
    src = tmp_path / "source"
    url = site.replace("http://", "http://learner:s3cret@") + "/post"
    result = add(url, "-d", str(src))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    article = (src / SLUG).read_text(encoding="utf-8")
    assert f'origin: "{site}/post (' in article and "s3cret" not in article
    assert "s3cret" not in result.output  # type: ignore[attr-defined]
    assert _Site.logins[-1] == "Basic " + base64.b64encode(b"learner:s3cret").decode()


def test_a_login_follows_a_redirect_only_on_the_same_host(tmp_path: Path, site: str) -> None:
    login = "Basic " + base64.b64encode(b"learner:s3cret").decode()
    for path, expected in (("/moved-here", login), ("/moved-away", "")):
        _Site.logins.clear()
        result = add(site.replace("http://", "http://learner:s3cret@") + path, "-d", str(tmp_path / path[1:]))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert _Site.logins == [login, expected]
