"""Keep ``Cohort.content_version`` moving whenever what a cohort page shows changes.

The cohort page caches its roster and composition under the version (``cohort_detail.html``);
a change anywhere below — an enrollment, a target, a session, a person's profile or name, their
organization — raises the version of every cohort it appears in, so the next view renders afresh.
Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) must call
:func:`cohorts_touch` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from movilim.core.models import User
from movilim.people.models import Organization, Person

from .models import Cohort, CompositionTarget, Enrollment, Session


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


def _cohort_saved(sender: Any, instance: Cohort, created: bool, **kwargs: Any) -> None:
    if not created:
        cohorts_touch([instance.pk])


def connect() -> None:
    for model in (Enrollment, CompositionTarget, Session):
        post_save.connect(_by_cohort, sender=model, dispatch_uid=f"touch-{model.__name__}")
        post_delete.connect(_by_cohort, sender=model, dispatch_uid=f"touch-del-{model.__name__}")
    post_save.connect(_by_person, sender=Person, dispatch_uid="touch-person")
    post_save.connect(_by_user, sender=User, dispatch_uid="touch-user")
    post_save.connect(_by_organization, sender=Organization, dispatch_uid="touch-organization")
    post_save.connect(_cohort_saved, sender=Cohort, dispatch_uid="touch-cohort")
