"""The demo's notices: the reminder passes of the last week run over the demo world, so the demo
accounts find real notices (attendance to record, coming sessions, hours behind pace), some of
them already read."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from .kinds import daily_passes
from .models import Notice

COUNTED: tuple[tuple[str, type[models.Model]], ...] = (("notices", Notice),)

#: Days of reminder passes the demo replays, ending today.
DAYS = 7


def load(*, today: date) -> None:
    """Once: a demo loaded again, even weeks later, keeps the notices it has (the daily pass,
    run by the scheduler, is what adds new ones).

    What the passes before yesterday sent is marked read, as a user would have by now.
    """
    if Notice.objects.exists():
        return
    first_new = (Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        if offset == 1:
            Notice.objects.filter(pk__gte=first_new, read_at__isnull=True).update(
                read_at=timezone.now()
            )
        for _name, run in daily_passes():
            run(day)
