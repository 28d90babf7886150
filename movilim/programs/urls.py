from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from .views import cohorts, imports, people, sessions

app_name = "programs"

urlpatterns = [
    path("programs/", cohorts.program_list, name="list"),
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
]
