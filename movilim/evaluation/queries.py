"""The figures of a wave: aggregated in the database, then shaped (and suppressed) in Python.

One grouped query reads every closed answer of the wave as counts per question, value and
respondent subgroup (organization kind, gender, cohort); everything else — distributions,
means, shares agreeing with their Wilson intervals, domain averages, subgroup breakdowns — is
arithmetic on those few thousand rows, whatever the number of respondents. Small-group
suppression (``core.disclosure``) is applied here, once, for every output that reads these
figures: the page, its charts, the PDF and the aggregate export.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from movilim.core.charts import Bar, BarChart
from movilim.core.disclosure import hidden_parts, min_group, suppress_counts
from movilim.core.formatting import name_chooser
from movilim.programs.models import Cohort
from movilim.surveys.models import (
    AGREEMENT_KINDS,
    Answer,
    Choice,
    InvitationStatus,
    OutcomeDomain,
    Question,
    QuestionKind,
    Wave,
)
from movilim.surveys.queries import (
    DIMENSIONS,
    Rate,
    group_labels,
    group_of,
    rates_by_subgroup,
    respondent_profiles,
    wave_rate,
)

from .models import AnswerCode, Code, QualitativeRecord, Recommendation

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion, in percent."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def agrees(kind: str, value: int) -> bool:
    """The top two points of the 5-point scale, or "yes"."""
    return value >= 4 if kind == QuestionKind.LIKERT else value == 1


@dataclass
class QuestionFigures:
    question: Question
    n: int
    counts: dict[int, int | None]  # suppressed cells are None
    labels: dict[int, str]
    mean: float | None = None
    agree: int | None = None
    share: float | None = None
    low: float | None = None
    high: float | None = None
    hidden: bool = False  # the whole question rests on too few respondents

    @property
    def distribution(self) -> list[tuple[str, int | None, float | None]]:
        total = self.n or 1
        return [
            (self.labels.get(v, str(v)), c, None if c is None else 100 * c / total)
            for v, c in sorted(self.counts.items())
        ]


@dataclass
class DomainFigure:
    domain: OutcomeDomain
    share: float | None
    items: list[QuestionFigures]


@dataclass
class Breakdown:
    dimension: str
    label: str
    groups: list[tuple[str, int | None]]  # (label, respondents or None)
    rows: list[tuple[str, list[float | None]]]  # domain name, share per group


@dataclass
class WaveFigures:
    wave: Wave
    k: int
    rate: Rate
    statuses: dict[str, int]
    questions: list[QuestionFigures]
    domains: list[DomainFigure]
    breakdowns: list[Breakdown] = field(default_factory=list)
    rates_by: list[tuple[str, list[tuple[str, int | None, int | None, float | None]]]] = field(
        default_factory=list
    )

    def domain_chart(self) -> BarChart:
        bars = [Bar(d.domain.name, d.share) for d in self.domains if d.share is not None]
        return BarChart(
            title=_("Share agreeing, by outcome domain"),
            description=_("Average share of respondents agreeing with the domain's items."),
            bars=bars,
        )

    def question_chart(self, figures: QuestionFigures) -> BarChart:
        """A multiple-choice question per option (share choosing it); other closed questions
        per value."""
        bars = [
            Bar(label, percent)
            for label, count, percent in figures.distribution
            if percent is not None
        ]
        return BarChart(title=figures.question.text, description=figures.question.text, bars=bars)


def wave_questions(wave: Wave) -> list[Question]:
    """The questions of the wave's instrument with their domains; their options come from
    :func:`wave_choices`."""
    return list(Question.objects.filter(instrument_id=wave.instrument_id).select_related("domain"))


def wave_choices(wave: Wave) -> dict[int, dict[int, str]]:
    """Each question's options, ``{value: label}`` in the order of their values: one query of
    plain rows. Prefetching them as model instances cost the report a query set per question,
    more than all its arithmetic."""
    name = name_chooser()
    options: dict[int, dict[int, str]] = defaultdict(dict)
    for question_id, value, label_he, label_en in (
        Choice.objects.filter(question__instrument_id=wave.instrument_id)
        .order_by("question_id", "value")
        .values_list("question_id", "value", "label_he", "label_en")
    ):
        options[question_id][value] = name(label_he, label_en)
    return options


def closed_counts(wave: Wave) -> list[tuple[int, int, str, str, int | None, int]]:
    """``(question, value, org_kind, gender, cohort, count)`` for every closed answer."""
    return list(
        Answer.objects.filter(wave=wave, number__isnull=False)
        .values_list(
            "question_id", "number", "response__org_kind", "response__gender", "response__cohort_id"
        )
        .annotate(count=Count("*"))
        .order_by()
    )


def wave_figures(
    wave: Wave,
    *,
    audience: str,
    counts: Iterable[tuple[int, int, str, str, int | None, int]] | None = None,
    breakdowns: bool = True,
    profiles: list[tuple[str, str, int | None, int]] | None = None,
) -> WaveFigures:
    """Every figure of the report, suppressed for ``audience``. ``profiles``: the responses'
    :func:`respondent_profiles`, when the caller has read them already."""
    k = min_group(audience)
    questions = wave_questions(wave)
    options = wave_choices(wave)
    by_id = {q.pk: q for q in questions}
    rows = closed_counts(wave) if counts is None else list(counts)
    cohort_program = dict(Cohort.objects.values_list("pk", "program_id"))

    totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])  # agree, n
    # The groups of each kind of respondent, worked out once: the rows are counts per
    # question, value and respondent attributes, thousands of them over a few dozen kinds.
    groups_of: dict[tuple[str, str, int | None], list[tuple[str, str]]] = {}
    for question_id, value, org_kind, gender, cohort_id, count in rows:
        totals[question_id][value] += count
        question = by_id.get(question_id)
        if question is None or question.kind not in AGREEMENT_KINDS or not breakdowns:
            continue
        kind = (org_kind, gender, cohort_id)
        groups = groups_of.get(kind)
        if groups is None:
            program_id = cohort_program.get(cohort_id) if cohort_id else None
            groups = groups_of[kind] = [
                (dimension, group)
                for dimension, _label in DIMENSIONS
                if (group := group_of(dimension, org_kind, gender, program_id)) is not None
            ]
        agreed = agrees(question.kind, value)
        for dimension, group in groups:
            cell = by_group[(dimension, group, question_id)]
            cell[1] += count
            if agreed:
                cell[0] += count

    multiple = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    respondents_of: dict[int, int] = {}
    if multiple:
        respondents_of = dict(
            Answer.objects.filter(wave=wave, question_id__in=multiple)
            .values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )

    figures: list[QuestionFigures] = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        counts_q = dict(totals.get(question.pk, {}))
        if question.kind == QuestionKind.MULTIPLE:
            n = respondents_of.get(question.pk, 0)
        else:
            n = sum(counts_q.values())
        labels = dict(options.get(question.pk, {}))
        if question.kind != QuestionKind.NUMBER:
            for value in labels:
                counts_q.setdefault(value, 0)
        hidden = 0 < n < k
        shown = suppress_counts(counts_q, k, total_shown=question.kind != QuestionKind.MULTIPLE)
        fig = QuestionFigures(question=question, n=n, counts=shown, labels=labels, hidden=hidden)
        if n and not hidden:
            if question.kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
                fig.mean = sum(v * c for v, c in counts_q.items()) / n
            if question.kind in AGREEMENT_KINDS:
                agree = sum(c for v, c in counts_q.items() if agrees(question.kind, v))
                fig.agree = agree
                fig.share = 100 * agree / n
                fig.low, fig.high = wilson(agree, n)
        if hidden:
            fig.counts = dict.fromkeys(counts_q)
        figures.append(fig)

    domains = _domain_figures(figures)
    rate, statuses = wave_rate(wave)
    result = WaveFigures(
        wave=wave, k=k, rate=rate, statuses=statuses, questions=figures, domains=domains
    )
    if breakdowns:
        if profiles is None:
            profiles = respondent_profiles(wave)
        result.breakdowns = _breakdowns(questions, by_group, k, profiles, cohort_program)
    return result


def _domain_figures(figures: list[QuestionFigures]) -> list[DomainFigure]:
    grouped: dict[int, list[QuestionFigures]] = defaultdict(list)
    domains: dict[int, OutcomeDomain] = {}
    for fig in figures:
        domain = fig.question.domain
        if domain is None or fig.question.kind not in AGREEMENT_KINDS:
            continue
        grouped[domain.pk].append(fig)
        domains[domain.pk] = domain
    out = []
    for pk, items in grouped.items():
        shares = [f.share for f in items if f.share is not None]
        share = sum(shares) / len(shares) if shares and len(shares) == len(items) else None
        out.append(DomainFigure(domain=domains[pk], share=share, items=items))
    out.sort(key=lambda d: (d.domain.position, d.domain.name_he))
    return out


def _breakdowns(
    questions: list[Question],
    by_group: Mapping[tuple[str, str, int], list[int]],
    k: int,
    profiles: Iterable[tuple[str, str, int | None, int]],
    cohort_program: Mapping[int, int],
) -> list[Breakdown]:
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for org_kind, gender, cohort_id, n in profiles:
        program_id = cohort_program.get(cohort_id) if cohort_id else None
        for dimension, _label in DIMENSIONS:
            group = group_of(dimension, org_kind, gender, program_id)
            if group is not None:
                sizes[(dimension, group)] += n
    domain_items: dict[int, list[Question]] = defaultdict(list)
    domain_of: dict[int, OutcomeDomain] = {}
    for q in questions:
        if q.domain is not None and q.kind in AGREEMENT_KINDS:
            domain_items[q.domain.pk].append(q)
            domain_of[q.domain.pk] = q.domain
    out = []
    for dimension, label in DIMENSIONS:
        groups = sorted(g for (d, g) in sizes if d == dimension)
        if len(groups) < 2:
            continue
        dim_sizes = {g: sizes[(dimension, g)] for g in groups}
        hidden = hidden_parts(dim_sizes, k)
        names = group_labels(dimension)
        rows = []
        for pk in sorted(domain_of, key=lambda p: (domain_of[p].position, domain_of[p].name_he)):
            shares: list[float | None] = []
            for group in groups:
                if group in hidden:
                    shares.append(None)
                    continue
                item_shares = []
                for q in domain_items[pk]:
                    agree, n = by_group.get((dimension, group, q.pk), (0, 0))
                    if n:
                        item_shares.append(100 * agree / n)
                shares.append(sum(item_shares) / len(item_shares) if item_shares else None)
            rows.append((domain_of[pk].name, shares))
        out.append(
            Breakdown(
                dimension=dimension,
                label=str(label),
                groups=[(names.get(g, g), None if g in hidden else dim_sizes[g]) for g in groups],
                rows=rows,
            )
        )
    return out


# --- qualitative --------------------------------------------------------------------------------


@dataclass
class Theme:
    code: Code
    answers: int | None
    excerpts: int | None


def themes(wave: Wave, *, audience: str) -> list[Theme]:
    """Counts per code over the wave's free-text answers and its records' excerpts."""
    k = min_group(audience)
    answer_counts = dict(
        AnswerCode.objects.filter(answer__wave=wave)
        .values_list("code_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    excerpt_counts = dict(
        Code.objects.filter(excerpts__record__wave=wave)
        .values_list("pk")
        .annotate(n=Count("excerpts"))
        .order_by()
    )
    shown_answers = suppress_counts(answer_counts, k, total_shown=False)
    out = []
    for code in Code.objects.filter(program_id=wave.program_id):
        a = shown_answers.get(code.pk, 0)
        e = excerpt_counts.get(code.pk, 0)
        if (a or 0) == 0 and e == 0 and a is not None:
            continue
        out.append(Theme(code=code, answers=a, excerpts=e))
    return out


def report_context(wave: Wave, *, audience: str) -> dict[str, Any]:
    """Everything the report page and its PDF show, suppressed for ``audience``."""
    profiles = respondent_profiles(wave)  # for the breakdowns and the response rates
    figures = wave_figures(wave, audience=audience, profiles=profiles)
    recommendations: dict[str, list[Recommendation]] = defaultdict(list)
    for rec in wave.recommendations.all():
        recommendations[rec.get_phase_display()].append(rec)
    return {
        "wave": wave,
        "figures": figures,
        "rates_by": rates_by_subgroup(wave, audience=audience, profiles=profiles),
        "themes": themes(wave, audience=audience),
        "records": list(QualitativeRecord.objects.filter(wave=wave)),
        "recommendations": dict(recommendations),
        "audience": audience,
        "respondent_level": audience == "evaluator",
        "submitted": InvitationStatus.SUBMITTED,
    }
