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
from tests.partnership.background.jobs import run_queued

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
    # Short enough for one line of its column: a wrapped cell's lines interleave with the
    # next column's in the extracted text.
    page.get_by_label("Recommendations").fill("Adopt the law first.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("procurement reform has stalled")
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ua-coordinator")
    page.goto(f"{site}/en/anp/{year}/")
    expect(page.get_by_test_id("chapters")).to_contain_text("Defence and military issues")
    screenshot(page, "anp-dashboard")
    # The link sends them to their job's page; the worker makes the PDF, the page offers it.
    page.get_by_test_id("report-pdf-en").click()
    expect(page.get_by_test_id("job")).to_contain_text("waiting for the worker")
    run_queued()  # the worker's turn (its own process is tested in tests/partnership/background)
    link = page.get_by_test_id("download")
    expect(link).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert f"Annual National Programme {year}" in text
    assert "procurement reform has stalled" in text
    assert "Adopt the law first." in text


def test_the_coordinator_adds_a_measure_and_the_approver_amends_it_only_through_pages(
    page: Page, site: str
) -> None:
    """The draft year comes from the API's create call (no page makes an empty year); all the
    work after it is done in the pages: add a measure (Back + submit adds nothing), submit,
    approve with its confirmation, amend with a reason, see it in the history."""
    from partnership.anp import services
    from partnership.anp.models import Measure
    from partnership.core.models import Organization, User

    year = timezone.localdate().year + 3
    services.programme_create(by=User.objects.get(username="ua-coordinator"), year=year)

    log_in(page, site, "ua-coordinator")
    page.goto(f"{site}/en/anp/{year}/")
    page.get_by_test_id("measure-new").click()
    page.locator("#id_chapter").select_option("2")
    page.locator("#id_goal_code").fill("2.1")
    page.locator("#id_goal_en").fill("Browser test: defence reform")
    page.locator("#id_code").fill("2.1.1")
    page.locator("#id_text_en").fill("Browser test: certify the reserve brigades")
    agency = Organization.objects.get(slug="ua-mod")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.locator("#id_deadline").fill(f"Q3 {year}")
    page.locator("#id_indicators-0-name_en").fill("Brigades certified")
    page.locator("#id_indicators-0-target").fill("4")
    screenshot(page, "anp-measure-new")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_test_id("measure-deadline")).to_have_text(f"Q3 {year}")
    # Back to the filled form, submit again: refused on the code, still one measure.
    page.go_back()
    page.get_by_role("button", name="Add the measure").click()
    expect(page.locator("main")).to_contain_text("already has a measure 2.1.1")
    assert Measure.objects.filter(programme__year=year).count() == 1
    page.goto(f"{site}/en/anp/{year}/")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("programme-status")).to_have_text("submitted")
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ua-approver")
    page.goto(f"{site}/en/anp/{year}/")
    page.get_by_test_id("approve").click()
    page.get_by_test_id("confirm-approve").click()  # without the confirmation: refused
    expect(page.get_by_test_id("programme-status")).to_have_count(0)
    page.locator("#id_confirm").check()
    page.get_by_test_id("confirm-approve").click()
    expect(page.get_by_test_id("programme-status")).to_have_text("approved")

    page.goto(f"{site}/uk/anp/{year}/measures/")
    page.get_by_role("link", name="2.1.1").click()
    page.get_by_test_id("amend").click()
    deadline = page.locator("#id_deadline")
    expect(deadline).to_have_value(f"III квартал {year}")  # as it is typed back
    deadline.fill(f"IV квартал {year}")
    page.locator("#id_reason").fill("Browser test: the budget came in the autumn")
    page.locator("#id_confirm").check()
    screenshot(page, "anp-amend-uk")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("measure-deadline")).to_have_text(f"IV квартал {year}")
    expect(page.get_by_test_id("amendments")).to_contain_text("the budget came in the autumn")
    expect(page.locator("section.history")).to_contain_text("the budget came in the autumn")
