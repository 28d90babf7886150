"""Figures of a wave: shares, intervals, domains, multiple choice per option, suppression."""

from __future__ import annotations

import pytest

from movilim.evaluation.queries import wave_figures, wilson


def test_wilson_interval_matches_the_textbook_value() -> None:
    low, high = wilson(21, 25)
    assert (round(low, 1), round(high, 1)) == (65.3, 93.6)
    assert wilson(0, 0) == (0.0, 0.0)


def test_shares_means_domains_and_multiple_choice_per_option(answered) -> None:
    figures = wave_figures(answered.wave, audience="evaluator")
    by_code = {f.question.code: f for f in figures.questions}
    know = by_code["q_know"]
    assert know.n == 6 and know.agree == 4 and know.share == pytest.approx(400 / 6)
    assert know.mean == pytest.approx(23 / 6)
    assert know.counts == {1: 0, 2: 1, 3: 1, 4: 2, 5: 2}
    parts = by_code["q_parts"]
    # Four people answered; "meetings" was chosen by three of them, never counted per combination.
    assert parts.n == 4 and parts.counts == {1: 3, 2: 2}
    assert [round(p) for _l, _c, p in parts.distribution] == [75, 50]
    domains = {d.domain.key: d.share for d in figures.domains}
    assert domains == pytest.approx({"knowledge": 400 / 6, "ties": 400 / 6})
    assert "q_text" not in by_code


def test_small_cells_are_hidden_by_audience_with_their_complement(answered) -> None:
    staff = wave_figures(answered.wave, audience="staff")  # k = 5
    know = next(f for f in staff.questions if f.question.code == "q_know")
    assert know.share is not None  # 6 respondents: the share may be shown
    assert all(count is None for value, count in know.counts.items() if value in (2, 3, 4, 5))
    steering = wave_figures(answered.wave, audience="steering")  # k = 10
    know = next(f for f in steering.questions if f.question.code == "q_know")
    assert know.hidden and know.share is None and know.mean is None
    assert steering.domain_chart().bars == []
    evaluator = wave_figures(answered.wave, audience="evaluator")
    gender = next(b for b in evaluator.breakdowns if b.dimension == "gender")
    assert [n for _name, n in gender.groups] == [3, 3]
    hidden = next(b for b in staff.breakdowns if b.dimension == "gender")
    assert [n for _name, n in hidden.groups] == [None, None]
    assert all(share is None for _d, shares in hidden.rows for share in shares)
