"""The projects source: projects indexed and kept current, found only by readers the projects
app lets see them, their members as evidence for the expert finder, and similar projects by
shared words and strategic goals."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.projects import services
from movilim.projects.models import StrategicGoal
from movilim.search import index, queries, sources
from movilim.search.models import Entry
from tests import factories

from ..community import helpers

START = datetime.date(2026, 2, 1)


pytestmark = pytest.mark.usefixtures("module_world")


def _project(cohort, title, *, description="", goals=(), members=(), organizations=()):
    return services.project_create(
        cohort=cohort,
        title=title,
        kind="group",
        description=description,
        goals=list(goals),
        organizations=list(organizations),
        members=[(person, "member") for person in members],
        started_on=START,
    )


@pytest.fixture
def projects(world):
    helpers.members(world)
    helpers.member(world.other_fellow_person, world.other_program)
    # Goals of the test's own: a flushing test elsewhere may have removed the migration's.
    goals = [
        StrategicGoal.objects.get_or_create(
            key=f"search-test-{n}", defaults={"kind": "objective", "name_he": name}
        )[0]
        for n, name in enumerate(["שירות ממוקד אזרח", "נתונים פתוחים", "הפחתת בירוקרטיה"])
    ]
    later = factories.CohortFactory(program=world.program, start_date=datetime.date(2026, 9, 1))
    subject = _project(
        world.cohort,
        "טפסים מקוונים לרישוי עסקים",
        goals=goals[:2],
        members=[world.participant_person],
    )
    words = _project(
        later, "רישוי עסקים דיגיטלי", description="טפסים חכמים", members=[world.fellow_person]
    )
    goal = _project(later, "מערכת תורים למרפאות", goals=goals[:1])
    hidden = _project(
        world.other_cohort,
        "טפסים מקוונים לרישוי עסקים בעירייה",
        members=[world.other_fellow_person],
    )
    _project(world.cohort, "גינון קהילתי")
    return subject, words, goal, hidden, goals


def titles(groups):
    return [e.title for g in groups if g.kind == "project" for e in g.entries]


def test_projects_are_indexed_with_goals_and_organizations_and_follow_changes(world, projects):
    subject, *_rest, goals = projects
    organization = factories.OrganizationFactory(name_he="רשות המסים", name_en="Tax Authority")
    services.project_update(
        project=subject,
        title=subject.title,
        kind=subject.kind,
        description="שירות לבעלי עסקים",
        organizations=[organization],
        goals=goals[:2],
    )
    assert titles(queries.search(world.admin, "Tax")) == [subject.title]
    assert titles(queries.search(world.admin, "המסים")) == [subject.title]
    assert subject.title in titles(queries.search(world.admin, goals[1].name_he))
    assert subject.title in titles(queries.search(world.admin, "לבעלי"))
    organization.name_en = "Israel Tax Authority"
    organization.save()  # a renamed organization reaches its projects' entries
    assert titles(queries.search(world.admin, "Israel")) == [subject.title]
    subject.goals.remove(goals[1])  # the through table's change is followed too
    assert subject.title not in titles(queries.search(world.admin, goals[1].name_he))
    Entry.objects.filter(kind="project").delete()
    assert index.rebuild(sources.get("project")) == 5
    assert titles(queries.search(world.admin, "Israel")) == [subject.title]
    subject.delete()
    assert titles(queries.search(world.admin, "Israel")) == []


def test_a_project_is_found_only_by_those_who_may_see_it(world, projects, client_for):
    subject, _words, _goal, hidden, _goals = projects
    assert set(titles(queries.search(world.participant, "עירייה"))) == set()
    assert titles(queries.search(world.outsider, "עירייה")) == [hidden.title]
    assert subject.title not in titles(queries.search(world.outsider, "רישוי"))
    assert titles(queries.search(world.evaluator, "עירייה")) == []
    response = client_for("participant").get(reverse("search:search"), {"q": "רישוי"})
    body = response.content.decode()
    assert 'id="group-project"' in body
    assert reverse("projects:detail", args=[subject.pk]) in body
    assert reverse("projects:detail", args=[hidden.pk]) not in body


def test_members_of_matching_projects_are_evidence(world, projects, client_for):
    found = {e.person_id: e for e in queries.experts(world.participant, "רישוי")}
    assert set(found) == {world.participant_person.pk, world.fellow_person.pk}
    assert [(e.weight, e.title) for e in found[world.fellow_person.pk].evidence] == [
        (3, "רישוי עסקים דיגיטלי")
    ]
    # The other program's project is not the participant's to see: nor are its members' part.
    admin = {e.person_id for e in queries.experts(world.admin, "רישוי")}
    assert world.other_fellow_person.pk in admin
    body = client_for("participant").get(reverse("search:experts"), {"q": "רישוי"})
    assert "רישוי עסקים דיגיטלי" in body.content.decode()


def test_similar_projects_rank_by_shared_words_and_goals(world, projects):
    subject, words, goal, hidden, goals = projects
    found = queries.similar_projects(world.participant, project=subject)
    assert [(s.project, s.words, s.goals) for s in found] == [
        (words, ["טפסים", "לרישוי", "עסקים"], []),
        (goal, [], [goals[0]]),
    ]
    # Across programs for the administrator; never the project itself.
    assert [s.project for s in queries.similar_projects(world.admin, project=subject)] == [
        hidden,
        words,
        goal,
    ]
    idea = queries.similar_projects(world.participant, text="רישוי עסקים", goals=goals[:1])
    assert [(s.project, s.score) for s in idea] == [(subject, 4), (words, 2), (goal, 2)]
    # A participant of the other program finds only the projects of theirs.
    outsider = queries.similar_projects(world.outsider, text="רישוי עסקים")
    assert [s.project for s in outsider] == [hidden]
    assert queries.similar_projects(world.participant, text="של") == []


def test_similar_projects_take_a_constant_number_of_queries(world, projects):
    subject, _words, _goal, _hidden, goals = projects
    queries.similar_projects(world.admin, project=subject)  # the reader's facts, read once
    with CaptureQueriesContext(connection) as few:
        queries.similar_projects(world.admin, project=subject)
    later = factories.CohortFactory(program=world.other_program)
    for n in range(4):
        _project(later, f"טפסים לרישוי {n}", goals=goals, members=[factories.PersonFactory()])
    with CaptureQueriesContext(connection) as more:
        assert len(queries.similar_projects(world.admin, project=subject)) == 7
    assert len(more) == len(few)


def test_the_project_page_and_the_idea_page_show_similar_projects(world, projects, client_for):
    subject, words, _goal, hidden, goals = projects
    client = client_for("participant")
    page = client.get(reverse("projects:detail", args=[subject.pk])).content.decode()
    # The project's page holds a place for them, filled when it comes into view.
    similar_url = reverse("search:similar_to_project", args=[subject.pk])
    assert 'id="similar-h"' in page and f'hx-get="{similar_url}"' in page
    assert reverse("projects:detail", args=[words.pk]) not in page
    fragment = client.get(similar_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert reverse("projects:detail", args=[words.pk]) in fragment
    assert reverse("projects:detail", args=[hidden.pk]) not in fragment
    # Without scripts the link opens the same list as a page of its own.
    full = client.get(similar_url).content.decode()
    assert "<html" in full and reverse("projects:detail", args=[words.pk]) in full
    # Another program's project is not there to compare with.
    assert client.get(reverse("search:similar_to_project", args=[hidden.pk])).status_code == 404
    response = client.get(
        reverse("search:similar"), {"q": "רישוי עסקים", "goal": [str(goals[0].pk), "x", "999999"]}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("projects:detail", args=[words.pk]) in body
    assert f'value="{goals[0].pk}" id="goal-{goals[0].pk}" checked' in body  # bad ids ignored
    nothing = client.get(reverse("search:similar"), {"q": "זברה"}).content.decode()
    assert "לא נמצא פרויקט דומה" in nothing
    assert client.get(reverse("search:similar")).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
def test_similar_projects_read_the_project_index(world, projects):
    subject = projects[0]
    # Enough entries for the planner to weigh its indexes (see test_search's plan test).
    Entry.objects.bulk_create(
        Entry(
            kind="project",
            object_id=10_000 + n,
            title=f"שם {n}",
            url="/",
            title_folded=f"שמ {n}",
            title_terms=f"שמ {n}",
            terms=" ".join(f"מילה{(n * 7 + k) % 997}" for k in range(8)),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
    plans = {}
    for reader in (world.admin, world.participant):
        with CaptureQueriesContext(connection) as captured:
            queries.similar_projects(reader, project=subject)
        (statement,) = [q["sql"] for q in captured if "ts_rank" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement)
            plans[reader] = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
    # On a few thousand entries the planner may read the kind through the key's index rather
    # than search_entry_tsv_project, which it takes from about 20,000 entries on; a reader
    # who sees a few projects is served from them, each entry by its key. Never a
    # sequential scan.
    assert all("Index" in plan and "Seq Scan" not in plan for plan in plans.values())
