from django.urls import path  # noqa: F401 - used as the app's pages are added

from movilim.core import converters  # noqa: F401 - registers <id:…>

app_name = "maturity"

urlpatterns: list = []
