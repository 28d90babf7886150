"""Raise the versions that cached pages are keyed by whenever what they show changes.

- ``Cohort.content_version``: the cohort page's roster and composition (``cohort_detail.html``).
  A change to an enrollment, a target, a session, a person's profile or name, their
  organization, or the cohort's program raises it for every cohort the change appears in.
- The ``people`` and ``schedule`` topics (``core.versions``): the participant list and the
  schedule, which span all cohorts.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) must call
:func:`cohorts_touch` and :func:`movilim.core.versions.bump` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from movilim.core.models import User
from movilim.core.versions import bump
from movilim.people.models import Organization, Person

from .models import Attendance, Cohort, CompositionTarget, Enrollment, Program, Session

PEOPLE = "people"
SCHEDULE = "schedule"

#: Which listing topics a change to each model can alter.
_TOPICS: dict[type, tuple[str, ...]] = {
    Person: (PEOPLE,),
    User: (PEOPLE,),
    Organization: (PEOPLE,),
    Enrollment: (PEOPLE,),
    Cohort: (PEOPLE, SCHEDULE),
    Program: (PEOPLE, SCHEDULE),
    Session: (SCHEDULE,),
    Attendance: (SCHEDULE,),
}


def cohorts_touch(cohort_ids: Iterable[int]) -> None:
    """Mark these cohorts' pages as changed."""
    ids = set(cohort_ids)
    if ids:
        Cohort.objects.filter(pk__in=ids).update(content_version=F("content_version") + 1)


def _by_cohort(
    sender: Any, instance: Enrollment | CompositionTarget | Session, **kwargs: Any
) -> None:
    cohorts_touch([instance.cohort_id])


def _by_person(sender: Any, instance: Person, **kwargs: Any) -> None:
    cohorts_touch(Enrollment.objects.filter(person=instance).values_list("cohort_id", flat=True))


def _by_user(sender: Any, instance: User, **kwargs: Any) -> None:
    cohorts_touch(
        Enrollment.objects.filter(person__user=instance).values_list("cohort_id", flat=True)
    )


def _by_organization(sender: Any, instance: Organization, **kwargs: Any) -> None:
    cohorts_touch(
        Enrollment.objects.filter(person__organization=instance)
        .values_list("cohort_id", flat=True)
        .distinct()
    )


def _by_program(sender: Any, instance: Program, created: bool, **kwargs: Any) -> None:
    """The program's name heads each of its cohort pages."""
    if not created:
        cohorts_touch(Cohort.objects.filter(program=instance).values_list("pk", flat=True))


def _cohort_saved(sender: Any, instance: Cohort, created: bool, **kwargs: Any) -> None:
    if not created:
        cohorts_touch([instance.pk])


def _raise_topics(sender: Any, **kwargs: Any) -> None:
    bump(*_TOPICS[sender])


def connect() -> None:
    for model in _TOPICS:
        post_save.connect(_raise_topics, sender=model, dispatch_uid=f"topics-{model.__name__}")
        post_delete.connect(
            _raise_topics, sender=model, dispatch_uid=f"topics-del-{model.__name__}"
        )
    for model in (Enrollment, CompositionTarget, Session):
        post_save.connect(_by_cohort, sender=model, dispatch_uid=f"touch-{model.__name__}")
        post_delete.connect(_by_cohort, sender=model, dispatch_uid=f"touch-del-{model.__name__}")
    post_save.connect(_by_person, sender=Person, dispatch_uid="touch-person")
    post_save.connect(_by_user, sender=User, dispatch_uid="touch-user")
    post_save.connect(_by_organization, sender=Organization, dispatch_uid="touch-organization")
    post_save.connect(_cohort_saved, sender=Cohort, dispatch_uid="touch-cohort")
    post_save.connect(_by_program, sender=Program, dispatch_uid="touch-program")
