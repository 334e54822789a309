"""The one exception the CLI catches: a problem in a source file or in the settings."""
from __future__ import annotations


class GeneratorError(Exception):
    """A problem in a source file or in the settings, shown to the user as one line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.path, self.line = message, path, line

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        return f"{where}: {self.message}" if where else self.message
