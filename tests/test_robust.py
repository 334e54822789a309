"""Bad input gets one clear line and the right exit status; nothing is lost, nothing runs (issue #6).

Every input is generated here (nothing binary is committed). Each case builds a folder holding the bad file
and one good article, and checks the exact lines on stderr, the exit status, and that the good article's
deck was still written.
"""
from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from tests.safety import unsafe_html

GOOD = "# Cells\n\nA ribosome is a molecular machine that builds proteins from amino acids.\n"
SMART = "# Café\n\nA “ribosome” is a molecular machine that builds proteins from amino acids.\n"
DEF = "A ribosome is a molecular machine that builds proteins from amino acids."


def build(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app, ["build", *args, "-q", "--jobs", "1", "--no-cache"])
    return result.exit_code, result.stderr.splitlines(), result.stdout


def folder_with(tmp_path: Path, name: str, data: bytes | str) -> tuple[Path, Path]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "good.md").write_text(GOOD, encoding="utf-8")
    bad = src / name
    bad.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return src, bad


# name, content, expected stderr ({p} is the file), exit status
CASES: list[tuple[str, bytes | str, list[str], int]] = [
    ("empty.md", b"", ["warning: {p}: empty file, nothing to read"], 0),
    ("blank.md", b"  \n\t\r\n   \n", ["warning: {p}: empty file, nothing to read"], 0),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, ["error: {p}: binary file, not text"],
     1),
    ("controls.md", bytes(range(1, 32)) * 64, ["error: {p}: binary file, not text"], 1),
    ("alias-bomb.md", "---\na: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n# B\n",
     ["error: {p}:3: bad front matter: aliases (*name) are not allowed in front matter"], 1),
    ("deck-list.md", "---\ndeck: [1,2]\n---\n" + GOOD,
     ["error: {p}:2: front matter `deck` must be text, not a list"], 1),
    ("title-map.md", "---\ntitle: {a: 1}\n---\n" + GOOD,
     ["error: {p}:2: front matter `title` must be text, not a mapping"], 1),
    ("tags-map.md", "---\ntags: {a: 1}\n---\n" + GOOD,
     ["warning: {p}:2: front matter `tags` must be a list or comma-separated text, not a mapping; tags left out"], 0),
    ("unknown.md", "---\nauthor: Me\nlayout: post\ndek: X\n---\n" + GOOD,
     ["warning: {p}:4: unknown front matter key `dek` ignored (did you mean `deck`?)"], 0),
    ("bad-yaml.md", "---\ndeck: [unclosed\n---\n" + GOOD,
     ["error: {p}:3: bad front matter: expected ',' or ']', but got '<stream end>'"], 1),
    ("deep-yaml.md", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n" + GOOD,
     ["error: {p}:1: bad front matter: nested too deeply"], 1),
    ("nested-lists.md", "intro\n\n" + "- " * 10000 + "A thing is deep.\n",
     ["warning: {p}:3: lists or quotes nested too deeply; the text inside them is skipped",
      "warning: {p}: no cards: 0 sentences looked like facts worth recalling"], 0),
    ("nested-quotes.md", "intro\n\n" + "> " * 10000 + "A thing is deep.\n",
     ["warning: {p}:3: lists or quotes nested too deeply; the text inside them is skipped",
      "warning: {p}: no cards: 0 sentences looked like facts worth recalling"], 0),
    ("utf16.md", codecs.BOM_UTF16_LE + SMART.encode("utf-16-le"), [], 0),
    ("utf16be-no-bom.md", SMART.encode("utf-16-be"), [], 0),
    ("utf8-bom.md", codecs.BOM_UTF8 + SMART.encode("utf-8"), [], 0),
    ("cp1252.md", SMART.encode("cp1252"), [], 0),
    ("mixed-encodings.md", SMART.encode("utf-8") + "Le “café” is a drink made from roasted beans.\n".encode("cp1252"),
     [], 0),
]


@pytest.mark.parametrize("name,data,expected,status", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_one_line_and_the_rest_is_built(tmp_path: Path, name: str, data: bytes | str,
                                                    expected: list[str], status: int) -> None:
    src, bad = folder_with(tmp_path, name, data)
    code, err, _ = build(str(src), "-o", str(tmp_path / "out"))
    assert err == [line.format(p=bad) for line in expected]
    assert code == status
    assert (tmp_path / "out" / "Cells.apkg").is_file()  # the good article is built whatever the bad one did


@pytest.mark.parametrize("data", [SMART.encode("cp1252"), codecs.BOM_UTF16_LE + SMART.encode("utf-16-le"),
                                  SMART.encode("utf-16-be"), codecs.BOM_UTF8 + SMART.encode("utf-8")],
                         ids=["cp1252", "utf16-bom", "utf16be-no-bom", "utf8-bom"])
def test_every_encoding_gives_the_same_card(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "a.md").write_bytes(data)
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    assert (code, err) == (0, [])
    note = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["notes"][0]
    assert note["source"]["sentence"] == "A “ribosome” is a molecular machine that builds proteins from amino acids."
    assert note["deck"] == "Café"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "mixed"])
def test_line_endings_keep_line_numbers(tmp_path: Path, newline: str) -> None:
    lines = ["# Cells", "", "Intro text here.", "", DEF, ""]
    text = "# Cells\r\n\rIntro text here.\n\r\n" + DEF + "\r" if newline == "mixed" else newline.join(lines)
    (tmp_path / "a.md").write_bytes(text.encode("utf-8"))
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    assert (code, err) == (0, [])
    notes = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["notes"]
    assert [(n["source"]["line"], n["source"]["sentence"]) for n in notes] == [(5, DEF)]


def test_hostile_html_never_reaches_a_field(tmp_path: Path) -> None:
    article = ("# Widgets <b onclick=\"steal()\">now</b>\n\n<script>alert('x')</script>\n\n"
               "<iframe src=\"https://evil.example/\"></iframe>\n\n"
               "A <b onmouseover=\"steal()\">widget</b> is a <a href=\"javascript:alert(1)\">tool</a> that turns "
               "<img src=\"data:image/png;base64,AAAA\" onerror=\"alert(2)\"> gears into <u>motion</u>.\n\n"
               "- A **sprocket** is a <a href=\"data:text/html,<script>x</script>\">wheel</a> with teeth.\n"
               "- A **gear** is a wheel that {{Text}} passes force <style>body{}</style> to another gear.\n")
    (tmp_path / "w.md").write_text(article, encoding="utf-8")
    code, _, _ = build(str(tmp_path / "w.md"), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    notes = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["notes"]
    assert code == 0 and notes
    fields = [(n["kind"], k, v) for n in notes for k, v in n["fields"].items()]
    assert [f for f in fields if unsafe_html(f[2], cloze=f[0] == "cloze" and f[1] == "Text")] == []
    text = json.dumps(notes)
    for word in ("alert(", "steal(", "javascript:", "data:text", "<script", "<iframe", "<style"):
        assert word not in text, word


def test_two_articles_with_one_deck_and_one_fact_make_one_deck_with_two_notes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"---\ndeck: Shared::Deck\n---\n# {name.upper()}\n\n{DEF}\n")
    code, err, _ = build(str(tmp_path), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    notes = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["notes"]
    assert (code, err) == (0, [])
    assert sorted(p.name for p in (tmp_path / "out").glob("*.apkg")) == ["Shared__Deck.apkg"]
    # named relative to the folder holding the output folder (issue #13), whatever the working directory
    assert [n["source"]["path"] for n in notes] == ["a.md", "b.md"]
    assert len({n["guid"] for n in notes}) == 2  # the same fact twice: two notes, two identities


def test_decks_whose_names_clean_up_alike_never_overwrite_each_other(tmp_path: Path) -> None:
    for name, deck in (("a", "Bio/Cells"), ("b", "Bio_Cells"), ("c", "...")):
        (tmp_path / f"{name}.md").write_text(f"---\ndeck: \"{deck}\"\n---\n# T\n\n{DEF}\n")
    code, err, _ = build(str(tmp_path), "-o", str(tmp_path / "out"))
    names = sorted(p.name for p in (tmp_path / "out").glob("*.apkg"))
    assert (code, err) == (0, [])
    assert len(names) == 3 and all(n.startswith(("Bio_Cells-", "deck-")) for n in names), names


def test_output_folder_missing_is_made(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "new" / "deeper" / "out"))
    assert (code, err) == (0, [])
    assert (tmp_path / "new" / "deeper" / "out" / "Cells.apkg").is_file()


def test_output_folder_that_is_a_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "out").write_text("not a folder")
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"))
    assert (code, err) == (1, [f"error: {tmp_path / 'out'}: output folder is a file, not a folder"])
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out" / "sub"))
    assert code == 1 and err == [f"error: {tmp_path / 'out' / 'sub'}: cannot make the output folder: Not a directory"]


def test_unwritable_output_folder_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom permission bits are no barrier: the refusal is the file system's answer.
    import tempfile

    def refuse(*_args: object, **_kw: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    (tmp_path / "a.md").write_text(GOOD)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"))
    assert (code, err) == (1, [f"error: {tmp_path / 'out' / 'Cells.apkg'}: cannot write deck: Permission denied; "
                               "the previous file is unchanged"])


def test_a_fifo_or_device_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    code, err, _ = build(str(tmp_path / "pipe.md"), "/dev/zero", "-o", str(tmp_path / "out"))
    assert code == 1
    assert sorted(err) == sorted([f"error: {tmp_path / 'pipe.md'}: not a regular file",
                                  "error: /dev/zero: not a regular file"])


def test_a_symlink_out_of_the_source_folder_is_not_read(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.md").write_text(GOOD)
    (tmp_path / "secret.md").write_text("# Secret\n\nA password is a secret word that opens the vault door.\n")
    os.symlink(tmp_path / "secret.md", src / "leak.md")
    os.symlink(tmp_path, src / "loop")  # a folder symlink: not followed at all
    code, err, _ = build(str(src), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    assert (code, err) == (0, [f"warning: {src / 'leak.md'}: links to a file outside the source folder; skipped"])
    assert "password" not in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_a_file_name_that_is_not_utf8_is_printed_on_one_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    bad = os.path.join(os.fsencode(src), b"caf\xe9\nnew.md")
    with open(bad, "wb") as fh:
        fh.write(b"\x00binary")
    code, err, _ = build(str(src), "-o", str(tmp_path / "out"))
    assert code == 1
    assert err == [f"error: {src}/caf\ufffd\\nnew.md: binary file, not text"]  # U+FFFD, and \\n as text


def test_a_block_that_breaks_a_rule_is_skipped_not_the_article(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build import article

    real: Callable[..., object] = article.extract

    def extract(doc: object) -> object:  # a rule with a bug that one block sets off
        if any("BOOM" in b.text for b in doc.blocks):  # type: ignore[attr-defined]
            raise ZeroDivisionError("division by zero")
        return real(doc)

    monkeypatch.setattr(article, "extract", extract)
    (tmp_path / "a.md").write_text(f"# Cells\n\n{DEF}\n\nBOOM is a word.\n\nA nucleus is the organelle that "
                                   "holds the genome of the cell.\n")
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "--json", str(tmp_path / "c.json"))
    assert code == 1
    assert err == [f"error: {tmp_path / 'a.md'}:5: block skipped: internal error (ZeroDivisionError: division by "
                   "zero); please report it"]
    sentences = [n["source"]["sentence"] for n in json.loads((tmp_path / "c.json").read_text())["notes"]]
    assert DEF in sentences and any("nucleus" in s for s in sentences)


def test_a_crash_anywhere_is_one_line_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build import pipeline

    def broken(*_a: object, **_k: object) -> None:
        raise KeyError("lost")

    monkeypatch.setattr(pipeline, "assign_identity", broken)
    (tmp_path / "a.md").write_text(GOOD)
    code, err, _ = build(str(tmp_path / "a.md"), "-o", str(tmp_path / "out"))
    assert (code, err) == (1, ["error: internal error (KeyError: 'lost'); please report it"])


def test_a_second_build_into_the_same_folder_waits_its_turn(tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "a.md").write_text(GOOD)
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build writing there holds it
        code, err, _ = build(str(tmp_path / "a.md"), "-o", str(out), "--wait", "0")
    finally:
        os.close(fd)
    assert (code, err) == (1, [f"error: {out}: another certdeck build is writing to this folder; try again when "
                               "it is done"])
    assert not list(out.glob("*.apkg"))
    assert build(str(tmp_path / "a.md"), "-o", str(out))[0] == 0
