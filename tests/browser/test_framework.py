"""The NUC's records in the browser: nato-editor creates, edits and withdraws a meeting, a
decision and an action item through the pages only, and Back + submit makes nothing twice."""

import pytest
from playwright.sync_api import Page, expect

from partnership.framework.models import ActionItem, Decision, Meeting
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()


def withdraw(page: Page, reason: str) -> None:
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_label("Reason").fill(reason)
    page.get_by_label("I confirm: withdraw this record.").check()
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text(reason)


def test_nato_editor_keeps_a_meeting_a_decision_and_an_action_item(page: Page, site: str) -> None:
    log_in(page, site, "nato-editor")

    # A meeting, with its agenda in both languages.
    page.goto(site + "/en/framework/meetings/")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Body").select_option(label="NATO-Ukraine Commission")
    page.get_by_label("Level").select_option("ambassadors")
    page.get_by_label("Title (English)").fill("NUC in browser")
    page.get_by_label("Date").fill("June 2027")
    page.get_by_label("Agenda (English)").fill("Security\nANP")
    page.get_by_label("Agenda (Ukrainian)").fill("Безпека\nРНП")
    screenshot(page, "framework-meeting-form")
    save(page)
    expect(page.locator("h1")).to_have_text("NUC in browser")
    # Back + submit: the same form again saves nothing twice.
    page.go_back()
    save(page)
    assert Meeting.objects.filter(title_en="NUC in browser").count() == 1

    meeting = Meeting.objects.get(title_en="NUC in browser")
    page.goto(site + f"/en/framework/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title (Ukrainian)").fill("КУН у браузері")
    save(page)
    page.goto(site + f"/uk/framework/meetings/{meeting.pk}/")
    expect(page.locator("h1")).to_have_text("КУН у браузері")
    expect(page.locator("ol")).to_contain_text("Безпека")

    # A decision of the meeting under silence procedure, with its action sheet.
    page.goto(site + f"/en/framework/meetings/{meeting.pk}/")
    page.get_by_role("link", name="New decision").click()
    page.get_by_label("Title (English)").fill("Browser decision")
    page.get_by_label("Silence procedure ends").fill("2027-06-30T12:00")
    page.get_by_label("Action sheet (English)").fill("Report by July.")
    save(page)
    expect(page.get_by_test_id("decision-status")).to_have_text("Under silence procedure")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Text (English)").fill("The Commission agrees.")
    save(page)
    expect(page.locator("main")).to_contain_text("The Commission agrees.")
    screenshot(page, "framework-decision")

    # An action item on the decision's action sheet.
    page.get_by_role("link", name="New action item").click()
    page.get_by_label("Action (English)").fill("Browser action")
    page.get_by_label("Owner").select_option(label="Ministry of Defence of Ukraine")
    page.get_by_label("Deadline").fill("2027-07-31")
    save(page)
    expect(page.get_by_test_id("action-status")).to_have_text("Open")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Status").select_option("in_progress")
    save(page)
    expect(page.get_by_test_id("action-status")).to_have_text("In progress")

    # Withdraw all three, each with its reason; they leave the lists.
    withdraw(page, "Entered by mistake")
    decision = Decision.objects.get(title_en="Browser decision")
    page.goto(site + f"/en/framework/decisions/{decision.pk}/")
    withdraw(page, "Superseded")
    page.goto(site + f"/en/framework/meetings/{meeting.pk}/")
    withdraw(page, "Cancelled")
    page.goto(site + "/en/framework/meetings/")
    expect(page.locator("main")).not_to_contain_text("NUC in browser")
    page.goto(site + "/en/framework/withdrawn/")
    for title in ("NUC in browser", "Browser decision", "Browser action"):
        expect(page.locator("main")).to_contain_text(title)
    screenshot(page, "framework-withdrawn")
    assert (
        ActionItem.objects.get(title_en="Browser action").withdrawal_reason == "Entered by mistake"
    )
