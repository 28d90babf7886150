from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views, views_staff

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", views.directory, name="directory"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<id:pk>/", views.profile, name="profile"),
    path("me/", views.settings_page, name="settings"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/new/", views_staff.cluster_create, name="cluster_create"),
    path("clusters/<id:pk>/", views.cluster, name="cluster"),
    path("clusters/<id:pk>/edit/", views_staff.cluster_edit, name="cluster_edit"),
    path("clusters/<id:pk>/archive/", views_staff.cluster_archive, name="cluster_archive"),
    path("clusters/<id:pk>/join/", views.cluster_join, name="cluster_join"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<id:pk>/", views.event, name="event"),
    path("events/<id:pk>/register/", views.event_register, name="event_register"),
    path("events/<id:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<id:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<id:pk>/edit/", views_staff.event_edit, name="event_edit"),
    path(
        "events/<id:pk>/cancellation/",
        views_staff.event_cancellation,
        name="event_cancellation",
    ),
    path(
        "events/<id:pk>/registrations/",
        views_staff.event_registrations,
        name="event_registrations",
    ),
    path("events/<id:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("knowledge/", views.items, name="items"),
    path("knowledge/new/", views.item_create, name="item_create"),
    path("knowledge/<id:pk>/", views.item, name="item"),
    path("knowledge/<id:pk>/file/", views.item_file, name="item_file"),
    path("discussions/", views.discussions, name="discussions"),
    path("discussions/new/", views.discussion_create, name="discussion_create"),
    path("discussions/<id:pk>/", views.discussion, name="discussion"),
    path("discussions/<id:pk>/close/", views.discussion_close, name="discussion_close"),
    path("digests/", views.digests, name="digests"),
    path("digests/<id:pk>/", views.digest, name="digest"),
    path("digests/<id:pk>/send/", views.digest_send, name="digest_send"),
]
