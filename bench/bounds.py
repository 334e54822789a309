"""Work per article is bounded: time per character for ordinary and hostile shapes at two sizes, and whole
builds of the biggest articles with their peak memory.

    python bench/bounds.py            # sizes 64 KB and 256 KB, 3 runs each (a few minutes on 2 cores)
    python bench/bounds.py --quick    # 16 KB and 64 KB, 1 run: a smoke test, not a measurement

In-process rows time parse + extract + select + notes (build_cards) for one article, median of the runs;
"x4 ratio" is time(4n) / time(n): about 4 for linear work, 16 for quadratic. The whole-build rows run
`python -m generator build` in a child process and read its peak RSS with resource.getrusage(RUSAGE_CHILDREN).
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build.article import build_cards  # noqa: E402
from tests.hostile import big_article, huge_article, one_line  # noqa: E402

S = "A ribosome is a molecular machine that builds proteins from amino acids. "


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


SHAPES = {
    "study guide (varied prose, lists, tables)": lambda n: big_article(n),
    "one paragraph on one line": lambda n: one_line(n),
    "short paragraphs": lambda n: "# T\n\n" + _repeat(S + "\n\n", n),
    "table rows": lambda n: "| Term | Meaning |\n|---|---|\n"
                            + _repeat("| Ribosome | a machine that builds proteins |\n", n),
    "bold spans": lambda n: "# T\n\n" + _repeat("**a** ", n),
    "unclosed brackets [[[": lambda n: "[" * n,
    "unclosed links [a](": lambda n: _repeat("[a](", n),
    "unclosed clozes {{c1::": lambda n: "# T\n\n" + _repeat("{{c1::", n),
    "unclosed highlights ==a": lambda n: "# T\n\n" + _repeat("==a ", n),
    "run of dots": lambda n: "# T\n\n" + "." * n,
    "lines of one sentence": lambda n: "# T\n\n" + _repeat("A thing is a thing.\n", n),
    "skip directives": lambda n: _repeat("<!-- certdeck: skip -->\n# H\n\nA thing is a thing.\n\n", n),
    "lists nested on one line": lambda n: "- " * (n // 2) + "A thing is deep.\n",
    "quotes nested on one line": lambda n: "> " * (n // 2) + "A thing is deep.\n",
}


def _time(text: str, runs: int) -> float:
    out = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        build_cards(text, "bench.md")
        out.append(time.perf_counter() - start)
    return statistics.median(out)


def _whole_build(text: str, runs: int) -> tuple[float, float]:
    """(median wall seconds, max peak RSS in MB) of `certdeck build` on one article, each in a fresh child."""
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.md"
        article.write_text(text, encoding="utf-8")
        probe = ("import resource, subprocess, sys, time\nt = time.perf_counter()\n"
                 "subprocess.run(sys.argv[1:], capture_output=True)\n"
                 "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
        for i in range(runs):
            cmd = [sys.executable, "-m", "generator", "build", str(article), "-o", f"{tmp}/out{i}", "-q",
                   "--jobs", "1", "--no-cache"]
            res = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
            wall, peak = res.stdout.split()
            walls.append(float(wall))
            peaks.append(float(peak))
    return statistics.median(walls), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, runs = (16_000, 1) if args.quick else (64_000, 3)
    print(f"cores: {os.cpu_count()}; in-process: median of {runs}; sizes {n // 1000} KB and {4 * n // 1000} KB\n")
    print(f"| input | time {n // 1000} KB | time {4 * n // 1000} KB | µs per char | x4 ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, make in SHAPES.items():
        small, large = make(n), make(4 * n)
        t1, t4 = _time(small, runs), _time(large, runs)
        print(f"| {name} | {t1:.2f} s | {t4:.2f} s | {t4 / len(large) * 1e6:.1f} | {t4 / max(t1, 1e-6):.1f} |",
              flush=True)
    print("\n| whole build, one article | wall (median) | peak RSS (max) |")
    print("|---|---:|---:|")
    builds = [("study guide, 1 MB", big_article(1_000_000)), ("20 MB: a 1 MB line, then 19 MB (read: 1 MB)",
                                                                 huge_article(20_000_000))]
    if args.quick:
        builds = [("study guide, 256 KB", big_article(256_000))]
    for name, text in builds:
        wall, peak = _whole_build(text, runs)
        print(f"| {name} | {wall:.1f} s | {peak:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
