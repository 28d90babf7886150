from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "maturity"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("projects/<id:pk>/", views.project, name="project"),
    path("projects/<id:pk>/assess/", views.assess, name="assess"),
    path("projects/<id:pk>/targets/", views.targets, name="targets"),
    path("cohorts/<id:cohort_pk>/heatmap/", views.heatmap, name="heatmap"),
    path("programs/<slug:slug>/authorities/", views.authorities, name="authorities"),
    path("programs/<slug:slug>/organizations/", views.organizations, name="organizations"),
    path("programs/<slug:slug>/organizations/<id:pk>/", views.organization, name="organization"),
    path(
        "programs/<slug:slug>/organizations/<id:pk>/assess/",
        views.organization_assess,
        name="organization_assess",
    ),
]
