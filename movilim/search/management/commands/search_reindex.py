"""Write the whole search table again from its sources (after a bulk load, or a change to the
normalization rules)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from movilim.search import index, sources


class Command(BaseCommand):
    help = "Rebuild the search table from every registered source."

    def handle(self, *args: Any, **options: Any) -> None:
        for source in sources.registered():
            count = index.rebuild(source)
            self.stdout.write(f"{source.kind}: {count}")
