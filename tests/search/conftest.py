"""Search tests index projects, which carry strategic goals."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """The goals may have been flushed by a transactional test (see the root ``reference_data``)."""
