"""Comparisons of two waves: shares agreeing by two-proportion z (or Fisher's exact test when
a cell is small), Likert distributions by Mann–Whitney, and — when the same people answered two
confidential waves — the paired change per person (McNemar, Wilcoxon signed-rank)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from scipy import stats

from movilim.core.disclosure import min_group
from movilim.surveys.models import AGREEMENT_KINDS, Answer, QuestionKind, Wave, WaveMode

from .queries import QuestionFigures, agrees, wave_figures

ALPHA = 0.05


@dataclass
class Comparison:
    code: str
    text: str
    share_a: float | None
    share_b: float | None
    test: str
    p: float | None
    flag: str


def _flag(p: float | None) -> str:
    if p is None:
        return _("Too few respondents to compare.")
    if p < ALPHA:
        return _("A real difference (unlikely to be chance).")
    return _("No clear difference (could be chance).")


def share_test(agree_a: int, n_a: int, agree_b: int, n_b: int) -> tuple[str, float]:
    """Fisher's exact test when an expected cell is under 5, else the two-proportion z-test."""
    pooled = (agree_a + agree_b) / (n_a + n_b)
    expected = [n_a * pooled, n_a * (1 - pooled), n_b * pooled, n_b * (1 - pooled)]
    if min(expected) < 5:
        _odds, p = stats.fisher_exact([[agree_a, n_a - agree_a], [agree_b, n_b - agree_b]])
        return "Fisher", float(p)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return "z", 1.0
    z = (agree_a / n_a - agree_b / n_b) / se
    return "z", float(2 * stats.norm.sf(abs(z)))


def _expand(fig: QuestionFigures, raw: dict[int, int]) -> list[int]:
    return [value for value, count in raw.items() for _ in range(count)]


def compare_waves(a: Wave, b: Wave, *, audience: str) -> list[Comparison]:
    """Question by question (matched by variable name), on the figures each reader may see."""
    k = min_group(audience)
    fa = {
        f.question.code: f
        for f in wave_figures(a, audience="evaluator", breakdowns=False).questions
    }
    fb = {
        f.question.code: f
        for f in wave_figures(b, audience="evaluator", breakdowns=False).questions
    }
    out = []
    for code, x in fa.items():
        y = fb.get(code)
        if y is None or x.question.kind not in AGREEMENT_KINDS:
            continue
        if x.n < max(k, 1) or y.n < max(k, 1) or x.agree is None or y.agree is None:
            out.append(Comparison(code, x.question.text, None, None, "", None, _flag(None)))
            continue
        if x.question.kind == QuestionKind.LIKERT:
            rx = {v: c or 0 for v, c in x.counts.items()}
            ry = {v: c or 0 for v, c in y.counts.items()}
            result = stats.mannwhitneyu(_expand(x, rx), _expand(y, ry), alternative="two-sided")
            test, p = "Mann–Whitney", float(result.pvalue)
        else:
            test, p = share_test(x.agree, x.n, y.agree, y.n)
        out.append(Comparison(code, x.question.text, x.share, y.share, test, p, _flag(p)))
    return out


@dataclass
class PanelComparison:
    code: str
    text: str
    pairs: int
    share_a: float | None
    share_b: float | None
    test: str
    p: float | None
    flag: str


def panel_available(a: Wave, b: Wave) -> bool:
    return a.mode == WaveMode.CONFIDENTIAL and b.mode == WaveMode.CONFIDENTIAL


def compare_panel(a: Wave, b: Wave, *, audience: str) -> list[PanelComparison]:
    """Paired change of the people who answered both confidential waves: McNemar's exact test
    on agreement, Wilcoxon's signed-rank test on Likert points."""
    if not panel_available(a, b):
        return []
    k = min_group(audience)
    values: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    kinds: dict[str, tuple[str, str]] = {}
    for wave_key, wave in (("a", a), ("b", b)):
        rows = Answer.objects.filter(
            wave=wave,
            number__isnull=False,
            response__person__isnull=False,
            question__kind__in=list(AGREEMENT_KINDS),
        ).values_list(
            "question__code",
            "question__kind",
            "question__text_he",
            "question__text_en",
            "response__person_id",
            "number",
        )
        for code, kind, text_he, _text_en, person, number in rows:
            values[code][person][wave_key] = number
            kinds[code] = (kind, text_he)
    out = []
    for code, people in values.items():
        kind, text = kinds[code]
        pairs = [(v["a"], v["b"]) for v in people.values() if "a" in v and "b" in v]
        n = len(pairs)
        if n < max(k, 2):
            continue
        agree_a = sum(agrees(kind, x) for x, _y in pairs)
        agree_b = sum(agrees(kind, y) for _x, y in pairs)
        if kind == QuestionKind.LIKERT and any(x != y for x, y in pairs):
            result = stats.wilcoxon([x for x, _y in pairs], [y for _x, y in pairs])
            test, p = "Wilcoxon", float(result.pvalue)
        else:
            up = sum(1 for x, y in pairs if not agrees(kind, x) and agrees(kind, y))
            down = sum(1 for x, y in pairs if agrees(kind, x) and not agrees(kind, y))
            test = "McNemar"
            p = float(stats.binomtest(up, up + down, 0.5).pvalue) if up + down else 1.0
        out.append(
            PanelComparison(code, text, n, 100 * agree_a / n, 100 * agree_b / n, test, p, _flag(p))
        )
    return out
