"""Trust funds in the browser: the lead nation records a pledge and a payment (a payment before
any commitment is refused with the reason), a donor downloads its report."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in
from tests.browser.test_working_days import both_widths
from tests.partnership.background.jobs import run_queued

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
    # The link sends them to their job's page; the worker makes the PDF, the page offers it.
    page.get_by_test_id("donor-report-en").click()
    expect(page.get_by_test_id("job")).to_contain_text("waiting for the worker")
    run_queued()  # the worker's turn (its own process is tested in tests/partnership/background)
    link = page.get_by_test_id("download")
    expect(link).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Donor report" in text and "Canada" in text
    assert "Munitions destroyed" in text
    assert "United States" not in text


def test_the_fund_manager_voids_a_wrong_transaction_and_records_a_result_in_the_pages(
    page: Page, site: str
) -> None:
    from partnership.core.models import Measurement
    from partnership.trustfunds.models import Transaction

    # Given the lead nation's editor, who records the project's money, and a wrong pledge
    log_in(page, site, "us-lead")
    page.goto(site + PROJECT)
    page.get_by_test_id("record").click()
    record(page, "pledge", "1000")
    wrong = Transaction.objects.get(description="Browser test: pledge")
    row = page.get_by_test_id(f"transaction-{wrong.pk}")
    expect(row).to_contain_text("Browser test: pledge")

    # When it is voided without the confirmation, then nothing happens and the box is asked for
    page.get_by_test_id(f"void-{wrong.pk}").click()
    page.locator("#id_reason").fill("Pledged twice by mistake")
    page.get_by_role("button", name="Void the transaction").click()
    expect(page.locator("main")).to_contain_text("This field is required")
    assert not Transaction.objects.filter(reverses=wrong).exists()

    # When it is confirmed, then the ledger keeps both with the reason and who
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Void the transaction").click()
    expect(page.locator("body")).to_contain_text("voided by a reversing entry")
    expect(row).to_contain_text("Voided")
    reversal = Transaction.objects.get(reverses=wrong)
    reversing_row = page.get_by_test_id(f"transaction-{reversal.pk}")
    expect(reversing_row).to_contain_text("Pledged twice by mistake")
    expect(reversing_row).to_contain_text("us-lead")
    screenshot(page, "trust-fund-void")

    # When the user goes Back to the form and submits again, then nothing is voided twice
    page.go_back()
    page.locator("#id_reason").fill("Pledged twice by mistake")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Void the transaction").click()
    # (the form's one-time token says so before the service would: "already voided")
    expect(page.locator("main")).to_contain_text("it was not saved a second time")
    assert Transaction.objects.filter(reverses=wrong).count() == 1

    # When a result is recorded for a period that has not begun, then it is refused on the field
    page.goto(site + PROJECT)
    page.get_by_test_id("record-result").click()
    page.locator("#id_indicator").select_option(index=1)
    page.locator("#id_period").fill("3026")
    page.locator("#id_actual").fill("1200")
    page.get_by_role("button", name="Save the result").click()
    expect(page.locator("main")).to_contain_text("in the future")
    # And as people write a period that has begun, it is recorded
    page.locator("#id_period").fill("Q3 2026")
    page.locator("#id_note").fill("Browser test: lot 7")
    page.get_by_role("button", name="Save the result").click()
    expect(page.locator("body")).to_contain_text("The result was recorded.")
    assert Measurement.objects.filter(note="Browser test: lot 7", period="2026-35").exists()


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_the_funds_donor_report_for_a_period_is_made_by_the_worker_and_downloaded(
    browser: Browser, site: str, script: bool
) -> None:
    # Given NATO staff on a fund's page, in a browser with or without JavaScript
    context = browser.new_context(locale="en-GB", java_script_enabled=script)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, site, "nato-editor")
    page.goto(f"{site}/uk/trust-funds/pfp-demilitarization/")
    # When they ask for its donor report of 2010, in Ukrainian
    form = page.get_by_test_id("fund-report")
    form.locator("input[name=from]").fill("2010-01-01")
    form.locator("input[name=to]").fill("2010-12-31")
    form.locator("select[name=lang]").select_option("uk")
    form.get_by_role("button", name="PDF").click()
    # Then they are on their job's page, which says it waits for the worker
    job = page.get_by_test_id("job")
    expect(job).to_contain_text("чекає на виконавця")
    expect(page.locator("h1")).to_contain_text("Звіт донорам про трастовий фонд (PDF)")
    expect(page.locator("h1")).to_contain_text("1 січня 2010")
    name = "print-fund-report-" + ("script" if script else "no-script")
    if not script:  # without script the page says how to see how far it is
        expect(page.get_by_test_id("reload")).to_be_visible()
    both_widths(page, f"{name}-waiting-uk")
    # And once the worker has made it, the page (by its script, or reloaded) offers the file
    run_queued()  # the worker's turn (its own process is tested in tests/partnership/background)
    if not script:
        page.get_by_test_id("reload").click()
    link = page.get_by_test_id("download")
    expect(link).to_be_visible(timeout=20_000)
    expect(job).to_contain_text("готово")
    both_widths(page, f"{name}-ready-uk")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "pfp-demilitarization-donor-report-uk.pdf"
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Звіт для донорів" in text
    # And in English the same page reads in English
    page.goto(page.url.replace("/uk/", "/en/"))
    expect(job).to_contain_text("ready")
    both_widths(page, f"{name}-ready-en")
    context.close()
