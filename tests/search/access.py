"""Who may use each page of ``movilim.search``: this app's entries of the every-URL table
(``tests/test_url_access.py``). Search is for readers of the community: members (here the
participant and the outsider), program staff who read their programs' community content, and
administrators."""

from __future__ import annotations

from ..access_rules import Rule
from ..community import helpers
from ..community.access import READERS
from ..projects import access as projects


def _query(w):  # type: ignore[no-untyped-def]
    helpers.item(w)
    return []


RULES: dict[str, Rule] = {
    "search:search": Rule(READERS, args=_query),
    "search:experts": Rule(READERS, args=_query),
    # Whoever may read projects: program members and their staff.
    "search:similar": Rule(projects.READERS | projects.MEMBERS, args=lambda w: []),
    # The page of a project decides: whoever may open it (404 for others).
    "search:similar_to_project": Rule(projects.READERS, args=lambda w: [projects.project_of(w).pk]),
}
