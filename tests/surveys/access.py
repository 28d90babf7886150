"""Who may use each page of ``movilim.surveys``: this app's entries of the every-URL table
(``tests/test_url_access.py``)."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from ..access_rules import EVERYONE, LOGGED_IN, Rule
from .helpers import study, xlsform_upload

EVALUATES = frozenset({"evaluator", "admin"})
FOLLOWS = frozenset({"coordinator", "manager", "evaluator", "steering", "admin"})


def _responses_file(w):  # type: ignore[no-untyped-def]
    body = "q_know,q_ties,q_parts,q_text\n4,1,1 2,טוב\n"
    return {"file": SimpleUploadedFile("answers.csv", body.encode(), content_type="text/csv")}


RULES: dict[str, Rule] = {
    "surveys:instruments": Rule(
        EVALUATES,
        post=EVALUATES,
        data=lambda w: {
            "program": w.program.pk,
            "title_he": "שאלון חדש",
            "title_en": "",
            "submission_token": str(uuid.uuid4()),
        },
    ),
    "surveys:xlsform_import": Rule(EVALUATES, post=EVALUATES, post_only=True, data=xlsform_upload),
    "surveys:instrument": Rule(
        EVALUATES,
        args=lambda w: [study(w).instrument.pk],
        post=EVALUATES,
        data=lambda w: {"section-title_he": "חלק חדש", "section-title_en": ""},
    ),
    "surveys:xlsform_export": Rule(EVALUATES, args=lambda w: [study(w).instrument.pk]),
    "surveys:wave_create": Rule(
        EVALUATES,
        args=lambda w: [study(w).instrument.pk],
        post=EVALUATES,
        data=lambda w: {
            "name_he": "גל חדש",
            "cohort": w.cohort.pk,
            "time_point": "follow_up",
            "months_after": "6",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-20",
            "mode": "anonymous",
            "submission_token": str(uuid.uuid4()),
        },
    ),
    "surveys:question_edit": Rule(
        EVALUATES,
        args=lambda w: [study(w).instrument.questions.get(code="q_text").pk],
        post=EVALUATES,
        data=lambda w: {
            "code": "q_text",
            "kind": "text",
            "text_he": "הערות נוספות",
            "required": "",
        },
    ),
    "surveys:question_move": Rule(
        EVALUATES,
        args=lambda w: [study(w).instrument.questions.get(code="q_ties").pk],
        post=EVALUATES,
        post_only=True,
        data=lambda w: {"direction": "up"},
    ),
    "surveys:section_edit": Rule(
        EVALUATES,
        args=lambda w: [study(w).instrument.sections.get(position=0).pk],
        post=EVALUATES,
        data=lambda w: {"title_he": "חלק ששמו שונה", "title_en": ""},
    ),
    "surveys:domains": Rule(
        EVALUATES,
        post=EVALUATES,
        data=lambda w: {
            "key": "innovation",
            "name_he": "חדשנות",
            "name_en": "Innovation",
            "position": "9",
        },
    ),
    "surveys:wave": Rule(FOLLOWS, args=lambda w: [study(w).wave.pk]),
    "surveys:wave_invite": Rule(
        EVALUATES,
        args=lambda w: [study(w).wave.pk],
        post=EVALUATES,
        post_only=True,
        data=lambda w: {"action": "invite"},
    ),
    "surveys:responses_import": Rule(
        EVALUATES, args=lambda w: [study(w).wave.pk], post=EVALUATES, data=_responses_file
    ),
    "surveys:mine": Rule(LOGGED_IN),
    "surveys:answer": Rule(
        frozenset({"participant"}),
        args=lambda w: [study(w).invitation.pk],
        post=frozenset({"participant"}),
        data=lambda w: {"q_know": "4", "save": "1"},
    ),
    "surveys:answer_token": Rule(
        EVERYONE,
        args=lambda w: [study(w).token],
        post=EVERYONE,
        data=lambda w: {"q_know": "5", "save": "1"},
    ),
}
