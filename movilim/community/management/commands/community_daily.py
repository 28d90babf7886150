"""The community's daily pass: alumni of cohorts that ended join the network as fellows, and
reminders for the coming events are queued."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from movilim.community.services import fellows_admit_graduates
from movilim.community.tasks import send_event_reminders


class Command(BaseCommand):
    help = "Admit graduates of ended cohorts as network fellows; queue event reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        joined = fellows_admit_graduates(today=timezone.localdate())
        send_event_reminders.enqueue()
        self.stdout.write(f"{joined} new fellows; reminders queued.")
