"""Who may use each page of ``movilim.projects``: this app's entries of the every-URL table
(``tests/test_url_access.py``)."""

from __future__ import annotations

from ..access_rules import Rule

RULES: dict[str, Rule] = {}
