from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("experts/", views.experts, name="experts"),
    path("similar/", views.similar, name="similar"),
    path("similar/project/<id:pk>/", views.similar_to_project, name="similar_to_project"),
]
