"""Search over the registered sources: Hebrew forms meet, results are grouped and limited to
what the reader may see, the index is used (PostgreSQL), and the expert finder shows evidence."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from movilim.community.models import KnowledgeItem, Membership
from movilim.community.services import event_create
from movilim.search import index, queries, sources
from movilim.search.models import Entry
from tests import factories

from ..community import helpers

pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def content(world):
    helpers.members(world)
    mine = KnowledgeItem.objects.create(
        program=world.program,
        kind="case",
        title="ניתוח אירוע: מעבר לטפסים מקוונים",
        body="הפרויקט צמצם את זמן הטיפול בבקשות",
        author=world.fellow_person,
        published_on=datetime.date(2026, 5, 1),
    )
    theirs = KnowledgeItem.objects.create(
        program=world.other_program,
        kind="post",
        title="פרויקט נתונים ברשות מקומית",
        body="",
        link="https://example.org/x",
        published_on=datetime.date(2026, 5, 2),
    )
    return mine, theirs


def titles(groups, kind):
    return [e.title for g in groups if g.kind == kind for e in g.entries]


def test_a_hebrew_form_finds_its_base_word(world, content):
    groups = queries.search(world.participant, "בפרויקטים")
    assert set(titles(groups, "item")) == {
        "ניתוח אירוע: מעבר לטפסים מקוונים",
        "פרויקט נתונים ברשות מקומית",
    }


def test_results_are_limited_to_what_the_reader_may_see(world, content):
    mine, _theirs = content
    # A member reads the whole community; an evaluator of the program only its own items.
    assert len(titles(queries.search(world.participant, "פרויקט"), "item")) == 2
    assert titles(queries.search(world.evaluator, "פרויקט"), "item") == [mine.title]
    assert queries.search(world.steering, "פרויקט") == []
    assert queries.search(world.staff_not_admin, "פרויקט") == []


def test_people_show_only_what_they_show_to_members(world, content):
    fellow = world.fellow_person
    fellow.expertise = "עיצוב שירות, רכש"
    fellow.save()
    assert titles(queries.search(world.participant, "רכש"), "person") == [fellow.full_name]
    membership = Membership.objects.get(person=fellow)
    membership.visibility = {"expertise": "staff"}
    membership.save()  # the index follows the member's choice at once
    assert titles(queries.search(world.participant, "רכש"), "person") == []


def test_the_index_follows_changes_and_deletions(world, content):
    mine, _ = content
    mine.title = "מדריך לשיתוף נתונים"
    mine.save()
    assert titles(queries.search(world.admin, "שיתוף"), "item") == ["מדריך לשיתוף נתונים"]
    mine.delete()
    assert titles(queries.search(world.admin, "שיתוף"), "item") == []


def test_a_sign_in_leaves_the_index_alone_and_a_rename_refreshes_it(world, content):
    """A sign-in saves only ``last_login``, which no document reads: the index is not asked."""
    user = world.fellow_person.user
    entries = Entry._meta.db_table
    with CaptureQueriesContext(connection) as stamped:
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    assert not [q for q in stamped.captured_queries if entries in q["sql"]]
    with CaptureQueriesContext(connection) as renamed:
        user.first_name = "ינון"
        user.save(update_fields=["first_name"])
    assert [q for q in renamed.captured_queries if entries in q["sql"]]
    assert titles(queries.search(world.admin, "ינון"), "person")


def test_deferred_writes_each_entry_once_at_the_end(world, content):
    """Inside ``deferred`` the index is not asked at each save; at its end each changed object
    is written once, a deleted one dropped."""
    mine, theirs = content
    entries = Entry._meta.db_table
    with CaptureQueriesContext(connection) as inside, index.deferred():
        for title in ("טיוטה", "מדריך לשיתוף נתונים"):
            mine.title = title
            mine.save()
        theirs.delete()
        writes = len(inside.captured_queries)
    assert not [q for q in inside.captured_queries[:writes] if entries in q["sql"]]
    assert titles(queries.search(world.admin, "שיתוף"), "item") == ["מדריך לשיתוף נתונים"]
    assert titles(queries.search(world.admin, "טיוטה"), "item") == []
    assert not Entry.objects.filter(kind="item", object_id=theirs.pk).exists()


def test_rebuild_writes_every_entry_again(world, content):
    Entry.objects.all().delete()
    counts = {s.kind: index.rebuild(s) for s in sources.registered()}
    assert counts["item"] == 2 and counts["person"] == 2
    assert len(titles(queries.search(world.admin, "טפסים"), "item")) == 1


def test_events_and_discussions_are_found(world, content):
    helpers.discussion(world)
    event_create(
        program=world.program,
        kind="showcase",
        title="תצוגה קצרה: צ'אטבוט לפניות ציבור",
        starts_on=datetime.date(2027, 1, 10),
    )
    groups = queries.search(world.participant, "צ'אטבוט")
    assert titles(groups, "event") == ["תצוגה קצרה: צ'אטבוט לפניות ציבור"]
    assert titles(queries.search(world.participant, "משרדים"), "discussion")


def test_the_search_page_groups_results(world, content, client_for):
    response = client_for("participant").get(reverse("search:search"), {"q": "פרויקטים"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "ניתוח אירוע: מעבר לטפסים מקוונים" in body
    assert 'id="group-item"' in body
    empty = client_for("participant").get(reverse("search:search"), {"q": "זברה"})
    assert "Nothing found" in empty.content.decode() or "לא נמצא" in empty.content.decode()


def test_experts_are_ranked_by_evidence(world, content):
    fellow = world.fellow_person
    fellow.expertise = "טפסים מקוונים"
    fellow.save()
    speaker = factories.PersonFactory()
    helpers.member(speaker, world.program, "lecturer")
    event = event_create(
        program=world.program,
        kind="meeting",
        title="מפגש על טפסים",
        starts_on=datetime.date(2027, 2, 1),
    )
    event.speakers.add(speaker)
    found = queries.experts(world.participant, "טפסים")
    assert [e.person_id for e in found] == [fellow.pk, speaker.pk]  # expertise 3 + wrote 2
    assert [(e.weight, e.title) for e in found[0].evidence] == [
        (3, "טפסים מקוונים"),
        (2, "ניתוח אירוע: מעבר לטפסים מקוונים"),
    ]
    assert found[1].evidence[0].title == "מפגש על טפסים"
    pool = queries.experts(world.participant, "טפסים", pool_only=True)
    assert [e.person_id for e in pool] == [fellow.pk, speaker.pk]  # a consultant, a lecturer
    Membership.objects.filter(person=fellow).update(kind="fellow")
    assert [e.person_id for e in queries.experts(world.participant, "טפסים", pool_only=True)] == [
        speaker.pk
    ]


def test_the_experts_page_shows_evidence(world, content, client_for):
    response = client_for("participant").get(reverse("search:experts"), {"q": "טפסים"})
    assert response.status_code == 200
    assert world.fellow_person.full_name in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
def test_postgresql_uses_the_indexes(world, content):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    from movilim.search.models import Entry

    # Enough rows of other kinds and other words for the planner to weigh its indexes.
    Entry.objects.bulk_create(
        Entry(
            kind="person" if n % 2 else "item",
            object_id=10_000 + n,
            title=f"שם {n}",
            url="/",
            title_folded=f"שמ {n}",
            title_terms=f"שמ {n}",
            terms=" ".join(f"מילה{(n * 7 + k) % 997}" for k in range(60)),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
    plans = []
    for column in ("title_tsv", "tsv"):
        condition = RawSQL(  # noqa: S611 - a fixed column name
            f"{column} @@ to_tsquery('simple', %s)", ["פרויקט"], BooleanField()
        )
        with queries.indexed_only():
            plans.append(Entry.objects.filter(Q(kind="item") & Q(condition)).explain())
    assert "search_entry_title_tsv_item" in plans[0]
    # On a few thousand rows the planner may serve the text lookup from another index of the
    # kind; over 120,000 entries it takes search_entry_tsv_item (the plan bench/search.py
    # prints). Never a sequential scan.
    assert not any("Seq Scan" in plan for plan in plans)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram corrections")
def test_a_mistyped_word_is_corrected_from_the_vocabulary(world, content):
    assert titles(queries.search(world.participant, "מקוונימ"), "item")  # as typed, known
    groups = queries.search(world.participant, "מקונים")  # a letter missing
    assert titles(groups, "item") == ["ניתוח אירוע: מעבר לטפסים מקוונים"]


def test_a_query_of_stop_words_searches_nothing(world):
    assert queries.matching("של את") is None
    assert queries.search(world.admin, "") == []
