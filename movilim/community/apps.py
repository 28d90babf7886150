from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """The leaders network and the transformation community: membership, clusters, events,
    knowledge, discussions, digests.
    """

    name = "movilim.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from movilim.core import userfacts

        from . import calendars, digests, models, notifications, policies, sections

        userfacts.register(policies.USER_PART)
        sections.register()
        calendars.register_feed()
        digests.register()
        notifications.register()
        for model in (
            models.Membership,
            models.Cluster,
            models.Event,
            models.Registration,
            models.KnowledgeItem,
            models.Discussion,
            models.Reply,
            models.Digest,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
