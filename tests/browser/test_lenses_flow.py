"""A participant assesses their project with the 7 Lenses in a real browser, in Hebrew: the
radar chart, its table and the guidance appear; axe-core checks both pages."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext

from movilim.maturity.models import Assessment, Lens, LensLevel
from movilim.maturity.reference import ensure_matrix
from movilim.projects import services
from movilim.projects.models import MemberRole


def test_a_participant_assesses_their_project(page, axe, program_world):
    w = program_world
    ensure_matrix()
    project = services.project_create(
        cohort=w.cohort,
        title="תור חכם למרפאות",
        kind="group",
        members=[(w.participant_person, MemberRole.LEAD)],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )
    page.log_in(w.participant.email)
    assert page.html_attributes() == ("he", "rtl")
    page.click_and_wait(
        page.find(f"section[aria-labelledby=my-projects] a[href='/projects/{project.pk}/']")
    )
    assert page.find("main h1").text.strip() == "תור חכם למרפאות"
    page.click_and_wait(
        page.find(
            f"section[aria-labelledby=lenses-h] a[href='/maturity/projects/{project.pk}/assess/']"
        )
    )
    axe("7 Lenses assessment form")

    lenses = list(Lens.objects.order_by("position"))
    levels = [2, 3, 3, 2, 1, 2, 3]  # collaboration is the weakest
    for lens, level in zip(lenses, levels, strict=True):
        radio = page.find(f"input[name=level_{lens.pk}][value='{level}']")
        page.find(f"label[for={radio.get_attribute('id')}]").click()
        assert radio.is_selected()
    page.find(f"input[name=note_{lenses[4].pk}]").send_keys("אין עדיין שותף ממשרד אחר")
    page.click_and_wait(page.find("main form button[type=submit]"))

    assert page.path == f"/maturity/projects/{project.pk}/"
    assert Assessment.objects.filter(project=project, assessor=w.participant).count() == 1
    with translation.override("he"):
        saved = gettext("Your assessment was saved.")
    assert saved in page.find(".messages").text
    assert page.find("figure.chart svg[role=img] title").get_attribute("textContent").strip()
    table = page.find("section[aria-labelledby=readings-h] table").text
    assert lenses[4].name_he in table
    guidance = page.find("section[aria-labelledby=guidance-h]").text
    next_step = LensLevel.objects.get(lens=lenses[4], level=2).text_he
    assert next_step in guidance  # the next level's descriptor, as the concrete next step
    axe("7 Lenses project page")
