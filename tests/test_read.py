"""Reading: encodings, line endings, front matter, plain text headings."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.article import parse_source
from generator.errors import GeneratorError
from generator.read.sources import decode, read_source, split_front_matter

TEXT = "Café “quoted” — line one\nline two\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.replace("\n", "\r").encode("utf-8"),
    TEXT.encode("utf-16"),
    TEXT.encode("cp1252"),
])
def test_decode_gives_the_same_text_for_every_encoding(data: bytes) -> None:
    assert decode(data, "x.md") == TEXT


def test_binary_is_an_error_with_the_path() -> None:
    with pytest.raises(GeneratorError) as info:
        decode(b"\x00\x01abc", "x.bin")
    assert str(info.value) == "x.bin: binary file, not text"


def test_front_matter_is_blanked_so_lines_keep_their_numbers() -> None:
    text, meta = split_front_matter("---\ndeck: A::B\ntags: [x]\n---\n# Title\n", "a.md")
    assert meta == {"deck": "A::B", "tags": ["x"]}
    assert text.split("\n")[4] == "# Title"


def test_front_matter_aliases_are_refused() -> None:
    with pytest.raises(GeneratorError, match="aliases"):
        split_front_matter("---\na: &x [1]\nb: *x\n---\n", "a.md")


def test_plain_text_title_lines_become_headings(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("Heart Basics\n\nThe heart pumps blood through the body.\n\nValves\n\n"
                 "A valve is a flap that keeps blood moving one way.\n", encoding="utf-8")
    doc = parse_source(read_source(f))
    assert doc.title == "Heart Basics"
    valve = next(b for b in doc.blocks if b.text.startswith("A valve"))
    assert valve.section == ("Heart Basics", "Valves")
    assert valve.line == 7


def test_front_matter_written_as_json_is_front_matter() -> None:
    text = '---\n{"aliases":null,"tags":["lab"],"dg-publish":true}\n---\n\n# Phlebotomy\n'
    body, meta = split_front_matter(text, "p.md")
    assert meta.get("tags") == ["lab"] and body.count("\n") == text.count("\n") and "aliases" not in body
