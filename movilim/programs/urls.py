from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from .views import (
    calendars,
    cohorts,
    dashboards,
    documents,
    imports,
    manage,
    organizations,
    participants,
    people,
    session_manage,
    sessions,
)

app_name = "programs"

urlpatterns = [
    path("programs/", cohorts.program_list, name="list"),
    path("programs/new/", manage.program_create, name="program_create"),
    path("programs/<slug:slug>/", cohorts.program_detail, name="program"),
    path("cohorts/<id:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<id:pk>/attendance/", cohorts.cohort_attendance, name="cohort_attendance"),
    path("cohorts/<id:pk>/participants.<str:fmt>", cohorts.cohort_export, name="cohort_export"),
    path("cohorts/<id:cohort_pk>/sessions/new/", sessions.session_create, name="session_create"),
    path("enrollments/<id:pk>/status/", cohorts.enrollment_status, name="enrollment_status"),
    path("schedule/", sessions.schedule, name="schedule"),
    path("sessions/<id:pk>/", sessions.session_detail, name="session"),
    path("sessions/<id:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<id:pk>/attendance/", sessions.attendance_take, name="attendance"),
    path("people/", people.people_list, name="people"),
    path("people/<id:pk>/", people.person_detail, name="person"),
    path("people/<id:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<id:pk>/invite/", people.person_invite, name="person_invite"),
    path("import/", imports.import_upload, name="import"),
    path("import/template/<str:kind>.<str:fmt>", imports.import_template, name="import_template"),
    # --- management ---
    path("programs/<slug:slug>/edit/", manage.program_edit, name="program_edit"),
    path("programs/<slug:slug>/cohorts/new/", manage.cohort_create, name="cohort_create"),
    path("cohorts/<id:pk>/edit/", manage.cohort_edit, name="cohort_edit"),
    path("cohorts/<id:pk>/copy/", manage.cohort_copy, name="cohort_copy"),
    path("cohorts/<id:pk>/participants/add/", participants.participant_add, name="participant_add"),
    path("cohorts/<id:pk>/participants/action/", participants.roster_action, name="roster_action"),
    path("cohorts/<id:pk>/waitlist/move/", participants.waitlist_move, name="waitlist_move"),
    path("cohorts/<id:pk>/history/", participants.cohort_history, name="cohort_history"),
    path("cohorts/<id:pk>/history/undo/", participants.history_undo, name="history_undo"),
    path("enrollments/<id:pk>/move/", participants.enrollment_move, name="enrollment_move"),
    path("sessions/<id:pk>/cancel/", session_manage.session_cancel, name="session_cancel"),
    path("sessions/<id:pk>/delete/", session_manage.session_delete, name="session_delete"),
    path("sessions/<id:pk>/sign-in.pdf", session_manage.signin_sheet, name="signin_sheet"),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/new/", organizations.organization_add, name="organization_add"),
    path("organizations/<id:pk>/edit/", organizations.organization_edit, name="organization_edit"),
    path(
        "organizations/<id:pk>/merge/", organizations.organization_merge, name="organization_merge"
    ),
    # --- calendars, documents, dashboards ---
    path("sessions/<id:pk>/calendar.ics", calendars.session_ics, name="session_ics"),
    path("schedule/month/", calendars.schedule_month, name="schedule_month"),
    path("schedule/sessions.<str:fmt>", calendars.schedule_export, name="schedule_export"),
    path("my/", dashboards.my_dashboard, name="my_dashboard"),
    path("cohorts/<id:pk>/dashboard/", dashboards.cohort_dashboard, name="cohort_dashboard"),
    path("programs/<slug:slug>/dashboard/", dashboards.program_dashboard, name="program_dashboard"),
    path(
        "programs/<slug:slug>/steering/", dashboards.steering_dashboard, name="steering_dashboard"
    ),
    path("enrollments/<id:pk>/hours.pdf", documents.hours_statement, name="hours_statement"),
    path("enrollments/<id:pk>/certificate.pdf", documents.certificate, name="certificate"),
    path("certificates/", documents.certificate_verify, name="certificate_verify"),
    path("cohorts/<id:pk>/hours.<str:fmt>", documents.hours_export, name="hours_export"),
    path(
        "cohorts/<id:pk>/attendance.<str:fmt>",
        documents.attendance_export,
        name="attendance_export",
    ),
]
