"""Build common_words.tsv, the English lexicon the gap chooser reads (a developer's tool, not run by builds).

    pip download --no-deps spacy-lookups-data==1.0.5 lemminflect==0.2.3 -d WHEELS
    python -m generator.extract.make_lexicon WHEELS > generator/extract/common_words.tsv

Both sources are MIT-licensed PyPI packages; only the derived table ships, so builds stay offline and
small (the wheels are 99 MB). Each line: a lower-case word, its Zipf frequency (log10 of its count per
billion words; 6 is "the"-like, 3 is rare), and the parts of speech the word can take (n noun, v verb,
a adjective, r adverb; "-" when the SPECIALIST-derived table does not list it). Verb forms rarer than
Zipf 3 are listed too, with their real frequency (0 when unknown), so that "flushes" reads as a verb.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import sys
import zipfile
from pathlib import Path

MIN_ZIPF = 3.0  # rarer words are left out (verbs aside): a word missing from the table is read as rare
_POS = {"noun": "n", "verb": "v", "aux": "v", "adj": "a", "adv": "r"}


def _member(wheels: Path, prefix: str, inner: str) -> bytes:
    wheel = next(iter(sorted(wheels.glob(prefix + "-*.whl"))))
    with zipfile.ZipFile(wheel) as z:
        return z.read(inner)


def zipf_of(probs: dict[str, float], word: str) -> float:
    logprob = probs.get(word)
    return logprob / math.log(10) + 9 if logprob is not None else 0.0


def build(wheels: Path) -> list[str]:
    probs = json.loads(gzip.decompress(_member(
        wheels, "spacy_lookups_data", "spacy_lookups_data/data/en_lexeme_prob.json.gz")))
    pos: dict[str, set[str]] = {}
    table = gzip.decompress(_member(wheels, "lemminflect", "lemminflect/resources/lemma_lu.csv.gz"))
    for row in csv.reader(io.StringIO(table.decode("utf-8"))):
        if len(row) >= 2 and row[1] in _POS:
            pos.setdefault(row[0].lower(), set()).add(_POS[row[1]])
    rows = []
    for word, logprob in probs.items():
        zipf = logprob / math.log(10) + 9  # natural-log probability per token -> Zipf scale
        if word.isascii() and word.isalpha() and word.islower() and zipf >= MIN_ZIPF:
            rows.append((-round(zipf, 1), word, "".join(sorted(pos.get(word, "-")))))
    listed = {w for _, w, _ in rows}
    for word, kinds in pos.items():  # rarer verb forms ("flushes", "reverts") still tell a verb from a noun
        if "v" in kinds and word not in listed and word.isascii() and word.isalpha() and word.islower():
            rows.append((-round(min(zipf_of(probs, word), MIN_ZIPF - 0.1), 1), word, "".join(sorted(kinds))))
    rows.sort()
    header = ("# word\tzipf\tpos  (made by generator/extract/make_lexicon.py; "
              "sources MIT: spacy-lookups-data, lemminflect)")
    return [header] + [f"{w}\t{-z:.1f}\t{p}" for z, w, p in rows]


if __name__ == "__main__":
    sys.stdout.write("\n".join(build(Path(sys.argv[1]))) + "\n")
