"""A deterministic benchmark corpus: articles recombined and reworded from the repository's own texts.

The seed texts are every Markdown/plain-text article under source/ and tests/ (the seed article and the
hand-written fixtures). Their sentences, headings, list items and glossary lines are shuffled into new
articles, reworded (synonyms, invented topic terms standing in for content words) and mixed with
definitional, causal and filler sentences built from templates, all with a fixed seed. Article i depends
only on the seed texts and i, so the corpus of 10 articles is the first 10 of the corpus of 1,000.

    python bench/corpus.py 1000 /tmp/corpus      # writes article_0000.md ... (some .txt)
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261125
ARTICLES_PER_DECK = 50
TEXT_SUFFIXES = (".md", ".markdown", ".txt")

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|<img\b[^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_WORD = re.compile(r"[A-Za-z][a-z]{4,}")
_SYLLABLES = ("ka", "lo", "ven", "tri", "mos", "del", "ar", "qui", "ne", "sol", "par", "ith", "or", "cen", "bra",
              "dum", "fel", "gor", "hal", "ist", "jun", "kel", "lum", "mar", "nov", "pel", "ras", "sit", "tor",
              "ul", "vex", "wen", "yor", "zan", "ce", "do", "ex", "fi", "ga", "ho")
_SYNONYMS = {
    "important": ("essential", "vital", "crucial", "central"), "key": ("central", "essential", "main"),
    "help": ("assist", "support", "aid"), "helps": ("assists", "supports", "aids"),
    "build": ("develop", "create", "form"), "clients": ("participants", "members", "peers"),
    "client": ("participant", "member", "peer"), "understanding": ("insight", "comprehension"),
    "feel": ("sense", "experience"), "trust": ("confidence", "reliance"), "shows": ("demonstrates", "reveals"),
    "approach": ("method", "strategy"), "ability": ("capacity", "skill"), "journey": ("path", "process"),
    "movement": ("transfer", "flow"), "produce": ("generate", "make"), "maximum": ("highest", "peak"),
    "variation": ("fluctuation", "change"), "amount": ("quantity", "volume"), "time": ("duration", "interval"),
}
_NOUNS = ("process", "membrane", "protocol", "assessment", "boundary", "framework", "signal", "record",
          "policy", "enzyme", "network", "circuit", "session", "intervention", "plan", "agreement", "layer",
          "reaction", "standard", "method", "resource", "measure", "review", "pathway", "factor")
_ADJECTIVES = ("primary", "structured", "formal", "recurring", "shared", "written", "measurable", "routine",
               "external", "internal", "voluntary", "clinical", "technical", "regional", "annual")
_DEFINITIONS = (
    "{A} {t} is one {adj} {n} that {verb} the {n2} of {t2}.",
    "{T} refers to the {adj} {n} used to {verb0} {t2}.",
    "{T} means the {n} by which the {n2} {verb} {t2}.",
    "A {t} is defined as the {adj} {n} within the {n2}.",
    "{T} is the cornerstone of every {adj} {n}.",
    "{T} is essential for the {adj} {n}.",
    "When the {n} fails, {t} {verb} the {adj} {n2}.",
    "{T} leads to the {adj} {n} in about {num} percent of cases.",
    "Without {t}, the {n2} cannot {verb0} the {adj} {n}.",
    "{T} is not a {n} but the {adj} {n2}.",
    "The {n} usually lasts {num} minutes and requires {t}.",
    "{T} reduces the {adj} {n} of the {n2}.",
)
_VERBS = (("regulates", "regulate"), ("controls", "control"), ("records", "record"), ("limits", "limit"),
          ("protects", "protect"), ("supports", "support"), ("measures", "measure"), ("shapes", "shape"))
_FILLER = ("Who wouldn't want that, right?", "Let's be real for a moment.", "Isn't that amazing?",
           "So buckle up, my friends.", "It's all part of the dance!", "Subscribe to our newsletter.",
           "Read our privacy policy.", "Can you imagine how good it feels?")


def seed_texts(roots: list[Path] | None = None) -> list[str]:
    """The texts everything is recombined from, in a fixed order."""
    roots = roots or [ROOT / "source", ROOT / "tests"]
    files = sorted(p for r in roots for p in r.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file())
    texts = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        except (UnicodeDecodeError, OSError):
            continue
        # images would point at files the corpus does not have: keep their alt text only
        texts.append(_IMAGE.sub(r"\1", _FRONT.sub("", text)))
    if not texts:
        raise SystemExit("no seed texts under source/ or tests/")
    return texts


class Pools:
    """Sentences, headings, list items and glossary lines found in the seed texts."""

    def __init__(self, texts: list[str]) -> None:
        self.sentences: list[str] = []
        self.headings: list[str] = []
        self.items: list[str] = []
        self.glossary: list[str] = []
        for text in texts:
            for block in re.split(r"\n\s*\n", text):
                lines = [ln.strip() for ln in block.strip().split("\n") if ln.strip()]
                for line in lines:
                    if line.startswith("#"):
                        self.headings.append(line.lstrip("#").strip())
                    elif line.startswith(("- **", "* **")) or re.match(r"^[-*] \w[\w ]{1,30} [-—:] ", line):
                        # keep the definition; the article puts its own term in front of it
                        self.glossary.append(re.split(r"\*\*:\s*|\s[-—:]\s", line[2:], maxsplit=1)[-1])
                    elif line.startswith(("- ", "* ", "1. ", "2. ", "3. ")):
                        self.items.append(line.split(" ", 1)[1])
                    elif line.startswith(("|", ":", ">", "<", "`")):
                        continue
                    else:
                        self.sentences.extend(s for s in _SENTENCE_END.split(line) if len(s.split()) >= 3)
        self.headings = [h for h in self.headings if h] or ["Overview"]
        self.items = self.items or self.sentences[:5]


def _term(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _reword(sentence: str, rng: random.Random, terms: list[str]) -> str:
    """Synonyms for common words and, now and then, a topic term in place of a content word."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in _SYNONYMS and rng.random() < 0.5:
            new = rng.choice(_SYNONYMS[low])
        elif rng.random() < 0.12:
            new = rng.choice(terms)
        else:
            return word
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, sentence)


def _template(rng: random.Random, terms: list[str]) -> str:
    t, t2 = rng.choice(terms), rng.choice(terms)
    verb, verb0 = rng.choice(_VERBS)
    text = rng.choice(_DEFINITIONS).format(
        t=t, T=t.capitalize(), t2=t2, A="An" if t[0] in "aeiou" else "A", adj=rng.choice(_ADJECTIVES),
        n=rng.choice(_NOUNS), n2=rng.choice(_NOUNS), verb=verb, verb0=verb0, num=rng.randint(2, 95))
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, pools: Pools, terms: list[str]) -> str:
    out = []
    for _ in range(rng.randint(3, 6)):
        roll = rng.random()
        if roll < 0.45:
            out.append(_reword(rng.choice(pools.sentences), rng, terms))
        elif roll < 0.93:
            out.append(_template(rng, terms))
        else:
            out.append(rng.choice(_FILLER))
    return " ".join(out)


def article(i: int, pools: Pools, seed: int = SEED) -> tuple[str, str]:
    """(file name, text) of article `i`: about 1,000 words, Markdown or (one in ten) plain text."""
    rng = random.Random(f"{seed}:{i}")
    terms = [_term(rng) for _ in range(rng.randint(10, 18))]
    plain = i % 10 == 7
    title = f"{_reword(rng.choice(pools.headings), rng, terms)} {i}"
    words_wanted = rng.randint(900, 1100)
    parts: list[str] = []
    words = 0
    while words < words_wanted:
        roll = rng.random()
        heading = (f"What is {rng.choice(terms)}?" if roll < 0.15
                   else _reword(rng.choice(pools.headings), rng, terms))
        body = [_paragraph(rng, pools, terms) for _ in range(rng.randint(1, 3))]
        if not plain and roll > 0.6:
            items = [_reword(rng.choice(pools.items), rng, terms) for _ in range(rng.randint(2, 5))]
            body.append("\n".join(f"- {x}" for x in items))
        if not plain and 0.3 < roll < 0.5 and pools.glossary:
            gloss = [f"- **{rng.choice(terms).capitalize()}**: {_reword(rng.choice(pools.glossary), rng, terms)}"
                     for _ in range(rng.randint(2, 4))]
            body.append("\n".join(gloss))
        parts.append((heading if plain else f"## {heading}") + "\n\n" + "\n\n".join(body))
        words += sum(len(b.split()) for b in body)
    unit = i // ARTICLES_PER_DECK + 1
    front = f"---\ndeck: \"Bench Curriculum::Unit {unit:02d}\"\ntags: [bench, unit-{unit:02d}]\n---\n\n"
    if plain:
        return f"article_{i:04d}.txt", front + f"{title}\n\n" + "\n\n".join(parts) + "\n"
    return f"article_{i:04d}.md", front + f"# {title}\n\n" + "\n\n".join(parts) + "\n"


def generate(n: int, out: Path, seed: int = SEED) -> list[Path]:
    """Write articles 0..n-1 into `out` (created if needed); returns their paths."""
    pools = Pools(seed_texts())
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text = article(i, pools, seed)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def edit(path: Path, round_: int = 1) -> None:
    """Change one article the way an author would: reword a sentence and add one."""
    text = path.read_text(encoding="utf-8")
    rng = random.Random(f"edit:{path.name}:{round_}")
    term = _term(rng)
    text = text.replace(" is ", f" is, in edit {round_}, ", 1)
    text += f"\nA {term} is a revised {rng.choice(_NOUNS)} added in edit {round_}.\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python bench/corpus.py N OUT_DIR")
    written = generate(int(sys.argv[1]), Path(sys.argv[2]))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in written)
    print(f"{len(written)} articles, {words:,} words -> {sys.argv[2]}")
