from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "movilim.programs"
    label = "programs"
    verbose_name = _("Programs and cohorts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from movilim.core import userfacts

        from . import facts, models, sections

        userfacts.register(facts.USER_PART)
        sections.register()
        sections.register_operations()

        for model in (
            models.Program,
            models.ProgramRole,
            models.Cohort,
            models.CompositionTarget,
            models.Enrollment,
            models.Session,
            models.Attendance,
            models.Certificate,
        ):
            auditlog.register(
                model,
                exclude_fields=["created_at", "updated_at", "recorded_at"],
            )
