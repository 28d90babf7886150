"""Fixtures of the 7 Lenses tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """Every test here reads the goals or the matrix (see the root ``reference_data``)."""
