"""Invitations: how a person created by an import or an enrollment chooses a first password.

Such accounts have no usable password, and Django's "forgot your password" deliberately skips
them. An invitation mails a link that works once (it changes as soon as a password is set or the
person signs in) and expires after ``settings.INVITATION_TIMEOUT`` seconds. Mails go out from a
background task (``core.tasks.send_invitations``), queued only once the inviting transaction
commits, so an import that rolls back mails nobody.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from .bulk import insert_rows
from .models import Invitation, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

#: Invitations mailed by one run of the task, which queues the rest as its next run: a large
#: import costs one queued task, and no run holds a worker for the whole list.
TASK_BATCH = 50


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with its own salt and lifetime.

    Its own salt, so a password-reset link cannot stand in for an invitation or the other way
    round; its own lifetime, since an invitation waits in an inbox longer than a reset does.
    The token hashes the password and last login, so it stops working once either changes.
    """

    key_salt = "movilim.core.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        # Django's value (key, password, last login, time, e-mail), and when the invitation was
        # last queued: sending it again changes that, so the link of an earlier mail stops
        # working and only the latest one lets the person in.
        return super()._make_hash_value(user, timestamp) + _queued_at(user)

    def check_token(self, user: AbstractBaseUser | None, token: str | None) -> bool:
        # Django's check reads PASSWORD_RESET_TIMEOUT; this is the same check with our lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(
                self._make_token_with_timestamp(cast(User, user), ts, secret), token
            )
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()


def _queued_at(user: User) -> str:
    """When the user's invitation was last queued, as text ("" without one): part of the link's
    token. Read from the invitation loaded with the user when there is one (the mail task's),
    else in one query."""
    try:
        invitation = user.invitation  # type: ignore[attr-defined]
    except Invitation.DoesNotExist:
        return ""
    return invitation.queued_at.isoformat()


def superseded(user: User | None, token: str) -> bool:
    """Whether ``token`` is a link of an invitation that was sent again since: made before the
    latest sending, for a person who still has no password. Such a link no longer works, and
    the page it opens says why."""
    if user is None or user.has_usable_password():
        return False
    try:
        made = base36_to_int(token.split("-")[0])
    except ValueError:
        return False
    queued_at = (
        Invitation.objects.filter(user=user)
        .exclude(state=Invitation.State.ACCEPTED)
        .values_list("queued_at", flat=True)
        .first()
    )
    if queued_at is None:
        return False
    # Tokens count seconds of the server's local time (Django's ``datetime.now()``).
    queued = timezone.make_naive(queued_at, timezone.get_default_timezone())
    return made < invitation_token_generator._num_seconds(queued)


def invitation_path(user: User) -> str:
    """The path of the link that lets this user choose a password (without the site address)."""
    return reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )


def _invitable(user_ids: list[int]) -> Q:
    """Active people without a password of their own; staff accounts are set up by hand."""
    return Q(pk__in=user_ids, is_active=True, is_staff=False, is_superuser=False) & (
        Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(password="")
    )


def invite_users(
    *,
    user_ids: list[int],
    by: User | None,
    new_user_ids: Sequence[int] = (),
    resend: bool = True,
) -> int:
    """Create or refresh the invitations of these users and queue their mails; how many queued.

    Users who already have a usable password, staff and inactive accounts are skipped. Safe to
    call inside the caller's transaction (an import's): the mails are queued when it commits, and
    not at all if it rolls back. Calling it again for someone re-sends their invitation, unless
    ``resend`` is false (an import invites only people never invited before).

    ``new_user_ids`` are accounts the caller created in its transaction, active, without a usable
    password and not staff: they are known to be invitable and not yet invited, so they are
    invited without being looked up (an import creates thousands).
    """
    now = timezone.now()
    with transaction.atomic():
        fresh = set(new_user_ids)
        others = [pk for pk in user_ids if pk not in fresh]
        ids = list(User.objects.filter(_invitable(others)).values_list("pk", flat=True))
        if not ids and not new_user_ids:
            return 0
        existing = dict(Invitation.objects.filter(user_id__in=ids).values_list("user_id", "pk"))
        if resend:
            Invitation.objects.filter(pk__in=list(existing.values())).update(
                state=Invitation.State.QUEUED, queued_at=now, invited_by=by, last_error=""
            )
        invited_by = by.pk if by is not None else None
        created = insert_rows(
            Invitation,
            [
                {"user_id": pk, "invited_by_id": invited_by, "created_at": now, "queued_at": now}
                for pk in [*sorted(fresh), *(pk for pk in ids if pk not in existing)]
            ],
            returning="user_id",
        )
        queued = sorted([*(existing.values() if resend else ()), *created.values()])
        if queued:
            transaction.on_commit(lambda: _enqueue(queued))
    return len(queued)


def _enqueue(invitation_ids: list[int]) -> None:
    from .tasks import send_invitations

    send_invitations.enqueue(invitation_ids=invitation_ids)


def invitation_accepted(user: User) -> None:
    """Record that the user chose a password through their invitation."""
    Invitation.objects.filter(user=user).update(
        state=Invitation.State.ACCEPTED, accepted_at=timezone.now(), last_error=""
    )


# --- what rosters show -----------------------------------------------------------------------

#: A person who signs in with a password of their own and was never invited.
HAS_PASSWORD = "has_password"  # noqa: S105 - a state name, not a secret
NOT_INVITED = "not_invited"


@dataclass(frozen=True)
class InvitationState:
    """Where a person's invitation stands, for a roster cell."""

    state: str  # an Invitation.State value, NOT_INVITED or HAS_PASSWORD
    at: datetime.datetime | None = None  # when sent (state "sent") or accepted
    can_invite: bool = False  # whether sending (again) would queue a mail

    @property
    def label(self) -> str:
        when = (
            formats.date_format(timezone.localtime(self.at), "SHORT_DATE_FORMAT") if self.at else ""
        )
        if self.state == Invitation.State.SENT:
            return _("Invitation sent on %(date)s") % {"date": when}
        if self.state == Invitation.State.ACCEPTED:
            return _("Invitation accepted on %(date)s") % {"date": when}
        if self.state == Invitation.State.QUEUED:
            return _("Invitation queued")
        if self.state == Invitation.State.FAILED:
            return _("Invitation failed")
        if self.state == HAS_PASSWORD:
            return _("Has a password")
        return _("Not invited")

    @property
    def action_label(self) -> str:
        """What the roster's button does: the first invitation, or another one."""
        return _("Invite") if self.state == NOT_INVITED else _("Send again")


def invitation_columns(user: str = "") -> tuple[dict[str, Q], tuple[str, ...]]:
    """What :func:`invitation_state` reads, as an annotation and column names for a query that
    reaches users through ``user`` (a path like ``"person__user"``; empty on users themselves).

    A list of people can then read each one's invitation in its own query instead of another.
    """
    at = f"{user}__" if user else ""
    annotation = f"{user}_needs_password" if user else "needs_password"
    return (
        {
            annotation: Q(**{f"{at}password__startswith": UNUSABLE_PASSWORD_PREFIX})
            | Q(**{f"{at}password": ""})
        },
        (
            annotation,
            f"{at}is_active",
            f"{at}is_staff",
            f"{at}is_superuser",
            f"{at}invitation__state",
            f"{at}invitation__sent_at",
            f"{at}invitation__accepted_at",
        ),
    )


def invitation_state(
    needs_password: bool | None,
    active: bool,
    staff: bool,
    superuser: bool,
    state: str | None,
    sent_at: datetime.datetime | None,
    accepted_at: datetime.datetime | None,
) -> InvitationState:
    """One user's invitation state from the values of :func:`invitation_columns`."""
    invitable = bool(needs_password) and active and not (staff or superuser)
    if state == Invitation.State.ACCEPTED or (state is None and not needs_password):
        return InvitationState(
            state=Invitation.State.ACCEPTED if state else HAS_PASSWORD,
            at=accepted_at,
            can_invite=invitable,
        )
    if state is None:
        return InvitationState(state=NOT_INVITED, can_invite=invitable)
    return InvitationState(
        state=state,
        at=sent_at if state == Invitation.State.SENT else None,
        can_invite=invitable,
    )


def invitation_states(user_ids: list[int]) -> dict[int, InvitationState]:
    """Each user's invitation state, in one query whatever the number of users."""
    annotation, columns = invitation_columns()
    rows = (
        User.objects.filter(pk__in=list(user_ids))
        .annotate(**annotation)
        .values_list("pk", *columns)
    )
    return {pk: invitation_state(*values) for pk, *values in rows}
