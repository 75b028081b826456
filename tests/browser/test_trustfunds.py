"""Trust funds in the browser: the lead nation records a pledge and a payment (a payment before
any commitment is refused with the reason), a donor downloads its report."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "/en/trust-funds/projects/demilitarization-munitions/"


def record(page: Page, kind: str, amount: str) -> None:
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_date").fill("2015-03-02")
    page.locator("#id_organization").select_option(label="United States")
    page.locator("#id_currency").fill("EUR")
    page.locator("#id_amount").fill(amount)
    page.locator("#id_description").fill(f"Browser test: {kind}")
    page.locator("main form.form button[type=submit]").first.click()


def test_a_lead_nation_records_money_and_a_donor_downloads_its_report(
    page: Page, site: str
) -> None:
    log_in(page, site, "us-lead")
    page.goto(site + PROJECT)
    page.get_by_test_id("record").click()
    record(page, "pledge", "250000")
    expect(page.get_by_test_id("transactions")).to_contain_text("Browser test: pledge")
    page.get_by_test_id("record").click()
    record(page, "payment", "250000")
    expect(page.locator("main")).to_contain_text("more than it has committed and not yet paid")
    record(page, "commitment", "250000")
    page.get_by_test_id("record").click()
    record(page, "payment", "250000")
    expect(page.get_by_test_id("transactions")).to_contain_text("Browser test: payment")
    expect(page.get_by_test_id("donors")).to_contain_text("United States")
    screenshot(page, "trust-fund-project")
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ca-donor")
    page.goto(site + PROJECT)
    expect(page.get_by_test_id("donors")).not_to_contain_text("United States")
    with page.expect_download() as download:
        page.get_by_test_id("donor-report-en").click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Donor report" in text and "Canada" in text
    assert "Munitions destroyed" in text
    assert "United States" not in text
