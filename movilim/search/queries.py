"""Searching the one table: matching by terms through the database's full-text index, ranked,
grouped by kind and limited to what the reader may see; and the expert finder built on it.

The query's words are turned into the same forms the documents were (``core.hebrew``), so
"בפרויקטים" and "פרויקט" meet. PostgreSQL matches ``tsv @@ to_tsquery('simple', …)`` through
its GIN indexes; SQLite asks its FTS5 table. A query word the vocabulary does not hold is
corrected to its nearest words (trigram similarity, PostgreSQL). Neither database reads the
whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, Count, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise

from movilim.community.models import POOL_KINDS, MemberKind, Membership
from movilim.community.policies import member_for
from movilim.core.hebrew import FINALS, REGULARS, fold, query_groups
from movilim.programs.facts import facts_for
from movilim.projects.models import Project, StrategicGoal
from movilim.projects.policies import ProjectPolicy

from . import sources
from .models import Entry, Word

if TYPE_CHECKING:
    from movilim.core.models import User

#: Rows shown per kind on the grouped page, and on a page of one kind.
PER_GROUP = 5
PER_KIND = 50
#: Queries longer than this many words are cut: a search box, not a document.
MAX_WORDS = 8
#: Below this trigram similarity a title is not taken as a mistyped query.
TRIGRAM_THRESHOLD = 0.35


def reader_for(user: User | None) -> sources.Reader:
    return sources.Reader(facts_for(user), member_for(user))


def tsquery(groups: list[list[str]]) -> str:
    """``(a | b) & (c | d:*)``: some form of every word; the last word may be unfinished. The
    forms hold letters and digits only (``hebrew.words``), so nothing here is syntax."""
    parts = []
    for index, forms in enumerate(groups):
        options = list(forms)
        if index == len(groups) - 1:
            options[0] = f"{options[0]}:*"
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)


def fts5_query(groups: list[list[str]]) -> str:
    parts = []
    for index, forms in enumerate(groups):
        options = [f'"{form}"' for form in forms]
        if index == len(groups) - 1:
            options[0] += "*"
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


#: Columns a result never shows: the terms are kilobytes per row.
HEAVY = ("terms", "title_terms", "tsv", "title_tsv", "title_folded")

#: Matches read per kind before ranking: by title, and anywhere. Ranking every match of a
#: common word would read thousands of rows; the title's matches come first, so what is cut
#: is the tail of body-only matches of a very common word.
CANDIDATES = 150


@dataclass(frozen=True)
class Match:
    """A query ready to run against the table: ``entries`` gives the best ``limit`` entries of
    one kind under a further condition (what the reader may see), with a ``rank``."""

    groups: list[list[str]]
    text: str

    def entries(self, kind: str, where: Q, limit: int) -> list[Entry]:
        if connection.vendor == "postgresql":
            return self._postgresql(Entry.objects.filter(Q(kind=kind) & where), limit)
        query = fts5_query(self.groups)
        return list(
            Entry.objects.filter(Q(kind=kind) & where)
            .filter(
                id__in=RawSQL(
                    "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s", [query]
                )
            )
            .annotate(
                rank=RawSQL(
                    "(SELECT -bm25(search_entry_fts, 4.0, 1.0) FROM search_entry_fts "
                    "WHERE search_entry_fts MATCH %s AND rowid = search_entry.id)",
                    [query],
                    output_field=FloatField(),
                )
            )
            .order_by("-rank", "-id")
            .defer(*HEAVY)[:limit]
        )

    def _postgresql(self, base: QuerySet[Entry], limit: int) -> list[Entry]:
        """Matches in the title first (ranked by the small title vector); the text's other
        matches only when the titles give fewer than ``limit``, since they rank below."""
        query = tsquery(self.groups)
        # The words as typed rank above their other readings ("משרד" above "שרד").
        exact = " | ".join(forms[0] for forms in self.groups)
        folded = fold(self.text)[:100]
        rank = RawSQL(
            "2 * ts_rank(title_tsv, to_tsquery('simple', %s))"
            " + ts_rank(title_tsv, to_tsquery('simple', %s))"
            " + similarity(title_folded, %s)",
            [query, exact, folded],
            output_field=FloatField(),
        )
        rows: list[Entry] = []
        for column in ("title_tsv", "tsv"):
            # ``column`` is one of the two names above; the query is a parameter.
            condition = RawSQL(  # noqa: S611
                f"{column} @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()
            )
            candidates = base.filter(condition).exclude(id__in=[row.id for row in rows])
            try:
                sql, params = _sql(candidates)
            except EmptyResultSet:  # the reader may see nothing of this kind
                return []
            rows += list(
                Entry.objects.filter(id__in=RawSQL(sql, params))  # noqa: S611 - compiled by Django
                .annotate(rank=rank)
                .order_by("-rank", "-day", "-id")
                .defer(*HEAVY)[: limit - len(rows)]
            )
            if len(rows) >= limit:
                break
        return rows


def _sql(entries: QuerySet[Entry]) -> tuple[str, tuple[Any, ...]]:
    return entries.values("id")[:CANDIDATES].query.sql_with_params()


#: Corrections offered for a query word the vocabulary does not hold.
CORRECTIONS = 2


def corrected(groups: list[list[str]]) -> list[list[str]]:
    """On PostgreSQL, a query word that no document holds (neither as typed nor in any of its
    forms of four letters or more) also asks for the nearest words of the vocabulary by
    trigram similarity ("שרות" finds "שירות"). One query for the check, one per unknown word;
    call inside :func:`indexed_only`, so the lookups go through the trigram index."""
    if connection.vendor != "postgresql":
        return groups
    asked = {form for forms in groups for form in forms if form == forms[0] or len(form) >= 4}
    known = set(Word.objects.filter(word__in=asked).values_list("word", flat=True))
    result = []
    for forms in groups:
        if len(forms[0]) < 3 or any(f in known for f in forms if f == forms[0] or len(f) >= 4):
            result.append(forms)
            continue
        near = Word.objects.filter(
            RawSQL("word %% %s", [forms[0]], output_field=BooleanField())
        ).order_by(RawSQL("similarity(word, %s)", [forms[0]]).desc())[:CORRECTIONS]
        result.append(forms + [w for w in near.values_list("word", flat=True) if w not in forms])
    return result


def matching(text: str) -> Match | None:
    """The query for ``text``, or None when it has nothing to search for."""
    groups = query_groups(text)[:MAX_WORDS]
    if not groups:
        return None
    with indexed_only():
        return Match(corrected(groups), " ".join(text.split()))


@contextmanager
def indexed_only() -> Iterator[None]:
    """Keep PostgreSQL on the indexes for the statements inside.

    A candidate list is read with a LIMIT, and for a common word the planner then expects a
    sequential scan to find enough rows early; but testing each row's text vector costs far
    more than it estimates (3 s over 120,000 entries against 5 ms through the index, measured
    by ``bench/search.py``). Inside a transaction of its own, so nothing else is affected.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield


@dataclass
class Group:
    kind: str
    label: str | Promise
    entries: list[Entry]
    more: bool


def search(user: User | None, text: str, *, kind: str | None = None) -> list[Group]:
    """The reader's results for ``text``, grouped by kind in the registry's order (one kind
    only, and more of it, when ``kind`` is given). One query per kind."""
    found = matching(text)
    if found is None:
        return []
    reader = reader_for(user)
    limit = PER_KIND if kind else PER_GROUP
    groups = []
    with indexed_only():
        found_rows = [
            (source, list(found.entries(source.kind, source.visible(reader), limit + 1)))
            for source in sources.registered()
            if not kind or source.kind == kind
        ]
    for source, rows in found_rows:
        if rows:
            groups.append(Group(source.kind, source.label, rows[:limit], len(rows) > limit))
    return groups


# --- the expert finder ----------------------------------------------------------------------

#: How many matching entries of each kind the expert finder weighs.
EVIDENCE_PER_KIND = 200
EVIDENCE_SHOWN = 4


@dataclass
class Expert:
    person_id: int
    name: str
    url: str
    summary: str
    kind: str
    score: int = 0
    evidence: list[sources.Evidence] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(MemberKind(self.kind).label) if self.kind in MemberKind.values else ""


def experts(user: User | None, text: str, *, pool_only: bool = False) -> list[Expert]:
    """People who can help with ``text``, ranked by the evidence the sources give (declared
    expertise, items written, talks given), each with that evidence; only people the reader
    may find in the directory. ``pool_only``: consultants and lecturers."""
    found = matching(text)
    if found is None:
        return []
    reader = reader_for(user)
    evidence: dict[int, list[sources.Evidence]] = {}
    with indexed_only():
        matches = [
            (source, list(found.entries(source.kind, source.visible(reader), EVIDENCE_PER_KIND)))
            for source in sources.registered()
        ]
    for source, rows in matches:
        for person_id, items in source.evidence(reader, rows).items():
            evidence.setdefault(person_id, []).extend(items)
    if not evidence:
        return []
    people = sources.get("person")
    assert people is not None
    directory = Entry.objects.filter(
        Q(kind="person", object_id__in=list(evidence)) & people.visible(reader)
    ).values_list("object_id", "title", "url", "summary")
    kinds = dict(
        Membership.objects.filter(person_id__in=list(evidence)).values_list("person_id", "kind")
    )
    result = []
    for person_id, name, url, summary in directory:
        if pool_only and kinds.get(person_id) not in POOL_KINDS:
            continue
        items = sorted(evidence[person_id], key=lambda e: -e.weight)
        result.append(
            Expert(
                person_id=person_id,
                name=name,
                url=url,
                summary=summary,
                kind=kinds.get(person_id, ""),
                score=sum(e.weight for e in items),
                evidence=items[:EVIDENCE_SHOWN],
            )
        )
    result.sort(key=lambda expert: (-expert.score, expert.name))
    return result[:30]


# --- are there similar projects -------------------------------------------------------------

#: The first words of a project's title and description (or of an idea) that are compared.
SIMILAR_WORDS = 24
#: Projects sharing words, and projects sharing goals, read before ranking.
SIMILAR_CANDIDATES = 100
#: A shared strategic goal counts as much as two shared words.
GOAL_WEIGHT = 2
SIMILAR_SHOWN = 10

_TO_FINAL = dict(zip(REGULARS, FINALS, strict=True))


@dataclass
class Similar:
    """A project like the one asked about, and why: the words and the goals they share."""

    project: Project
    words: list[str]
    goals: list[StrategicGoal]
    score: float


def _shown(word: str) -> str:
    """A folded Hebrew word as it is written: its last letter in final form."""
    return word[:-1] + _TO_FINAL[word[-1]] if len(word) > 1 and word[-1] in _TO_FINAL else word


def _sharing_words(groups: list[list[str]], where: Q, limit: int) -> list[Entry]:
    """Project entries holding some form of any of the words, best first (through the
    project kind's GIN index on PostgreSQL, FTS5 on SQLite)."""
    entries = Entry.objects.filter(Q(kind="project") & where)
    if connection.vendor == "postgresql":
        # The forms hold letters and digits only (``hebrew.words``), so nothing here is syntax.
        query = " | ".join(form for forms in groups for form in forms)
        matches = entries.filter(
            RawSQL("tsv @@ to_tsquery('simple', %s)", [query], output_field=BooleanField())
        ).annotate(rank=RawSQL("ts_rank(tsv, to_tsquery('simple', %s))", [query], FloatField()))
    else:
        query = " OR ".join(f'"{form}"' for forms in groups for form in forms)
        matches = entries.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s", [query]
            )
        ).annotate(
            rank=RawSQL(
                "(SELECT -bm25(search_entry_fts, 4.0, 1.0) FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s AND rowid = search_entry.id)",
                [query],
                output_field=FloatField(),
            )
        )
    return list(matches.order_by("-rank", "-id").only("object_id", "title_terms", "terms")[:limit])


def similar_projects(
    user: User | None,
    *,
    project: Project | None = None,
    text: str = "",
    goals: list[StrategicGoal] | None = None,
) -> list[Similar]:
    """Projects like ``project`` (its title, description and strategic goals) or like an idea
    (``text`` and the ``goals`` chosen for it), across cohorts and organizations, only those
    the reader may see: ranked by the words they share (one point a word, in any of its forms)
    and the goals they share (``GOAL_WEIGHT`` each). Six queries whatever the numbers."""
    if project is not None:
        text = f"{project.title} {project.description}"
        goals = list(project.goals.all())
    goals = goals or []
    groups = query_groups(text)[:SIMILAR_WORDS]
    if not groups and not goals:
        return []
    facts = facts_for(user)
    visible = ProjectPolicy(facts).instances_user_has_permission_for("view")
    source = sources.get("project")
    assert source is not None
    where = source.visible(reader_for(user))
    if project is not None:
        where &= ~Q(object_id=project.pk)
        visible = visible.exclude(pk=project.pk)
    through = Project.goals.through
    goal_ids = [goal.pk for goal in goals]
    with indexed_only():
        by_words = _sharing_words(groups, where, SIMILAR_CANDIDATES) if groups else []
        by_goals = (
            list(
                through.objects.filter(
                    strategicgoal_id__in=goal_ids, project_id__in=visible.values("pk")
                )
                .values("project_id")
                .annotate(shared=Count("id"))
                .order_by("-shared", "-project_id")
                .values_list("project_id", flat=True)[:SIMILAR_CANDIDATES]
            )
            if goal_ids
            else []
        )
        candidates = {entry.object_id for entry in by_words} | set(by_goals)
        shared_goals: dict[int, list[int]] = {}
        if goal_ids and candidates:
            pairs = through.objects.filter(
                project_id__in=list(candidates), strategicgoal_id__in=goal_ids
            ).values_list("project_id", "strategicgoal_id")
            for project_id, goal_id in pairs:
                shared_goals.setdefault(project_id, []).append(goal_id)
    text_rank = {entry.object_id: float(entry.rank) for entry in by_words}  # type: ignore[attr-defined]
    shared_words = {
        entry.object_id: [
            _shown(forms[0]) for forms in groups if any(form in held for form in forms)
        ]
        for entry in by_words
        for held in [set(entry.title_terms.split()) | set(entry.terms.split())]
    }
    scored = sorted(
        candidates,
        key=lambda pk: (
            -(len(shared_words.get(pk, [])) + GOAL_WEIGHT * len(shared_goals.get(pk, []))),
            -text_rank.get(pk, 0.0),
            -pk,
        ),
    )[:SIMILAR_SHOWN]
    projects = Project.objects.select_related("cohort__program").prefetch_related("organizations")
    loaded = projects.in_bulk(scored)
    goal_by_id = {goal.pk: goal for goal in goals}
    result = []
    for pk in scored:
        if pk not in loaded:
            continue  # deleted since it was indexed
        words = shared_words.get(pk, [])
        common = [goal_by_id[g] for g in sorted(shared_goals.get(pk, []), key=goal_ids.index)]
        result.append(Similar(loaded[pk], words, common, len(words) + GOAL_WEIGHT * len(common)))
    return result
