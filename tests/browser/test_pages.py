"""People using the site in a real browser: log in per role, switch language, use the timeline."""

import pytest
from playwright.sync_api import Page, expect

from partnership.site.management.commands.demo_users import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATO_ONLY = "Demo: Allied assessors prepare the ANP assessment (NATO only)"
PARTNERSHIP = "Demo: NUC ambassadors review the ANP (partnership)"
LT_UA = "Demo: Trilateral expert talks (releasable to Lithuania, Ukraine)"
# What each demo role finds on the meetings page.
SEES = {
    "nato-editor": {NATO_ONLY, PARTNERSHIP, LT_UA},
    "nato-approver": {NATO_ONLY, PARTNERSHIP, LT_UA},
    "nato-admin": {NATO_ONLY, PARTNERSHIP, LT_UA},
    "ally-assessor": {NATO_ONLY, PARTNERSHIP},
    "lt-viewer": {NATO_ONLY, PARTNERSHIP, LT_UA},
    "ua-reporter": {PARTNERSHIP, LT_UA},
    "ua-viewer": {PARTNERSHIP, LT_UA},
    "ge-viewer": set(),
}


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("who")).to_contain_text(username)


def test_each_role_logs_in_and_sees_what_its_organization_may_see(page: Page, site: str) -> None:
    for username, expected in SEES.items():
        log_in(page, site, username)
        page.goto(f"{site}/en/framework/meetings/")
        for title in (NATO_ONLY, PARTNERSHIP, LT_UA):
            link = page.get_by_role("link", name=title)
            if title in expected:
                expect(link).to_be_visible()
            else:
                expect(link).to_have_count(0)
        screenshot(page, f"meetings-{username}")
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_anonymous_visitor_sees_only_public_meetings(page: Page, site: str) -> None:
    page.goto(f"{site}/en/framework/meetings/")

    expect(page.get_by_role("link", name="Extraordinary NUC meeting", exact=False)).to_be_visible()
    for title in (NATO_ONLY, PARTNERSHIP, LT_UA):
        expect(page.get_by_role("link", name=title)).to_have_count(0)


def test_language_switch_keeps_the_page_and_translates_it(page: Page, site: str) -> None:
    page.goto(f"{site}/en/timeline/")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()

    page.get_by_role("button", name="Українська").click()

    expect(page).to_have_url(f"{site}/uk/timeline/")
    expect(page.get_by_role("heading", name="Хронологія")).to_be_visible()
    expect(page.locator("li.milestone")).to_have_count(51)
    expect(page.locator('li[data-number="17"] .date')).to_have_text("Осінь 2004")
    screenshot(page, "timeline-uk")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{site}/en/timeline/")
    expect(page.locator('li[data-number="44"] .date')).to_have_text("4-5 September 2014")


def test_timeline_filters_by_year_and_theme(page: Page, site: str) -> None:
    page.goto(f"{site}/en/timeline/")
    expect(page.locator("li.milestone")).to_have_count(51)

    page.get_by_label("Year").select_option("2014")
    expect(page.locator("li.milestone")).to_have_count(7)
    page.get_by_label("Theme").select_option("crisis")
    expect(page.locator("li.milestone")).to_have_count(6)
    page.get_by_label("Year").select_option("2005")
    page.get_by_label("Theme").select_option("civil_emergency")
    expect(page.locator("li.milestone")).to_have_count(1)
    expect(page.locator("li.milestone")).to_contain_text("Joint Assistance 2005")
    screenshot(page, "timeline-filtered")


def test_public_factsheet_shows_all_milestones_in_both_languages(page: Page, site: str) -> None:
    page.goto(f"{site}/en/")
    expect(page.locator("#milestones li.milestone")).to_have_count(51)
    expect(page.get_by_role("heading", name="Framework for cooperation")).to_be_visible()
    screenshot(page, "factsheet-en")

    page.goto(f"{site}/uk/")
    expect(page.locator("#milestones li.milestone")).to_have_count(51)
    expect(page.get_by_role("heading", name="Рамки співпраці")).to_be_visible()
    screenshot(page, "factsheet-uk")


def test_editor_creates_a_meeting_and_a_bad_date_is_explained(page: Page, site: str) -> None:
    log_in(page, site, "nato-editor")
    page.goto(f"{site}/en/framework/meetings/")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Body").select_option(label="NATO-Ukraine Commission")
    page.get_by_label("Level").select_option("experts")
    page.get_by_label("Title (English)").fill("Expert talks on cyber defence")
    page.locator("#id_date").fill("next Tuesday")
    page.locator("#id_marking").select_option("PARTNERSHIP")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("main")).to_contain_text("is not a date this site can read")

    # A date as people write it, read to the EDTF kept (2026-23) and shown as written
    page.locator("#id_date").fill("Autumn 2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Expert talks on cyber defence")).to_be_visible()
    expect(page.locator("dd").filter(has_text="Autumn 2026")).to_be_visible()
    expect(page.locator("main")).to_contain_text("nato-editor")
    screenshot(page, "meeting-created")


def test_a_programme_manager_records_an_event_with_participation(page: Page, site: str) -> None:
    log_in(page, site, "nato-editor")
    page.goto(f"{site}/en/programmes/building-integrity/")
    page.get_by_role("link", name="Record an event").click()
    page.locator("#id_kind").select_option("seminar")
    page.locator("#id_title_en").fill("Integrity in defence procurement")
    page.locator("#id_date").fill("2015-06-10")
    page.locator("#id_participants_total").fill("7")
    page.locator("#id_marking").select_option("PUBLIC")
    page.locator("#id_count-0-organization").select_option(label="Ministry of Defence of Ukraine")
    page.locator("#id_count-0-service").select_option("civilian")
    page.locator("#id_count-0-sex").select_option("female")
    page.locator("#id_count-0-rank_group").select_option("n/a")
    page.locator("#id_count-0-count").fill("4")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".errorlist")).to_contain_text("add up to 4")

    page.locator("#id_participants_total").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The event was saved.")).to_be_visible()
    # The saved event's own page, then the programme's list of events
    expect(page.get_by_role("heading", name="Integrity in defence procurement")).to_be_visible()
    screenshot(page, "programme-event-recorded")
    page.goto(f"{site}/en/programmes/building-integrity/")
    expect(page.get_by_role("cell", name="Integrity in defence procurement")).to_be_visible()


def test_the_operations_view_shows_the_factsheets_contributions(page: Page, site: str) -> None:
    page.goto(f"{site}/uk/operations/")

    expect(page.get_by_test_id("operation-count")).to_contain_text("9")
    expect(page.locator("tr.op-ocean-shield")).to_contain_text("Фрегат")
    screenshot(page, "operations-uk")
