"""Creating and changing people and organizations. Each function is one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movilim.core import audit
from movilim.core.bulk import insert_rows
from movilim.core.errors import InvalidInput
from movilim.core.models import User, user_label

from .models import Organization, Person

#: Profile fields a person record carries besides the account's names and e-mail.
PERSON_FIELDS = (
    "organization",
    "job_title",
    "profile_type",
    "gender",
    "minority",
    "phone",
    "expertise",
    "bio",
)


@transaction.atomic
def person_upsert(
    *, email: str, first_name: str, last_name: str, **profile: Any
) -> tuple[Person, bool]:
    """Create the person with this e-mail, or update the one that has it; ``(person, created)``.

    E-mail is the identity people are matched on, so loading the same list twice updates
    rather than duplicates. New accounts get no usable password: people choose one through the
    invitation link (``core.invitations``), which proves they own the address.
    """
    unknown = set(profile) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()  # addresses are stored lower-case
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    person, created = Person.objects.get_or_create(user=user, defaults=profile)
    if not created:
        changed = [name for name, value in profile.items() if getattr(person, name) != value]
        for name in changed:
            setattr(person, name, profile[name])
        if changed:
            person.save(update_fields=[*changed, "updated_at"])
    return person, created


@transaction.atomic
def person_update(*, person: Person, first_name: str, last_name: str, **profile: Any) -> Person:
    """Save edits from the profile form. The audit log records only the fields that changed."""
    user = person.user
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    for name, value in profile.items():
        setattr(person, name, value)
    person.save(update_fields=[*profile, "updated_at"])
    return person


@transaction.atomic
def organization_upsert(
    *, name_he: str, kind: str, name_en: str = "", region: str = ""
) -> tuple[Organization, bool]:
    """Create or update the organization with this Hebrew name; ``(organization, created)``."""
    organization, created = Organization.objects.get_or_create(
        name_he=name_he.strip(), defaults={"kind": kind, "name_en": name_en, "region": region}
    )
    if not created:
        wanted = organization_wanted(
            organization,
            OrganizationRow(name_he=name_he, kind=kind, name_en=name_en, region=region),
        )
        changed = [name for name, value in wanted.items() if getattr(organization, name) != value]
        for name in changed:
            setattr(organization, name, wanted[name])
        if changed:
            organization.save(update_fields=[*changed, "updated_at"])
    return organization, created


#: Account fields an import may change on an existing account.
_USER_NAME_FIELDS = ("first_name", "last_name")


@dataclass(frozen=True)
class PersonRow:
    """One person to create or update: names, and the profile fields the file has."""

    email: str
    first_name: str
    last_name: str
    profile: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WrittenPerson:
    """A person the rows wrote: enough to enroll them and to name them in the audit log."""

    pk: int
    user_id: int
    label: str  # what ``str(person)`` gives: the full name, else the address
    created: bool  # the person record is new, so it has no enrollments yet


@dataclass
class PeopleWritten:
    """What :func:`people_bulk_upsert` did: the person of every row, and what it created."""

    persons: dict[str, WrittenPerson]  # by lower-case e-mail
    created_user_ids: list[int]
    created: int  # rows that created a person record
    updated: int  # rows that changed an existing one (the others matched it unchanged)


def _registered_meanwhile(email: str) -> InvalidInput:
    return InvalidInput(
        _(
            "The address %(email)s was registered while the file was being "
            "imported. Nothing was imported; upload the file again."
        )
        % {"email": email}
    )


def _stored(value: Any) -> Any:
    """A profile value as its column holds it: a related object by its key."""
    return value.pk if isinstance(value, Organization) else value


#: The column (attname) of each profile field.
_PERSON_ATTNAMES = {
    field.name: field.attname
    for field in Person._meta.concrete_fields
    if field.name in PERSON_FIELDS
}


@transaction.atomic
def people_bulk_upsert(
    *, rows: Sequence[PersonRow], existing: Mapping[str, User], by: User | None
) -> PeopleWritten:
    """Create or update many people in a fixed number of queries, with their audit entries.

    ``existing`` maps the lower-case e-mails of the rows to the accounts that already have them,
    loaded with ``select_related("person")`` inside the caller's transaction, after the caller
    decided that each may be changed: this function changes them without asking again. Rows
    must have distinct e-mails. New accounts get no usable password, as with
    :func:`person_upsert`.

    New accounts and people are written as plain rows (``core.bulk``), not model instances: an
    import creates thousands at once. If an address the caller saw as free was registered
    meanwhile by another writer, the whole transaction is refused rather than changing an
    account nobody checked.
    """
    unknown = {name for row in rows for name in row.profile} - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    now = timezone.now()
    changes: list[audit.Change | audit.Entry | None] = []
    user_ids: dict[str, int] = {}
    new_users: list[dict[str, Any]] = []
    renamed: list[User] = []
    changed_emails: set[str] = set()
    for row in rows:
        email = row.email.strip().lower()
        user = existing.get(email)
        if user is None:
            new_users.append(
                {
                    "email": email,
                    "first_name": row.first_name,
                    "last_name": row.last_name,
                    # Unusable, in the form ``set_unusable_password()`` gives.
                    "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                    "date_joined": now,
                }
            )
            continue
        user_ids[email] = user.pk
        if (user.first_name, user.last_name) != (row.first_name, row.last_name):
            before = {"first_name": user.first_name, "last_name": user.last_name}
            user.first_name, user.last_name = row.first_name, row.last_name
            renamed.append(user)
            changed_emails.add(email)
            changes.append(audit.changed(user, before, _USER_NAME_FIELDS))
    if new_users:
        # A row missing from the result was taken by another writer since the caller looked.
        inserted = insert_rows(User, new_users, returning="email", ignore_conflicts=True)
        for values in new_users:
            if values["email"] not in inserted:
                raise _registered_meanwhile(values["email"])
        user_ids.update(inserted)
    User.objects.bulk_update(renamed, _USER_NAME_FIELDS)

    persons: dict[str, WrittenPerson] = {}
    new_persons: list[tuple[str, str, PersonRow]] = []  # (e-mail, label, row)
    changed_persons: list[Person] = []
    person_fields: set[str] = set()
    for row in rows:
        email = row.email.strip().lower()
        label = user_label(row.first_name, row.last_name, email)
        user = existing.get(email)
        person: Person | None = getattr(user, "person", None) if user is not None else None
        if person is None:
            new_persons.append((email, label, row))
            continue
        before = {name: getattr(person, name) for name in row.profile}
        diff = [name for name, value in row.profile.items() if before[name] != value]
        for name in diff:
            setattr(person, name, row.profile[name])
        if diff:
            person.updated_at = now
            person_fields.update(diff)
            changed_persons.append(person)
            changed_emails.add(email)
            changes.append(audit.changed(person, before, diff))
        persons[email] = WrittenPerson(person.pk, user_ids[email], label, created=False)
    if new_persons:
        inserted = insert_rows(
            Person,
            [
                {
                    "user_id": user_ids[email],
                    **{
                        _PERSON_ATTNAMES[name]: _stored(value)
                        for name, value in row.profile.items()
                    },
                }
                for email, _label, row in new_persons
            ],
            returning="user_id",
            ignore_conflicts=True,
        )
        for email, label, row in new_persons:
            user_id = user_ids[email]
            pk = inserted.get(user_id)
            if pk is None:  # another writer gave this account a person record meanwhile
                raise _registered_meanwhile(email)
            persons[email] = WrittenPerson(pk, user_id, label, created=True)
            # One entry tells of the new person and, when it is new too, of their account.
            values = {
                name: _stored(row.profile[name]) for name in PERSON_FIELDS if name in row.profile
            }
            changes.append(
                audit.Entry(
                    Person,
                    pk,
                    label,
                    audit.CREATE,
                    audit.creation_changes({"user": user_id, **values}),
                )
            )
    Person.objects.bulk_update(changed_persons, [*sorted(person_fields), "updated_at"])
    audit.log_bulk(changes, actor=by)
    return PeopleWritten(
        persons=persons,
        created_user_ids=[user_ids[values["email"]] for values in new_users],
        created=len(new_persons),
        updated=len(changed_emails - {email for email, _label, _row in new_persons}),
    )


@dataclass(frozen=True)
class OrganizationRow:
    """One organization to create or update, matched on its Hebrew name."""

    name_he: str
    kind: str
    name_en: str = ""
    region: str = ""


def organization_wanted(organization: Organization, row: OrganizationRow) -> dict[str, str]:
    """The values the row would store on an existing organization (blank cells keep values)."""
    return {
        "kind": row.kind,
        "name_en": row.name_en or organization.name_en,
        "region": row.region or organization.region,
    }


@transaction.atomic
def organizations_bulk_upsert(
    *, rows: Sequence[OrganizationRow], existing: Mapping[str, Organization], by: User | None
) -> tuple[int, int]:
    """Create and update organizations in a fixed number of queries; ``(created, updated)``.

    ``existing`` maps Hebrew names to the organizations that have them, loaded inside the
    caller's transaction; the caller has decided that the changes to them are allowed (only site
    administrators change an existing organization: organizations are shared by every program).
    """
    now = timezone.now()
    changes: list[audit.Change | None] = []
    new: list[Organization] = []
    changed: list[Organization] = []
    for row in rows:
        organization = existing.get(row.name_he)
        if organization is None:
            new.append(
                Organization(
                    name_he=row.name_he, kind=row.kind, name_en=row.name_en, region=row.region
                )
            )
            continue
        wanted = organization_wanted(organization, row)
        before = {name: getattr(organization, name) for name in wanted}
        if before != wanted:
            for name, value in wanted.items():
                setattr(organization, name, value)
            organization.updated_at = now
            changed.append(organization)
            changes.append(audit.changed(organization, before, wanted))
    if new:
        # Another import may add the same name meanwhile: its row stands, this one adds nothing.
        Organization.objects.bulk_create(new, ignore_conflicts=True)
        ids = dict(
            Organization.objects.filter(name_he__in=[o.name_he for o in new]).values_list(
                "name_he", "pk"
            )
        )
        for organization in new:
            organization.pk = ids[organization.name_he]
            changes.append(audit.created(organization, ("name_he", "name_en", "kind", "region")))
    Organization.objects.bulk_update(changed, ["kind", "name_en", "region", "updated_at"])
    audit.log_bulk(changes, actor=by)
    return len(new), len(changed)


@transaction.atomic
def organization_save(*, organization: Organization | None, **fields: Any) -> Organization:
    """Add an organization (``organization`` None) or change one; the model's rules apply."""
    from django.core.exceptions import ValidationError

    target = organization or Organization()
    for name, value in fields.items():
        setattr(target, name, value)
    try:
        target.full_clean()
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    if organization is None:
        target.save()
    else:
        target.save(update_fields=[*fields, "updated_at"])
    return target


@transaction.atomic
def organization_merge(*, duplicate: Organization, into: Organization, by: User | None) -> int:
    """Merge a duplicate organization into another: its people are re-pointed, each change
    audited, and the duplicate is deleted (audited too). Returns how many people moved."""
    if duplicate.pk == into.pk:
        raise InvalidInput(_("Choose another organization to merge into."))
    people = list(Person.objects.select_for_update().filter(organization=duplicate))
    now = timezone.now()
    for person in people:
        person.organization, person.updated_at = into, now
    Person.objects.bulk_update(people, ["organization", "updated_at"])
    audit.log_bulk(
        [
            audit.Change(person, audit.UPDATE, {"organization": (duplicate.pk, into.pk)})
            for person in people
        ],
        actor=by,
    )
    duplicate.delete()
    return len(people)
