"""Build cache: each article's notes, and each written deck's fingerprint, in `OUT_DIR/.certdeck-cache/`.

An article's entry is keyed by a hash of everything its notes depend on: the file's bytes and the bytes of
its curation file, its path, the settings, and certdeck itself (its version, the source of every module
of the `generator` package, the versions of markdown-it-py and its plugins, the Python version). Change
any of them and the key changes, so a stale entry is never found. An entry carries an HMAC-SHA256 of its
contents, keyed with a secret kept outside the repository (`cache_secret`: in the user's cache folder), so
an entry a repository ships, or anyone without the secret writes, never checks out; it is read with an
unpickler that only builds certdeck's own data classes. An entry that is truncated, damaged, forged or of
another format is deleted and the article is built again, never trusted.

The cache only ever saves work: deleting the folder, or `--no-cache`, gives the same output.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".certdeck-cache"
FORMAT = b"certdeck-cache/4\n"  # 4: entries signed with cache_secret (3: a plain sha256)
MAX_AGE = 30 * 24 * 3600  # seconds: entries no build has used for this long are removed
MAX_ENTRY_BYTES = 1 << 28  # a larger file in the cache folder is not ours: never read
SECRET_NAME = "cache-secret"
_ALLOWED_MODULES = ("generator.model", "generator.errors")
_ALLOWED_CLASSES = (("generator.identity.match", "Pending"),)  # besides every class of _ALLOWED_MODULES


class CacheMiss(Exception):
    """An entry that is missing, damaged or not ours."""


def code_fingerprint() -> str:
    """What certdeck's output depends on besides its input and settings (cached per process)."""
    return _code_fingerprint()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}|{sys.version_info[:2]}|{FORMAT!r}".encode())
    package = Path(__file__).resolve().parent.parent
    # The code and the data it reads (the gap chooser's lexicon): either changing changes the cards.
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.tsv")]):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for module in ("markdown_it", "mdit_py_plugins", "genanki"):
        h.update(f"|{module}={_installed_version(module)}".encode())
    return h.hexdigest()


def _installed_version(module: str) -> str:
    """A module's `__version__` read from its source, without importing it (imports are what we save)."""
    import importlib.util
    import re

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return "absent"
    if spec is None or not spec.origin:
        return "absent"
    try:
        text = Path(spec.origin).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unreadable"
    m = re.search(r"""__version__\s*=\s*["']([^"']+)""", text)
    if m:
        return m.group(1)
    stat = os.stat(spec.origin)
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


def settings_fingerprint(settings: Any) -> str:
    """Every setting except the clock, which never changes an article's notes."""
    values = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name != "now"}
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()


class _Unpickler(pickle.Unpickler):
    """Builds only certdeck's data classes and plain containers: a planted file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _ALLOWED_MODULES or (module, name) in _ALLOWED_CLASSES:
            obj = getattr(sys.modules.get(module) or importlib.import_module(module), name, None)
            if isinstance(obj, type):
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def cache_secret() -> bytes:
    """The key that signs cache entries and records: 32 random bytes in `certdeck/cache-secret` under the
    user's cache folder ($XDG_CACHE_HOME, else ~/.cache), made on first use (mode 0600). Kept outside every
    repository, so a cache folder that comes with a clone cannot hold an entry that checks out. Where it
    cannot be kept, a secret for this process only: the cache then saves nothing across builds."""
    global _SECRET
    if _SECRET is None:
        _SECRET = _load_secret()
    return _SECRET


_SECRET: bytes | None = None


def set_cache_secret(secret: bytes | None) -> None:
    """Use `secret` (a worker is given its parent's); None: read it again from the user's cache folder."""
    global _SECRET
    _SECRET = secret


def secret_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "certdeck" / SECRET_NAME


def _load_secret() -> bytes:
    from ..safepath import read_regular

    file = secret_file()
    data = read_regular(file, 64)
    if data is not None and len(data) == 32:
        return data
    secret = os.urandom(32)
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=file.parent)
        try:
            os.write(fd, secret)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, file)  # never replaces a secret another build made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        data = read_regular(file, 64)
        return data if data is not None and len(data) == 32 else secret
    except OSError:
        return secret


def _sign(payload: bytes) -> bytes:
    import hmac

    return hmac.new(cache_secret(), payload, hashlib.sha256).digest()


def dumps(value: Any) -> bytes:
    """An entry: format line, HMAC-SHA256 of the payload (keyed with cache_secret), payload."""
    payload = pack(value)
    return FORMAT + _sign(payload) + payload


def pack(value: Any) -> bytes:
    """`value` pickled as entries hold it (no header: put it inside an entry, whose checksum covers it)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(value)
    return buffer.getvalue()


def unpack(data: bytes) -> Any:
    """A value `pack` made, read with the unpickler that builds only certdeck's data classes; CacheMiss if not."""
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except Exception as err:  # noqa: BLE001 - any failure to rebuild the value is a damaged entry
        raise CacheMiss(f"cannot read entry: {err}") from None


@lru_cache(maxsize=1)
def _dispatch_table() -> dict[type, Any]:
    """Data classes are stored as their constructor's arguments: rebuilding them through `__init__` reads
    about 40% faster than the field-by-field `__setstate__` dataclasses give frozen slotted classes."""
    import copyreg
    import dataclasses

    from .. import model

    table: dict[type, Any] = dict(copyreg.dispatch_table)
    for obj in vars(model).values():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == model.__name__ \
                and all(f.init for f in dataclasses.fields(obj)):  # else __init__ would not restore them all
            table[obj] = _reducer(obj, tuple(f.name for f in dataclasses.fields(obj)))
    return table


def _reducer(cls: type, names: tuple[str, ...]) -> Any:
    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple([getattr(obj, n) for n in names])

    return reduce


def loads(data: bytes) -> Any:
    """The value of an entry; CacheMiss if it is not a whole, undamaged entry of this format."""
    head = len(FORMAT)
    if not data.startswith(FORMAT) or len(data) < head + 32:
        raise CacheMiss("not a cache entry of this format")
    import hmac

    digest, payload = data[head:head + 32], data[head + 32:]
    if not hmac.compare_digest(_sign(payload), digest):
        raise CacheMiss("signature mismatch (made elsewhere, or damaged)")
    return unpack(payload)


class ArticleCache:
    """Per-article results under `folder`; `folder=None` is a cache that never hits and stores nothing."""

    def __init__(self, folder: Path | None, settings: Any) -> None:
        self.folder = folder
        self._salt = f"{code_fingerprint()}|{settings_fingerprint(settings)}".encode() if folder else b""
        self.used: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, path: str, content: bytes, curation: bytes | None) -> str:
        """The entry name for one article: `<path hash>-<content hash>`."""
        h = hashlib.sha256(self._salt)
        for part in (path.encode("utf-8", "surrogateescape"), content,
                     b"\x00none" if curation is None else b"\x01" + curation):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
        return f"{_path_id(path)}-{h.hexdigest()[:40]}"

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / "articles" / f"{key}.pickle"

    def get(self, key: str) -> Any:
        """The stored value for `key`, or CacheMiss (a damaged entry is deleted)."""
        if self.folder is None:
            raise CacheMiss("cache disabled")
        from ..safepath import read_regular

        file = self._file(key)
        data = read_regular(file, MAX_ENTRY_BYTES)  # a symlink, FIFO or huge file planted there is no entry
        if data is None:
            raise CacheMiss("no entry")
        try:
            value = loads(data)
        except CacheMiss:
            _unlink(file)
            raise
        self.used.add(key)
        return value

    def put(self, key: str, entry: bytes) -> bool:
        """Store an entry made by `dumps` (atomically); a cache that cannot be written is skipped (False)."""
        if self.folder is None:
            return False
        file = self._file(key)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(file, entry)
        except OSError:
            return False
        self.used.add(key)
        return True

    def tidy(self) -> None:
        """Remove older versions of the articles used in this build, and entries unused for MAX_AGE."""
        if self.folder is None or not self.used:
            return
        folder = self.folder / "articles"
        if os.path.islink(self.folder) or os.path.islink(folder):  # pipeline refuses these: never delete there
            return
        used_paths = {k.split("-", 1)[0] for k in self.used}
        now = time.time()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            key = entry.name[: -len(".pickle")] if entry.name.endswith(".pickle") else ""
            if key in self.used:
                continue
            try:
                stale = key.split("-", 1)[0] in used_paths or now - entry.stat().st_mtime > MAX_AGE
            except OSError:
                continue
            if stale or not key:
                _unlink(Path(entry.path))
        for key in self.used:  # mark as used now, for the age rule
            with contextlib.suppress(OSError):
                os.utime(self._file(key))


def _path_id(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def deck_fingerprint(deck: str, parts: Iterable[str], media: Mapping[str, Path] | Iterable[Path] = ()) -> str:
    """Hash of everything a deck's package holds, to skip rewriting a package that would come out the same.

    `parts`: digests of the deck's notes in order, a part at a time (parts.py: each note's GUID, mod and
    content hash, which is what its rows in the package are made of); `media`: the files it packages.
    """
    h = hashlib.sha256(f"{code_fingerprint()}|{deck}".encode("utf-8", "surrogateescape"))
    for part in parts:
        h.update(b"\x1e" + part.encode())
    named = media.items() if isinstance(media, Mapping) else ((Path(p).name, p) for p in media)
    for name, path in named:
        h.update(b"\x1f" + f"{name}\x1d{path}".encode("utf-8", "surrogateescape"))
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()


class DeckRecord:
    """Fingerprints of the packages the last build wrote, with their size and mtime, in `decks.json`."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.records: dict[str, list[Any]] = {}
        if folder is None:
            return
        import json

        from ..safepath import read_regular

        try:
            data = json.loads(read_regular(folder / "decks.json", MAX_ENTRY_BYTES) or b"{}")
            if isinstance(data, dict) and data.get("format") == FORMAT.decode().strip():
                self.records = {k: v for k, v in data.get("decks", {}).items()
                                if isinstance(v, list) and len(v) == 3}
        except (OSError, ValueError):
            self.records = {}

    def unchanged(self, target: Path, fingerprint: str) -> bool:
        """Whether `target` is the package the last build wrote for this fingerprint, untouched since."""
        held = self.records.get(target.name)
        if self.folder is None or held is None or held[0] != fingerprint:
            return False
        try:
            stat = target.stat()
        except OSError:
            return False
        return [fingerprint, stat.st_size, stat.st_mtime_ns] == held

    def record(self, target: Path, fingerprint: str) -> None:
        if self.folder is None:
            return
        try:
            stat = target.stat()
        except OSError:
            return
        self.records[target.name] = [fingerprint, stat.st_size, stat.st_mtime_ns]

    def save(self, keep: Iterable[str]) -> None:
        if self.folder is None:
            return
        import json

        names = set(keep)
        data = {"format": FORMAT.decode().strip(),
                "decks": {k: v for k, v in sorted(self.records.items()) if k in names}}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / "decks.json", json.dumps(data, indent=1).encode())
        except OSError:
            pass


@dataclass(frozen=True, slots=True)
class SectionRecord:
    """What a build wrote for one article, for the next build to recognise it (carry.py, "carried")."""

    path: str  # the article as shown
    live: int  # its live notes: the first `live` lines of its section in the lock
    lines_sha: str  # sha256 of those lines, joined by ",\n"
    digest: str  # of its notes in document order: GUID, mod, content hash (see deck_fingerprint)
    cards: int  # how many Anki cards its notes make
    deck: str  # the deck its notes are in
    media: tuple[str, ...] = ()  # names of the packaged files its notes refer to
    notes_sha: str = ""  # sha256 of its notes as the cache entry holds them, pickled
    guids: tuple[str, ...] = ()  # its notes' GUIDs


class SectionRecords:
    """SectionRecords of the last build, keyed by each article's cache key, in `sections.json`.

    The file carries a checksum; a damaged one, or one of another format, is ignored (every article is
    then matched against the lock afresh). A record is only ever used when the article's cache key (its
    bytes, settings and certdeck's code) and the digest of its lines in the lock both still match.
    """

    NAME = "sections.json"
    _FORMAT = b"certdeck-sections/3\n"  # 3: signed with cache_secret

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.records: dict[str, SectionRecord] = {}
        if folder is None:
            return
        import hmac

        from ..safepath import read_regular

        data = read_regular(folder / self.NAME, MAX_ENTRY_BYTES)
        if data is None:
            return
        head = len(self._FORMAT)
        if not data.startswith(self._FORMAT) or not hmac.compare_digest(_sign(data[head + 64:]).hex().encode(),
                                                                          data[head:head + 64]):
            return
        import json

        try:
            raw = json.loads(data[head + 64:])
            self.records = {str(k): SectionRecord(str(p), int(n), str(sha), str(dig), int(c), str(d),
                                                  tuple(str(m) for m in media), str(notes),
                                                  tuple(str(g) for g in guids))
                            for k, (p, n, sha, dig, c, d, media, notes, guids) in raw.items()}
        except (ValueError, TypeError, AttributeError):
            self.records = {}

    def get(self, key: str | None) -> SectionRecord | None:
        return self.records.get(key) if key else None

    def save(self, records: Mapping[str, SectionRecord]) -> None:
        """Replace the records with `records` (atomically; a cache that cannot be written is skipped)."""
        if self.folder is None:
            return
        import json

        payload = json.dumps({k: [r.path, r.live, r.lines_sha, r.digest, r.cards, r.deck, list(r.media), r.notes_sha,
                               list(r.guids)]
                              for k, r in sorted(records.items())}, ensure_ascii=False,
                             separators=(",", ":")).encode("utf-8", "surrogatepass")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / self.NAME,
                          self._FORMAT + _sign(payload).hex().encode() + payload)
        except OSError:
            pass
