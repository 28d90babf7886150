"""One family of domain errors; each carries a translated sentence fit to show the user."""

from __future__ import annotations

from django.utils.functional import Promise


class MovilimError(Exception):
    """A rule of the domain was broken. ``message`` is a whole, translated sentence."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class NotAllowed(MovilimError):
    """The user may not do this to this object."""


class InvalidInput(MovilimError):
    """The input breaks a rule that a form could not check on its own."""
