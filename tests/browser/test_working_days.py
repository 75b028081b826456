"""A working day in the demo, in the browser: a person sees their notifications and the e-mail
the worker wrote, at 1366 and 390 pixels, in English and Ukrainian."""

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHO = "nato-editor"


def both_widths(page: Page, name: str) -> None:
    """The page as it is now at 1366 pixels, then at 390 (a phone), then back."""
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 768})


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
