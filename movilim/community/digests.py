"""The digest as a kind of notice (``movilim.notices``), and its part of the daily pass.

A digest goes to the members its program looks after as a notice of the kind
``community_digest``: in their list of notices, and by e-mail unless they chose otherwise on the
e-mail choices page or with the one-click link every digest e-mail carries. Staff send a digest
by hand (``services.digest_send``); the daily pass (``manage.py send_reminders``) sends one on
schedule when ``COMMUNITY_DIGEST_DAYS`` have passed since the last (``services.digests_send_due``).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy

from movilim.notices import kinds

from .models import DIGEST_NOTICE_KIND
from .services import digests_send_due


def daily_pass(today: date) -> int:
    return digests_send_due(today=today)


def register() -> None:
    kinds.register(
        kinds.NoticeKind(
            DIGEST_NOTICE_KIND,
            gettext_lazy("Community digest"),
            gettext_lazy(
                "What is new in the community: knowledge items, coming events and discussions."
            ),
        )
    )
    kinds.register_daily("community_digest", daily_pass)
