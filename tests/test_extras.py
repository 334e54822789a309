"""The optional extras: what `pip install -e '.[test]'` (CI's install) brings."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_the_test_extra_installs_the_converters() -> None:
    """CI installs `.[test]`: it must pull every converter, or the conversion tests would be skipped there."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"]
    assert "certdeck[convert]" in extras["test"]
    assert extras["convert"] == ["certdeck[html,pdf,docx]"]
    names = " ".join(extras["html"] + extras["pdf"] + extras["docx"])
    for dist in ("readability-lxml", "markdownify", "pdfminer.six", "mammoth"):
        assert dist in names


def test_without_the_pdf_extra_a_pdf_is_one_warning_and_the_rest_is_built(tmp_path: Path) -> None:
    """In a real process where pdfminer cannot be imported (as when the extra is not installed)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "cells.md").write_text("# Cells\n\nA ribosome is a molecular machine that builds proteins.\n")
    (src / "guide.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    code = ("import sys; sys.modules['pdfminer'] = None; sys.argv = ['certdeck', 'build', sys.argv[1], '-o', "
            "sys.argv[2], '-q']; from generator.cli import main; main()")
    run = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "out")], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == (f"warning: {src / 'guide.pdf'}: reading PDF files needs the `pdf` extra "
                          "(pip install 'certdeck[pdf]'); skipped\n")
    assert (tmp_path / "out" / "Cells.apkg").is_file()
