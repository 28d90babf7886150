"""Statistical disclosure control: one rule for every figure about people that leaves the
hands of the people allowed to see individuals.

A figure that rests on fewer than ``k`` people (a count, a share of a small group, the mean
hours of a small subgroup) is hidden. When the figures of a breakdown add up to a total that
is shown, hiding one part alone would not hide it (total minus the others gives it back), so
the smallest other part is hidden too ("complementary suppression"). Dashboards, evaluation
reports, PDFs and exports all go through these functions, so that the rule and its threshold
live in one place.

``k`` depends on who reads: ``DISCLOSURE_MIN_GROUP`` in settings holds it per audience
(steering committee, participants and the public 10, program staff 5, evaluators 1: they see
everything).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from enum import StrEnum
from typing import TypeVar

from django.conf import settings

K = TypeVar("K", bound=Hashable)


class Audience(StrEnum):
    """Who reads a figure, from the most to the least trusted."""

    EVALUATOR = "evaluator"
    STAFF = "staff"
    STEERING = "steering"
    PARTICIPANT = "participant"
    PUBLIC = "public"


def min_group(audience: Audience | str) -> int:
    """The smallest number of people a figure shown to ``audience`` may rest on."""
    return int(settings.DISCLOSURE_MIN_GROUP[Audience(audience).value])


def hidden_parts(sizes: Mapping[K, int], k: int, *, total_shown: bool = True) -> frozenset[K]:
    """The parts of a breakdown to hide, given how many people each rests on.

    Primary: every part with 1 to k-1 people (an empty part discloses nobody). Complementary:
    when the total is shown and exactly one part is hidden, the smallest other non-empty part
    is hidden as well, so neither can be worked out from the total and the rest.
    """
    if k <= 1:
        return frozenset()
    hidden = {key for key, size in sizes.items() if 0 < size < k}
    if total_shown and len(hidden) == 1:
        others = sorted(
            (size, str(key), key) for key, size in sizes.items() if key not in hidden and size > 0
        )
        if others:
            hidden.add(others[0][2])
    return frozenset(hidden)


def suppress_counts(
    counts: Mapping[K, int], k: int, *, total_shown: bool = True
) -> dict[K, int | None]:
    """``counts`` with the parts to hide replaced by None (see ``hidden_parts``)."""
    hidden = hidden_parts(counts, k, total_shown=total_shown)
    return {key: (None if key in hidden else value) for key, value in counts.items()}


def figure_or_none(value: float | None, n: int, k: int) -> float | None:
    """A figure (share, mean, rate) that rests on ``n`` people, or None below the threshold."""
    if value is None or (k > 1 and n < k):
        return None
    return value


def share(part: int, whole: int, k: int) -> float | None:
    """``part`` of ``whole`` in percent, or None when the whole is too small to show."""
    if whole <= 0:
        return None
    return figure_or_none(100.0 * part / whole, whole, k)


R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def suppress_table(cells: Mapping[tuple[R, C], int], k: int) -> dict[tuple[R, C], int | None]:
    """A table of counts (rows by columns) whose row and column totals are both shown, with the
    cells to hide replaced by None.

    Primary: every cell of 1 to k-1 people. Complementary, repeated until nothing changes: a
    row or column with exactly one hidden cell also hides its smallest other non-empty cell;
    a line whose hidden cells are its only non-empty ones hides its empty cells too (else the
    total, less the zeros shown, gives the hidden figure back: "all 3 are women").
    """
    if k <= 1:
        return dict(cells)
    hidden = {key for key, size in cells.items() if 0 < size < k}
    lines: dict[tuple[int, Hashable], list[tuple[R, C]]] = {}
    for key in cells:
        lines.setdefault((0, key[0]), []).append(key)
        lines.setdefault((1, key[1]), []).append(key)
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines.values():
            hidden_here = [key for key in line if key in hidden]
            if not hidden_here or len(line) < 2:
                continue
            visible = [key for key in line if key not in hidden]
            nonempty = sorted((cells[key], str(key), key) for key in visible if cells[key] > 0)
            if len(hidden_here) == 1 and nonempty:
                hidden.add(nonempty[0][2])
                changed = True
            elif not nonempty and visible:
                hidden.update(visible)
                changed = True
    return {key: (None if key in hidden else size) for key, size in cells.items()}
