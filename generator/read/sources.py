"""Reading stage: find article files, decode them and split off YAML front matter.

Front matter lines are blanked rather than removed so that line numbers stay those of the file. Nothing
here trusts its input: files are read up to a size limit, symlinks that leave a source folder are skipped,
and front matter is checked key by key (a wrong type names its line).
"""
from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GeneratorError

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")  # the last four via convert/
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_YAML_KEY = re.compile(r"[\"']?\w[\w -]{0,80}[\"']?[ \t]*:(?:[ \t]|$)")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MAX_FRONT_MATTER = 64 * 1024  # bytes; larger blocks are not front matter a person wrote
MAX_ARTICLE_BYTES = 1024 * 1024  # default read limit per article (Settings.max_article_mb)
KNOWN_KEYS = ("deck", "title", "tags", "origin", "license")
# C0 controls other than tab and newline, and DEL: they carry no text and would end up in card fields.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # not \t \n \v \f \r or ESC
_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # as shown to the user
    text: str  # decoded, LF line endings, front matter blanked
    meta: dict[str, Any]
    plain: bool  # a .txt file: headings are guessed from title-like lines
    warnings: tuple[GeneratorError, ...] = field(default=())  # what was skipped while reading


def display_path(path: Path | str) -> str:
    """A path as valid Unicode text: bytes a file name holds that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def project_root(out_dir: Path) -> str:
    """The folder holding the output folder, with symlinks resolved: what article paths are relative to."""
    return os.path.realpath(os.path.dirname(os.path.abspath(out_dir)))


def article_name(file: Path, root: str, folders: dict[str, str] | None = None) -> str:
    """An article's path as the lock file and its cards give it: relative to the project root `root` (see
    project_root), with `/` between folders, whatever the working directory; `..` when it is outside.
    `folders`: a cache of each folder's path relative to `root` (the articles of a build share a few)."""
    folders = {} if folders is None else folders
    parent = os.path.dirname(file)
    rel = folders.get(parent)
    if rel is None:
        rel = folders[parent] = os.path.relpath(os.path.realpath(os.path.abspath(parent or ".")), root)
    name = os.path.normpath(os.path.join(rel, os.path.basename(file)))
    return display_path(name if os.sep == "/" else name.replace(os.sep, "/"))


def find_sources(paths: Iterable[Path], warnings: list[GeneratorError] | None = None) -> list[Path]:
    """Every article file named by `paths` (files, or folders searched recursively), sorted.

    In a folder, files reached through a symlink that leads outside it are skipped (a warning is added to
    `warnings` when given); folder symlinks are not followed. A file named directly is taken as it is.
    """
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            root = p.resolve()
            for f in p.rglob("*"):
                rel = f.relative_to(p)
                if (f.suffix.lower() not in SUFFIXES or f.stem.upper() == "README"
                        or any(part.startswith(".") for part in rel.parts) or not f.is_file()
                        or _in_saved_page_folder(p, rel)):
                    continue
                if not _is_within(f.resolve(), root):
                    if warnings is not None:
                        warnings.append(GeneratorError("links to a file outside the source folder; skipped",
                                                       display_path(f)))
                    continue
                found.add(f)
        elif p.exists():
            found.add(p)
        else:
            raise GeneratorError("no such file or folder", display_path(p))
    return sorted(found)


def _in_saved_page_folder(root: Path, rel: Path) -> bool:
    """A file in the `NAME_files` folder a browser saves beside `NAME.html` (scripts, styles, ad frames)."""
    for depth, part in enumerate(rel.parts[:-1]):
        if part.endswith("_files"):
            beside = root.joinpath(*rel.parts[:depth])
            stem = part[: -len("_files")]
            if any((beside / f"{stem}{suffix}").is_file() for suffix in (".html", ".htm")):
                return True
    return False


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def decode(data: bytes, path: str) -> str:
    """Text of a file: UTF-8 (BOM or not), UTF-16/32 with BOM, else Windows-1252; binary is an error.

    Bytes that are not UTF-8 are read as Windows-1252 one by one, so a file that mixes the two (text pasted
    from several places) keeps both its UTF-8 characters and its smart quotes.
    """
    for bom, codec in (*_UTF32_BOMS, *_UTF16_BOMS):  # UTF-32 first: its LE BOM starts like UTF-16's
        if data.startswith(bom):
            return _clean(_decode_wide(data[len(bom):], codec, path), path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise GeneratorError("binary file, not text", path)
        return _clean(_decode_wide(data, wide, path), path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Mixed files go byte by byte; pure Windows-1252 ones (no UTF-8 sequence at all) in one go.
        mixed = _UTF8_MULTIBYTE.search(data) is not None
        text = data.decode("utf-8", "certdeck-cp1252") if mixed else data.decode("cp1252", "replace")
    return _clean(text, path)


def _decode_wide(data: bytes, codec: str, path: str) -> str:
    try:
        # Incremental, so that a file cut at the size limit inside a character loses just that character.
        return codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError as err:
        raise GeneratorError(f"cannot decode as {codec.upper()[:6]}: {err.reason} at byte {err.start}",
                             path) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes are the high halves of ASCII characters."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.9 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.9 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    # The five bytes Windows-1252 leaves undefined become U+FFFD rather than an error.
    return bad.decode("cp1252", "replace"), err.end


codecs.register_error("certdeck-cp1252", _cp1252_fallback)


def _clean(text: str, path: str) -> str:
    """LF line endings; control characters other than tab and newline become spaces; binary is refused."""
    sample = text[:65536]
    if sample and len(_BINARY_CONTROLS.findall(sample)) > max(8, len(sample) // 100):
        raise GeneratorError("binary file, not text", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(" ", text) if _CONTROLS.search(text) else text


def split_front_matter(text: str, path: str) -> tuple[str, dict[str, Any]]:
    """(text with the front matter blanked, its mapping); no front matter gives {}."""
    text, meta, _ = _split_front_matter(text, path)
    return text, meta


def _split_front_matter(text: str, path: str) -> tuple[str, dict[str, Any], list[GeneratorError]]:
    m = _FRONT_MATTER.match(text[: MAX_FRONT_MATTER + 8])
    if not m or len(m.group(0)) > MAX_FRONT_MATTER:
        return text, {}, []
    if not _looks_like_mapping(m.group(1)):
        # `---` then prose then `---` is a Markdown section between rules, not front matter.
        return text, {}, []
    data, key_lines = _load_yaml(m.group(1), path)
    meta, warnings = check_meta(data, key_lines, path)
    blank = "\n" * m.group(0).count("\n")
    return blank + text[m.end():], meta, warnings


_JSON_KEY = re.compile(r"^\s*\{\s*(?:\"[^\"\n]{1,100}\"|'[^'\n]{1,100}'|[A-Za-z_][\w-]*)\s*:")


def _looks_like_mapping(block: str) -> bool:
    for line in block.split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            # `key: value`, or a mapping written as JSON (`{"tags": null, ...}`, as note-publishing plugins do)
            return bool(_YAML_KEY.match(line)) or bool(_JSON_KEY.match(line))
    return True  # only blanks and comments: an empty front matter


def _load_yaml(source: str, path: str) -> tuple[Any, dict[Any, int]]:
    """The front matter's value and the file line of each top-level key; any YAML problem is an error."""
    import yaml  # only articles with front matter pay for the import

    loader = _SafeNoAliasLoader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err).split("\n")[0]
        raise GeneratorError(f"bad front matter: {problem}", path, line) from None
    except RecursionError:
        raise GeneratorError("bad front matter: nested too deeply", path, 1) from None
    except (ValueError, TypeError, OverflowError) as err:  # e.g. a date like 2024-13-45, a 5,000-digit number
        raise GeneratorError(f"bad front matter: {err}", path, 1) from None
    finally:
        loader.dispose()
    lines: dict[Any, int] = {}
    if node is not None and isinstance(node.value, list):
        for pair in node.value:
            if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0].value, str):
                lines.setdefault(pair[0].value, pair[0].start_mark.line + 2)
    return data, lines


def check_meta(data: Any, key_lines: dict[Any, int], path: str) -> tuple[dict[str, Any], list[GeneratorError]]:
    """Front matter as certdeck uses it: `deck` and `title` as text, `tags` as a list of text.

    A `deck` or `title` of the wrong type is an error (the article cannot be placed); bad `tags` are a warning
    and left out; an unknown key that looks like a misspelt known one is a warning; other keys pass through.
    """
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        raise GeneratorError("front matter is not a mapping of keys to values", path, 2)
    meta: dict[str, Any] = {}
    warnings: list[GeneratorError] = []
    for key, value in data.items():
        name = str(key)
        line = key_lines.get(key, 2)
        if name in ("origin", "license"):  # attribution shown on cards: text, else left out
            text = _scalar_text(value)
            if text is None or isinstance(value, (int, float)):
                warnings.append(GeneratorError(f"front matter `{name}` must be text, not {_kind(value)}; left out",
                                               path, line))
            elif text.strip():
                meta[name] = " ".join(text.split())
        elif name in ("deck", "title"):
            text = _scalar_text(value)
            if text is None:
                raise GeneratorError(f"front matter `{name}` must be text, not {_kind(value)}", path, line)
            if name == "deck":
                text = "::".join(part.strip() for part in text.split("::") if part.strip())
            if text.strip():
                meta[name] = " ".join(text.split())
        elif name == "tags":
            tags, bad = _tags(value)
            if bad:
                warnings.append(GeneratorError(f"front matter `tags` must be a list or comma-separated text, "
                                               f"not {bad}; tags left out", path, line))
            meta["tags"] = _cleaned_tags(tags, path, line, warnings)
        else:
            close = difflib.get_close_matches(name.lower(), KNOWN_KEYS, n=1, cutoff=0.75)
            if close and close[0] != name:
                warnings.append(GeneratorError(f"unknown front matter key `{name}` ignored (did you mean "
                                               f"`{close[0]}`?)", path, line))
            meta[name] = value
    return meta, warnings


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _tags(value: Any) -> tuple[list[str], str]:
    """(tags as text, '' or what was wrong with them)."""
    if value is None:
        return [], ""
    if isinstance(value, str):
        return [t for t in re.split(r"[,\s]+", value) if t], ""
    if isinstance(value, list):
        out = [_scalar_text(v) for v in value]
        if any(t is None for t in out):
            return [], "a list holding " + next(_kind(v) for v, t in zip(value, out, strict=True) if t is None)
        return [t for t in out if t and t.strip()], ""
    scalar = _scalar_text(value)
    if scalar is not None:
        return [scalar], ""
    return [], _kind(value)


def _cleaned_tags(tags: list[str], path: str, line: int, warnings: list[GeneratorError]) -> list[str]:
    """Tags as Anki can hold them (text.clean_tag), with a warning for each one that had to change."""
    from ..text import clean_tag

    out = []
    for tag in tags:
        clean = clean_tag(tag)
        if clean != tag:
            what = f"changed to {clean!r}" if clean else "left out"
            warnings.append(GeneratorError(f"front matter tag {tag!r} {what} (Anki tags cannot hold spaces, "
                                           f"quotes or empty `::` levels)", path, line))
        if clean:
            out.append(clean)
    return out


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", set: "a set", bytes: "binary data"}
    return names.get(type(value), f"a {type(value).__name__}")


def read_source(file: Path, display: str | None = None, limit: int = MAX_ARTICLE_BYTES) -> Source:
    """Read, decode and split one article file, reading at most `limit` bytes of it.

    A web page, PDF or Word file is converted to a Markdown article first (convert/), its origin the file
    name; `limit` then applies to the converted text.
    """
    path = display or display_path(file)
    if is_converted(file):
        from .convert import KINDS, article_text, convert, missing_extra

        missing = missing_extra(KINDS[file.suffix.lower()])
        if missing:  # not this file's fault: skipped with a warning, the rest is built
            return Source(path=path, text="", meta={}, plain=False, warnings=(GeneratorError(missing, path),))
        data = read_limited(file, read_limit(file, limit), path)
        if len(data) > read_limit(file, limit):
            raise GeneratorError(f"larger than {read_limit(file, limit) // 2**20} MB; not converted", path)
        text = article_text(convert(data, KINDS[file.suffix.lower()], path, origin=file.name))
        return source_from_bytes(text.encode("utf-8"), path, False, limit)
    return source_from_bytes(read_limited(file, limit, path), path, file.suffix.lower() == ".txt", limit)


def is_converted(file: Path) -> bool:
    """A web page, PDF or Word file: read through a conversion to Markdown."""
    return file.suffix.lower() in (".html", ".htm", ".pdf", ".docx")


def read_limit(file: Path, limit: int) -> int:
    """How many bytes of `file` a build reads: `limit` for text, more for what is converted (a PDF's or a
    page's bytes are mostly not text)."""
    if is_converted(file):
        from .convert import MAX_INPUT_BYTES

        return max(limit, MAX_INPUT_BYTES)
    return limit


def read_limited(file: Path, limit: int, path: str | None = None) -> bytes:
    """At most `limit + 1` bytes of a regular file (one more than the limit, to tell that it was longer)."""
    path = path or display_path(file)
    try:
        # Checked before opening: opening a FIFO would wait for a writer, and /dev/zero never ends.
        if not stat.S_ISREG(os.stat(file).st_mode):
            raise GeneratorError("not a regular file", path)
        with open(file, "rb") as fh:
            return fh.read(limit + 1)
    except OSError as err:
        raise GeneratorError(f"cannot read: {err.strerror or err}", path) from None


def source_from_bytes(data: bytes, path: str, plain: bool = False, limit: int = MAX_ARTICLE_BYTES) -> Source:
    """Decode and split an article's bytes; more than `limit` bytes are cut at a paragraph, with a warning."""
    warnings: list[GeneratorError] = []
    cut = len(data) > limit
    if cut:
        data = data[:limit]
        tail = len(data) - len(data.rstrip(bytes(range(0x80, 0x100))))
        if 0 < tail < 4:  # a UTF-8 character cut in two
            data = data[:-tail]
    text = decode(data, path)
    if cut:
        text, line = _cut_at_paragraph(text)
        warnings.append(GeneratorError(f"article is larger than {limit / 2**20:g} MB; the text from here on "
                                       "is skipped (split the file, or raise max-article-mb)", path, line))
    if not text.strip():
        return Source(path=path, text="", meta={}, plain=plain,
                      warnings=(GeneratorError("empty file, nothing to read", path),))
    text, meta, meta_warnings = _split_front_matter(text, path)
    return Source(path=path, text=text, meta=meta, plain=plain, warnings=tuple(meta_warnings + warnings))


def _cut_at_paragraph(text: str) -> tuple[str, int]:
    """The text up to its last blank line (else its last line break), and the 1-based line cut off first."""
    end = text.rfind("\n\n")
    end = end + 2 if end > len(text) // 2 else text.rfind("\n") + 1  # the first skipped line has text
    if end <= 0:
        end = len(text)
    kept = text[:end]
    return kept, kept.count("\n") + 1


def _make_loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that refuses aliases: an alias bomb cannot expand, and front matter never needs them."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
                raise yaml.composer.ComposerError(
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
