from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages every app contributes to: the home page and the main menu.

    It sits at the top of the dependency graph and shows what the apps registered in
    ``movilim.core.sections``; no app below imports it.
    """

    name = "movilim.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from movilim.core import sections

        sections.menu.register(sections.MenuItem("home", _("Home"), 0, lambda request: True))
        sections.menu.register(
            sections.MenuItem(
                "admin:index",
                _("Administration"),
                1000,
                lambda request: request.user.is_superuser,
            )
        )
