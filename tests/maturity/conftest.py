"""Fixtures of the 7 Lenses tests."""

from __future__ import annotations

import pytest

from movilim.maturity.reference import ensure_matrix


@pytest.fixture(autouse=True)
def _reference_data(db: None) -> None:
    """The matrix comes from a data migration, which a transactional test elsewhere (the
    browser tests) may have flushed away."""
    ensure_matrix()
