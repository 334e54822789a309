"""Media stage: the images an article references -> files to package, each under a unique name.

Only files inside the article's source folder are packaged: an absolute path, a path that climbs out
(`..`, or a symlink pointing outside) is an error; a missing file, a remote or `data:` URL, or a file that
is not an image is a warning. Either way the image is left out and the build goes on. A packaged file's
name is `cd-<content hash>-<name>.<ext>`: the same bytes always get the same name, changed bytes a new
one, so Anki never shows a stale image and a changed image updates its note.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import GeneratorError
from ..model import Document
from ..text import slugify

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class MediaFile:
    name: str  # unique base name inside the package (what the field's <img src> says)
    path: Path  # the file on disk


@dataclass(frozen=True)
class ArticleMedia:
    """An article's images that can be packaged, by their reference as written, and what was left out."""

    files: dict[str, MediaFile] = field(default_factory=dict)
    errors: list[GeneratorError] = field(default_factory=list)
    warnings: list[GeneratorError] = field(default_factory=list)


def source_root(file: Path, paths: Sequence[Path]) -> Path:
    """The source folder an article was found in: the folder argument holding it, else its own folder."""
    return source_roots([file], paths)[0]


def source_roots(files: Sequence[Path], paths: Sequence[Path]) -> list[Path]:
    """source_root of each file (the folder arguments resolved once, not once per file)."""
    folders = [(p, p.resolve()) for p in paths if p.is_dir()]
    out = []
    for file in files:
        resolved = file.resolve() if folders else file
        out.append(next((p for p, real in folders if resolved.is_relative_to(real)), file.parent))
    return out


def collect_media(doc: Document, file: Path, root: Path) -> ArticleMedia:
    """Resolve every image `doc` references, relative to `file`, allowing only files under `root`."""
    media = ArticleMedia()
    seen: set[str] = set()
    for block in doc.blocks:
        for image in block.images:
            if image.src in seen:
                continue
            seen.add(image.src)
            try:
                media.files[image.src] = resolve_image(image.src, file, root, doc.path, image.line)
            except _Skipped as skipped:
                media.warnings.append(GeneratorError(str(skipped), doc.path, image.line))
            except GeneratorError as err:
                media.errors.append(err)
    return media


class _Skipped(Exception):
    """An image left out with a warning."""


def resolve_image(src: str, file: Path, root: Path, display: str, line: int) -> MediaFile:
    """The packaged file for one image reference; GeneratorError if it may not be packaged."""
    shown = src if len(src) <= 120 else src[:117] + "..."
    if not src.strip():
        raise _Skipped("image without a source left out")
    if _SCHEME.match(src) or src.startswith("//"):
        kind = src.split(":", 1)[0].lower() if ":" in src else "remote"
        if kind in ("http", "https", "remote"):
            raise _Skipped(f"remote image left out (decks are built offline; save it beside the article): {shown}")
        raise _Skipped(f"image with a {kind}: URL left out: {shown}")
    relative = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if relative.startswith(("/", "\\")) or PurePosixPath(relative).is_absolute() or re.match(r"^[A-Za-z]:", relative):
        raise GeneratorError(f"image path is absolute; only files under the source folder are packaged: {shown}",
                             display, line)
    try:
        root_real = root.resolve()
        target = (file.parent / relative).resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a symlink loop, 3.13 OSError
        raise _Skipped(f"image path is a symlink loop, left out: {shown}") from None
    if not target.is_relative_to(root_real):
        raise GeneratorError(f"image outside the source folder is not packaged: {shown}", display, line)
    if not target.exists():
        raise _Skipped(f"image not found, left out: {shown}")
    if not target.is_file():
        raise _Skipped(f"image is not a regular file (a folder, FIFO or device), left out: {shown}")
    suffix = target.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise _Skipped(f"not an image file ({', '.join(IMAGE_SUFFIXES)}), left out: {shown}")
    try:
        data = read_regular(target, MAX_IMAGE_BYTES)
    except OSError as err:
        raise _Skipped(f"cannot read image ({err.strerror or err}), left out: {shown}") from None
    if data is None:
        raise _Skipped(f"image larger than {MAX_IMAGE_BYTES // 2**20} MB left out: {shown}")
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem = slugify(target.stem)[:40].strip("-") or "image"
    return MediaFile(f"cd-{digest}-{stem}{'.jpg' if suffix == '.jpeg' else suffix}", target)


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file `path`, or None if it holds more than `limit`; OSError if it is not a
    regular file (checked on the open file: one swapped for a FIFO after a check never blocks the build)."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path}")
        if info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def media_in(fields: Iterable[str], files: dict[str, MediaFile]) -> dict[str, Path]:
    """The packaged files (name -> path) that `fields` refer to."""
    by_name = {f.name: f.path for f in files.values()}
    return {name: by_name[name] for name in sorted(set(media_names(fields))) if name in by_name}


_IMG_SRC = re.compile(r'<img src="([^"]+)"')


def media_names(fields: Iterable[str]) -> list[str]:
    """The file names that `fields` refer to (`<img src="...">`), in order, repeats included."""
    # Most fields hold no image: a substring test is far cheaper than running the pattern over each.
    return [name for value in fields if "<img" in value for name in _IMG_SRC.findall(value)]
