"""Loaders that check the user's rights while they load (404 for what they may not know of,
403 for what they may see but not do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from movilim.programs.facts import facts_for

from .models import Instrument, Question, Section, Wave, WaveInvitation
from .policies import InstrumentPolicy, InvitationPolicy, WavePolicy

if TYPE_CHECKING:
    from movilim.core.models import User


def instruments_for_management(user: User) -> QuerySet[Instrument]:
    return InstrumentPolicy(facts_for(user)).instances_user_has_permission_for("manage")


def instrument_for_management(user: User, pk: int) -> Instrument:
    instrument = Instrument.objects.select_related("program").filter(pk=pk).first()
    if instrument is None or not InstrumentPolicy(facts_for(user)).user_has_permission_for_instance(
        "manage", instrument
    ):
        raise Http404
    return instrument


def question_for_management(user: User, pk: int) -> Question:
    question = Question.objects.select_related("instrument").filter(pk=pk).first()
    if question is None:
        raise Http404
    instrument_for_management(user, question.instrument_id)
    return question


def section_for_management(user: User, pk: int) -> Section:
    section = Section.objects.select_related("instrument__program").filter(pk=pk).first()
    if section is None:
        raise Http404
    instrument_for_management(user, section.instrument_id)
    return section


def visible_waves(user: User) -> QuerySet[Wave]:
    return WavePolicy(facts_for(user)).instances_user_has_permission_for("view")


def wave_for_view(user: User, pk: int) -> Wave:
    wave = Wave.objects.select_related("instrument", "program", "cohort").filter(pk=pk).first()
    if wave is None or not WavePolicy(facts_for(user)).user_has_permission_for_instance(
        "view", wave
    ):
        raise Http404
    return wave


def wave_for(user: User, pk: int, action: str) -> Wave:
    """The wave if the user may see it (else 404) and do ``action`` to it (else 403)."""
    wave = wave_for_view(user, pk)
    if not WavePolicy(facts_for(user)).user_has_permission_for_instance(action, wave):
        raise PermissionDenied
    return wave


def invitation_for_answering(user: User, pk: int) -> WaveInvitation:
    invitation = WaveInvitation.objects.select_related("wave__instrument").filter(pk=pk).first()
    if invitation is None or not InvitationPolicy(facts_for(user)).user_has_permission_for_instance(
        "answer", invitation
    ):
        raise Http404
    return invitation
