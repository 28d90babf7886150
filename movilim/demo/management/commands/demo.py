"""``manage.py demo``: load the Hebrew demo world and print the accounts to sign in with."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from movilim.demo import data
from movilim.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load realistic Hebrew demo data: programs, cohorts A, B, C and a current cohort, "
        "people, sessions, attendance and one account per role. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. The demo accounts share a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts all share a password printed below: on a real server that is an
        # open door, so production has to ask for it explicitly.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo accounts share a published "
                "password. Set MOVILIM_DEBUG=1 for a development database, or pass --force if "
                "this really is a demo server."
            )
        started = time.perf_counter()
        try:
            result = load_demo(today=timezone.localdate())
        except ValidationError as exc:
            raise CommandError(f"The demo password fails the password rules: {exc}") from exc
        elapsed = time.perf_counter() - started

        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
            for name, total in result.after.items():
                added = result.created[name]
                note = f" (+{added})" if added else ""
                self.stdout.write(f"  {name:<22}{total:>6}{note}")
            self.stdout.write("")
            self.stdout.write(f"Demo accounts (password for all: {data.DEMO_PASSWORD}):")
            width = max(len(a.email) for a in data.DEMO_ACCOUNTS)
            with translation.override("en"):
                for account in data.DEMO_ACCOUNTS:
                    self.stdout.write(
                        f"  {account.email:<{width}}  {account.role.label}: {account.description}"
                    )
