"""Search's part of the page benchmark (see ``apps.py``), after the projects': their entries
written into the search table (the projects' data is bulk-loaded, without the signals that keep
it), and the page that looks for projects like an idea.

Every benchmark project's title holds the word "מיזם", so the large instance weighs two
thousand matching projects; one project is given a description of its own, which the small
instance's word finds alone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

DATA_VERSION = 1
IDEA = "מיזם דיגיטלי לרישוי עסקים"
RARE = "רישוי"


def generate() -> str:
    from movilim.projects.models import Project
    from movilim.search import index, sources

    first = Project.objects.order_by("pk").first()
    if first is not None:
        Project.objects.filter(pk=first.pk).update(description="רישוי עסקים בטפסים מקוונים")
    source = sources.get("project")
    assert source is not None
    return f"search: {index.rebuild(source):,} projects indexed"


def targets() -> list[dict[str, Any]]:
    return [
        {
            "label": "similar projects for an idea",
            "path": "/search/similar/?q=" + quote(IDEA),
            "small": "/search/similar/?q=" + quote(RARE),
        }
    ]
