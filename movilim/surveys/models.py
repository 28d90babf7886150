"""Instruments (questionnaires) and their versions, waves that administer them, invitations and
responses.

An instrument is edited freely until a wave has responses; from then on its questions are
frozen and an edit makes a new version (a new ``Instrument`` row pointing to the one it
replaces), so stored answers always keep the question they answered.

A wave is *confidential* (the response names the invitation and the person, seen only by
evaluators) or *anonymous*: the invitation keeps only that it was used, and the response
carries no invitation, person or token, so nothing stored links a person to their answers.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import localized_name
from movilim.core.models import BilingualNameModel, TimeStampedModel
from movilim.people.models import Person
from movilim.programs.models import Cohort, Program


class OutcomeDomain(BilingualNameModel):
    """What a closed question measures (knowledge, professional ties...): findings are
    reported per domain, as the average share agreeing over its questions."""

    key = models.SlugField(_("short name"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("outcome domain")
        verbose_name_plural = _("outcome domains")
        ordering = ("position", "name_he")


class Instrument(TimeStampedModel):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("program")
    )
    title_he = models.CharField(_("title (Hebrew)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ("title_he", "-version")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return localized_name(self.title_he, self.title_en)


class Section(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="sections", verbose_name=_("instrument")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title_he = models.CharField(_("title (Hebrew)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("instrument", "position", "pk")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized_name(self.title_he, self.title_en)


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 5 points")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YESNO = "yesno", _("Yes or no")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


#: Kinds answered by picking from fixed values: these have choices and an outcome domain.
CLOSED_KINDS = frozenset(
    {QuestionKind.LIKERT, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YESNO}
)
#: Kinds whose "share agreeing" is meaningful: the top two points of the scale, or "yes".
AGREEMENT_KINDS = frozenset({QuestionKind.LIKERT, QuestionKind.YESNO})
LIKERT_LABELS = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)
YESNO_LABELS = ((1, _("Yes")), (0, _("No")))


class Question(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="questions", verbose_name=_("instrument")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("section"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(
        _("variable name"),
        max_length=60,
        help_text=_("Letters, digits and underscores; used in XLSForm and in exports."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_he = models.CharField(_("question (Hebrew)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    domain = models.ForeignKey(
        OutcomeDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("outcome domain"),
    )
    relevant = models.CharField(
        _("shown only when"),
        max_length=300,
        blank=True,
        help_text=_(
            "A condition on another choice question, in XLSForm's words: "
            "${name} = 'value' or selected(${name}, 'value')."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("instrument", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="question_unique_code"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized_name(self.text_he, self.text_en)


class Choice(models.Model):
    """One value of a single- or multiple-choice question (Likert and yes/no have fixed ones)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    value = models.PositiveSmallIntegerField(_("stored value"))
    name = models.CharField(_("name in XLSForm"), max_length=60, blank=True)
    label_he = models.CharField(_("label (Hebrew)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ("question", "value")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_unique_value"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized_name(self.label_he, self.label_en)


class TimePoint(models.TextChoices):
    END = "end", _("End of program")
    FOLLOW_UP = "follow_up", _("Follow-up")


class WaveMode(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential (answers linked to the person)")
    ANONYMOUS = "anonymous", _("Anonymous (no link between a person and their answers)")


class Wave(TimeStampedModel):
    """One administration of an instrument to a cohort, or to the program's alumni when no
    cohort is set, at a time point."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="waves", verbose_name=_("instrument")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="waves", verbose_name=_("program")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waves",
        verbose_name=_("cohort"),
        help_text=_("Leave empty to survey all the program's alumni."),
    )
    name_he = models.CharField(_("name (Hebrew)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    time_point = models.CharField(_("time point"), max_length=10, choices=TimePoint.choices)
    months_after = models.PositiveSmallIntegerField(
        _("months after the end"), null=True, blank=True
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    mode = models.CharField(_("mode"), max_length=12, choices=WaveMode.choices)
    background = models.TextField(_("background for the report"), blank=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ("-opens_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="wave_dates_ordered",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(time_point="end") | Q(months_after__gt=0),
                name="wave_follow_up_has_months",
                violation_error_message=_("A follow-up wave needs the number of months after."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self.name_he, self.name_en)

    @property
    def is_anonymous(self) -> bool:
        return self.mode == WaveMode.ANONYMOUS


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    STARTED = "started", _("Started")
    SUBMITTED = "submitted", _("Submitted")
    FAILED = "failed", _("Failed")


class WaveInvitation(models.Model):
    """A person asked to answer a wave, reached by a single-use link.

    The link carries the id and an HMAC of the id and ``nonce``, so the token itself is not
    stored. In an anonymous wave the saved progress is
    kept here (``draft``) until submission, then erased: the response carries none of it.
    """

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("wave")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="wave_invitations", verbose_name=_("person")
    )
    nonce = models.CharField(max_length=32)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default="queued"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wave invitation")
        verbose_name_plural = _("wave invitations")
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="wave_invitation_unique"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(status="submitted"),
                name="wave_invitation_submitted_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} – {self.person}"


class ResponseSource(models.TextChoices):
    FORM = "form", _("Answered in Movilim")
    IMPORT = "import", _("Imported")


class Response(models.Model):
    """One submitted questionnaire. ``invitation`` and ``person`` are set in confidential waves
    only. The respondent's organization kind, gender and cohort are copied at submission, so
    that subgroup figures need no link to the person."""

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="responses", verbose_name=_("wave")
    )
    invitation = models.OneToOneField(
        WaveInvitation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("person"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    org_kind = models.CharField(_("organization kind"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(
        _("identifier in the system that collected it"),
        max_length=120,
        blank=True,
        help_text=_("KoboToolbox's _uuid or LimeSurvey's response id, for imported responses."),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="response_one_per_person"),
            models.UniqueConstraint(
                fields=["wave", "external_id"],
                condition=~Q(external_id=""),
                name="response_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class ResponseImport(models.Model):
    """A file of responses imported into a wave, kept by its SHA-256 so that the same file
    uploaded again is recognized even when its rows carry no identifier."""

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="response_imports", verbose_name=_("wave")
    )
    digest = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("responses stored"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")
        constraints = [
            models.UniqueConstraint(fields=["wave", "digest"], name="response_import_unique_file"),
        ]

    def __str__(self) -> str:
        return f"{self.wave} – {self.file_name}"


class Answer(models.Model):
    """One answer: ``number`` holds the scale point, choice value, 1/0 or the number given;
    a multiple-choice question has one row per option chosen; ``text`` holds free text.
    ``wave`` repeats the response's so that a report reads one index."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["wave", "question", "number"], name="answer_wave_q_num")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.number if self.number is not None else self.text[:40]}"
