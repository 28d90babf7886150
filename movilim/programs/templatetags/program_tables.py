"""The rows of the long tables (roster, participants, schedule), written in Python.

These tables show 50 to 100 rows of ten or so values each. Django's template engine resolves
and escapes every value through several layers of calls, which cost more than the rest of the
page; ``html_format`` escapes the same values in one call per row. The markup stays the same
as the surrounding template's and is kept next to the rows' data classes in ``queries.py``.
Cells with sentences take them already translated from the template (``{% translate … as %}``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from movilim.core.formatting import DASH, html_format, html_format_join, percent_text

from ..queries import Composition, CompositionRow, PersonRow, RosterRow, ScheduleRow

register = template.Library()


def _status_cell(row: RosterRow, change_label: str) -> SafeString:
    return html_format(
        '<span class="me-2">{}</span> <a href="{}" hx-get="{}" hx-target="closest td" '
        'class="small">{}<span class="visually-hidden">: {}</span></a>',
        row.status_label,
        row.status_url,
        row.status_url,
        change_label,
        row.name,
    )


#: Sentences of an invitation state (label, button), by state and date, within one table.
_Labels = dict[tuple[object, ...], tuple[str, str]]


def _invitation_cell(row: RosterRow, labels: _Labels) -> SafeString:
    invitation = row.invitation
    if invitation is None:
        return mark_safe("")
    # Most rows share a few states: each state's sentences are translated once per table.
    key = (invitation.state, invitation.at)
    if key not in labels:
        labels[key] = (invitation.label, invitation.action_label)
    label_text, action_label = labels[key]
    label = html_format('<span class="me-2">{}</span>', label_text)
    if not invitation.can_invite:
        return label
    return html_format(
        '{}<button type="submit" form="invite-form" formaction="{}" '
        'class="btn btn-link btn-sm p-0 align-baseline">{}'
        '<span class="visually-hidden">: {}</span></button>',
        label,
        row.invite_url,
        action_label,
        row.name,
    )


def _pick_cell(row: RosterRow, pick_label: str) -> SafeString:
    """The row's box for the roster's action bar (whose form is ``roster-actions``)."""
    return html_format(
        '<td><input class="form-check-input" type="checkbox" name="enrollment" value="{}" '
        'form="roster-actions" aria-label="{}: {}"></td>',
        row.enrollment_id,
        pick_label,
        row.name,
    )


@register.simple_tag
def roster_rows(
    rows: Iterable[RosterRow], can_manage: bool, change_label: str, pick_label: str = ""
) -> SafeString:
    """The cohort's members; managers also get a box to tick each (for the action bar) and
    the status and invitation columns."""
    labels: _Labels = {}

    def cells(row: RosterRow) -> tuple[object, ...]:
        managed = (
            html_format(
                "<td>{}</td><td>{}</td>",
                _status_cell(row, change_label),
                _invitation_cell(row, labels),
            )
            if can_manage
            else ""
        )
        pick = _pick_cell(row, pick_label) if can_manage else ""
        return (
            pick,
            row.person_url,
            row.name,
            row.organization,
            row.job_title,
            row.profile,
            managed,
        )

    return html_format_join(
        "\n",
        '<tr>{}<th scope="row" class="fw-normal"><a href="{}">{}</a></th><td>{}</td><td>{}</td>'
        "<td>{}</td>{}</tr>",
        (cells(row) for row in rows),
    )


@register.simple_tag
def other_rows(rows: Iterable[RosterRow], change_label: str) -> SafeString:
    """Applicants, the waiting list and withdrawals, with their status to change."""
    return html_format_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>',
        (
            (row.person_url, row.name, row.organization, _status_cell(row, change_label))
            for row in rows
        ),
    )


@register.simple_tag
def people_rows(rows: Iterable[PersonRow]) -> SafeString:
    def cohorts(row: PersonRow) -> SafeString:
        return html_format_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            ((link.url, link.label, link.status) for link in row.cohorts),
        )

    return html_format_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        ((row.url, row.name, row.organization, row.job_title, cohorts(row)) for row in rows),
    )


@register.simple_tag
def schedule_rows(
    rows: Iterable[ScheduleRow],
    recorded: str,
    not_recorded: str,
    take: str,
    cancelled: str = "",
) -> SafeString:
    def place(row: ScheduleRow) -> SafeString:
        if not row.location:
            return mark_safe("")
        return html_format('<br><span class="small text-body-secondary">{}</span>', row.location)

    def attendance(row: ScheduleRow) -> SafeString | str:
        if row.cancelled:
            return cancelled
        if row.recorded:
            return recorded
        if not row.held:
            return "—"
        if row.attendance_url:
            return html_format(
                '<a href="{}">{}<span class="visually-hidden">: {}</span></a>',
                row.attendance_url,
                take,
                row.title,
            )
        return not_recorded

    return html_format_join(
        "\n",
        '<tr><td class="num">{}</td><th scope="row" class="fw-normal"><a href="{}">{}</a>{}</th>'
        '<td>{}</td><td><a href="{}">{}</a></td><td class="num text-end">{}</td><td>{}</td></tr>',
        (
            (
                row.dates,
                row.url,
                row.title,
                place(row),
                row.kind,
                row.cohort_url,
                row.cohort,
                row.hours,
                attendance(row),
            )
            for row in rows
        ),
    )


def _target_cell(row: CompositionRow) -> str:
    if row.target_min is not None and row.target_max is not None:
        return f"{percent_text(row.target_min)}–{percent_text(row.target_max)}"
    if row.target_min is not None:
        return gettext("at least %(p)s") % {"p": percent_text(row.target_min)}
    if row.target_max is not None:
        return gettext("at most %(p)s") % {"p": percent_text(row.target_max)}
    return "—"


@register.simple_tag
def composition_rows(composition: Composition) -> SafeString:
    """The composition table's body: one ``tbody`` per dimension, a row per category."""
    marks = {
        True: html_format('<span class="badge badge-status-ok">{}</span>', gettext("On target")),
        False: html_format('<span class="badge badge-status-off">{}</span>', gettext("Off target")),
        None: "",
    }
    return html_format_join(
        "\n",
        '<tbody><tr class="table-light"><th scope="colgroup" colspan="5">{}</th></tr>{}</tbody>',
        (
            (
                group.label,
                html_format_join(
                    "",
                    '<tr><th scope="row" class="fw-normal">{}</th><td class="num text-end">{}</td>'
                    '<td class="num text-end">{}</td><td class="num text-end">{}</td>'
                    "<td>{}</td></tr>",
                    (
                        (
                            row.label,
                            DASH if row.count is None else row.count,  # suppressed
                            percent_text(row.share),
                            _target_cell(row),
                            marks[row.on_target],
                        )
                        for row in group.rows
                    ),
                ),
            )
            for group in composition.groups
        ),
    )
