"""Places where apps add their parts to pages they do not own: the main menu, the home page and
a person's profile.

The apps above ``programs`` (projects, surveys, evaluation, community, recruitment) each add a
section to the home page or the profile and an item to the menu; the pages that show them
(``movilim.portal`` and the profile view) read these registries and never import those apps.
An app registers in its ``AppConfig.ready()``; ``core`` sits at the bottom of the dependency
graph, so any app may import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuItem:
    """A link in the main menu, shown when ``visible(request)`` says so."""

    name: str  # a unique key, also the URL name unless ``url_name`` differs
    label: str | Promise
    order: int
    visible: Callable[[HttpRequest], bool]
    url_name: str = ""
    #: A number shown beside the label (unread notices), or None for none: one query at most.
    badge: Callable[[HttpRequest], int | None] | None = None

    @property
    def target(self) -> str:
        return self.url_name or self.name


@dataclass(frozen=True)
class Section:
    """A part of a shared page: ``context(request, *subject)`` returns the data its template
    needs, or None when the section has nothing for this reader (it is then left out).

    The template receives the data as ``section`` and must render a complete, headed block
    (an ``<section>`` with its own heading), since sections are shown one after another.
    """

    name: str
    template: str
    order: int
    context: Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Rendered:
    """A section with its data for one request, ready for ``{% include %}``."""

    name: str
    template: str
    data: dict[str, Any]


T = TypeVar("T", MenuItem, Section)


class Registry(Generic[T]):
    """Items registered by name, kept in ``order``; registering a name again replaces it, so an
    app reloaded in a test or a development server never shows twice."""

    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        self._items[item.name] = item
        return item

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._items.values(), key=lambda item: (item.order, item.name)))


menu: Registry[MenuItem] = Registry()
home: Registry[Section] = Registry()
profile: Registry[Section] = Registry()


def render_sections(
    registry: Registry[Section], request: HttpRequest, *subject: Any
) -> list[Rendered]:
    """The sections of ``registry`` that have something for this reader, in order."""
    shown = []
    for section in registry:
        data = section.context(request, *subject)
        if data is not None:
            shown.append(Rendered(section.name, section.template, data))
    return shown
