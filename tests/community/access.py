"""Who may use each page of ``movilim.community``: this app's entries of the every-URL table
(``tests/test_url_access.py``).

In these rows the participant and the outsider are community members (``helpers.members``,
each looked after by their own program): members read everything in the community whichever
program runs it; staff read (evaluators) or run (managers, coordinators) what their own
program runs; the steering committee and users without a role see nothing here.
"""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from ..access_rules import MANAGERS, Rule
from . import helpers

MEMBERS = frozenset({"participant", "outsider"})
READERS = MEMBERS | {"coordinator", "manager", "evaluator", "admin"}


def _none(w):  # type: ignore[no-untyped-def]
    helpers.members(w)
    return []


def _token() -> str:
    return str(uuid.uuid4())


RULES: dict[str, Rule] = {
    "community:home": Rule(READERS, args=_none),
    "community:directory": Rule(READERS, args=_none),
    "community:profile": Rule(READERS, args=lambda w: [_none(w) or w.fellow_person.pk]),
    "community:member_add": Rule(
        MANAGERS,
        args=_none,
        post=MANAGERS,
        data=lambda w: {
            "email": "new-member@example.org",
            "first_name": "רותם",
            "last_name": "גל",
            "kind": "member",
            "program": w.program.pk,
            "submission_token": _token(),
        },
    ),
    "community:settings": Rule(
        MEMBERS,
        args=_none,
        post=MEMBERS,
        data=lambda w: {
            **{f"show_{name}": "staff" for name in ("organization", "job_title", "expertise")},
            **{f"show_{name}": "hidden" for name in ("bio", "cohorts", "email", "phone")},
        },
    ),
    "community:clusters": Rule(READERS, args=_none),
    "community:cluster": Rule(READERS, args=lambda w: [helpers.cluster(w).pk]),
    "community:cluster_join": Rule(
        frozenset(),
        args=lambda w: [helpers.cluster(w).pk],
        post=MEMBERS,
        post_only=True,
    ),
    "community:cluster_create": Rule(
        MANAGERS,
        args=_none,
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "name_he": f"נתונים פתוחים {w.program.slug}",
            "name_en": "Open data",
            "description": "שיתוף מאגרים בין משרדים",
            "coordinator_emails": w.fellow_person.user.email,
            "submission_token": _token(),
        },
    ),
    "community:cluster_edit": Rule(
        MANAGERS,
        args=lambda w: [helpers.cluster(w).pk],
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "name_he": f"שירות דיגיטלי ועיצוב {w.program.slug}",
            "name_en": "Digital service and design",
            "description": "",
            "coordinator_emails": w.fellow_person.user.email,
            "submission_token": _token(),
        },
    ),
    "community:cluster_archive": Rule(
        MANAGERS,
        args=lambda w: [helpers.cluster(w).pk],
        post=MANAGERS,
        data=lambda w: {"action": "archive"},
    ),
    "community:events": Rule(READERS, args=_none),
    "community:event_create": Rule(
        MANAGERS,
        args=_none,
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "kind": "meeting",
            "title": "מפגש קהילה: בינה מלאכותית בשירות",
            "starts_on": "2027-03-01",
            "starts_at": "17:00",
            "ends_at": "19:00",
            "online": "on",
            "location": "",
            "capacity": "40",
            "speaker_emails": w.fellow_person.user.email,
            "submission_token": _token(),
        },
    ),
    "community:event": Rule(READERS, args=lambda w: [helpers.event(w).pk]),
    "community:event_register": Rule(
        frozenset(), args=lambda w: [helpers.event(w).pk], post=MEMBERS, post_only=True
    ),
    "community:event_cancel": Rule(
        frozenset(),
        args=lambda w: [_registered_event(w).pk],
        post=MEMBERS,
        post_only=True,
    ),
    "community:event_ics": Rule(READERS, args=lambda w: [helpers.event(w).pk]),
    "community:event_edit": Rule(
        MANAGERS,
        args=lambda w: [helpers.event(w).pk],
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "kind": "workday",
            "title": "יום עבודה של הרשת: שירות ממוקד אזרח",
            "title_en": "Network workday: citizen-centred service",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-02",
            "starts_at": "09:00",
            "ends_at": "15:00",
            "location": "ירושלים",
            "capacity": "40",
            "speaker_emails": "",
            "submission_token": _token(),
        },
    ),
    "community:event_cancellation": Rule(
        MANAGERS,
        args=lambda w: [_registered_event(w).pk],
        post=MANAGERS,
        data=lambda w: {"reason": "המרצה חלה", "submission_token": _token()},
    ),
    "community:event_registrations": Rule(MANAGERS, args=lambda w: [_registered_event(w).pk]),
    "community:event_attendance": Rule(
        MANAGERS,
        args=lambda w: [_held_event(w).pk],
        post=MANAGERS,
        data=lambda w: {f"present_{w.participant_person.pk}": "1"},
    ),
    "community:items": Rule(READERS, args=_none),
    "community:item_create": Rule(
        MEMBERS | MANAGERS,
        args=_none,
        post=MEMBERS | MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "kind": "tool",
            "title": "תבנית למיפוי מסע משתמש",
            "summary": "",
            "body": "שלבי המיפוי",
            "link": "",
            "tags": "",
            "cluster": "",
            "submission_token": _token(),
        },
    ),
    "community:item": Rule(READERS, args=lambda w: [helpers.item(w).pk]),
    "community:item_file": Rule(READERS, args=lambda w: [_item_with_file(w).pk]),
    "community:discussions": Rule(READERS, args=_none),
    "community:discussion_create": Rule(
        MANAGERS,
        args=_none,
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "title": "רכש חדשני",
            "framing": "איך קונים פתרון שעוד לא קיים?",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-31",
            "cluster": "",
            "submission_token": _token(),
        },
    ),
    "community:discussion": Rule(
        READERS,
        args=lambda w: [helpers.discussion(w).pk],
        post=MEMBERS,
        data=lambda w: {"body": "אצלנו זה עבד עם פיילוט קטן", "submission_token": _token()},
    ),
    "community:discussion_close": Rule(
        frozenset({"coordinator", "manager", "admin"}),
        args=lambda w: [helpers.discussion(w).pk],
        post=MANAGERS,
        post_only=True,
        data=lambda w: {"summary": "סיכום: פיילוט קטן לפני מכרז"},
    ),
    "community:digests": Rule(
        MANAGERS,
        args=_none,
        post=MANAGERS,
        data=lambda w: {
            "program": w.program.pk,
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "introduction": "",
            "submission_token": _token(),
        },
    ),
    "community:digest": Rule(MANAGERS, args=lambda w: [helpers.digest(w).pk]),
    "community:digest_send": Rule(
        frozenset({"coordinator", "manager", "admin"}),
        args=lambda w: [helpers.digest(w).pk],
        post=MANAGERS,
        post_only=True,
    ),
}


def _registered_event(w):  # type: ignore[no-untyped-def]
    from movilim.community.services import event_register

    event = helpers.event(w)
    for person in (w.participant_person,):
        event_register(event_id=event.pk, person=person)
    return event


def _held_event(w):  # type: ignore[no-untyped-def]
    import datetime

    from django.utils import timezone

    from movilim.community.models import Event, Registration

    helpers.members(w)
    event, _ = Event.objects.get_or_create(
        program=w.program,
        title=f"מפגש שהתקיים {w.program.slug}",
        defaults={
            "kind": "meeting",
            "starts_on": timezone.localdate() - datetime.timedelta(days=1),
        },
    )
    Registration.objects.get_or_create(
        event=event,
        person=w.participant_person,
        defaults={"status": "registered", "requested_at": timezone.now()},
    )
    return event


def _item_with_file(w):  # type: ignore[no-untyped-def]
    import datetime

    from movilim.community.models import KnowledgeItem

    helpers.members(w)
    item = KnowledgeItem.objects.filter(program=w.program, kind="document").first()
    if item is None:
        item = KnowledgeItem(
            program=w.program,
            kind="document",
            title="מדריך",
            published_on=datetime.date(2026, 1, 1),
            file_name="guide.pdf",
        )
        item.file.save("guide.pdf", SimpleUploadedFile("guide.pdf", b"%PDF-1.4 test"), save=False)
        item.save()
    return item
