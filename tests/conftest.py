"""Shared test fixtures. Area-specific helpers live in their own test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"


@pytest.fixture(scope="session")
def flows_dir() -> Path:
    return FLOWS


@pytest.fixture(scope="session")
def real_model():
    """The Stockholmsmodellen as loaded from flows/ (must load without errors)."""
    from processmodell.loader import load_folder

    result = load_folder(FLOWS)
    assert result.model is not None, [str(f) for f in result.findings]
    return result.model
