"""Logistics in the browser: a unit requests an NSN, the bureau researches and codifies it,
the unit receives the item into one depot and issues it from there to another place; a
destroyed lot is reported and the demilitarization progress shows it against the target."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from partnership.logistics.models import SupplyItem
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logistics_site(site: str) -> str:
    call_command("load_logistics", "--demo", verbosity=0)
    return site


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_an_item_from_a_codification_request_to_an_nsn_received_and_issued(
    page: Page, logistics_site: str
) -> None:
    site = logistics_site
    log_in(page, site, "ua-logistician")
    page.goto(site + "/en/logistics/requests/")
    page.get_by_test_id("new-request").click()
    page.locator("#id_name_en").fill("Stretcher, folding")
    page.locator("#id_name_uk").fill("Ноші складані")
    page.locator("#id_ncage").fill("U8S55")
    page.locator("#id_supplier_name").fill("Demo Medical Works")
    page.locator("#id_reference").fill("NS-2")
    page.locator("#id_supply_class").fill("6530")
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_test_id("request-status")).to_have_text("received")
    number = page.locator("h1").inner_text().split()[-1]
    log_out(page)

    log_in(page, site, "ua-codifier")
    page.goto(site + f"/en/logistics/requests/{number}/")
    page.get_by_test_id("research").click()
    expect(page.get_by_test_id("request-status")).to_have_text("researched")
    page.get_by_test_id("codify").click()
    expect(page.get_by_test_id("request-status")).to_have_text("codified")
    nsn = page.get_by_test_id("request-nsn").inner_text()
    assert nsn.startswith("6530-90-")
    screenshot(page, "logistics-request-codified")
    log_out(page)

    log_in(page, site, "ua-logistician")
    digits = SupplyItem.objects.get(name_en="Stretcher, folding").nsn
    for kind, quantity, src, dst in (
        ("receipt", "12", "", "Central depot No. 1 (demo)"),
        ("issue", "5", "Central depot No. 1 (demo)", "Western depot No. 2 (demo)"),
    ):
        page.goto(site + "/en/logistics/movements/new/")
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_nsn").fill(nsn)
        page.locator("#id_quantity").fill(quantity)
        if src:
            page.locator("#id_from_location").select_option(label=src)
        page.locator("#id_to_location").select_option(label=dst)
        page.get_by_test_id("save-movement").click()
        expect(page.get_by_test_id("nsn")).to_have_text(nsn)
    # More than is there is refused with the reason, on the quantity.
    page.goto(site + "/en/logistics/movements/new/")
    page.locator("#id_kind").select_option("issue")
    page.locator("#id_nsn").fill(nsn)
    page.locator("#id_quantity").fill("8")
    page.locator("#id_from_location").select_option(label="Central depot No. 1 (demo)")
    page.locator("#id_to_location").select_option(label="Western depot No. 2 (demo)")
    page.get_by_test_id("save-movement").click()
    expect(page.locator("main")).to_contain_text("cannot leave it")

    page.goto(site + f"/en/logistics/items/{digits}/")
    holdings = page.get_by_test_id("holdings")
    expect(holdings).to_contain_text("Central depot No. 1 (demo)")
    expect(holdings.locator("tr", has_text="Central depot")).to_contain_text("7")
    expect(holdings.locator("tr", has_text="Western depot")).to_contain_text("5")
    expect(page.get_by_test_id("movements")).to_contain_text("ua-logistician")
    screenshot(page, "logistics-item")


def test_a_destroyed_lot_is_reported_and_counted_against_its_target(
    page: Page, logistics_site: str
) -> None:
    site = logistics_site
    log_in(page, site, "ua-reporter")
    page.goto(site + "/en/logistics/destruction/")
    expect(page.get_by_test_id("destroyed-manpads")).to_have_text("0")
    page.get_by_test_id("new-lot-manpads").click()
    page.locator("#id_lot_number").fill("MP-2014-1")
    page.locator("#id_quantity").fill("120")
    page.locator("#id_period").fill("2014-10")
    page.locator("#id_site").fill("Demo site")
    page.get_by_test_id("save-lot").click()
    expect(page.get_by_test_id("destroyed-manpads")).to_have_text("120")
    # 120 of the 1,000 MANPADS the factsheet states.
    expect(page.locator("section.target h2", has_text="MANPADS:")).to_contain_text("(12.0 %)")
    screenshot(page, "logistics-destruction")
