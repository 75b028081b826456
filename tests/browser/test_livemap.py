"""The live map in a real browser, through the platform, fed by two real `asde run` centres.

NATO's centre replays the renegade scenario and a slice of real traffic over France, which no
agreement releases; Ukraine's centre receives what the agreement in force lets through. Each
operator's page talks to the platform only, and the platform to that operator's own centre.
"""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CENTRES = ROOT / "src" / "asde" / "data" / "centres"
FRANCE = ROOT.parent / "shared" / "data" / "traffic-samples" / "quickstart.json.gz"
ASDE = Path(sys.executable).with_name("asde")
# Every message the page's EventSource receives, kept for the test to read: the stream is
# endless, so Playwright cannot hand its body over as it does for the other responses.
RECORD_EVENTS = """
(() => {
  const Original = window.EventSource;
  window.__events = [];
  window.EventSource = function (url, options) {
    const source = new Original(url, options);
    window.__eventUrls = (window.__eventUrls || []).concat([url]);
    source.addEventListener("message", (m) => window.__events.push(m.data));
    return source;
  };
  window.EventSource.CLOSED = Original.CLOSED;
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Centres:
    settings: dict[str, dict[str, Any]]
    processes: dict[str, subprocess.Popen[bytes]]
    urls: dict[str, str]
    france: set[str]  # callsigns and addresses of the French traffic NATO holds

    def stop(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def _france_slice(target: Path) -> set[str]:
    """Ten flights of the real French recording, their first ten minutes, as a recording."""
    rows = json.loads(gzip.decompress(FRANCE.read_bytes()))
    start = min(r["timestamp"] for r in rows)
    flights: list[str] = []
    kept = []
    for row in sorted(rows, key=lambda r: r["timestamp"]):
        if row["timestamp"] - start > 600_000:
            break
        if row["icao24"] not in flights and len(flights) < 10 and row.get("callsign"):
            flights.append(row["icao24"])
        if row["icao24"] in flights:
            kept.append(row)
    target.write_bytes(gzip.compress(json.dumps(kept).encode()))
    names = {str(r["callsign"]).strip() for r in kept if r.get("callsign")}
    return names | {str(r["icao24"]).upper() for r in kept}


def _with_credentials(value: Any, creds: Path) -> Any:
    """The demo YAML's var/asde/... files, taken from this test's own credentials instead."""
    if isinstance(value, dict):
        return {k: _with_credentials(v, creds) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_credentials(v, creds) for v in value]
    if isinstance(value, str) and "var/asde/" in value:
        return str(creds / Path(value).name)
    return value


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def centres(tmp_path: Path) -> Iterator[Centres]:
    if not FRANCE.exists():
        pytest.fail(f"the shared traffic recording is missing: {FRANCE}")
    creds = tmp_path / "asde"
    subprocess.run([str(ASDE), "credentials", "--dir", str(creds)], check=True)
    france = _france_slice(tmp_path / "france.json.gz")
    hu, tr = free_port(), free_port()
    configs = {}
    for name in ("nato", "ukraine"):
        data = _with_credentials(yaml.safe_load((CENTRES / f"{name}.yaml").read_text()), creds)
        data["http"]["port"] = free_port()
        data["state_file"] = str(tmp_path / f"{name}-state.json")
        data["send_period_s"] = 0.5
        data["partner"]["agreements"] = [
            str((CENTRES / a).resolve()) for a in data["partner"]["agreements"]
        ]
        configs[name] = data
    nato, ukraine = configs["nato"], configs["ukraine"]
    nato["partner"]["listen"] = [{"name": "via-hungary", "port": hu},
                                 {"name": "via-turkey", "port": tr}]  # fmt: skip
    ukraine["partner"]["connect"] = [{"name": "via-hungary", "host": "127.0.0.1", "port": hu},
                                     {"name": "via-turkey", "host": "127.0.0.1", "port": tr}]  # fmt: skip
    # The scenario fast enough that the renegade is declared within half a minute, slow enough
    # that it is still flying when the operators act; the French traffic at its real pace.
    scenario = str((CENTRES / nato["inputs"][0]["file"]).resolve())
    nato["inputs"] = [
        {"type": "scenario", "file": scenario, "speed": 25},
        {"type": "replay", "file": str(tmp_path / "france.json.gz"), "speed": 1},
    ]
    processes, urls = {}, {}
    for name, data in configs.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        log = (tmp_path / f"{name}.log").open("wb")
        processes[name] = subprocess.Popen(
            [str(ASDE), "run", "--config", str(path), "--log-level", "WARNING"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        urls[name] = f"http://127.0.0.1:{data['http']['port']}"
    deadline = time.monotonic() + 30
    while not all(_up(u) for u in urls.values()):
        assert time.monotonic() < deadline, "the centres did not start: see their logs"
        assert all(p.poll() is None for p in processes.values()), (
            tmp_path / "nato.log"
        ).read_text() + (tmp_path / "ukraine.log").read_text()
        time.sleep(0.2)
    settings = {
        "nato": {"url": urls["nato"], "token_file": str(creds / "nato-platform.token"),
                 "organizations": ["nato-is"]},
        "ukraine": {"url": urls["ukraine"], "token_file": str(creds / "ukraine-platform.token"),
                    "organizations": ["ua-armed-forces"]},
    }  # fmt: skip
    running = Centres(settings, processes, urls, france)
    with override_settings(ASDE_CENTRES=settings, ASDE_STREAM_IDLE_S=10):
        yield running
    for name in processes:
        running.stop(name)


@pytest.fixture
def operator(browser: Browser, site: str) -> Iterator[Callable[..., Page]]:
    """Opens a logged-in operator's map page that keeps every response it is sent."""
    contexts = []

    def open_map(username: str, language: str = "en") -> Page:
        context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
        contexts.append(context)
        context.add_init_script(RECORD_EVENTS)
        page = context.new_page()
        page.set_default_timeout(20_000)
        bodies: list[str] = []
        page.on("response", lambda r: _keep(r, bodies))
        page.bodies = bodies  # type: ignore[attr-defined]
        log_in(page, site, username)
        page.goto(f"{site}/{language}/airpicture/map/")
        return page

    yield open_map
    # Closed before the live server's database goes: an open map would reconnect to it.
    for context in contexts:
        context.close()


def _keep(response: Any, bodies: list[str]) -> None:
    if "text/event-stream" in (response.headers.get("content-type") or ""):
        return
    try:
        bodies.append(response.text())
    except Exception:  # a redirect or an aborted request has no body to read
        bodies.append(response.url)


def everything_received(page: Page) -> str:
    events = page.evaluate("window.__events")
    return page.content() + "\n".join(page.bodies) + "\n".join(events)  # type: ignore[attr-defined]


def narrow(page: Page, name: str) -> None:
    """At a phone's width the map comes first; the console is below it, where the thumb goes."""
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, name)
    page.locator(".console").scroll_into_view_if_needed()
    screenshot(page, name + "-console")
    box = page.locator(".console").bounding_box()
    assert box is not None and box["width"] <= 390, "the console fits the phone's width"


def renegade(page: Page) -> Any:
    return page.locator("#alerts li[data-rule=renegade]").first


def test_the_ukrainian_operator_sees_ukraines_side_only_and_acts_on_it(
    operator: Callable[..., Page], site: str, centres: Centres
) -> None:
    nato = operator("nato-airops")
    ua = operator("ua-airops")

    # Then the Ukrainian page gets NATO's picture as released, from the platform only
    expect(ua.locator("path.track-partner").first).to_be_visible()
    expect(ua.get_by_test_id("centre-state")).to_have_text(
        "Connected to your air operations centre."
    )
    expect(ua.get_by_test_id("links")).to_contain_text("via-hungary")
    assert ua.evaluate("window.__eventUrls") == ["/en/airpicture/map/events"]
    # ... while NATO's own page shows the French traffic the agreement never releases
    nato.get_by_label("Search by callsign, code or address").fill("AFR")
    expect(nato.locator("#tracks tbody tr").first).to_contain_text("AFR")
    address = nato.locator("#tracks tbody tr").first.locator("td").nth(2).inner_text()
    assert address.upper() in centres.france
    nato.get_by_label("Search by callsign, code or address").fill(address.lower())
    expect(nato.locator("#tracks tbody tr")).to_have_count(1)
    expect(nato.locator("#tracks tbody tr").first).to_contain_text(address)

    # When a renegade is declared, Ukraine's copy comes without escalation buttons
    expect(renegade(ua)).to_be_visible(timeout=45_000)
    ua.get_by_label("Search by callsign, code or address").fill("7500")
    expect(ua.locator("#tracks tbody tr").first).to_contain_text("LOT7RG")
    expect(ua.get_by_test_id("track-count")).to_contain_text("1 of")
    expect(renegade(ua)).to_contain_text("received from the partner")
    assert ua.locator("button.escalate").count() == 0
    # ... and escalating NATO's track through the platform is refused with the reason
    track = renegade(ua).get_attribute("data-track")
    refused = ua.request.post(
        f"{site}/en/airpicture/map/tracks/{track}/renegade",
        form={"level": "confirmed"},
        headers={"X-CSRFToken": ua.locator("#map").get_attribute("data-csrf") or ""},
    )
    assert refused.status == 403
    assert "only the centre that holds a track escalates it" in refused.json()["error"]

    # When the Ukrainian operator acknowledges Ukraine's copy
    ua_alert = renegade(ua)
    ua_alert.get_by_role("button", name="Acknowledge").click()

    # Then it is acknowledged, in their name, on Ukraine's side only
    expect(ua.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(renegade(ua)).to_contain_text("acknowledged by ua-airops (Armed Forces of Ukraine")
    expect(renegade(nato).get_by_role("button", name="Acknowledge")).to_be_visible()

    screenshot(ua, "live-map-ua-en-1366")
    narrow(ua, "live-map-ua-en-390")

    # Nothing of the French traffic ever reached the Ukrainian operator's browser
    received = everything_received(ua)
    leaked = sorted(name for name in centres.france if name and name in received)
    assert leaked == []
    assert any(name in everything_received(nato) for name in centres.france), "the check can fail"

    # When Ukraine's centre goes down, the page says so, in the operator's language
    centres.stop("ukraine")
    expect(ua.get_by_test_id("centre-state")).to_have_text(
        "Your air operations centre is unreachable; retrying.", timeout=30_000
    )


def test_nato_escalates_and_the_ukrainian_side_shows_who_did(
    operator: Callable[..., Page], site: str, centres: Centres
) -> None:
    nato = operator("nato-airops")
    ua = operator("ua-airops", language="uk")

    expect(renegade(nato)).to_be_visible(timeout=45_000)
    expect(renegade(nato)).to_contain_text("raised by this centre")
    expect(renegade(ua)).to_be_visible(timeout=20_000)

    # When NATO's operator raises the renegade to probable
    renegade(nato).get_by_role("button", name="Escalate to probable").click()

    # Then both sides show who did it and when
    expect(renegade(nato)).to_contain_text("escalated to probable by nato-airops")
    expect(renegade(ua)).to_contain_text("підвищено до «імовірний»: nato-airops")
    expect(renegade(ua).locator(".level")).to_have_text("імовірний")
    # ... and only higher levels are left to choose
    expect(renegade(nato).locator("button.escalate")).to_have_count(1)

    screenshot(nato, "live-map-nato-en-1366")
    screenshot(ua, "live-map-ua-uk-1366")
    narrow(ua, "live-map-ua-uk-390")
    # A map opened afterwards has the alert and its history from the start
    nato.goto(f"{site}/uk/airpicture/map/")
    expect(renegade(nato)).to_contain_text("підвищено до «імовірний»: nato-airops")
    narrow(nato, "live-map-nato-uk-390")


def test_staff_without_a_centre_are_refused_in_their_language(page: Page, site: str) -> None:
    log_in(page, site, "ua-viewer")
    page.goto(f"{site}/uk/airpicture/map/")

    expect(page.get_by_test_id("refusal")).to_contain_text("лише для персоналу повітряних операцій")
    screenshot(page, "live-map-refused-uk")


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
