"""The partner picture, as two real centre processes keep it: the partner's system tracks keep
their identity (SAC/SIC and track number) although the agreement removes the Mode S address
and the aircraft squawk the codes many share (1000, 2000, 7000)."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from tests.asde.test_crash import HEADERS, start, status, wait_for
from tests.asde.test_service import DATA, configs, token

SCENARIOS = DATA / "scenarios"


def tracks(port: int, picture: str) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{port}/tracks?picture={picture}"
    request = urllib.request.Request(url, headers=HEADERS[port])
    with urllib.request.urlopen(request, timeout=2) as answer:
        result: list[dict[str, Any]] = json.load(answer)
        return result


def test_shared_codes_keep_one_partner_track_per_aircraft(tmp_path: Path) -> None:
    # Given NATO fed with six aircraft squawking 1000/2000/7000 for ten minutes at 10x and the
    # demo's renegade scenario, Ukraine linked to it, the shipped agreements in force
    configs(tmp_path)
    nato_file, ukraine_file = tmp_path / "nato.yaml", tmp_path / "ukraine.yaml"
    nato = yaml.safe_load(nato_file.read_text())
    nato["inputs"] = [
        {"type": "scenario", "file": str(SCENARIOS / "shared-codes.yaml"), "speed": 10},
        # Fast enough to reach the transponder switched off (1,350 s) within the run.
        {"type": "scenario", "file": str(SCENARIOS / "renegade-lviv.yaml"), "speed": 30},
    ]
    nato["send_period_s"] = 0.5
    nato_file.write_text(yaml.safe_dump(nato))
    ukraine = yaml.safe_load(ukraine_file.read_text())
    nato_port, ukraine_port = nato["http"]["port"], ukraine["http"]["port"]
    HEADERS[nato_port] = token(tmp_path, "nato-monitor")
    HEADERS[ukraine_port] = token(tmp_path, "ukraine-monitor")
    log = tmp_path / "centres.log"
    processes = [start(ukraine_file, log), start(nato_file, log)]
    numbers: dict[str, set[int]] = {}  # callsign -> the partner track numbers it had
    callsigns: dict[int, set[str]] = {}  # partner track number -> the callsigns it had
    largest = 0
    try:
        wait_for(lambda: status(ukraine_port)["partner_tracks"] > 0, 60, "the first partner tracks")
        # When the scenario runs its ten minutes (60 s at 10x), polled twice a second
        deadline = time.monotonic() + 62
        while time.monotonic() < deadline:
            partner = tracks(ukraine_port, "partner")
            largest = max(largest, len(partner))
            for track in partner:
                # A track's first update may come before its callsign (primary radar first)
                callsigns.setdefault(track["track"], set())
                if track["flight"]:
                    numbers.setdefault(track["flight"], set()).add(track["track"])
                    callsigns[track["track"]].add(track["flight"])
            time.sleep(0.5)
        own = {t["flight"]: t["track"] for t in tracks(nato_port, "own") if t["flight"]}
        final = status(ukraine_port)
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)

    # Then every aircraft is one partner track under one number, NATO's own number for it
    renegade = {"LOT7RG", "AUI101", "WZZ1XB", "URAGR1"}
    shared = {"RYR1KA", "WZZ22B", "LOT3C", "THY4D", "AUA5E", "SAS6F"}
    assert set(numbers) <= renegade | shared and shared <= set(numbers), numbers
    assert all(len(seen) == 1 for seen in numbers.values()), numbers
    assert all(len(seen) == 1 for seen in callsigns.values()), callsigns  # none without one
    assert largest <= len(numbers) <= 10
    # The demo's four aircraft under four numbers (the hijacked one after its transponder
    # went off too: NATO's track goes on, and so does Ukraine's copy of it)
    assert len({min(numbers[c]) for c in renegade & set(numbers)}) == len(renegade & set(numbers))
    assert {c: min(n) for c, n in numbers.items() if c in own} == {
        c: own[c] for c in numbers if c in own
    }
    assert final["partner_tracks"] <= len(numbers)
