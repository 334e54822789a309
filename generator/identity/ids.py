"""Stable identifiers: hash-based, never random, so a rebuild gives the same IDs."""
from __future__ import annotations

import base64
import hashlib


def stable_id(name: str) -> int:
    """A positive 31-bit-range integer derived from `name` (deck and note-type IDs)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def guid_for(key: str) -> str:
    """A 12-character note GUID from a fact's identity key (URL-safe base64: no HTML-special characters)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode("ascii")


def content_hash(*parts: str) -> str:
    """A short hash of a note's content, to tell whether it changed between builds."""
    # One update of the joined parts: the same digest as updating part by part, in a fraction of the calls.
    return hashlib.sha256("".join(f"{part}\x1f" for part in parts).encode("utf-8")).hexdigest()[:16]
