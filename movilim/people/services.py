"""Creating and changing people and organizations. Each function is one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from movilim.core.models import User

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

    E-mail is the identity people are matched on, so importing the same list twice updates
    rather than duplicates. New accounts get no usable password: people choose one through
    "forgot your password", which proves they own the address.
    """
    unknown = set(profile) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
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
        wanted = {
            "kind": kind,
            "name_en": name_en or organization.name_en,
            "region": region or organization.region,
        }
        changed = [name for name, value in wanted.items() if getattr(organization, name) != value]
        for name in changed:
            setattr(organization, name, wanted[name])
        if changed:
            organization.save(update_fields=[*changed, "updated_at"])
    return organization, created
