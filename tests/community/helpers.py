"""Community objects for the tests, get-or-created so that building them twice for one World
gives the same objects."""

from __future__ import annotations

import datetime

from django.utils import timezone

from movilim.community.models import (
    Cluster,
    Digest,
    Discussion,
    Event,
    KnowledgeItem,
    Membership,
)
from movilim.people.models import Person
from movilim.programs.models import Program

from ..conftest import World


def member(person: Person, program: Program, kind: str = "fellow") -> Membership:
    membership, _ = Membership.objects.get_or_create(
        person=person,
        defaults={"program": program, "kind": kind, "joined_on": datetime.date(2026, 1, 1)},
    )
    return membership


def members(w: World) -> None:
    """The participant and their cohort fellow are community members, looked after by the
    world's program (the mirror: the outsider and theirs, by the other program)."""
    member(w.participant_person, w.program)
    member(w.fellow_person, w.program, "consultant")


def cluster(w: World) -> Cluster:
    members(w)
    found, _ = Cluster.objects.get_or_create(
        name_he=f"שירות דיגיטלי {w.program.slug}", defaults={"program": w.program}
    )
    return found


def event(w: World, *, capacity: int | None = 30, days_ahead: int = 20) -> Event:
    members(w)
    found, _ = Event.objects.get_or_create(
        program=w.program,
        title=f"יום עבודה של הרשת {w.program.slug}",
        defaults={
            "kind": "workday",
            "starts_on": timezone.localdate() + datetime.timedelta(days=days_ahead),
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(15, 0),
            "location": "ירושלים",
            "capacity": capacity,
            "description": "למידת עמיתים על **שירות ממוקד אזרח**",
        },
    )
    return found


def item(w: World) -> KnowledgeItem:
    members(w)
    found, _ = KnowledgeItem.objects.get_or_create(
        program=w.program,
        title=f"ניתוח אירוע: טופס מקוון {w.program.slug}",
        defaults={
            "kind": "case",
            "body": "כך **עיצבנו** מחדש את השירות בפרויקטים של המשרד",
            "author": w.fellow_person,
            "published_on": datetime.date(2026, 3, 1),
            "tags": "עיצוב שירות, טפסים",
        },
    )
    return found


def discussion(w: World, *, open_now: bool = True) -> Discussion:
    members(w)
    today = timezone.localdate()
    found, _ = Discussion.objects.get_or_create(
        program=w.program,
        title=f"העברת מידע בין משרדים {w.program.slug}",
        defaults={
            "framing": "מה חוסם אותנו?",
            "opens_on": today - datetime.timedelta(days=3),
            "closes_on": today + datetime.timedelta(days=10 if open_now else -1),
        },
    )
    return found


def digest(w: World) -> Digest:
    found, _ = Digest.objects.get_or_create(
        program=w.program,
        period_start=datetime.date(2026, 1, 1),
        defaults={"period_end": datetime.date(2026, 12, 31)},
    )
    return found
