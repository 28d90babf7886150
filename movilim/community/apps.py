from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """The leaders network and the transformation community: membership, clusters, events,
    knowledge, discussions, digests.
    """

    name = "movilim.community"
    label = "community"
    verbose_name = _("Community")
