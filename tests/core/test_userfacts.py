"""The layout's questions about the reader (program rights, community membership, unread
notices) are answered by one statement per request, whichever apps ask them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movilim.community.policies import member_for
from movilim.core import userfacts
from movilim.notices.models import Notice
from movilim.programs.facts import facts_for

from ..community.helpers import member

pytestmark = pytest.mark.usefixtures("module_world")


def test_a_page_asks_about_its_reader_once(world, client_for) -> None:
    member(world.participant_person, world.program)
    for key in ("a", "b"):
        Notice.objects.create(user=world.participant, kind="k", title="t", dedup_key=key)
    Notice.objects.create(user=world.manager, kind="k", title="t", dedup_key="other")
    client = client_for("participant")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    # The community's menu item is shown to a member, and the badge counts their own notices.
    assert 'href="/community/' in html
    assert 'num">2<' in html
    statements = [q["sql"] for q in captured.captured_queries]
    # The session, the user, and one statement for everything else the layout needs.
    assert len(statements) == 3, statements
    assert "'unread'" in statements[-1] and "'member'" in statements[-1]


def test_each_app_reads_its_own_rows(world) -> None:
    membership = member(world.fellow_person, world.program, "consultant")
    user = world.fellow_person.user
    with CaptureQueriesContext(connection) as captured:
        facts = facts_for(user)
        found = member_for(user)
        unread = userfacts.rows_for(user, "unread")
    assert len(captured.captured_queries) == 1
    assert facts.person_id == world.fellow_person.pk
    assert facts.member_cohorts == {world.cohort.pk: world.program.pk}
    assert found is not None and (found.id, found.kind) == (membership.pk, "consultant")
    assert unread == [(0, None, None, None)]


def test_staff_without_a_person_record_have_roles_and_no_membership(world) -> None:
    facts = facts_for(world.coordinator)
    assert facts.person_id is None
    assert facts.roles_in(world.program.pk) == {"coordinator"}
    assert member_for(world.coordinator) is None
