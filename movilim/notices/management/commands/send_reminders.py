"""The daily pass of reminders: every pass the apps registered, for today (or ``--date``).

Safe to run more than once a day: each notice carries a key naming what it is about, and a
notice whose key exists is not sent again (see ``services.notice_send``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from movilim.notices.kinds import daily_passes


class Command(BaseCommand):
    help = "Send the day's reminders (idempotent: running it again the same day sends nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="The day to run for, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"Not a date: {options['date']!r}") from error
        for name, run in daily_passes():
            sent = run(today)
            self.stdout.write(f"{name}: {sent} notice(s) sent")
