"""Reads of waves shared by pages: the response rate, overall and by subgroup, and the
subgroups themselves (sector, ministry type, organization kind, gender, program, cohort) as
the figures group respondents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from movilim.core.disclosure import hidden_parts, min_group
from movilim.people.models import SECTOR_OF_KIND, Gender, OrganizationKind, Sector
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment, Program, ProgramKind

from .models import Instrument, Question, Response, Section, Wave


@dataclass
class Rate:
    invited: int
    respondents: int

    @property
    def percent(self) -> float | None:
        return 100 * self.respondents / self.invited if self.invited else None


DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("sector", gettext_lazy("Sector")),
    ("ministry_type", gettext_lazy("HQ vs. execution ministries")),
    ("gender", gettext_lazy("Gender")),
    ("program", gettext_lazy("Program")),
)
#: The subgroups of the response rate: the findings' and, since who answers is what a rate is
#: about, organization kind and cohort too. Program and cohort are shown when the wave's people
#: come from more than one (a wave of the alumni or of the network).
RATE_DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("sector", gettext_lazy("Sector")),
    ("ministry_type", gettext_lazy("HQ vs. execution ministries")),
    ("org_kind", gettext_lazy("Organization kind")),
    ("gender", gettext_lazy("Gender")),
    ("program", gettext_lazy("Program")),
    ("cohort", gettext_lazy("Cohort")),
)
SEVERAL_ONLY = frozenset({"program", "cohort"})


def group_of(
    dimension: str,
    org_kind: str,
    gender: str,
    program_id: int | None,
    cohort_id: int | None = None,
) -> str | None:
    """The subgroup of ``dimension`` a respondent (or invitee) with this profile is in, or None
    when the profile does not say (no organization, gender not given, a ministry type for
    someone outside the ministries)."""
    if dimension == "sector":
        return SECTOR_OF_KIND.get(org_kind)
    if dimension == "ministry_type":
        return (
            org_kind
            if org_kind in (OrganizationKind.GOV_HQ, OrganizationKind.GOV_EXECUTION)
            else None
        )
    if dimension == "org_kind":
        return org_kind or None
    if dimension == "gender":
        return gender or None
    if dimension == "cohort":
        return str(cohort_id) if cohort_id else None
    return str(program_id) if program_id else None


def group_labels(dimension: str, cohorts: Mapping[int, Cohort] | None = None) -> dict[str, str]:
    """Each group's name by its key, in the order groups are shown; ``cohorts`` (by id) names
    the cohort groups."""
    if dimension == "sector":
        return {str(v): str(label) for v, label in Sector.choices}
    if dimension == "ministry_type":
        return {
            OrganizationKind.GOV_HQ.value: str(OrganizationKind.GOV_HQ.label),
            OrganizationKind.GOV_EXECUTION.value: str(OrganizationKind.GOV_EXECUTION.label),
        }
    if dimension == "org_kind":
        return {str(v): str(label) for v, label in OrganizationKind.choices}
    if dimension == "gender":
        return {str(v): str(label) for v, label in Gender.choices}
    if dimension == "cohort":
        ordered = sorted(
            (cohorts or {}).values(), key=lambda c: (c.program.name, c.start_date, c.pk)
        )
        return {str(c.pk): f"{c.name} ({c.program.name})" for c in ordered}
    return {str(p.pk): p.name for p in Program.objects.all()}


#: Programs whose members come from the training programs' cohorts: a respondent's cohort in
#: their waves is the one they trained in.
NETWORK_KINDS = (ProgramKind.NETWORK, ProgramKind.COMMUNITY)


def network_wave(wave: Wave) -> bool:
    return wave.program.kind in NETWORK_KINDS


def cohort_enrollments(wave: Wave) -> QuerySet[Enrollment]:
    """The enrollments a respondent's cohort is read from, latest first, when the wave does
    not name it: the program's own cohorts (its alumni), or, for a wave of the leaders network
    or the community, the training programs' cohorts the members came from."""
    enrollments = Enrollment.objects.filter(status__in=MEMBER_STATUSES)
    if network_wave(wave):
        return enrollments.exclude(cohort__program__kind__in=NETWORK_KINDS)
    return enrollments.filter(cohort__program_id=wave.program_id)


def wave_rate(wave: Wave) -> tuple[Rate, dict[str, int]]:
    statuses = dict(wave.invitations.values_list("status").annotate(n=Count("*")).order_by())
    invited = sum(statuses.values())
    respondents = Response.objects.filter(wave=wave).count()
    return Rate(invited=invited, respondents=respondents), statuses


RateRow = tuple[str, int | None, int | None, float | None]  # group, invited, respondents, %


def respondent_profiles(wave: Wave) -> list[tuple[str, str, int | None, int]]:
    """``(org_kind, gender, cohort, count)`` of the wave's responses: the profile copied onto
    each response (an anonymous wave keeps no link to the person), grouped."""
    return list(
        Response.objects.filter(wave=wave)
        .values_list("org_kind", "gender", "cohort_id")
        .annotate(n=Count("*"))
        .order_by()
    )


def rates_by_subgroup(
    wave: Wave,
    *,
    audience: str,
    profiles: list[tuple[str, str, int | None, int]] | None = None,
) -> list[tuple[str, list[RateRow]]]:
    """Response rate per subgroup (``RATE_DIMENSIONS``), suppressed for ``audience``.

    Invited are counted from the invitations' people and their cohort (the wave's, or the one
    they came from, see ``cohort_enrollments``); respondents from the profile copied onto each
    response, since an anonymous wave keeps no link between the two. Three queries whatever the
    wave's size: invitations and responses grouped by profile, and the cohorts named (with
    their programs).
    A group resting on fewer than k invitees or respondents is hidden with its complement, per
    dimension (``core.disclosure.hidden_parts``). ``profiles``: :func:`respondent_profiles`,
    when the caller has read them already.
    """
    k = min_group(audience)
    invitations = wave.invitations.all()
    fixed_cohort = wave.cohort_id if not network_wave(wave) else None
    if fixed_cohort is not None:
        invited = [
            (kind, gender, fixed_cohort, n)
            for kind, gender, n in invitations.values_list(
                "person__organization__kind", "person__gender"
            )
            .annotate(n=Count("*"))
            .order_by()
        ]
    else:
        latest = (
            cohort_enrollments(wave)
            .filter(person_id=OuterRef("person_id"))
            .order_by("-cohort__start_date", "-cohort_id")
            .values("cohort_id")[:1]
        )
        invited = list(
            invitations.annotate(home=Subquery(latest))
            .values_list("person__organization__kind", "person__gender", "home")
            .annotate(n=Count("*"))
            .order_by()
        )
    answered = respondent_profiles(wave) if profiles is None else profiles
    cohort_ids = {c for _k, _g, c, _n in invited if c} | {c for _k, _g, c, _n in answered if c}
    cohorts = (
        {c.pk: c for c in Cohort.objects.filter(pk__in=cohort_ids).select_related("program")}
        if cohort_ids
        else {}
    )
    out: list[tuple[str, list[RateRow]]] = []
    for dimension, label in RATE_DIMENSIONS:
        inv: dict[str, int] = defaultdict(int)
        ans: dict[str, int] = defaultdict(int)
        for counts, rows in ((inv, invited), (ans, answered)):
            for kind, gender, cohort_id, n in rows:
                cohort = cohorts.get(cohort_id) if cohort_id else None
                group = group_of(
                    dimension,
                    kind or "",
                    gender or "",
                    cohort.program_id if cohort is not None else None,
                    cohort_id,
                )
                if group:
                    counts[group] += n
        if not inv or (dimension in SEVERAL_ONLY and len(inv) < 2):
            continue
        hidden = hidden_parts(dict(ans), k) | hidden_parts(dict(inv), k)
        names = (
            {str(c.program_id): c.program.name for c in cohorts.values()}
            if dimension == "program"
            else group_labels(dimension, cohorts)
        )
        order = {key: index for index, key in enumerate(names)}
        rate_rows: list[RateRow] = []
        for group in sorted(inv, key=lambda g: (order.get(g, len(order)), g)):
            if group in hidden:
                rate_rows.append((names.get(group, group), None, None, None))
            else:
                invited_n, answered_n = inv[group], ans.get(group, 0)
                rate_rows.append(
                    (names.get(group, group), invited_n, answered_n, 100 * answered_n / invited_n)
                )
        out.append((str(label), rate_rows))
    return out


@dataclass
class OutlineBlock:
    """A run of questions of one section (or of none) in the builder, in the form's order."""

    section: Section | None
    questions: list[Question]


def instrument_outline(
    instrument: Instrument,
) -> tuple[list[Question], list[Section], list[OutlineBlock]]:
    """The builder's view of an instrument, in three queries: its questions (with section,
    domain and choices), its sections, and the questions grouped as the respondent sees them.
    An empty section is shown where it stands among the others (before the first question of
    a later section), so that questions can be moved into it."""
    questions = list(
        instrument.questions.select_related("section", "domain").prefetch_related("choices")
    )
    sections = list(instrument.sections.all())
    blocks: list[OutlineBlock] = []
    for question in questions:
        if not blocks or blocks[-1].section != question.section:
            blocks.append(OutlineBlock(question.section, []))
        blocks[-1].questions.append(question)
    used = {q.section_id for q in questions}
    for section in sections:
        if section.pk in used:
            continue
        place = next(
            (
                index
                for index, block in enumerate(blocks)
                if block.section is not None and block.section.position > section.position
            ),
            len(blocks),
        )
        blocks.insert(place, OutlineBlock(section, []))
    return questions, sections, blocks
