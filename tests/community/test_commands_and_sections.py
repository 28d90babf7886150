"""The community's part of the daily pass, the reindex command, and what the community adds to
shared pages."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from movilim.community.models import Membership
from movilim.programs.models import Enrollment
from movilim.search import queries
from movilim.search.models import Entry

from . import helpers

pytestmark = pytest.mark.usefixtures("module_world")


def test_the_daily_pass_admits_graduates(world):
    Enrollment.objects.filter(cohort=world.cohort).update(status="graduated")
    world.cohort.end_date = timezone.localdate() - datetime.timedelta(days=2)
    world.cohort.save()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "community: 0 notice(s) sent" in out.getvalue()  # admitting fellows mails nobody
    assert Membership.objects.filter(kind="fellow").count() == 2


def test_the_reindex_command_rebuilds_every_kind(world):
    helpers.item(world)
    Entry.objects.all().delete()
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "item: 1" in out.getvalue() and "person: 2" in out.getvalue()
    assert queries.search(world.admin, "טופס")


def test_home_menu_and_profile_show_the_community_to_its_readers(world, client_for):
    helpers.item(world)
    home = client_for("participant").get(reverse("home")).content.decode()
    assert reverse("community:home") in home and reverse("search:search") in home
    steering = client_for("steering").get(reverse("home")).content.decode()
    assert reverse("community:home") not in steering
    profile = client_for("participant").get(
        reverse("programs:person", args=[world.fellow_person.pk])
    )
    assert reverse("community:profile", args=[world.fellow_person.pk]) in profile.content.decode()


def test_the_settings_page_saves_a_members_choices_and_leads_to_the_shared_ones(world, client_for):
    helpers.members(world)
    client = client_for("participant")
    data = {f"show_{name}": "members" for name in ("organization", "job_title", "expertise")}
    data |= {f"show_{name}": "hidden" for name in ("bio", "cohorts", "email", "phone")}
    assert client.post(reverse("community:settings"), data).status_code == 302
    membership = Membership.objects.get(person=world.participant_person)
    assert membership.audience_of("phone") == "hidden"
    bad = client.post(reverse("community:settings"), {**data, "show_phone": "everyone"})
    assert bad.status_code == 400
    # The digest by e-mail and the calendar are the member's shared choices, not the community's.
    page = client.get(reverse("community:settings")).content.decode()
    assert reverse("notices:preferences") in page and reverse("notices:calendar") in page
    home = client.get(reverse("community:home")).content.decode()
    assert f'href="{reverse("notices:calendar")}"' in home
