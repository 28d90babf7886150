"""What surveys add to the home page and the menu, per role."""

from __future__ import annotations

from django.urls import reverse

from .helpers import study


def test_home_and_menu_by_role(world, client_for) -> None:
    s = study(world)
    evaluator = client_for("evaluator").get(reverse("home")).content.decode()
    assert 'aria-labelledby="studies-section"' in evaluator
    assert reverse("surveys:wave", args=[s.wave.pk]) in evaluator
    assert reverse("surveys:instruments") in evaluator  # the menu
    manager = client_for("manager").get(reverse("home")).content.decode()
    assert 'aria-labelledby="studies-section"' not in manager
    assert reverse("surveys:instruments") not in manager
    assert reverse("evaluation:studies") in manager
    outsider = client_for("outsider").get(reverse("home")).content.decode()
    assert "שאלונים שממתינים לך" not in outsider
    assert reverse("evaluation:studies") not in outsider
    mine = client_for("participant").get(reverse("surveys:mine")).content.decode()
    assert reverse("surveys:answer", args=[s.invitation.pk]) in mine
    # Once answered, the questionnaire no longer waits on the home page.
    from movilim.surveys import services

    services.invitation_submit(invitation=s.invitation, raw={"q_know": "3", "q_ties": "0"})
    home = client_for("participant").get(reverse("home")).content.decode()
    assert "שאלונים שממתינים לך" not in home
