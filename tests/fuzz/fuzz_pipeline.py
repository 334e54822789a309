"""Coverage-guided fuzz target for the whole pipeline (atheris). See tests/fuzz/README.md."""
from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

with atheris.instrument_imports():
    import generator.extract
    import generator.notes.make
    import generator.notes.render
    import generator.parse.markdown
    import generator.read.sources
    import generator.select.selection
    import generator.text  # noqa: F401

from tests.fuzz.harness import build_bytes, check_output


def test_one_input(data: bytes) -> None:
    """Any bytes: no exception but GeneratorError (handled inside), valid and safe output, same twice."""
    name = "fuzz.txt" if data[:1] == b"\x01" else "fuzz.md"
    first = build_bytes(data, name)
    check_output(*first)
    if len(data) % 16 == 0:  # determinism, on a sixteenth of the inputs (it doubles the cost)
        assert build_bytes(data, name) == first


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
