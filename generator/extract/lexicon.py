"""How common an English word is, and which parts of speech it can take: read from common_words.tsv.

The gap chooser asks this so that a gap lands on the specific word of a sentence ("appendfsync",
"tachycardia", "Terraform") rather than on an everyday one ("data", "values", "set"). The table is made
by make_lexicon.py from two MIT-licensed packages and ships with certdeck: nothing is downloaded.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

RARE = 2.5  # the Zipf frequency given to a word the table leaves out (its floor is 3.0)
_TABLE = Path(__file__).with_name("common_words.tsv")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {}
    with _TABLE.open(encoding="utf-8") as f:
        next(f)  # the header
        for line in f:
            word, zipf, pos = line.rstrip("\n").split("\t")
            out[word] = (float(zipf), pos)
    return out


def zipf(word: str) -> float:
    """Zipf frequency of `word` in English (7 for "the", about 5 for "data", 3 for "metrics"); RARE when
    unlisted, as technical terms, names and codes are."""
    hit = _table().get(word.lower())
    return hit[0] if hit else RARE


def parts_of_speech(word: str) -> str:
    """The parts of speech `word` can take: letters of "anrv" (adjective, noun, adverb, verb); "" when
    unlisted or unknown."""
    hit = _table().get(word.lower())
    return hit[1].strip("-") if hit else ""


def finite_verb(word: str) -> bool:
    """Whether `word` (lower case) can only be a verb, and is not a participle: "emits", "prevent", "undermine";
    not "listening", "continued", nor a noun-verb such as "returns"."""
    return parts_of_speech(word) == "v" and not word.endswith(("ing", "ed"))


def load() -> None:
    """Read the table now (a build's parent does, so that forked workers share it instead of each reading
    its 540 KB again)."""
    _table()
