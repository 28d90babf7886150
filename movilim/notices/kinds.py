"""The kinds of notice, registered by the apps that send them (``notices`` knows none itself:
it sits below the apps that have something to say)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise


@dataclass(frozen=True)
class NoticeKind:
    name: str  # stored on notices and preferences; never renamed
    label: str | Promise
    description: str | Promise
    email_by_default: bool = True


_KINDS: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> NoticeKind:
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> NoticeKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


#: The daily pass: functions of ``today`` returning how many notices they sent, registered by the
#: apps that send reminders; ``manage.py send_reminders`` runs them in order of name.
_DAILY: dict[str, Callable[[date], int]] = {}


def register_daily(name: str, run: Callable[[date], int]) -> None:
    _DAILY[name] = run


def daily_passes() -> list[tuple[str, Callable[[date], int]]]:
    return sorted(_DAILY.items())
