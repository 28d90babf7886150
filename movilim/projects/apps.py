from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Projects, their members over time, stage history, strategic goals and team formation."""

    name = "movilim.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, sections

        sections.register()
        for model in (
            models.Project,
            models.ProjectMember,
            models.StageChange,
            models.ProjectLink,
            models.ProjectAttachment,
            models.Interest,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at", "recorded_at"])
