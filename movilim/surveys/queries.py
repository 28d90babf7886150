"""Reads of waves shared by pages: the response rate, overall and by subgroup, and the
subgroups themselves (sector, ministry type, gender, program) as the figures group respondents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy

from movilim.core.disclosure import hidden_parts, min_group
from movilim.people.models import SECTOR_OF_KIND, Gender, OrganizationKind, Sector
from movilim.programs.models import Program

from .models import Response, Wave


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


def group_of(dimension: str, org_kind: str, gender: str, program_id: int | None) -> str | None:
    if dimension == "sector":
        return SECTOR_OF_KIND.get(org_kind)
    if dimension == "ministry_type":
        return (
            org_kind
            if org_kind in (OrganizationKind.GOV_HQ, OrganizationKind.GOV_EXECUTION)
            else None
        )
    if dimension == "gender":
        return gender or None
    return str(program_id) if program_id else None


def group_labels(dimension: str) -> dict[str, str]:
    if dimension == "sector":
        return {str(v): str(label) for v, label in Sector.choices}
    if dimension == "ministry_type":
        return {
            OrganizationKind.GOV_HQ.value: str(OrganizationKind.GOV_HQ.label),
            OrganizationKind.GOV_EXECUTION.value: str(OrganizationKind.GOV_EXECUTION.label),
        }
    if dimension == "gender":
        return {str(v): str(label) for v, label in Gender.choices}
    return {str(p.pk): p.name for p in Program.objects.all()}


def wave_rate(wave: Wave) -> tuple[Rate, dict[str, int]]:
    statuses = dict(wave.invitations.values_list("status").annotate(n=Count("*")).order_by())
    invited = sum(statuses.values())
    respondents = Response.objects.filter(wave=wave).count()
    return Rate(invited=invited, respondents=respondents), statuses


def rates_by_subgroup(
    wave: Wave, *, audience: str
) -> list[tuple[str, list[tuple[str, int | None, int | None, float | None]]]]:
    """Response rate per sector and gender: invited from the invitations' people, respondents
    from the profile copied onto each response (anonymous waves keep no link)."""
    k = min_group(audience)
    invited = list(
        wave.invitations.values_list("person__organization__kind", "person__gender")
        .annotate(n=Count("*"))
        .order_by()
    )
    answered = list(
        Response.objects.filter(wave=wave)
        .values_list("org_kind", "gender")
        .annotate(n=Count("*"))
        .order_by()
    )
    out = []
    for dimension in ("sector", "gender"):
        inv: dict[str, int] = defaultdict(int)
        ans: dict[str, int] = defaultdict(int)
        for kind, gender, n in invited:
            g = group_of(dimension, kind or "", gender or "", None)
            if g:
                inv[g] += n
        for kind, gender, n in answered:
            g = group_of(dimension, kind or "", gender or "", None)
            if g:
                ans[g] += n
        hidden = hidden_parts(dict(ans), k) | hidden_parts(dict(inv), k)
        names = group_labels(dimension)
        rows: list[tuple[str, int | None, int | None, float | None]] = []
        for g in sorted(inv):
            if g in hidden:
                rows.append((names.get(g, g), None, None, None))
            else:
                rows.append(
                    (names.get(g, g), inv[g], ans[g], 100 * ans[g] / inv[g] if inv[g] else None)
                )
        label = dict(DIMENSIONS)[dimension]
        out.append((str(label), rows))
    return out
