"""The questionnaire builder and a conditional question in a real browser: the evaluator moves
a question down and into another section, renames that section; the participant sees the
conditional question appear and disappear with their answer, and sends the form."""

from __future__ import annotations

from selenium.webdriver.support.ui import Select

from movilim.surveys import services
from movilim.surveys.models import Answer, Response

from ..surveys.helpers import study
from .conftest import wait


def test_builder_moves_and_a_conditional_question_follows_the_answer(page, axe, program_world):
    w = program_world
    s = study(w)
    services.question_save(
        instrument=s.instrument,
        code="q_why",
        kind="text",
        text_he="מה יצר את הקשרים?",
        relevant="${q_ties} = 'yes'",
    )
    second = services.section_add(instrument=s.instrument, title_he="חלק ב'")

    page.log_in(w.evaluator.email)
    page.open(f"/surveys/instruments/{s.instrument.pk}/")
    axe("questionnaire builder")
    know = s.instrument.questions.get(code="q_know")
    page.click_and_wait(page.find(f"#question-{know.pk} button[value=down]"))
    codes = [q.code for q in s.instrument.questions.all()]
    assert codes[:2] == ["q_ties", "q_know"]
    Select(page.find(f"#move-{know.pk}")).select_by_value(str(second.pk))
    page.click_and_wait(page.find(f"#question-{know.pk} button[name=move]"))
    assert s.instrument.questions.get(code="q_know").section_id == second.pk
    page.click_and_wait(page.find(f"a[href='/surveys/sections/{second.pk}/']"))
    title = page.find("input[name=title_he]")
    title.clear()
    title.send_keys("השפעה")
    page.click_and_wait(page.find("main form button[type=submit]:not([name])"))
    assert "השפעה" in page.find("main").text

    page.driver.delete_all_cookies()
    page.log_in(w.participant.email)
    page.open(f"/surveys/answer/{s.invitation.pk}/")
    why = page.find("#q-q_why")
    assert not why.is_displayed()
    page.find("label[for=f-q_ties-1]").click()
    wait(page.driver, 5).until(lambda d: why.is_displayed())
    axe("respondent form with a conditional question shown")
    page.find("label[for=f-q_ties-0]").click()
    wait(page.driver, 5).until(lambda d: not why.is_displayed())
    page.find("label[for=f-q_ties-1]").click()
    wait(page.driver, 5).until(lambda d: why.is_displayed())
    page.find("textarea[name=q_why]").send_keys("הסיור המשותף")
    page.find("label[for=f-q_know-4]").click()
    page.click_and_wait(page.find("button[name=submit]"))
    assert "התשובות שלך התקבלו" in page.find("main").text
    assert Response.objects.filter(wave=s.wave).count() == 1
    assert Answer.objects.get(question__code="q_why").text == "הסיור המשותף"
