from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Projects, their members over time, stage history, strategic goals and team formation."""

    name = "movilim.projects"
    label = "projects"
    verbose_name = _("Projects")
