"""The community's and search's part of the page benchmark (see ``apps.py``): every one of the
20,000 people is a member of the community, with 5,000 knowledge items, and the directory and
the search page are timed as the benchmark's coordinator (staff of every program, so a reader
of the whole community)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any
from urllib.parse import quote

DATA_VERSION = 1
ITEMS = 5_000
# The items group alone (``kind=item``), for two words that each head more than a page of
# titles: the page then runs the same statements whatever the word (see search/queries.py).
SEARCH_TERM = "בפרויקטים"
OTHER_TERM = "נגישות"


def generate() -> str:
    import data
    from django.db.models.signals import post_save

    from movilim.community.demo import item_texts
    from movilim.community.models import Cluster, KnowledgeItem, Membership
    from movilim.people.models import Person
    from movilim.programs.models import Program
    from movilim.search import index, sources

    rng = random.Random(f"{data.SEED}:community")
    network = Program.objects.get(slug="network")
    receivers, post_save.receivers = post_save.receivers, []  # indexed once, below
    try:
        people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        Membership.objects.bulk_create(
            (
                Membership(person_id=pk, program=network, kind="fellow", joined_on=data.ANCHOR)
                for pk in people
            ),
            batch_size=data.BATCH,
        )
        cluster = Cluster.objects.create(program=network, name_he="שירות ועיצוב")
        KnowledgeItem.objects.bulk_create(
            (
                KnowledgeItem(
                    program=network,
                    kind=text.kind,
                    title=text.title,
                    summary=text.summary,
                    body=text.body,
                    tags=text.tags,
                    cluster=cluster,
                    author_id=people[n % len(people)],
                    published_on=data.ANCHOR - timedelta(days=n % 700),
                )
                for n, text in enumerate(item_texts(rng, ITEMS, spread=9_999))
            ),
            batch_size=data.BATCH,
        )
        for source in sources.registered():
            index.rebuild(source)
    finally:
        post_save.receivers = receivers
    return f"community: {len(people):,} members, {ITEMS:,} knowledge items, search indexed"


def targets() -> list[dict[str, Any]]:
    return [
        {
            "label": "community directory",
            "path": "/community/members/",
            "small": "/community/members/?expertise=" + quote("ענן"),
        },
        {
            "label": "search",
            "path": "/search/?kind=item&q=" + quote(SEARCH_TERM),
            "small": "/search/?kind=item&q=" + quote(OTHER_TERM),
        },
    ]
