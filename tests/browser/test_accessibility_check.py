"""The accessibility check used by the browser tests must itself catch what it is there to catch."""

from __future__ import annotations

import pytest

SPOIL_PAGE = """
const main = document.querySelector("main");
const faint = document.createElement("p");
faint.id = "faint-text";
faint.textContent = "Hard to read";
faint.style.color = "#c8c8c8";
const unlabelled = document.createElement("input");
unlabelled.id = "unlabelled-field";
main.append(faint, unlabelled);
"""


def test_axe_check_fails_on_serious_and_critical_violations(page, axe, program_world):
    page.open("/")
    axe("landing page, untouched")
    page.driver.execute_script(SPOIL_PAGE)
    with pytest.raises(AssertionError) as failure:
        axe("landing page, spoiled")
    report = str(failure.value)
    assert "color-contrast [serious]" in report
    assert "#faint-text" in report
    assert "[critical]" in report
    assert "#unlabelled-field" in report
