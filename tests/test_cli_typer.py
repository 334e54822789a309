"""The CLI under the lowest Typer version pyproject.toml declares, installed from PyPI into a fresh venv."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lowest_typer() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'"typer>=([0-9.]+)', text)
    assert found, "pyproject.toml must declare typer>=X"
    return found.group(1)


@pytest.fixture(scope="module")
def old_typer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv that sees this machine's packages but has the lowest declared Typer (and what pip pairs it with)."""
    venv = tmp_path_factory.mktemp("typer-venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          f"typer=={lowest_typer()}"], capture_output=True, text=True, timeout=300)
    if pip.returncode != 0:
        if re.search(r"(?i)connection|network|resolve|temporary failure|unreachable|timed out", pip.stderr):
            pytest.skip(f"PyPI is unreachable, so typer=={lowest_typer()} cannot be installed: "
                        f"{pip.stderr.strip().splitlines()[-1]}")
        raise AssertionError(pip.stderr)
    return python


def certdeck(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([str(python), "-m", "generator", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_cli_runs_under_the_lowest_declared_typer(old_typer: Path, tmp_path: Path) -> None:
    version = subprocess.run([str(old_typer), "-c", "import importlib.metadata as m; print(m.version('typer'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == lowest_typer()
    assert "certdeck" in certdeck(old_typer, "--version", cwd=tmp_path).stdout
    help_text = certdeck(old_typer, "build", "--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "[default: source/]" in help_text.stdout
    built = certdeck(old_typer, "build", str(ROOT / "source"), "-o", str(tmp_path / "out"), "-j", "1",
                     "--json", str(tmp_path / "cards.json"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert re.search(r": \d+ notes, \d+ cards -> ", built.stdout)
    planned = certdeck(old_typer, "plan", str(ROOT / "source"), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    bad = certdeck(old_typer, "build", "--jobs", "many", cwd=tmp_path)
    assert bad.returncode == 2 and "Invalid value" in bad.stderr
