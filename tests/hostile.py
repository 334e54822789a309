"""Generators for the hostile and oversized inputs the robustness tests feed certdeck (nothing committed as binary).

`big_article` writes a varied, deterministic Markdown article of any size from a fixed seed: headings,
definitions, claims, glossary lines, lists, tables, quotes, emphasis and links, so every stage does real work.
"""
from __future__ import annotations

import random

_TERMS = ("ribosome", "mitochondrion", "enzyme", "membrane", "neuron", "synapse", "antibody", "vaccine", "protocol",
          "baseline", "catalyst", "isotope", "algorithm", "checksum", "ledger", "tariff", "statute", "verdict",
          "empathy", "rapport", "boundary", "advocacy", "recovery", "resilience", "stigma", "trauma", "referral")
_ADJ = ("molecular", "small", "essential", "formal", "shared", "measured", "stable", "written", "trusted", "local")
_NOUN = ("machine", "structure", "process", "agreement", "practice", "record", "signal", "method", "skill", "tool")
_VERB = ("builds", "stores", "protects", "measures", "records", "supports", "connects", "reduces", "creates", "guides")
_OBJ = ("proteins", "energy", "data", "trust", "outcomes", "cells", "payments", "clients", "signals", "decisions")


def _sentence(rng: random.Random, n: int) -> str:
    term, adj, noun = rng.choice(_TERMS), rng.choice(_ADJ), rng.choice(_NOUN)
    verb, obj = rng.choice(_VERB), rng.choice(_OBJ)
    shape = rng.randrange(6)
    if shape == 0:
        return f"A {term} is a {adj} {noun} that {verb} {obj} number {n}."
    if shape == 1:
        return f"When a {term} fails, the {noun} {verb} fewer {obj} in case {n}."
    if shape == 2:
        return f"The **{term}** is the cornerstone of every {adj} {noun} (see [note {n}](#n{n}))."
    if shape == 3:
        return f"About {n % 90 + 5} percent of {obj} depend on a {adj} {term}."
    if shape == 4:
        return f"Honestly, you know what, it is all about the {noun} {n}, right?"
    return f"{term.capitalize()} refers to the {adj} {noun} of *{obj}* in study {n}."


def _block(rng: random.Random, n: int) -> str:
    kind = rng.randrange(10)
    if kind == 0:
        return f"## {rng.choice(_TERMS).capitalize()} part {n}"
    if kind == 1:
        return f"### What is a {rng.choice(_TERMS)} {n}?"
    if kind == 2:
        return "\n".join(f"- {_sentence(rng, n * 10 + i)}" for i in range(rng.randrange(2, 6)))
    if kind == 3:
        return "\n".join(f"{i + 1}. **{rng.choice(_TERMS).capitalize()}**: a {rng.choice(_ADJ)} {rng.choice(_NOUN)} "
                         f"for {rng.choice(_OBJ)} {n}" for i in range(3))
    if kind == 4:
        rows = "\n".join(f"| {rng.choice(_TERMS).capitalize()} {n}{i} | a {rng.choice(_ADJ)} {rng.choice(_NOUN)} |"
                         for i in range(3))
        return f"| Term | Meaning |\n|---|---|\n{rows}"
    if kind == 5:
        return f"> {_sentence(rng, n)} {_sentence(rng, n + 1)}"
    return " ".join(_sentence(rng, n * 7 + i) for i in range(rng.randrange(1, 6)))


def big_article(size: int, seed: int = 6) -> str:
    """A Markdown article of at least `size` characters, the same for the same seed."""
    rng = random.Random(seed)
    parts = ["# A Very Long Study Guide\n"]
    total, n = 0, 0
    while total < size:
        block = _block(rng, n)
        parts.append(block)
        total += len(block) + 2
        n += 1
    return "\n\n".join(parts) + "\n"


def one_line(size: int) -> str:
    """A heading and then one paragraph on a single line of `size` characters (text pasted from a PDF)."""
    rng = random.Random(1)
    body, n = [], 0
    total = 0
    while total < size:
        s = _sentence(rng, n)
        body.append(s)
        total += len(s) + 1
        n += 1
    return "# One Line\n\n" + " ".join(body)[:size] + "\n"


def nested_lists(depth: int) -> str:
    """A list nested `depth` levels deep, each level indented under the one above."""
    return "".join("  " * i + f"- level {i} is a nested item of the outline\n" for i in range(depth))


def nested_list_markers(depth: int) -> str:
    """`- - - ... item`: `depth` list markers on one line, each opening a list inside the last."""
    return "- " * depth + "A nested thing is an item deep inside many lists.\n"


def nested_quotes(depth: int) -> str:
    """`> > > ... text`: `depth` block quotes, one inside the other."""
    return "> " * depth + "A quoted thing is a sentence deep inside many quotes.\n"


def huge_article(size: int, line: int = 1_000_000) -> str:
    """A `size`-character article that opens with one paragraph on a single `line`-character line."""
    head = one_line(line)
    return head + "\n" + big_article(size - len(head) - 1, seed=7).split("\n", 1)[1]
