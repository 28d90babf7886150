from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Instruments, questions, waves, invitations and responses; XLSForm exchange; the
    respondent form.
    """

    name = "movilim.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, sections

        sections.register()
        # Not responses, answers or invitations: an audit entry names the acting user, which
        # would tie a respondent to an anonymous response.
        for model in (models.OutcomeDomain, models.Instrument, models.Question, models.Wave):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
