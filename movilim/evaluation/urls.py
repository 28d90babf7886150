from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.studies, name="studies"),
    path("waves/<id:pk>/report/", views.report, name="report"),
    path("waves/<id:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("waves/<id:pk>/export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("waves/<id:pk>/compare/", views.compare, name="compare"),
    path("waves/<id:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("waves/<id:pk>/qualitative/", views.qualitative, name="qualitative"),
]
