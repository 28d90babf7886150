"""Record invitation mails that came back: one message on standard input (a mail server's pipe,
e.g. a Postfix alias ``"|manage.py survey_bounces"`` for the sender's bounce address), or each
file named (saved ``.eml`` messages). See ``movilim.surveys.bounces``.

Safe to run twice on the same message: an invitation already failed stays failed, an opened or
started one keeps its status, and a submitted one is never changed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from movilim.surveys.bounces import record_bounce

#: A bounce quotes the returned mail; anything larger is not one of ours.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "Record bounced survey invitation mails (a message on stdin, or .eml files)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="*", help="Messages to read (default: standard input).")

    def handle(self, *args: Any, **options: Any) -> None:
        sources: list[tuple[str, bytes]] = []
        if options["files"]:
            for name in options["files"]:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"Not a file: {name}")
                with path.open("rb") as file:
                    sources.append((name, file.read(MAX_MESSAGE_BYTES)))
        else:
            sources.append(("stdin", sys.stdin.buffer.read(MAX_MESSAGE_BYTES)))
        recorded = ignored = 0
        for name, raw in sources:
            bounce, status = record_bounce(raw)
            if bounce is None:
                ignored += 1
                self.stdout.write(f"{name}: not a bounce of a survey invitation")
            elif status is None:
                ignored += 1
                self.stdout.write(
                    f"{name}: invitation {bounce.invitation_id} unchanged (submitted or gone)"
                )
            else:
                recorded += 1
                self.stdout.write(f"{name}: invitation {bounce.invitation_id} is now {status}")
        self.stdout.write(f"{recorded} bounce(s) recorded, {ignored} message(s) left alone")
