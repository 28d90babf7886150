from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "movilim.people"
    label = "people"
    verbose_name = _("People and organizations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Organization, Person

        auditlog.register(Person, exclude_fields=["created_at", "updated_at"])
        auditlog.register(Organization, exclude_fields=["created_at", "updated_at"])
