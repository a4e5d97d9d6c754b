"""Shared test fixtures: where ../shared lives, and skipping cleanly without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same generated examples every run (a red CI must be reproducible, not a
# new random draw); developers keep exploring fresh examples locally.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "manuscript.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("../shared/seed/manuscript.txt not present (a user's clone has no ../shared)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seed/manuscript.txt not present (a user's clone has no ../shared)")
    return SEED
