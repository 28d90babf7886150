from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Instruments, questions, waves, invitations and responses; XLSForm exchange; the
    respondent form.
    """

    name = "movilim.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
