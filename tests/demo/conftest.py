"""The demo, loaded once for every test in this folder: loading it takes seconds."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from ..conftest import module_transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``manage.py demo --force`` with DEBUG off, as on a demo server; its output.

    Loaded inside a transaction rolled back once the folder's tests are done; each test still
    runs in its own savepoint, so none sees another's changes (a second run included).
    """
    out = StringIO()
    with module_transaction(django_db_blocker):
        with override_settings(DEBUG=False):
            call_command("demo", "--force", stdout=out)
        yield out.getvalue()
