"""Settings: dataclass defaults <- [tool.certdeck] in a pyproject.toml of the source folder <- CLI flags."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import GeneratorError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class Settings:
    parent_deck: str = ""  # deck that articles without a `deck` in front matter go under
    retired: bool = True  # ship notes whose fact left the source, tagged certdeck::retired
    now: int = 0  # build time in seconds since the epoch; 0 = the clock (or SOURCE_DATE_EPOCH)
    max_article_mb: int = 1  # read limit per article in MiB: the rest of a longer file is skipped with a warning
    folder_decks: bool = False  # sub-folders of the source folder become sub-decks (under parent_deck)

    def article_limit(self) -> int:
        """The most bytes read from one article file."""
        return max(1, self.max_article_mb) * 1024 * 1024

    def build_time(self) -> int:
        """The timestamp new or changed notes get."""
        if self.now:
            return self.now
        env = os.environ.get("SOURCE_DATE_EPOCH", "")
        if env.isdigit():
            return int(env)
        import time

        return int(time.time())


# Settings that once existed: a project that still sets one is told why it does nothing.
RETIRED_KEYS = {"words-per-note": "there is no note budget; the number of cards follows the facts found"}


def load_settings(source_dirs: list[Path], **overrides: Any) -> Settings:
    """Settings from the first pyproject.toml found in `source_dirs` (or their parents), then `overrides`."""
    settings = Settings()
    pyproject = find_pyproject(source_dirs)
    if pyproject is not None:
        settings = _apply(settings, pyproject)
    known = {f.name for f in fields(Settings)}
    return replace(settings, **{k: v for k, v in overrides.items() if k in known and v is not None})


def find_pyproject(source_dirs: list[Path]) -> Path | None:
    """The pyproject.toml settings come from: the first in `source_dirs` or their parents."""
    for folder in source_dirs:
        for candidate in (folder, *folder.resolve().parents):
            pyproject = candidate / "pyproject.toml"
            if pyproject.is_file():
                return pyproject
    return None


def settings_warnings(source_dirs: list[Path]) -> list[GeneratorError]:
    """A warning for each key of [tool.certdeck] that is not a setting (with the one it may be a typo of)."""
    import difflib

    pyproject = find_pyproject(source_dirs)
    if pyproject is None:
        return []
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("certdeck", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # load_settings reports it
    names = [f.name.replace("_", "-") for f in fields(Settings)]
    warnings = []
    for key in table if isinstance(table, dict) else ():
        if key in names or key.replace("_", "-") in names:
            continue
        if key.replace("_", "-") in RETIRED_KEYS:
            warnings.append(GeneratorError(f"[tool.certdeck] `{key}` is no longer used: "
                                           f"{RETIRED_KEYS[key.replace('_', '-')]}", str(pyproject)))
            continue
        close = difflib.get_close_matches(key.lower().replace("_", "-"), names, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else f" (settings: {', '.join(names)})"
        warnings.append(GeneratorError(f"unknown [tool.certdeck] key `{key}` ignored{hint}", str(pyproject)))
    return warnings


def _apply(settings: Settings, pyproject: Path) -> Settings:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise GeneratorError(f"cannot read settings: {err}", str(pyproject)) from None
    table = data.get("tool", {}).get("certdeck", {})
    if not isinstance(table, dict):
        raise GeneratorError("[tool.certdeck] must be a table", str(pyproject))
    values: dict[str, Any] = {}
    for f in fields(Settings):
        key = f.name.replace("_", "-")
        for name in (key, f.name):
            if name in table:
                value = table[name]
                expected = type(getattr(settings, f.name))
                if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                    raise GeneratorError(f"[tool.certdeck] {name} must be {expected.__name__}", str(pyproject))
                values[f.name] = value
    return replace(settings, **values)


def for_article(settings: Settings, file: Path, root: Path | None) -> Settings:
    """The settings one article is built with: with `folder_decks`, its sub-folder path under the source
    folder `root` is added to `parent_deck` as sub-decks (source/a/b/x.md: PARENT::a::b::Title)."""
    if not settings.folder_decks or root is None:
        return settings
    try:
        folders = file.parent.relative_to(root).parts
    except ValueError:
        return settings
    levels = [settings.parent_deck] if settings.parent_deck else []
    levels += [" ".join(part.replace("::", ":").split()) for part in folders if part not in ("", ".")]
    return replace(settings, parent_deck="::".join(level for level in levels if level))
