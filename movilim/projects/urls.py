from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.catalogue, name="list"),
    path("new/", views.create, name="create"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/stage/", views.stage, name="stage"),
    path("<id:pk>/members/new/", views.member_add, name="member_add"),
    path("<id:pk>/members/<id:member_pk>/end/", views.member_end, name="member_end"),
    path("<id:pk>/links/new/", views.link_add, name="link_add"),
    path("<id:pk>/links/<id:link_pk>/delete/", views.link_delete, name="link_delete"),
    path("<id:pk>/files/new/", views.attachment_add, name="attachment_add"),
    path("<id:pk>/files/<id:file_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("files/<id:pk>/", views.attachment, name="attachment"),
    path("portfolio/", views.dashboard, name="dashboard"),
    path("portfolio.xlsx", views.dashboard_export, name="dashboard_export"),
    path("interests/", views.interests, name="interests"),
    path("teams/<id:cohort_pk>/", views.team_formation, name="teams"),
]
