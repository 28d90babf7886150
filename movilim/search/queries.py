"""Searching the one table: matching by terms through the database's full-text index, ranked,
grouped by kind and limited to what the reader may see; and the expert finder built on it.

The query's words are turned into the same forms the documents were (``core.hebrew``), so
"בפרויקטים" and "פרויקט" meet. PostgreSQL matches ``tsv @@ to_tsquery('simple', …)`` through
its GIN index, or a title within trigram distance of the query (typing mistakes) through the
trigram index; SQLite asks its FTS5 table. Neither reads the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise

from movilim.community.models import POOL_KINDS, MemberKind, Membership
from movilim.community.policies import member_for
from movilim.core.hebrew import fold, query_groups
from movilim.programs.facts import facts_for

from . import sources
from .models import Entry

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


def matching(text: str) -> QuerySet[Entry] | None:
    """Entries that match ``text``, each with a ``rank`` (higher is better); None for a query
    with nothing to search for."""
    groups = query_groups(text)[:MAX_WORDS]
    if not groups:
        return None
    entries = Entry.objects.all()
    if connection.vendor == "postgresql":
        query = tsquery(groups)
        # The words as typed rank above their other readings ("משרד" above "שרד").
        exact = " | ".join(forms[0] for forms in groups)
        folded = fold(" ".join(text.split()))[:100]
        condition = RawSQL(
            "tsv @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()
        )
        if len(groups) <= 3:
            condition = RawSQL(
                "(tsv @@ to_tsquery('simple', %s) OR title_folded %% %s)",
                [query, folded],
                output_field=BooleanField(),
            )
        return (
            entries.filter(condition)  # type: ignore[arg-type]
            .annotate(
                rank=RawSQL(
                    "ts_rank(tsv, to_tsquery('simple', %s)) + ts_rank(tsv, to_tsquery('simple', %s))"
                    " + similarity(title_folded, %s)",
                    [query, exact, folded],
                    output_field=FloatField(),
                )
            )
        )
    query = fts5_query(groups)
    return entries.filter(
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
    for source in sources.registered():
        if kind and source.kind != kind:
            continue
        rows = list(
            found.filter(Q(kind=source.kind) & source.visible(reader)).order_by("-rank", "-id")[
                : limit + 1
            ]
        )
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
    for source in sources.registered():
        rows: list[Any] = list(
            found.filter(Q(kind=source.kind) & source.visible(reader)).order_by("-rank", "-id")[
                :EVIDENCE_PER_KIND
            ]
        )
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
