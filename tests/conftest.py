"""Shared fixtures: settings with a fixed clock, the repository root, and a real-Anki helper."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from generator.config import Settings

ROOT = Path(__file__).resolve().parent.parent

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=100)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def settings() -> Settings:
    return Settings(now=1_700_000_000)


@pytest.fixture
def root() -> Path:
    return ROOT
