from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    """The 7 Lenses maturity matrix as data, and assessments of projects and organizations over
    time.
    """

    name = "movilim.maturity"
    label = "maturity"
    verbose_name = _("Maturity")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, sections

        sections.register()
        for model in (models.Assessment, models.Score, models.Target):
            auditlog.register(model, exclude_fields=["created_at"])
