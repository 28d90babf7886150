from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One Hebrew-aware search over what the reader may see, the expert finder and similar
    projects.
    """

    name = "movilim.search"
    label = "search"
    verbose_name = _("Search")
