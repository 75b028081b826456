"""Soak: two real ASDE centres for half an hour on the shared recordings replayed as live.

Run: .venv/bin/python benchmarks/soak_exchange.py [--minutes 30] [--cut-every 60]

NATO's centre (`asde run`, its own process) replays the shared OpenSky recordings
(`../shared/data/traffic-samples/quickstart.json.gz` and `switzerland.json.gz`, as live, 1x)
and the renegade scenario (1x), and reads a BaseStation input that gets garbage (random
bytes, over-long lines, lines that are not BaseStation) all along. It sends Ukraine's centre
(another process) what `benchmarks/soak/nato-ua-soak.yaml` releases (version 2's rules over an
area that holds the recordings) every second over two TLS links, each through a TCP relay of
this script; every `--cut-every` seconds the relay of the active link drops its connections
(a line cut: the link fails over, the other line comes back). The partner's age check refuses
none of it (an end of track, I062/080 TSE, carries its last time of track and is not stale).

Every 5 s it reads both centres' /status: Ukraine's partner track count, the age of the
partner's data on arrival (time of track I062/070 to arrival; p50/p99 of Ukraine's last
20,000 reports), the resident memory of each process. At the end it freezes NATO (SIGSTOP),
lets the link drain, and compares the track updates NATO released with the reports Ukraine
applied: lost = released - applied, duplicated = applied - released (when positive).
The summary is printed as JSON and as the table of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "asde" / "data"
SAMPLES = ROOT.parent / "shared" / "data" / "traffic-samples"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Relay:
    """A TCP relay for one partner line; `cut()` drops every connection through it."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = free_port()
        self.writers: set[asyncio.StreamWriter] = set()
        self.cuts = 0

    async def start(self) -> None:
        await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                sink.close()
                self.writers.discard(sink)

        with contextlib.suppress(asyncio.CancelledError):  # the soak is over
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def cut(self) -> None:
        self.cuts += 1
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()


class Garbage:
    """A BaseStation server that sends garbage to whoever connects (about 250 kB/s: random
    bytes, lines of random bytes, lines of up to 100 kB, a line of an invalid address)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.sent = 0

    async def start(self) -> None:
        await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        rng = random.Random(1)
        kinds = [
            lambda: rng.randbytes(rng.randint(1, 2000)),
            lambda: b"MSG,3,1,1," + rng.randbytes(40) + b"\n",
            lambda: b"x" * rng.randint(2000, 100_000) + b"\n",
            lambda: b"MSG,3,1,1,4CA1ZZ,1,2099/01/01,00:00:00.000,,,,,,,,,,,,,,\n",
        ]
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while True:
                chunk = rng.choice(kinds)()
                writer.write(chunk)
                self.sent += len(chunk)
                await writer.drain()
                await asyncio.sleep(0.05)


def status(port: int, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as answer:
        result: dict[str, Any] = json.load(answer)
        return result


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_configs(
    work: Path, relays: list[int], lines: list[int], garbage: int
) -> tuple[Path, Path, int, int]:
    from asde.credentials import write_credentials

    creds = work / "asde"
    write_credentials(creds)
    http_n, http_u = free_port(), free_port()
    nato = yaml.safe_load((DATA / "centres" / "nato.yaml").read_text())
    ukraine = yaml.safe_load((DATA / "centres" / "ukraine.yaml").read_text())
    for data, name in ((nato, "nato"), (ukraine, "ukraine")):
        data["tls"] = {"certificate": str(creds / f"{name}.pem"), "key": str(creds / f"{name}.key")}
        data["partner"]["tls"]["ca"] = str(creds / "ca.pem")
        for client in data["http"]["clients"]:
            client["token_file"] = str(creds / Path(client["token_file"]).name)
        data["state_file"] = str(work / f"{name}-state.json")
        data["send_period_s"] = 1.0
    nato["http"]["port"], ukraine["http"]["port"] = http_n, http_u
    nato["partner"]["listen"] = [{"name": "via-hungary", "port": lines[0]},
                                 {"name": "via-turkey", "port": lines[1]}]  # fmt: skip
    ukraine["partner"]["connect"] = [
        {"name": "via-hungary", "host": "127.0.0.1", "port": relays[0]},
        {"name": "via-turkey", "host": "127.0.0.1", "port": relays[1]},
    ]
    nato["partner"]["agreements"] = [
        str(DATA / "agreements" / "nato-ua-v1-2008.yaml"),
        str(DATA / "agreements" / "nato-ua-v2-2014.yaml"),
        str(ROOT / "benchmarks" / "soak" / "nato-ua-soak.yaml"),
    ]
    ukraine["partner"]["agreements"] = [str(DATA / "centres" / "ukraine-nato.yaml")]
    nato["inputs"] = [
        {"type": "scenario", "file": str(DATA / "scenarios" / "renegade-lviv.yaml"), "speed": 1},
        {"type": "replay", "file": str(SAMPLES / "quickstart.json.gz"), "speed": 1},
        {"type": "replay", "file": str(SAMPLES / "switzerland.json.gz"), "speed": 1},
        {"type": "sbs", "host": "127.0.0.1", "port": garbage, "name": "sbs garbage"},
    ]
    paths = []
    for name, data in (("nato", nato), ("ukraine", ukraine)):
        path = work / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        paths.append(path)
    return paths[0], paths[1], http_n, http_u


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from asde.cli import run; run()", "run", "--config", str(config)],
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


async def soak(minutes: float, cut_every: float, work: Path) -> dict[str, Any]:
    lines = [free_port(), free_port()]
    relays = [Relay(lines[0]), Relay(lines[1])]
    garbage = Garbage()
    for relay in relays:
        await relay.start()
    await garbage.start()
    nato_file, ukraine_file, http_n, http_u = write_configs(
        work, [r.port for r in relays], lines, garbage.port
    )
    tokens = {}
    for port, who in ((http_n, "nato"), (http_u, "ukraine")):
        token = (work / "asde" / f"{who}-monitor.token").read_text().strip()
        tokens[port] = {"Authorization": f"Bearer {token}"}
    log = work / "centres.log"
    ukraine = start(ukraine_file, log)
    nato = start(nato_file, log)
    loop = asyncio.get_running_loop()

    async def read(port: int) -> dict[str, Any]:
        return await loop.run_in_executor(None, status, port, tokens[port])

    samples: list[dict[str, Any]] = []
    try:
        for _ in range(120):
            await asyncio.sleep(1)
            try:
                if (await read(http_u))["links"]["connections"]:
                    break
            except OSError:
                continue
        started = time.monotonic()
        next_cut = started + cut_every
        while time.monotonic() - started < minutes * 60:
            await asyncio.sleep(5)
            if time.monotonic() >= next_cut:
                active = (await read(http_n))["links"]["active"]
                relays[0 if active in (None, "via-hungary") else 1].cut()
                next_cut += cut_every
            n, u = await read(http_n), await read(http_u)
            samples.append({
                "t": round(time.monotonic() - started), "nato_tracks": n["tracks"],
                "partner_tracks": u["partner_tracks"], "age_p50": u["partner_age_ms"]["p50"],
                "age_p99": u["partner_age_ms"]["p99"], "nato_mib": rss_mib(nato.pid),
                "ukraine_mib": rss_mib(ukraine.pid),
            })  # fmt: skip
            print(json.dumps(samples[-1]), flush=True)
        # The end: NATO frozen, what is on the way delivered, then the two sides' counts.
        for _attempt in range(5):
            before = await read(http_n)
            nato.send_signal(signal.SIGSTOP)
            await asyncio.sleep(3)
            after = await read(http_u)
            nato.send_signal(signal.SIGCONT)
            sent = before["links"]["counters"]["sent"]
            if after["links"]["counters"]["delivered"] == sent:
                break
            await asyncio.sleep(5)  # a period went out between the two reads: again
        final_nato = await read(http_n)
    finally:
        for process in (nato, ukraine):
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                process.wait(15)
    received = after["partner_reports"]
    applied = received["reports"] + sum(received["refused"].values())
    released = before["updates_sent"]
    ages99 = [s["age_p99"] for s in samples if s["age_p99"] is not None]
    ages50 = [s["age_p50"] for s in samples if s["age_p50"] is not None]
    return {
        "minutes": minutes, "cuts": sum(r.cuts for r in relays),
        "switchovers": len(final_nato["links"]["switchovers_s"]),
        "garbage_bytes": garbage.sent,
        "sbs_input": final_nato["inputs"].get("sbs garbage"),
        "nato_tracks_max": max(s["nato_tracks"] for s in samples),
        "partner_tracks_max": max(s["partner_tracks"] for s in samples),
        "partner_tracks_last": samples[-1]["partner_tracks"],
        "age_p50_ms_median": statistics.median(ages50) if ages50 else None,
        "age_p99_ms_max": max(ages99) if ages99 else None,
        "age_p99_ms_median": statistics.median(ages99) if ages99 else None,
        "nato_mib_first": samples[0]["nato_mib"], "nato_mib_max": max(s["nato_mib"] for s in samples),
        "ukraine_mib_first": samples[0]["ukraine_mib"],
        "ukraine_mib_max": max(s["ukraine_mib"] for s in samples),
        "released": released, "applied": applied, "refused": received["refused"],
        "lost": max(0, released - applied), "duplicated": max(0, applied - released),
        "frames_sent": before["links"]["counters"]["sent"],
        "frames_delivered": after["links"]["counters"]["delivered"],
        "nato_picture": final_nato["picture"], "partner_errors": after["partner_errors"],
        "tracebacks": log.read_text(errors="replace").count("Traceback"),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--cut-every", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asde-soak-") as work:
        result = asyncio.run(soak(args.minutes, args.cut_every, Path(work)))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
