from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Analysis of waves (domains, subgroups, comparisons), qualitative coding, reports and
    exports.
    """

    name = "movilim.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, sections

        sections.register()
        for model in (models.Code, models.QualitativeRecord, models.Recommendation):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
