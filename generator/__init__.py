"""certdeck: study articles in, Anki decks out, with note identities that survive rebuilds."""
from __future__ import annotations

__version__ = "0.1.0"
