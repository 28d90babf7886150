from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "surveys"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/import/", views.xlsform_import, name="xlsform_import"),
    path("instruments/<id:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<id:pk>/xlsform/", views.xlsform_export, name="xlsform_export"),
    path("instruments/<id:pk>/waves/new/", views.wave_create, name="wave_create"),
    path("questions/<id:pk>/", views.question_edit, name="question_edit"),
    path("questions/<id:pk>/move/", views.question_move, name="question_move"),
    path("sections/<id:pk>/", views.section_edit, name="section_edit"),
    path("domains/", views.domain_list, name="domains"),
    path("waves/<id:pk>/", views.wave_detail, name="wave"),
    path("waves/<id:pk>/invite/", views.wave_invite, name="wave_invite"),
    path("waves/<id:pk>/import/", views.responses_import, name="responses_import"),
    path("mine/", views.my_questionnaires, name="mine"),
    path("answer/<id:pk>/", views.answer, name="answer"),
    path("a/<str:token>/", views.answer_by_token, name="answer_token"),
]
