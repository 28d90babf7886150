from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "movilim.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import (
            accounts,  # noqa: F401 - connects the failed-login audit
            hebrew,
        )
        from .models import User

        hebrew.connect()
        auditlog.register(User, exclude_fields=["password", "last_login"])
