"""The ANP in the browser: a reporter reports a quarter, an Allied assessor rates a chapter,
the coordinator downloads the report to the NUC and it says what they entered."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_assess_and_download_the_nuc_report(page: Page, site: str) -> None:
    year = timezone.localdate().year
    log_in(page, site, "ua-reporter")
    page.goto(f"{site}/en/anp/{year}/measures/")
    page.get_by_role("link", name=re.compile(r"^2\.1\.")).first.click()
    page.get_by_test_id("report").click()
    page.get_by_label("Status").select_option("at_risk")
    page.locator("#id_progress_en").fill("Browser test: the draft law is stuck in committee.")
    page.get_by_label("Evidence: title").fill("Committee minutes")
    page.get_by_label("Evidence: link").fill("https://www.rada.gov.ua/minutes/1")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("measure-status")).to_have_text("at risk")
    expect(page.get_by_test_id("reports")).to_contain_text("stuck in committee")
    screenshot(page, "anp-reported")
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ally-assessor")
    page.goto(f"{site}/en/anp/{year}/chapters/2/")
    page.get_by_test_id("assess").click()
    page.get_by_label("Rating").select_option("1")
    page.get_by_label("Comment").fill("Browser test: procurement reform has stalled.")
    page.get_by_label("Recommendations").fill("Browser test: adopt the procurement law first.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("procurement reform has stalled")
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ua-coordinator")
    page.goto(f"{site}/en/anp/{year}/")
    expect(page.get_by_test_id("chapters")).to_contain_text("Defence and military issues")
    screenshot(page, "anp-dashboard")
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf-en").click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert f"Annual National Programme {year}" in text
    assert "procurement reform has stalled" in text
    assert "adopt the procurement law first" in text
