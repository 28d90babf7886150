"""An evaluation study in a real browser, in Hebrew: the evaluator imports an XLSForm and opens
a wave, a participant answers on a phone from the e-mailed link, the evaluator sees the response
rate change and downloads the report as PDF. axe-core checks the respondent form and the report.
"""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.utils import timezone

from movilim.surveys.models import Response, Wave

from ..surveys.helpers import GOOD_FORM_CHOICES, GOOD_FORM_ROWS, xlsform_bytes

PHONE = (390, 844)
DESKTOP = (1280, 1000)

FETCH_PDF = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => {
  const bytes = new Uint8Array(await r.arrayBuffer());
  done({status: r.status, type: r.headers.get("Content-Type"),
        head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length});
}).catch((e) => done({error: String(e)}));
"""


def _set_value(page, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    field = page.find(f"[name={name}]")
    page.driver.execute_script("arguments[0].value = arguments[1];", field, value)


def test_evaluator_runs_a_wave_and_a_participant_answers_on_a_phone(
    page, axe, program_world, tmp_path
):
    w = program_world
    form = tmp_path / "questionnaire.xlsx"
    form.write_bytes(xlsform_bytes(GOOD_FORM_ROWS, GOOD_FORM_CHOICES))

    # The evaluator imports the form: the geopoint question is named as skipped.
    page.log_in(w.evaluator.email)
    page.open("/surveys/instruments/")
    page.find(f"#import-xlsform ~ form select[name=program] option[value='{w.program.pk}']").click()
    page.find("#import-xlsform ~ form input[type=file]").send_keys(str(form))
    page.click_and_wait(page.find("#import-xlsform ~ form button[type=submit]"))
    assert "where (geopoint)" in page.find("main").text
    assert page.path.startswith("/surveys/instruments/")

    # A wave of the cohort, open from yesterday, then everyone invited.
    page.click_and_wait(page.find("main a[href$='/waves/new/']"))
    page.find("input[name=name_he]").send_keys("שאלון סיום")
    page.find(f"select[name=cohort] option[value='{w.cohort.pk}']").click()
    today = timezone.localdate()
    _set_value(page, "opens_on", (today - datetime.timedelta(days=1)).isoformat())
    _set_value(page, "closes_on", (today + datetime.timedelta(days=14)).isoformat())
    page.find("select[name=mode] option[value=confidential]").click()
    page.click_and_wait(page.find("main form button[type=submit]"))
    wave = Wave.objects.get(name_he="שאלון סיום")
    assert page.path == f"/surveys/waves/{wave.pk}/"
    page.click_and_wait(page.find("main form input[value=invite] ~ button"))
    assert page.find("#response-rate").get_attribute("data-respondents") == "0"
    # The mail links to the site's public address; the same path on the test server.
    links = [re.search(r"/surveys/a/\S+/", m.body).group(0) for m in mail.outbox]
    link = next(
        link for link, m in zip(links, mail.outbox, strict=True) if m.to == [w.participant.email]
    )

    # The participant answers from the mailed link, on a phone-sized window.
    page.driver.delete_all_cookies()
    page.driver.set_window_size(*PHONE)
    try:
        page.open(link)
        assert page.html_attributes() == ("he", "rtl")
        width = page.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0], "the form is wider than the phone"
        axe("respondent form")
        page.click_and_wait(page.find("button[name=submit]"))
        missing = page.find("#missing")
        assert "רכשתי ידע" in missing.text
        axe("respondent form with a missing answer")
        page.find("label[for=f-know1-4]").click()
        page.find("label[for=f-parts-1]").click()
        page.find("textarea[name=notes]").send_keys("מפגשים מצוינים")
        page.click_and_wait(page.find("button[name=submit]"))
        assert "התשובות שלך התקבלו" in page.find("main").text
    finally:
        page.driver.set_window_size(*DESKTOP)
    assert Response.objects.filter(wave=wave).count() == 1

    # The evaluator sees the rate change, reads the report and downloads it as PDF.
    page.driver.delete_all_cookies()
    page.log_in(w.evaluator.email)
    page.open(f"/surveys/waves/{wave.pk}/")
    assert page.find("#response-rate").get_attribute("data-respondents") == "1"
    assert "(50%)" in page.find("#response-rate").text
    page.click_and_wait(page.find(f"main a[href='/evaluation/waves/{wave.pk}/report/']"))
    assert page.find("#respondents").text == "1"
    axe("wave report")
    pdf = page.driver.execute_async_script(FETCH_PDF, f"/evaluation/waves/{wave.pk}/report.pdf")
    assert pdf.get("status") == 200, pdf
    assert pdf["type"] == "application/pdf" and pdf["head"] == "%PDF-" and pdf["size"] > 1000
