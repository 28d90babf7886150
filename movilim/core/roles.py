"""The roles people hold. Which role a user has for which program is recorded in ``programs``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Site administrator")
    MANAGER = "manager", _("Program manager")
    COORDINATOR = "coordinator", _("Coordinator")
    EVALUATOR = "evaluator", _("Evaluator")
    STEERING = "steering", _("Steering committee")
    PARTICIPANT = "participant", _("Participant or graduate")
    ANONYMOUS = "anonymous", _("Anonymous visitor")


class StaffRole(models.TextChoices):
    """Roles granted per program; participants get theirs from enrollments instead."""

    MANAGER = Role.MANAGER.value, Role.MANAGER.label
    COORDINATOR = Role.COORDINATOR.value, Role.COORDINATOR.label
    EVALUATOR = Role.EVALUATOR.value, Role.EVALUATOR.label
    STEERING = Role.STEERING.value, Role.STEERING.label
