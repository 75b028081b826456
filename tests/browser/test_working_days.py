"""A working day in the demo, in the browser: a person sees their notifications and the e-mail
the worker wrote, attaches a paper to a meeting and a signed text to an agreement, subscribes
to their calendar, and downloads the NUC report prepared in the background; at 1366 and 390
pixels, in English and Ukrainian."""

from pathlib import Path

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from partnership.anp.models import AnnualProgramme
from partnership.core.models import Marking
from partnership.documents.models import Document
from partnership.framework.models import Agreement, Meeting
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in
from tests.partnership.background.jobs import run_queued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()
WHO = "nato-editor"


def both_widths(page: Page, name: str) -> None:
    """The page as it is now at 1366 pixels, then at 390 (a phone), then back."""
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 768})


def attach(page: Page, kind: str, title_en: str, title_uk: str, name: str) -> None:
    page.get_by_role("link", name="Attach a document").click()
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Title (English)").fill(title_en)
    page.get_by_label("Title (Ukrainian)").fill(title_uk)
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("h1")).to_contain_text(title_en)


def test_a_working_day_in_the_demo(page: Page, site: str) -> None:
    # The demo's own step: addresses for the demo users, deadlines that fall due now, and the
    # e-mails sent (to the test's outbox here; to files in the demo's mail folder there).
    mail.outbox.clear()
    call_command("demo_notifications", verbosity=0)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, WHO)

    # Notifications: the bell counts them, the list shows them, and the e-mail went.
    bell = page.get_by_test_id("bell")
    expect(bell.locator(".count")).to_be_visible()
    bell.click()
    expect(page.locator("h1")).to_have_text("Notifications")
    expect(page.locator("main")).to_contain_text("Demo reminder")
    both_widths(page, "working-day-notifications-en")
    page.goto(site + "/uk/notifications/")
    both_widths(page, "working-day-notifications-uk")
    sent = [m for m in mail.outbox if m.to == [f"{WHO}@demo.partnership.example"]]
    assert sent and "Demo reminder" in sent[0].body and "/en/" in sent[0].body

    # A paper on a meeting and the signed text of an agreement, downloaded back.
    meeting = Meeting.objects.filter(marking=Marking.PUBLIC, withdrawn_at=None).order_by("pk")[0]
    page.goto(site + f"/en/framework/meetings/{meeting.pk}/")
    attach(page, "paper", "Paper on the work plan", "Документ про робочий план", "paper.pdf")
    agreement = Agreement.objects.filter(withdrawn_at=None).order_by("pk")[0]
    page.goto(site + f"/en/framework/agreements/{agreement.slug}/")
    attach(page, "signed_text", "Signed text", "Підписаний текст", "signed.pdf")
    both_widths(page, "working-day-document-en")
    with page.expect_download() as download:
        page.get_by_role("link", name="signed.pdf").click()
    assert download.value.suggested_filename == "signed.pdf"
    assert Document.objects.filter(meeting=meeting, kind="paper").exists()
    assert Document.objects.filter(agreement=agreement, kind="signed_text").exists()
    page.goto(site + f"/uk/framework/meetings/{meeting.pk}/")
    expect(page.locator("main")).to_contain_text("Документ про робочий план")
    both_widths(page, "working-day-meeting-uk")

    # The calendar: an address to subscribe to, read by a calendar program.
    page.goto(site + "/en/documents/calendar/")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Calendar address").input_value()
    both_widths(page, "working-day-calendar-en")
    feed = page.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    assert calendar.walk("VEVENT"), "the meetings and deadlines they may see"

    # The NUC report, prepared in the background while the page shows its progress.
    year = AnnualProgramme.objects.order_by("-year").values_list("year", flat=True)[0]
    page.goto(site + "/en/prepared/")
    page.locator("#id_kind").select_option("nuc_report")
    page.get_by_label("ANP year (NUC report)").select_option(str(year))
    page.get_by_role("button", name="Prepare").click()
    expect(page.get_by_test_id("job")).to_contain_text("waiting for the worker")
    both_widths(page, "working-day-prepared-en")
    run_queued()  # the worker's turn (its own process is tested in tests/partnership/background)
    link = page.get_by_test_id("download")
    expect(link).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"anp-{year}-nuc-report-en.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.goto(page.url.replace("/en/", "/uk/"))
    expect(page.get_by_test_id("job")).to_contain_text("готово")
    both_widths(page, "working-day-prepared-uk")
