"""Two centre processes while every input of NATO's gets the worst: one SBS line dated 2099,
a CAT 062 block 11 h ahead, a 100 KiB line, then random bytes on the SBS, ASTERIX UDP and
ASTERIX TCP inputs. Updates to Ukraine never stop, NATO's picture keeps its tracks, and the
inputs' counters say what happened."""

from __future__ import annotations

import os
import random
import socket
import threading
import time
from pathlib import Path

import pytest
import yaml

from asde.asterix import encode
from asde.convert import SystemId, track_to_cat062
from asde.picture import Track, TrackStatus
from asde.sim import load_scenario, simulate
from tests.asde.test_crash import HEADERS, start, status, wait_for
from tests.asde.test_service import DATA, configs, free_port, token

GARBAGE_S = float(os.environ.get("ASDE_GARBAGE_S", "60"))  # the five minutes: 300
# The renegade scenario's aircraft fly 2,810 s: slow enough that they are in the area all along
# (the longest of them still flying at the end of the run).
SPEED = max(1.0, min(10.0, 2000 / (GARBAGE_S + 60)))


def sbs_line(when: float, address: str) -> bytes:
    stamp = time.strftime("%Y/%m/%d,%H:%M:%S.000", time.gmtime(when))
    return f"MSG,3,1,1,{address},1,{stamp},{stamp},,35000,,,49.8,23.4,,,,,,0\n".encode()


def flights_flying(at_s: float) -> int:
    """The renegade scenario's aircraft that still report `at_s` seconds after its start."""
    reports = simulate(load_scenario(DATA / "scenarios" / "renegade-lviv.yaml"))
    start = reports[0].time
    last: dict[str, float] = {}
    for report in reports:
        if report.callsign:
            last[report.callsign] = report.time
    return sum(1 for t in last.values() if t - start > at_s)


class Garbage(threading.Thread):
    """A TCP server that, to whoever connects, sends `first` and then random bytes."""

    def __init__(self, first: bytes, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.first, self.stop = first, stop
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0

    def run(self) -> None:
        rng = random.Random(12)
        while not self.stop.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            try:
                client.sendall(self.first)
                while not self.stop.is_set():
                    client.sendall(rng.randbytes(4096))
                    time.sleep(0.01)
            except OSError:
                pass  # the centre dropped a lost stream: it dials again
            finally:
                client.close()
        self.server.close()


@pytest.mark.serial  # updates counted each second against a rate: not beside other workers
def test_garbage_on_every_input_never_stops_the_updates_to_the_partner(tmp_path: Path) -> None:
    configs(tmp_path)
    nato_file, ukraine_file = tmp_path / "nato.yaml", tmp_path / "ukraine.yaml"
    nato = yaml.safe_load(nato_file.read_text())
    stop = threading.Event()
    now = time.time()
    # An SBS feed: a good line, one dated 2099, 100 KiB without an end of line, then noise
    sbs = Garbage(sbs_line(now, "4CA101") + sbs_line(4_070_908_800.0, "4CA102")
                  + b"z" * (100 * 1024) + b"\n", stop)  # fmt: skip
    ahead = Track(7, now + 11 * 3600, now + 11 * 3600, status=TrackStatus.CONFIRMED,
                  lat=50.0, lon=24.0, squawk="2000", updates=3)  # fmt: skip
    block = encode([track_to_cat062(ahead, SystemId(25, 9), now + 11 * 3600)])
    tcp = Garbage(block, stop)
    udp_port = free_port()
    nato["inputs"] = [
        {
            "type": "scenario",
            "file": str(DATA / "scenarios" / "renegade-lviv.yaml"),
            "speed": SPEED,
        },
        {"type": "sbs", "host": "127.0.0.1", "port": sbs.port, "name": "sbs"},
        {"type": "asterix-udp", "host": "127.0.0.1", "port": udp_port, "name": "udp"},
        {"type": "asterix-tcp", "host": "127.0.0.1", "port": tcp.port, "name": "tcp"},
    ]
    nato["send_period_s"] = 0.5
    nato_file.write_text(yaml.safe_dump(nato))
    ukraine = yaml.safe_load(ukraine_file.read_text())
    nato_port, ukraine_port = nato["http"]["port"], ukraine["http"]["port"]
    HEADERS[nato_port] = token(tmp_path, "nato-monitor")
    HEADERS[ukraine_port] = token(tmp_path, "ukraine-monitor")
    log = tmp_path / "centres.log"
    processes = [start(ukraine_file, log), start(nato_file, log)]
    per_second: list[int] = []
    try:
        wait_for(lambda: status(ukraine_port)["partner_tracks"] >= 3, 60, "the partner's tracks")
        # Before: how many of NATO's reports reach Ukraine in 12 s of clean inputs
        before = status(ukraine_port)["partner_reports"]["reports"]
        time.sleep(12)
        clean_rate = (status(ukraine_port)["partner_reports"]["reports"] - before) / 12
        tracks_before = status(nato_port)["tracks"]
        sbs.start()
        tcp.start()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.sendto(block, ("127.0.0.1", udp_port))
        rng = random.Random(7)
        # When the garbage goes on, the partner's accepted reports are counted every second
        last = status(ukraine_port)["partner_reports"]["reports"]
        next_second = time.monotonic() + 1
        end = time.monotonic() + GARBAGE_S
        while time.monotonic() < end:
            udp.sendto(rng.randbytes(rng.randint(1, 1400)), ("127.0.0.1", udp_port))
            if time.monotonic() >= next_second:
                count = status(ukraine_port)["partner_reports"]["reports"]
                per_second.append(count - last)
                last, next_second = count, next_second + 1
            time.sleep(0.005)
        nato_status = status(nato_port)
    finally:
        stop.set()
        for process in processes:
            process.terminate()
            process.wait(10)

    # Then Ukraine got updates all along, as many as before: the agreement lets one update
    # a track through every 4 s (update_period_s), so no 5 s went by without one
    assert len(per_second) >= GARBAGE_S - 2
    longest_silence = max(len(run) for run in "".join(
        "." if n else " " for n in per_second).split("."))  # fmt: skip
    assert longest_silence < 5, per_second
    assert sum(per_second) / len(per_second) >= 0.7 * clean_rate, (clean_rate, per_second)
    # NATO's own picture still holds every scenario aircraft flying at the end (the others
    # ended by themselves: the garbage ended none, nothing was pushed out to make room)
    flying = flights_flying(nato_status["uptime_s"] * SPEED - 30)
    assert nato_status["tracks"] >= min(tracks_before, flying)
    assert nato_status["picture"]["evicted"]["own"] == 0
    inputs = nato_status["inputs"]
    assert inputs["sbs"]["refused"].get("future") == 1  # the line of 2099
    assert inputs["sbs"]["errors"]["overlong_line"] >= 1
    assert inputs["sbs"]["errors"]["not_sbs"] + inputs["sbs"]["errors"].get("encoding", 0) > 100
    assert inputs["sbs"]["reports"] >= 1  # the good line before it all
    assert inputs["udp"]["refused"].get("future", 0) >= 1  # the block 11 h ahead
    assert inputs["udp"]["errors"]["bad_block"] > 100
    assert inputs["tcp"]["refused"].get("future", 0) >= 1
    assert (
        inputs["tcp"]["errors"].get("lost_stream", 0) + inputs["tcp"]["errors"].get("bad_block", 0)
        > 0
    )
    assert inputs["tcp"]["connections"] >= 1
    assert "Traceback" not in log.read_text()
