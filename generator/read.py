"""Reading stage: find article files, decode them and split off YAML front matter.

Front matter lines are blanked rather than removed so that line numbers stay those of the file.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .errors import GeneratorError

SUFFIXES = (".md", ".markdown", ".txt")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MAX_FRONT_MATTER = 64 * 1024  # bytes; larger blocks are not front matter a person wrote


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # as shown to the user
    text: str  # decoded, LF line endings, front matter blanked
    meta: dict[str, Any]
    plain: bool  # a .txt file: headings are guessed from title-like lines


def find_sources(paths: Iterable[Path]) -> list[Path]:
    """Every article file named by `paths` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found.update(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()
                         and not f.stem.upper() == "README"
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.exists():
            found.add(p)
        else:
            raise GeneratorError("no such file or folder", str(p))
    return sorted(found)


def decode(data: bytes, path: str) -> str:
    """Text of a file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; binary is an error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _lines(data.decode("utf-16"))
        except UnicodeDecodeError as err:
            raise GeneratorError(f"cannot decode as UTF-16: {err.reason}", path) from None
    if b"\x00" in data:
        raise GeneratorError("binary file, not text", path)
    try:
        return _lines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        # Text pasted on Windows or saved by older tools: smart quotes are cp1252 bytes.
        return _lines(data.decode("cp1252"))
    except UnicodeDecodeError as err:
        raise GeneratorError(f"cannot decode as UTF-8 or Windows-1252 (byte {err.start})", path) from None


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[str, dict[str, Any]]:
    """(text with the front matter blanked, its mapping); no front matter gives {}."""
    m = _FRONT_MATTER.match(text)
    if not m or len(m.group(0)) > MAX_FRONT_MATTER:
        return text, {}
    import yaml  # only articles with front matter pay for the import

    try:
        meta = yaml.load(m.group(1), Loader=_SafeNoAliasLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise GeneratorError(f"bad front matter: {getattr(err, 'problem', None) or err}", path, line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise GeneratorError("front matter is not a mapping of keys to values", path, 1)
    blank = "\n" * m.group(0).count("\n")
    return blank + text[m.end():], meta


def read_source(file: Path, display: str | None = None) -> Source:
    """Read, decode and split one article file."""
    path = display or str(file)
    try:
        data = file.read_bytes()
    except OSError as err:
        raise GeneratorError(f"cannot read: {err.strerror or err}", path) from None
    text = decode(data, path)
    text, meta = split_front_matter(text, path)
    return Source(path=path, text=text, meta=meta, plain=file.suffix.lower() == ".txt")


def _make_loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that refuses aliases: an alias bomb cannot expand, and front matter never needs them."""

        def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.constructor.ConstructorError(
                    None, None, "aliases (*name) are not allowed in front matter", event.start_mark)
            return super().compose_node(parent, index)

    return Loader


class _LazyLoader:
    """Builds the YAML loader class on first use so that importing this module stays cheap."""

    cls: type | None = None

    def __call__(self, stream: Any) -> Any:
        if _LazyLoader.cls is None:
            _LazyLoader.cls = _make_loader()
        return _LazyLoader.cls(stream)


_SafeNoAliasLoader = _LazyLoader()
