from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One Hebrew-aware search over what the reader may see, the expert finder and similar
    projects.
    """

    name = "movilim.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import index, sections, sources

        sources.register_defaults()
        watched = {model for source in sources.registered() for model in source.watches}
        for model in watched:
            uid = f"search.{model._meta.label}"
            post_save.connect(index.on_change, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(index.on_change, sender=model, dispatch_uid=f"{uid}.delete")
        for through in {table for source in sources.registered() for table in source.through}:
            m2m_changed.connect(
                index.on_m2m_change, sender=through, dispatch_uid=f"search.{through._meta.label}"
            )
        sections.register()
