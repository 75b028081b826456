"""The centre's HTTP API asks who is talking: tokens, permissions, the acting person, no CORS;
alerts through the agreement, their history and their end, on both centres."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from asde.alerts import Actor
from asde.centre import Centre
from asde.config import HttpClient
from asde.http import ActionRefused, actor_of
from asde.reports import Source, TargetReport
from tests.asde.test_service import configs, token

READS = ["/status", "/links", "/tracks?picture=own", "/tracks?picture=partner",
         "/data/aircraft.json", "/alerts", "/agreements", "/events"]  # fmt: skip
ACTIONS = ["/alerts/1/acknowledge", "/tracks/1/renegade"]
ANNA = {"name": "Anna Kowalska", "organization": "NATO CAOC Uedem", "role": "air operations"}
OKSANA = {"name": "Оксана Бондар", "organization": "Air Force of Ukraine", "role": "operator"}

Scenario = Callable[[Centre, Centre, str, str], Awaitable[Any]]


def run(tmp_path: Path, scenario: Scenario) -> Any:
    """Both demo centres in this loop, linked over TLS, without inputs: the test makes the
    traffic."""
    nato_config, ukraine_config = configs(tmp_path)
    nato_config.inputs = []

    async def main() -> Any:
        nato, ukraine = Centre(nato_config), Centre(ukraine_config)
        await nato.start()
        await ukraine.start()
        try:
            await until(lambda: len(nato.link.writers) == 2, "the link")
            return await scenario(nato, ukraine, f"http://127.0.0.1:{nato_config.http_port}",
                                  f"http://127.0.0.1:{ukraine_config.http_port}")  # fmt: skip
        finally:
            await nato.stop()
            await ukraine.stop()

    return asyncio.run(main())


async def until(check: Callable[[], Any], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def report(
    lat: float, lon: float, squawk: str = "1234", address: str = "508035", at: float = 0.0
) -> TargetReport:
    return TargetReport(time=at or time.time(), source=Source.ADSB, lat=lat, lon=lon,
                        address=address, callsign="AUI101", squawk=squawk, altitude_ft=35000.0,
                        ground_speed_kt=450.0, track_deg=90.0)  # fmt: skip


def actor(person: dict[str, str]) -> dict[str, str]:
    return {"X-ASDE-Actor": json.dumps(person)}


def test_every_endpoint_but_the_probe_asks_for_a_token_and_none_sends_cors(
    tmp_path: Path,
) -> None:
    async def scenario(nato: Centre, ukraine: Centre, base: str, _partner: str) -> Any:
        answers = {}
        async with aiohttp.ClientSession() as http:
            for path in READS:
                async with http.get(base + path) as answer:
                    answers[("GET", path, "none")] = (answer.status, dict(answer.headers))
                async with http.get(
                    base + path, headers={"Authorization": "Bearer " + "x" * 43}
                ) as answer:
                    answers[("GET", path, "wrong")] = (answer.status, dict(answer.headers))
            for path in ACTIONS:
                async with http.post(base + path, json={"level": "confirmed"}) as answer:
                    answers[("POST", path, "none")] = (answer.status, dict(answer.headers))
                    body = await answer.json()
            async with http.options(
                base + "/alerts/1/acknowledge", headers={"Origin": "https://evil.example"}
            ) as answer:
                answers[("OPTIONS", "/alerts/1/acknowledge", "none")] = (
                    answer.status,
                    dict(answer.headers),
                )
            async with http.get(base + "/healthz") as answer:
                health = (answer.status, await answer.json())
        return answers, body, health, nato.status()["http"]

    answers, body, health, counters = run(tmp_path, scenario)

    assert health == (200, {"ok": True})
    for key, (status, headers) in answers.items():
        assert status == 401, key
        assert headers["WWW-Authenticate"].startswith("Bearer"), key
        assert not any(h.lower().startswith("access-control") for h in headers), key
    assert "bearer token" in body["error"]
    assert counters["unauthenticated"] == len(answers)


def test_a_read_only_client_reads_and_may_not_act(tmp_path: Path) -> None:
    async def scenario(nato: Centre, ukraine: Centre, base: str, _partner: str) -> Any:
        reads, acts = {}, {}
        async with aiohttp.ClientSession(headers=token(tmp_path, "nato-monitor")) as http:
            for path in READS:
                if path == "/events":
                    continue  # a stream: see the snapshot test
                async with http.get(base + path) as answer:
                    reads[path] = answer.status
            for path in ACTIONS:
                async with http.post(
                    base + path, json={"level": "confirmed"}, headers=actor(ANNA)
                ) as answer:
                    acts[path] = (answer.status, (await answer.json())["error"])
        return reads, acts, nato.status()["http"]

    reads, acts, counters = run(tmp_path, scenario)

    assert set(reads.values()) == {200}
    for status, error in acts.values():
        assert status == 403 and "no 'act' permission" in error
    assert counters["forbidden"] == 2 and counters["actions"] == 0


def test_an_escalation_reaches_the_partner_with_who_did_it_and_everything_is_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="asde.audit")

    async def scenario(nato: Centre, ukraine: Centre, base: str, partner: str) -> Any:
        # given a renegade over western Ukraine (a code change to 7500: two indicators; the
        # change counted at once, not after code_change_confirm_s)
        nato.alerts.settings.code_change_confirm_s = 0.0
        nato.apply(report(49.84, 24.03, squawk="1234"))
        nato.apply(report(49.85, 24.05, squawk="7500"))
        renegade = next(a for a in nato.alerts.history if a.rule == "renegade")
        await until(lambda: any(a.rule == "renegade" for a in ukraine.partner_alerts.alerts),
                    "the renegade at the partner")  # fmt: skip
        out: dict[str, Any] = {}
        async with aiohttp.ClientSession(headers=token(tmp_path, "nato-platform")) as http:
            url = f"{base}/tracks/{renegade.track}/renegade"
            # the body must be JSON (a text/plain POST is what a foreign page could send)
            async with http.post(url, data='{"level": "confirmed"}', headers={
                    "Content-Type": "text/plain", **actor(ANNA)}) as answer:  # fmt: skip
                out["text_plain"] = answer.status
            async with http.post(url, json={"level": "confirmed"}) as answer:
                out["no_actor"] = (answer.status, (await answer.json())["error"])
            async with http.post(url, json={"level": "certain"}, headers=actor(ANNA)) as answer:
                out["bad_level"] = answer.status
            # when a NATO operator escalates it through the platform's client
            async with http.post(url, json={"level": "confirmed"}, headers=actor(ANNA)) as answer:
                out["escalated"] = (answer.status, await answer.json())
            async with http.post(f"{base}/tracks/99999/renegade", json={"level": "confirmed"},
                                 headers=actor(ANNA)) as answer:  # fmt: skip
                out["not_own"] = answer.status
            # and acknowledges it (the partner is told that too, and by whom)
            async with http.post(f"{base}/alerts/{renegade.number}/acknowledge",
                                 headers=actor(ANNA)) as answer:  # fmt: skip
                out["acknowledged_own"] = answer.status
        # (the copy's own acknowledged flag stays this side's: its operators still act on it)
        await until(lambda: any(a.level == 3 and a.history[-1].event == "acknowledged"
                                for a in ukraine.partner_alerts.alerts),
                    "the escalation and acknowledgement at the partner")  # fmt: skip
        async with aiohttp.ClientSession(headers=token(tmp_path, "ukraine-platform")) as http:
            async with http.get(f"{partner}/alerts") as answer:
                copies = [a for a in await answer.json() if a["rule"] == "renegade"]
            # and a Ukrainian operator acknowledges the copy on Ukraine's side
            async with http.post(f"{partner}/alerts/{copies[0]['number']}/acknowledge",
                                 headers=actor(OKSANA)) as answer:  # fmt: skip
                out["acknowledged_copy"] = (answer.status, await answer.json())
        out["copies"] = copies
        out["own_after"] = renegade.to_json()
        return out

    out = run(tmp_path, scenario)

    assert out["text_plain"] == 415
    assert out["no_actor"][0] == 400 and "X-ASDE-Actor is missing" in out["no_actor"][1]
    assert out["bad_level"] == 400
    assert out["not_own"] == 409
    status, own = out["escalated"]
    assert status == 200 and own["level"] == "confirmed" and own["origin"] == "own"
    assert own["history"][-1] | {"at": None} == {"event": "escalated", "at": None, "by": ANNA,
                                                 "level": "confirmed"}  # fmt: skip
    # then the partner's copy shows who escalated, as NATO's centre recorded it
    (copy,) = out["copies"]
    assert copy["origin"] == "partner" and copy["level"] == "confirmed"
    assert [e["event"] for e in copy["history"]] == ["raised", "escalated", "acknowledged"]
    assert copy["history"][1]["by"] == copy["history"][2]["by"] == ANNA
    assert out["acknowledged_own"] == 200
    # the acknowledgement of the copy names the Ukrainian operator and stays on that side
    status, acknowledged = out["acknowledged_copy"]
    assert status == 200 and acknowledged["history"][-1]["by"] == OKSANA
    assert [e["by"] for e in out["own_after"]["history"] if e["event"] == "acknowledged"] == [ANNA]
    # every action is an audit line naming the person and the client
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "asde.audit"]
    assert [(x["action"], x["by"]["name"], x["client"]) for x in lines] == [
        ("escalate", ANNA["name"], "platform"), ("acknowledge", ANNA["name"], "platform"),
        ("acknowledge", OKSANA["name"], "platform"),
    ]  # fmt: skip


def test_an_alert_about_a_withheld_track_is_not_sent_and_a_cleared_one_ends_on_both_sides(
    tmp_path: Path,
) -> None:
    async def scenario(nato: Centre, ukraine: Centre, base: str, partner: str) -> Any:
        # given an emergency over Paris (outside the agreement) and one over Lviv
        nato.apply(report(48.85, 2.35, squawk="7700", address="3C6586"))
        nato.apply(report(49.84, 24.03, squawk="7700", address="508035"))
        await until(lambda: len(ukraine.partner_alerts.alerts) >= 1, "the Lviv alert")
        await asyncio.sleep(0.3)  # time for anything else that would cross
        sent_before = [a.track for a in ukraine.partner_alerts.alerts]
        # when the Lviv aircraft squawks normal again (a code change, an alert of its own)
        nato.apply(report(49.85, 24.05, squawk="1000", address="508035"))
        await until(lambda: all(a.cleared_at for a in ukraine.partner_alerts.alerts
                                if a.rule == "squawk_7700"), "the end at the partner")  # fmt: skip
        async with aiohttp.ClientSession(headers=token(tmp_path, "nato-monitor")) as http:
            async with http.get(f"{base}/alerts") as answer:
                own = await answer.json()
            async with http.get(f"{base}/status") as answer:
                counters = (await answer.json())["alerts"]
        async with (
            aiohttp.ClientSession(headers=token(tmp_path, "ukraine-monitor")) as http,
            http.get(f"{partner}/alerts") as answer,
        ):
            copies = await answer.json()
        paris = next(t.number for t in nato.picture if t.address == "3C6586")
        lviv = next(t.number for t in nato.picture if t.address == "508035")
        return own, copies, counters, sent_before, paris, lviv

    own, copies, counters, sent_before, paris, lviv = run(tmp_path, scenario)

    # then only the released track's alert went to Ukraine; the other is counted, by reason
    assert sent_before == [lviv] and paris != lviv
    assert counters["withheld"] == {"outside_area": 1}
    assert {a["track"] for a in copies} == {lviv}
    # and the Lviv alert ended at NATO and at Ukraine alike, each with its history
    (nato_alert,) = [a for a in own if a["track"] == lviv and a["rule"] == "squawk_7700"]
    (copy,) = [a for a in copies if a["rule"] == "squawk_7700"]
    for alert in (nato_alert, copy):
        assert alert["state"] == "cleared" and alert["cleared_at"] is not None
        assert [e["event"] for e in alert["history"]] == ["raised", "cleared"]
    paris_alert = next(a for a in own if a["track"] == paris)
    assert paris_alert["state"] == "active"  # still an emergency, at NATO only


def test_the_event_stream_starts_with_the_picture_and_the_alerts(tmp_path: Path) -> None:
    async def scenario(nato: Centre, ukraine: Centre, base: str, _partner: str) -> Any:
        nato.apply(report(49.84, 24.03, squawk="7700"))
        async with (
            aiohttp.ClientSession(headers=token(tmp_path, "nato-monitor")) as http,
            http.get(f"{base}/events") as answer,
        ):
            line = await answer.content.readline()
            headers = dict(answer.headers)
        return json.loads(line.removeprefix(b"data: ")), headers

    first, headers = run(tmp_path, scenario)

    assert headers["Content-Type"] == "text/event-stream"
    assert "Access-Control-Allow-Origin" not in headers
    assert first["type"] == "snapshot"
    assert [t["picture"] for t in first["tracks"]] == ["own"]
    assert [(a["rule"], a["state"]) for a in first["alerts"]] == [("squawk_7700", "active")]
    assert first["link"]["tls"] is True and len(first["link"]["connections"]) == 2


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "X-ASDE-Actor is missing"),
        ("Anna", "X-ASDE-Actor is not JSON"),
        ('["Anna"]', "must be a JSON object"),
        ('{"name": "Anna", "organization": "NATO"}', "'role' must be a non-empty string"),
        (json.dumps({**ANNA, "name": "x" * 201}), "'name' is longer than 200 characters"),
    ],
)
def test_a_delegating_client_must_name_the_person(header: str | None, reason: str) -> None:
    platform = HttpClient("platform", "t" * 32, frozenset({"read", "act", "delegate"}))

    with pytest.raises(ActionRefused) as refused:
        actor_of(platform, header)

    assert refused.value.status == 400 and reason in refused.value.reason


def test_a_client_without_delegation_acts_as_itself_whatever_it_claims() -> None:
    duty = HttpClient("duty-desk", "t" * 32, frozenset({"read", "act"}), "NATO CAOC", "duty")

    assert actor_of(duty, json.dumps(ANNA)) == Actor("duty-desk", "NATO CAOC", "duty")
    assert actor_of(HttpClient("p", "t" * 32, frozenset({"act", "delegate"})),
                    json.dumps(ANNA)) == Actor(**ANNA)  # fmt: skip
