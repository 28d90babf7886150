"""What evaluators add to the answers: codes for free text and qualitative records, coded
excerpts, and the report's recommendations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from movilim.core.models import BilingualNameModel, TimeStampedModel
from movilim.programs.models import Program
from movilim.surveys.models import Answer, Wave


class Code(BilingualNameModel):
    """A theme an evaluator codes free text and excerpts with ("peer learning")."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="evaluation_codes",
        verbose_name=_("program"),
    )

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ("name_he",)
        constraints = [
            models.UniqueConstraint(fields=["program", "name_he"], name="code_unique_name"),
        ]


class AnswerCode(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codes")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "code"], name="answer_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} – {self.code_id}"


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    FOCUS_GROUP = "focus_group", _("Focus group")
    OBSERVATION = "observation", _("Observation")


class QualitativeRecord(TimeStampedModel):
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="qualitative_records", verbose_name=_("wave")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RecordKind.choices)
    held_on = models.DateField(_("date"))
    participants = models.PositiveSmallIntegerField(_("number of participants"), default=1)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("qualitative record")
        verbose_name_plural = _("qualitative records")
        ordering = ("held_on", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Excerpt(models.Model):
    record = models.ForeignKey(QualitativeRecord, on_delete=models.CASCADE, related_name="excerpts")
    text = models.TextField(_("excerpt"))
    codes = models.ManyToManyField(Code, related_name="excerpts", blank=True)

    class Meta:
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.text[:60]


class Phase(models.TextChoices):
    BEFORE = "before", _("Before the program")
    DURING = "during", _("During the program")
    AFTER = "after", _("After the program")


class Recommendation(models.Model):
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("wave")
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    text = models.TextField(_("recommendation"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ("wave", "phase", "pk")

    def __str__(self) -> str:
        return self.text[:60]
