from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices to users (in-app list and e-mail), each user's choice of kinds, one-click
    unsubscribe; the daily reminder pass. Sits just above ``people``: any app may send a
    notice.
    """

    name = "movilim.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from movilim.core import sections

        from .queries import unread_count

        sections.menu.register(
            sections.MenuItem(
                "notices:list",
                _("Notices"),
                80,
                lambda request: request.user.is_authenticated,
                badge=unread_count,
            )
        )
