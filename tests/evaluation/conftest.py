"""A wave of the test World answered by six people of its cohort."""

from __future__ import annotations

import pytest

from movilim.surveys import services
from movilim.surveys.models import WaveInvitation

from .. import factories
from ..surveys.helpers import Study, study


def _answer(s: Study, people: list, rows: list) -> None:
    for person, raw in zip(people, rows, strict=True):
        invitation = WaveInvitation.objects.get_or_create(
            wave=s.wave, person=person, defaults={"nonce": "n"}
        )[0]
        assert services.invitation_submit(invitation=invitation, raw=raw).created


@pytest.fixture
def answered(world) -> Study:  # type: ignore[no-untyped-def]
    s = study(world)
    people = [world.participant_person, world.fellow_person]
    for index in range(4):
        person = factories.PersonFactory(gender="male" if index % 2 else "female")
        factories.EnrollmentFactory(cohort=world.cohort, person=person)
        people.append(person)
    rows = [
        {"q_know": "5", "q_ties": "1", "q_parts": ["1", "2"]},
        {"q_know": "4", "q_ties": "1", "q_parts": ["1"]},
        {"q_know": "4", "q_ties": "0", "q_parts": ["2"]},
        {"q_know": "3", "q_ties": "1"},
        {"q_know": "2", "q_ties": "0", "q_parts": ["1"]},
        {"q_know": "5", "q_ties": "1", "q_text": "מפגשים טובים"},
    ]
    _answer(s, people, rows)
    return s
