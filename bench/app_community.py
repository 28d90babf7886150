"""The community's and search's part of the page benchmark (see ``apps.py``): every one of the
20,000 people is a member of the community, with 5,000 knowledge items, and the directory and
the search page are timed as the benchmark's coordinator (staff of every program, so a reader
of the whole community, who also runs it).

The staff's pages are timed on a large event (``BIG_EVENT_PLACES`` registered and
``BIG_EVENT_WAITING`` on its waiting list) next to a small one, and on a cluster with
coordinators."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

DATA_VERSION = 2
ITEMS = 5_000
# The items group alone (``kind=item``), for two words that each head more than a page of
# titles: the page then runs the same statements whatever the word (see search/queries.py).
SEARCH_TERM = "בפרויקטים"
OTHER_TERM = "נגישות"
BIG_EVENT_PLACES = 500
BIG_EVENT_WAITING = 200
BIG_EVENT_TITLE = "יום עבודה של הרשת: שירות ממוקד אזרח"
SMALL_EVENT_TITLE = "תצוגה קצרה: צ'טבוט לשירות"


def generate() -> str:
    import data
    from django.db.models.signals import post_save

    from movilim.community.demo import item_texts
    from movilim.community.models import Cluster, Event, KnowledgeItem, Membership, Registration
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
        cluster.coordinators.set(people[:3])
        big = Event.objects.create(
            program=network,
            cluster=cluster,
            kind="workday",
            title=BIG_EVENT_TITLE,
            starts_on=data.ANCHOR + timedelta(days=30),
            location="ירושלים",
            capacity=BIG_EVENT_PLACES,
        )
        small = Event.objects.create(
            program=network,
            kind="showcase",
            title=SMALL_EVENT_TITLE,
            starts_on=data.ANCHOR + timedelta(days=40),
            online=True,
            capacity=10,
        )
        # One request a minute from the anchor's morning: the queue's order is the asking order.
        opened = datetime.combine(data.ANCHOR, time(9), tzinfo=UTC)
        registrations = [
            Registration(
                event=big,
                person_id=pk,
                status="registered" if n < BIG_EVENT_PLACES else "waiting",
                requested_at=opened + timedelta(minutes=n),
            )
            for n, pk in enumerate(rng.sample(people, BIG_EVENT_PLACES + BIG_EVENT_WAITING))
        ]
        registrations += [
            Registration(
                event=small,
                person_id=pk,
                status="registered",
                requested_at=opened + timedelta(minutes=n),
            )
            for n, pk in enumerate(people[:2])
        ]
        Registration.objects.bulk_create(registrations, batch_size=data.BATCH)
        for source in sources.registered():
            index.rebuild(source)
    finally:
        post_save.receivers = receivers
    return (
        f"community: {len(people):,} members, {ITEMS:,} knowledge items, an event with "
        f"{BIG_EVENT_PLACES} registered and {BIG_EVENT_WAITING} waiting, search indexed"
    )


def targets() -> list[dict[str, Any]]:
    from movilim.community.models import Cluster, Event

    big = Event.objects.get(title=BIG_EVENT_TITLE).pk
    small = Event.objects.get(title=SMALL_EVENT_TITLE).pk
    cluster = Cluster.objects.order_by("pk").values_list("pk", flat=True).first()
    staff_pages = [
        {
            "label": "event registrants",
            "path": f"/community/events/{big}/registrations/",
            "small": f"/community/events/{small}/registrations/",
        },
        {
            "label": "event edit form",
            "path": f"/community/events/{big}/edit/",
            "small": f"/community/events/{small}/edit/",
        },
        {
            "label": "event cancel page",
            "path": f"/community/events/{big}/cancellation/",
            "small": f"/community/events/{small}/cancellation/",
        },
        {"label": "new event form", "path": "/community/events/new/"},
        {"label": "new cluster form", "path": "/community/clusters/new/"},
        {"label": "cluster edit form", "path": f"/community/clusters/{cluster}/edit/"},
        {"label": "cluster archive page", "path": f"/community/clusters/{cluster}/archive/"},
    ]
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
        *staff_pages,
    ]
