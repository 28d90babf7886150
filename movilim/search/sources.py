"""The registry of what search finds: each source turns its objects into documents for the one
search table, says which of them a reader may see, and may name people as evidence for the
expert finder.

A source is registered once (``register``) from ``SearchConfig.ready()``; search, the expert
finder, the reindex command and the signals that keep the table current all read the
registry, never the apps. Adding the projects source later is one class and one ``register``
call (see ``docs/search.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from movilim.community.models import Audience, Discussion, Event, KnowledgeItem, Membership
from movilim.community.policies import (
    CommunityPolicy,
    DiscussionPolicy,
    EventPolicy,
    ItemPolicy,
    Member,
    MembershipPolicy,
)
from movilim.core.models import User
from movilim.people.models import Organization, Person
from movilim.programs.facts import Facts
from movilim.projects.models import Project, ProjectMember, StrategicGoal
from movilim.projects.policies import ProjectPolicy


@dataclass(frozen=True)
class Document:
    """What the search table keeps of one object. ``text`` is everything searchable besides the
    title; ``program_id`` and ``person_id`` mean what the source's ``visible`` and
    ``evidence`` make of them."""

    object_id: int
    title: str
    text: str
    url: str
    program_id: int | None = None
    person_id: int | None = None
    summary: str = ""
    day: date | None = None


@dataclass(frozen=True)
class Reader:
    """Who is searching: the programs' facts and their community membership."""

    facts: Facts
    member: Member | None


@dataclass(frozen=True)
class Evidence:
    """One reason to think a person can help: shown beside their name."""

    label: str | Promise
    title: str
    url: str = ""
    weight: int = 1


@dataclass
class Source:
    """One kind of object search finds. Subclasses fill in the four methods below."""

    kind: str = ""
    label: str | Promise = ""
    order: int = 0
    #: Models whose changes change this source's documents (see ``ids_for``).
    watches: tuple[type[Model], ...] = field(default=())
    #: Many-to-many tables whose changes do too; the instance they report (either side of the
    #: relation) must be of a watched model.
    through: tuple[type[Model], ...] = field(default=())
    #: Fields no document reads: a save that writes only these (a sign-in stamping
    #: ``last_login``, a new password) leaves every entry as it was, so nothing is refreshed.
    unread_fields: frozenset[str] = field(default=frozenset())

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        """Documents of these objects (all objects when ``ids`` is None). An id with no
        document (deleted, or no longer to be found) has its entry removed."""
        raise NotImplementedError

    def ids_for(self, instance: Model) -> list[int]:
        """The ids of this source's objects that a change to ``instance`` affects."""
        return [instance.pk] if isinstance(instance, self.watches[0]) else []

    def visible(self, reader: Reader) -> Q:
        """The condition on ``search.Entry`` (this kind's rows) for what ``reader`` may see."""
        raise NotImplementedError

    def evidence(self, reader: Reader, entries: list[Any]) -> dict[int, list[Evidence]]:
        """For the expert finder: people, by id, that these matching entries speak for."""
        return {}


def _program_condition(policy: CommunityPolicy[Any]) -> Q:
    programs = policy.program_ids("view")
    return Q() if programs is None else Q(program_id__in=programs)


class PeopleSource(Source):
    """Members of the community, with the profile fields they show to members."""

    def __init__(self) -> None:
        super().__init__(
            "person",
            _("People"),
            10,
            (Membership, Person, User),
            unread_fields=frozenset({"last_login", "password"}),
        )

    def ids_for(self, instance: Model) -> list[int]:
        if isinstance(instance, Membership):
            return [instance.person_id]
        if isinstance(instance, Person):
            return [instance.pk]
        person = Person.objects.filter(user_id=instance.pk).values_list("pk", flat=True)
        return list(person)

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        memberships = Membership.objects.filter(is_active=True).select_related(
            "person__user", "person__organization"
        )
        if ids is not None:
            memberships = memberships.filter(person_id__in=list(ids))
        for membership in memberships.iterator(chunk_size=2000):
            person = membership.person
            shown = {
                name
                for name in ("organization", "job_title", "expertise", "bio")
                if membership.audience_of(name) == Audience.MEMBERS
            }
            organization = person.organization
            parts = [
                person.job_title if "job_title" in shown else "",
                person.expertise if "expertise" in shown else "",
                person.bio if "bio" in shown else "",
                f"{organization.name_he} {organization.name_en}"
                if organization and "organization" in shown
                else "",
                str(membership.get_kind_display()),
            ]
            yield Document(
                object_id=person.pk,
                title=person.full_name,
                text=" ".join(p for p in parts if p),
                url=reverse("community:profile", args=[person.pk]),
                program_id=membership.program_id,
                person_id=person.pk,
                summary=(person.expertise if "expertise" in shown else "")[:500],
            )

    def visible(self, reader: Reader) -> Q:
        return _program_condition(MembershipPolicy(reader.facts, reader.member))

    def evidence(self, reader: Reader, entries: list[Any]) -> dict[int, list[Evidence]]:
        return {
            entry.object_id: [
                Evidence(_("Declared expertise"), entry.summary or entry.title, entry.url, 3)
            ]
            for entry in entries
        }


class ItemsSource(Source):
    def __init__(self) -> None:
        super().__init__("item", _("Knowledge items"), 20, (KnowledgeItem,))

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        items = KnowledgeItem.objects.select_related("cluster")
        if ids is not None:
            items = items.filter(pk__in=list(ids))
        for item in items.iterator(chunk_size=2000):
            yield Document(
                object_id=item.pk,
                title=item.title,
                text=" ".join(
                    [
                        item.summary,
                        item.body,
                        item.tags,
                        str(item.get_kind_display()),
                        item.cluster.name_he if item.cluster else "",
                    ]
                ),
                url=reverse("community:item", args=[item.pk]),
                program_id=item.program_id,
                person_id=item.author_id,
                summary=item.summary or item.body[:200],
                day=item.published_on,
            )

    def visible(self, reader: Reader) -> Q:
        return _program_condition(ItemPolicy(reader.facts, reader.member))

    def evidence(self, reader: Reader, entries: list[Any]) -> dict[int, list[Evidence]]:
        found: dict[int, list[Evidence]] = {}
        for entry in entries:
            if entry.person_id is not None:
                found.setdefault(entry.person_id, []).append(
                    Evidence(_("Wrote"), entry.title, entry.url, 2)
                )
        return found


class EventsSource(Source):
    def __init__(self) -> None:
        super().__init__("event", _("Events"), 30, (Event,), (Event.speakers.through,))

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        events = Event.objects.prefetch_related("speakers__user")
        if ids is not None:
            events = events.filter(pk__in=list(ids))
        for event in events.iterator(chunk_size=500):
            speakers = " ".join(p.full_name for p in event.speakers.all())
            yield Document(
                object_id=event.pk,
                title=event.title,
                text=" ".join(
                    [event.description, event.location, str(event.get_kind_display()), speakers]
                ),
                url=reverse("community:event", args=[event.pk]),
                program_id=event.program_id,
                summary=event.description[:200],
                day=event.starts_on,
            )

    def visible(self, reader: Reader) -> Q:
        return _program_condition(EventPolicy(reader.facts, reader.member))

    def evidence(self, reader: Reader, entries: list[Any]) -> dict[int, list[Evidence]]:
        by_event = {entry.object_id: entry for entry in entries}
        talks = Event.speakers.through.objects.filter(event_id__in=list(by_event)).values_list(
            "event_id", "person_id"
        )
        found: dict[int, list[Evidence]] = {}
        for event_id, person_id in talks:
            entry = by_event[event_id]
            found.setdefault(person_id, []).append(
                Evidence(_("Spoke at"), entry.title, entry.url, 2)
            )
        return found


class DiscussionsSource(Source):
    def __init__(self) -> None:
        super().__init__("discussion", _("Discussions"), 40, (Discussion,))

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        discussions = Discussion.objects.all()
        if ids is not None:
            discussions = discussions.filter(pk__in=list(ids))
        for discussion in discussions.iterator(chunk_size=1000):
            yield Document(
                object_id=discussion.pk,
                title=discussion.title,
                text=f"{discussion.framing} {discussion.summary}",
                url=reverse("community:discussion", args=[discussion.pk]),
                program_id=discussion.program_id,
                summary=(discussion.summary or discussion.framing)[:200],
                day=discussion.opens_on,
            )

    def visible(self, reader: Reader) -> Q:
        return _program_condition(DiscussionPolicy(reader.facts, reader.member))


class ProjectsSource(Source):
    """Projects, with their goals and organizations in both languages. Who may see one is the
    projects app's own rule (``projects.policies``), not the community's: members of a
    program read its projects, a project's members read it whatever their cohort."""

    def __init__(self) -> None:
        super().__init__(
            "project",
            _("Projects"),
            15,
            (Project, StrategicGoal, Organization),
            (Project.goals.through, Project.organizations.through),
        )

    def ids_for(self, instance: Model) -> list[int]:
        if isinstance(instance, Project):
            return [instance.pk]
        related = "goals" if isinstance(instance, StrategicGoal) else "organizations"
        return list(Project.objects.filter(**{related: instance.pk}).values_list("pk", flat=True))

    def documents(self, ids: Iterable[int] | None) -> Iterator[Document]:
        projects = Project.objects.select_related("cohort").prefetch_related(
            "goals", "organizations"
        )
        if ids is not None:
            projects = projects.filter(pk__in=list(ids))
        for project in projects.iterator(chunk_size=1000):
            names = [
                f"{named.name_he} {named.name_en}"
                for named in [*project.goals.all(), *project.organizations.all()]
            ]
            yield Document(
                object_id=project.pk,
                title=project.title,
                text=" ".join([project.description, str(project.get_kind_display()), *names]),
                url=reverse("projects:detail", args=[project.pk]),
                program_id=project.cohort.program_id,
                summary=project.description[:200],
                day=project.stage_since,
            )

    def visible(self, reader: Reader) -> Q:
        policy = ProjectPolicy(reader.facts)
        if reader.facts.is_admin:
            return Q()
        return Q(object_id__in=policy.instances_user_has_permission_for("view").values("pk"))

    def evidence(self, reader: Reader, entries: list[Any]) -> dict[int, list[Evidence]]:
        """Everyone who worked on a matching project, at any time (a project is stronger
        evidence than an item)."""
        by_project = {entry.object_id: entry for entry in entries}
        worked = (
            ProjectMember.objects.filter(project_id__in=list(by_project))
            .values_list("project_id", "person_id")
            .distinct()
        )
        found: dict[int, list[Evidence]] = {}
        for project_id, person_id in worked:
            entry = by_project[project_id]
            found.setdefault(person_id, []).append(
                Evidence(_("Worked on"), entry.title, entry.url, 3)
            )
        return found


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    # The kind names its partial indexes on PostgreSQL (search.indexes): letters only.
    if not re.fullmatch("[a-z]{1,20}", source.kind):
        raise ValueError(f"A source's kind is 1 to 20 small Latin letters, not {source.kind!r}")
    _REGISTRY[source.kind] = source
    return source


def registered() -> list[Source]:
    return sorted(_REGISTRY.values(), key=lambda source: (source.order, source.kind))


def get(kind: str) -> Source | None:
    return _REGISTRY.get(kind)


def register_defaults() -> None:
    for source in (
        PeopleSource(),
        ProjectsSource(),
        ItemsSource(),
        EventsSource(),
        DiscussionsSource(),
    ):
        register(source)
