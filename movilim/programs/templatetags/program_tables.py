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

from movilim.core.formatting import DASH, escaped, html_format, html_format_join, percent_text

from ..queries import (
    Composition,
    CompositionRow,
    PersonRow,
    RosterRow,
    RunningCohort,
    ScheduleRow,
)

register = template.Library()


def _status_cell(row: RosterRow, name: str, change_label: str) -> str:
    """The status with its change link; ``name`` and ``change_label`` come escaped."""
    url = escaped(row.status_url)
    return (
        f'<span class="me-2">{escaped(row.status_label)}</span> <a href="{url}" hx-get="{url}" '
        f'hx-target="closest td" class="small">{change_label}'
        f'<span class="visually-hidden">: {name}</span></a>'
    )


#: Sentences of an invitation state (label, button), escaped, by state and date, within one table.
_Labels = dict[tuple[object, ...], tuple[str, str]]


def _invitation_cell(row: RosterRow, name: str, labels: _Labels) -> str:
    """Where the person's invitation stands, and a button to send it; ``name`` comes escaped."""
    invitation = row.invitation
    if invitation is None:
        return ""
    # Most rows share a few states: each state's sentences are translated once per table.
    key = (invitation.state, invitation.at)
    if key not in labels:
        labels[key] = (escaped(invitation.label), escaped(invitation.action_label))
    label_text, action_label = labels[key]
    label = f'<span class="me-2">{label_text}</span>'
    if not invitation.can_invite:
        return label
    return (
        f'{label}<button type="submit" form="invite-form" formaction="{escaped(row.invite_url)}" '
        f'class="btn btn-link btn-sm p-0 align-baseline">{action_label}'
        f'<span class="visually-hidden">: {name}</span></button>'
    )


@register.simple_tag
def roster_rows(
    rows: Iterable[RosterRow], can_manage: bool, change_label: str, pick_label: str = ""
) -> SafeString:
    """The cohort's members; managers also get a box to tick each (for the action bar) and
    the status and invitation columns.

    Each value is escaped once and the row written in one piece: a name appears in up to four
    cells (the link and three hidden labels), and a hundred rows are on a page.
    """
    change, pick = escaped(change_label), escaped(pick_label)
    labels: _Labels = {}
    lines = []
    for row in rows:
        name = escaped(row.name)
        first = managed = ""
        if can_manage:
            # The row's box for the roster's action bar (whose form is ``roster-actions``).
            first = (
                '<td><input class="form-check-input" type="checkbox" name="enrollment" '
                f'value="{escaped(row.enrollment_id)}" form="roster-actions" '
                f'aria-label="{pick}: {name}"></td>'
            )
            managed = (
                f"<td>{_status_cell(row, name, change)}</td>"
                f"<td>{_invitation_cell(row, name, labels)}</td>"
            )
        lines.append(
            f'<tr>{first}<th scope="row" class="fw-normal"><a href="{escaped(row.person_url)}">'
            f"{name}</a></th><td>{escaped(row.organization)}</td><td>{escaped(row.job_title)}"
            f"</td><td>{escaped(row.profile)}</td>{managed}</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped above


@register.simple_tag
def other_rows(rows: Iterable[RosterRow], change_label: str) -> SafeString:
    """Applicants, the waiting list and withdrawals, with their status to change."""
    change = escaped(change_label)
    lines = []
    for row in rows:
        name = escaped(row.name)
        lines.append(
            f'<tr><th scope="row" class="fw-normal"><a href="{escaped(row.person_url)}">{name}'
            f"</a></th><td>{escaped(row.organization)}</td>"
            f"<td>{_status_cell(row, name, change)}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped above


@register.simple_tag
def running_cohort_items(cohorts: Iterable[RunningCohort]) -> SafeString:
    """The programs page's running cohorts: a list item each, with dates and members."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            '\n          <li class="list-group-item d-flex flex-wrap justify-content-between'
            ' gap-2">'
            f'\n            <a href="{escaped(cohort.url)}">{escaped(cohort.name)}</a>'
            f'\n            <span class="num">{escaped(cohort.dates)} · '
            f"{escaped(cohort.members_text)}</span>\n          </li>\n        "
            for cohort in cohorts
        )
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
