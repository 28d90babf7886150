"""Who may use each page of ``movilim.notices``: this app's entries of the every-URL table
(``tests/test_url_access.py``)."""

from __future__ import annotations

from ..access_rules import EVERYONE, LOGGED_IN, Rule
from ..conftest import World


def _unsubscribe_token(w: World) -> str:
    from movilim.notices.unsubscribe import unsubscribe_token

    return unsubscribe_token(user_id=w.participant.pk, kind="session_upcoming")


def _feed_token(w: World) -> str:
    from movilim.notices.services import calendar_feed_token

    token = calendar_feed_token(user=w.participant)
    assert token is not None
    return token


RULES: dict[str, Rule] = {
    "notices:list": Rule(LOGGED_IN),
    # Marking read changes only the reader's own notices; tested in tests/notices.
    "notices:mark_read": Rule(LOGGED_IN, post=LOGGED_IN, post_only=True),
    "notices:preferences": Rule(
        LOGGED_IN, post=LOGGED_IN, data=lambda w: {"session_upcoming": "on"}
    ),
    # The signed token is the credential: anyone holding the link may unsubscribe its owner.
    "notices:unsubscribe": Rule(EVERYONE, args=lambda w: [_unsubscribe_token(w)], post=EVERYONE),
    # One's own feed: its page for anyone logged in, the feed itself for whoever holds the
    # secret address (calendar applications cannot log in).
    "notices:calendar": Rule(LOGGED_IN, post=LOGGED_IN, data=lambda w: {"action": "renew"}),
    "notices:calendar_feed": Rule(EVERYONE, args=lambda w: [_feed_token(w)]),
}
