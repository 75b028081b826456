"""The live map in a real browser, fed by two real ASDE centres on loopback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from asde.service import Centre
from tests.asde.test_service import configs
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centres(tmp_path: Path) -> Iterator[dict[str, str]]:
    nato_config, ukraine_config = configs(tmp_path)
    nato_config.inputs[0]["speed"] = 20  # slow enough to watch the tracks move
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, Centre] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            holder["nato"], holder["ukraine"] = Centre(nato_config), Centre(ukraine_config)
            await holder["nato"].start()
            await holder["ukraine"].start()
            started.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30)
    yield {"nato": f"http://127.0.0.1:{nato_config.http_port}",
           "partner": f"http://127.0.0.1:{ukraine_config.http_port}"}  # fmt: skip

    async def stop() -> None:
        await holder["nato"].stop()
        await holder["ukraine"].stop()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_the_live_map_shows_moving_tracks_and_an_alert_is_acknowledged(
    page: Page, site: str, centres: dict[str, str]
) -> None:
    with override_settings(ASDE_CENTRES=centres):
        log_in(page, site, "nato-airops")
        page.goto(f"{site}/en/airpicture/map/")

        expect(page.locator("path.track-own").first).to_be_visible(timeout=20_000)
        expect(page.locator("path.track-partner").first).to_be_visible(timeout=20_000)
        first = page.locator("path.track-own").first.get_attribute("d")
        page.wait_for_timeout(2500)
        assert page.locator("path.track-own").first.get_attribute("d") != first, "tracks move"

        alert = (
            page.locator("#alerts li")
            .filter(has=page.get_by_role("button", name="Acknowledge"))
            .first
        )
        expect(alert).to_be_visible(timeout=20_000)
        alert.get_by_role("button", name="Acknowledge").click()
        expect(alert).to_have_class("acknowledged")
        expect(page.locator("#links")).to_contain_text("via-hungary")
        screenshot(page, "live-map")


def test_an_area_is_drawn_on_the_map_as_a_new_version(page: Page, site: str) -> None:
    from partnership.airpicture.models import ExchangeAgreement

    log_in(page, site, "nato-airops")
    page.goto(f"{site}/en/airpicture/agreements/")
    page.get_by_role("link", name="New version").first.click()
    page.get_by_role("button", name="Start again").click()
    box = page.locator("#draw-map").bounding_box()
    assert box is not None
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    expect(page.get_by_test_id("corners")).to_have_text("4")
    page.locator("#id_valid_from").fill("2027-01-01")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("needs both sides' approval")).to_be_visible()
    latest = ExchangeAgreement.objects.order_by("-version").first()
    assert latest is not None and latest.version == 3 and not latest.approved
    assert len(latest.area["coordinates"][0]) == 5
    screenshot(page, "agreement-new-version")
