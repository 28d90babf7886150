"""Writes of the 7 Lenses tool: one transaction each, audited through the audit log's signals
(models registered in ``apps.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.people.models import Organization
from movilim.programs.models import Program
from movilim.projects.models import Project

from .models import Assessment, Lens, Score, Target

if TYPE_CHECKING:
    from movilim.core.models import User

#: lens id -> (level, note)
Levels = Mapping[int, tuple[int, str]]


def _check(levels: Levels) -> None:
    lens_ids = set(Lens.objects.values_list("id", flat=True))
    if set(levels) != lens_ids:
        raise InvalidInput(_("Give a level for every lens."))
    if any(not 1 <= level <= 5 for level, _note in levels.values()):
        raise InvalidInput(_("Levels run from 1 to 5."))


def _store(assessment: Assessment, levels: Levels) -> Assessment:
    Score.objects.filter(assessment=assessment).delete()
    Score.objects.bulk_create(
        [
            Score(assessment=assessment, lens_id=lens_id, level=level, note=note.strip()[:500])
            for lens_id, (level, note) in sorted(levels.items())
        ]
    )
    return assessment


@transaction.atomic
def project_assess(
    *, project: Project, assessor: User, on: datetime.date, levels: Levels
) -> Assessment:
    """The assessor's reading of the project at ``on``; a second one that day replaces the first."""
    _check(levels)
    assessment, _created = Assessment.objects.get_or_create(
        project=project, assessor=assessor, assessed_on=on
    )
    return _store(assessment, levels)


@transaction.atomic
def organization_assess(
    *,
    program: Program,
    organization: Organization,
    assessor: User,
    on: datetime.date,
    levels: Levels,
) -> Assessment:
    _check(levels)
    assessment, _created = Assessment.objects.get_or_create(
        program=program, organization=organization, assessor=assessor, assessed_on=on
    )
    return _store(assessment, levels)


@transaction.atomic
def targets_set(
    *,
    project: Project,
    targets: Mapping[int, int | None],
    horizon: int,
    on: datetime.date,
    by: User,
) -> int:
    """Set (or clear, with None) the target level per lens; returns how many are set."""
    count = 0
    for lens_id, level in targets.items():
        if level is None:
            Target.objects.filter(project=project, lens_id=lens_id).delete()
            continue
        if not 1 <= level <= 5:
            raise InvalidInput(_("Levels run from 1 to 5."))
        Target.objects.update_or_create(
            project=project,
            lens_id=lens_id,
            defaults={"level": level, "horizon": horizon, "set_on": on, "set_by": by},
        )
        count += 1
    return count
