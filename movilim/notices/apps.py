from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices to users (in-app list and e-mail), each user's choice of kinds, one-click
    unsubscribe; the daily reminder pass; the personal calendar feed. Sits just above
    ``people``: any app may send a notice, or add to the feed (``feeds``).
    """

    name = "movilim.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from movilim.core import sections, userfacts

        from .models import CalendarFeed, NoticePreference
        from .queries import USER_PART, unread_count

        # Who turned an e-mail kind off or a calendar address over is kept; the notices
        # themselves are many and written by the application, not by people.
        auditlog.register(NoticePreference)
        auditlog.register(CalendarFeed, exclude_fields=["changed_at"])

        userfacts.register(USER_PART)
        sections.menu.register(
            sections.MenuItem(
                "notices:list",
                _("Notices"),
                80,
                lambda request: request.user.is_authenticated,
                badge=unread_count,
            )
        )
