"""Who may use each page of ``movilim.evaluation``: this app's entries of the every-URL table
(``tests/test_url_access.py``)."""

from __future__ import annotations

from ..access_rules import LOGGED_IN, Rule
from ..surveys.helpers import study

EVALUATES = frozenset({"evaluator", "admin"})
FOLLOWS = frozenset({"coordinator", "manager", "evaluator", "steering", "admin"})

RULES: dict[str, Rule] = {
    "evaluation:studies": Rule(LOGGED_IN),
    "evaluation:report": Rule(FOLLOWS, args=lambda w: [study(w).wave.pk]),
    "evaluation:report_pdf": Rule(FOLLOWS, args=lambda w: [study(w).wave.pk]),
    "evaluation:export": Rule(EVALUATES, args=lambda w: [study(w).wave.pk, "responses", "sav"]),
    "evaluation:compare": Rule(FOLLOWS, args=lambda w: [study(w).wave.pk]),
    "evaluation:recommendations": Rule(
        EVALUATES,
        args=lambda w: [study(w).wave.pk],
        post=EVALUATES,
        post_only=True,
        data=lambda w: {"phase": "before", "text": "היכרות מוקדמת"},
    ),
    "evaluation:qualitative": Rule(
        EVALUATES,
        args=lambda w: [study(w).wave.pk],
        post=EVALUATES,
        data=lambda w: {"action": "code", "code-name_he": "קשרים", "code-name_en": ""},
    ),
}
