from django.urls import path

from movilim.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "notices"

# Mounted at the site's root: the feed's address is older than this app's part of it, and
# calendars that subscribed to it must keep finding it.
urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/read/", views.notice_mark_read, name="mark_read"),
    path("notices/preferences/", views.preferences, name="preferences"),
    path("notices/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
