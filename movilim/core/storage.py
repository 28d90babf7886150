"""Static files storage for production."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, remembering each URL once worked out.

    Every page links seven static files, and working their hashed URLs out again on each request
    was a measurable part of a page served from the cache. The manifest is fixed for the life
    of the process (``collectstatic`` runs before the server starts), so a URL never changes
    once found. The names come from templates, so the memory stays small.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force=force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
