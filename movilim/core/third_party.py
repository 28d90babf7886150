"""Names the admin shows for the third-party apps, in the reader's language.

Two of them name themselves in plain English (no translation can reach a plain string), so
``INSTALLED_APPS`` uses these subclasses of their configurations, which change nothing but the
name. The others' names are translated strings that their packages ship no Hebrew for; they
are listed here so that the project's catalog carries their Hebrew.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


#: The packages' own strings, for ``makemessages`` to find (see the module's docstring).
PACKAGE_STRINGS = (
    _("Audit log"),
    _("access attempt"),
    _("access attempts"),
    _("access log"),
    _("access logs"),
    _("access failure"),
    _("access failures"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Task Result"),
    _("Task Results"),
)
