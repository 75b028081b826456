"""End-to-end latency through two real ASDE centres at 5,000 updates per second.

Run: .venv/bin/python benchmarks/bench_service_latency.py [--seconds 20] [--period 0.02]
     .venv/bin/python benchmarks/bench_service_latency.py --compare   (plaintext, then TLS)

The benchmark plays a readsb/dump1090 BaseStation feed (TCP, port-30003 format): 500 aircraft
over western Ukraine, 5,000 position messages a second, each stamped with the wall-clock time
it is written. NATO's centre (`asde run`, its own process) reads the feed as a client, keeps
the picture, applies the exchange agreement and sends Ukraine's centre (another process) the
filtered CAT 062 over two loopback connections. The benchmark listens to Ukraine's
server-sent events and, for every partner-track update, takes the time from the input line
(carried in I062/070, 1/128 s resolution) to its arrival at the partner's event stream.
Midway it cuts one connection (`abort` of the active one is not reachable from outside, so it
kills the partner link's TCP connection with `ss -K` when available, else it skips the cut).
It reports p50/p99/max latency, the input rate the NATO process sustained, and the link
switchovers the centres recorded.

The links run over mutual TLS 1.3 as in production (credentials made by `asde credentials`
in the run's temporary directory); `--plaintext` runs them without, and `--compare` runs the
same measurement twice in one invocation, plaintext first, then TLS, and prints the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "asde" / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_configs(
    tmp: Path, feed_port: int, period: float, nats_url: str | None = None, split: bool = False,
    plaintext: bool = False,
) -> tuple[Path, Path, int, int]:  # fmt: skip
    from asde.credentials import write_credentials

    creds = tmp / "asde"
    write_credentials(creds)
    hu, tr, http_n, http_u = free_port(), free_port(), free_port(), free_port()
    # The 2014 agreement without its one-update-per-4-s rate limit, so that the partner gets
    # every update and the latency of each can be timed.
    agreement = yaml.safe_load((DATA / "agreements" / "nato-ua-v2-2014.yaml").read_text())
    agreement["update_period_s"] = 0
    (tmp / "agreement.yaml").write_text(yaml.safe_dump(agreement))
    agreements = [str(tmp / "agreement.yaml")]

    def http(port: int, name: str) -> dict:
        return {"host": "127.0.0.1", "port": port, "clients": [
            {"name": "bench", "token_file": str(creds / f"{name}-monitor.token"),
             "permissions": ["read"]}]}  # fmt: skip

    def tls(name: str, other: str) -> tuple[dict, dict]:
        if plaintext:
            return {}, {"plaintext": True}
        return ({"tls": {"certificate": str(creds / f"{name}.pem"),
                         "key": str(creds / f"{name}.key")}},
                {"tls": {"ca": str(creds / "ca.pem"), "subject": other}})  # fmt: skip

    nato_tls, nato_peer = tls("nato", "ukraine")
    ukraine_tls, ukraine_peer = tls("ukraine", "nato")
    nato = {
        "centre": {"name": "NATO (benchmark)", "sac": 25, "sic": 1},
        **nato_tls,
        "http": http(http_n, "nato"),
        "state_file": str(tmp / "nato.json"),
        "inputs": [{"type": "sbs", "host": "127.0.0.1", "port": feed_port}],
        "partner": {"name": "UA", "agreements": agreements, **nato_peer,
                    "listen": [{"name": "via-hungary", "port": hu}, {"name": "via-turkey", "port": tr}]},
        "send_period_s": period,
        **({"nats": {"url": nats_url}} if nats_url else {}),
    }  # fmt: skip
    ukraine = {
        "centre": {"name": "Ukraine (benchmark)", "sac": 80, "sic": 1},
        **ukraine_tls,
        "http": http(http_u, "ukraine"),
        "state_file": str(tmp / "ukraine.json"),
        "inputs": [],
        "partner": {"name": "NATO", "agreements": [str(DATA / "agreements" / "nato-ua-v2-2014.yaml")],
                    **ukraine_peer,
                    "connect": [{"name": "via-hungary", "host": "127.0.0.1", "port": hu},
                                {"name": "via-turkey", "host": "127.0.0.1", "port": tr}]},
        "send_period_s": period,
    }  # fmt: skip
    if split:  # a separate ingest process reads the feed; NATO's process keeps the picture
        ingest = {**nato, "roles": ["ingest"], "http": http(free_port(), "nato"),
                  "state_file": str(tmp / "ingest.json")}  # fmt: skip
        ingest["partner"] = {**nato["partner"], "listen": []}
        (tmp / "ingest.yaml").write_text(yaml.safe_dump(ingest))
        nato = {**nato, "roles": ["picture"], "inputs": []}
    paths = []
    for name, data in (("nato", nato), ("ukraine", ukraine)):
        path = tmp / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        paths.append(path)
    return paths[0], paths[1], http_n, http_u


def sbs_line(address: str, lat: float, lon: float, now: float) -> bytes:
    stamp = time.gmtime(now)
    date = time.strftime("%Y/%m/%d", stamp)
    clock = time.strftime("%H:%M:%S", stamp) + f".{int((now % 1) * 1000):03d}"
    return (f"MSG,3,1,1,{address},1,{date},{clock},{date},{clock},,35000,,,"
            f"{lat:.5f},{lon:.5f},,,0,0,0,0\r\n").encode()  # fmt: skip


async def feed(port_holder: list[int], rate: int, seconds: float, sent: list[int]) -> None:
    # All within the agreement's area near Lviv, so that every update may go to the partner.
    aircraft = [
        (f"50{n:04X}", 49.7 + (n % 25) * 0.01, 23.9 + (n // 25) * 0.015) for n in range(500)
    ]

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        start = time.time()
        count = 0
        tick = 0.01
        while time.time() - start < seconds:
            due = int((time.time() - start) * rate)
            now = time.time()
            chunk = []
            while count < due:
                address, lat, lon = aircraft[count % len(aircraft)]
                step = count // len(aircraft)
                chunk.append(sbs_line(address, lat + step * 1e-4, lon + step * 1e-4, now))
                count += 1
            if chunk:
                writer.write(b"".join(chunk))
                await writer.drain()
            await asyncio.sleep(tick)
        sent.append(count)
        writer.close()

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    port_holder.append(server.sockets[0].getsockname()[1])
    async with server:
        await asyncio.sleep(seconds + 10)


TOKENS: dict[int, str] = {}  # each centre's read token, by its HTTP port


async def listen(
    port: int, latencies: list[float], stop: asyncio.Event, arrivals: list[float]
) -> None:
    while True:  # the centre may not be listening yet
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            break
        except OSError:
            await asyncio.sleep(0.2)
    writer.write(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 f"Authorization: Bearer {TOKENS[port]}\r\n\r\n".encode())  # fmt: skip
    await writer.drain()
    while not stop.is_set():
        try:
            line = await asyncio.wait_for(reader.readline(), 1.0)
        except TimeoutError:
            continue
        if not line:
            break
        if line.startswith(b"data: "):
            arrived = time.time()
            event = json.loads(line[6:])
            if (
                event.get("type") == "track"
                and event.get("picture") == "partner"
                and event.get("time")
            ):
                latencies.append(arrived - event["time"])
                arrivals.append(arrived)
    writer.close()


def status(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/status", headers={"Authorization": f"Bearer {TOKENS[port]}"}
    )
    with urllib.request.urlopen(request, timeout=15) as answer:  # a loaded machine is slow
        return json.load(answer)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def main_async(args: argparse.Namespace) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="asde-bench-"))
    port_holder: list[int] = []
    sent: list[int] = []
    feeder = asyncio.create_task(feed(port_holder, args.rate, args.seconds, sent))
    while not port_holder:
        await asyncio.sleep(0.01)
    nats = None
    nats_url = None
    if args.nats:
        nats_port = free_port()
        nats = subprocess.Popen(["nats-server", "-js", "-a", "127.0.0.1", "-p", str(nats_port),
                                 "-sd", str(tmp / "js")], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        nats_url = f"nats://127.0.0.1:{nats_port}"
        await asyncio.sleep(1.0)
    nato_file, ukraine_file, http_n, http_u = write_configs(
        tmp, port_holder[0], args.period, nats_url, split=args.split, plaintext=args.plaintext
    )
    for port, name in ((http_n, "nato"), (http_u, "ukraine")):
        TOKENS[port] = (tmp / "asde" / f"{name}-monitor.token").read_text().strip()
    log = (tmp / "centres.log").open("ab")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-c", "from asde.cli import run; run()", "run", "--config"]
    ukraine = subprocess.Popen(
        [*cmd, str(ukraine_file)], stdout=log, stderr=subprocess.STDOUT, env=env
    )
    await asyncio.sleep(1.0)
    latencies: list[float] = []
    stop = asyncio.Event()
    arrivals: list[float] = []
    listener = asyncio.create_task(
        listen(http_u, latencies, stop, arrivals) if args.events else asyncio.sleep(0)
    )
    nato = subprocess.Popen([*cmd, str(nato_file)], stdout=log, stderr=subprocess.STDOUT, env=env)
    ingest = None
    if args.split:
        ingest = subprocess.Popen([*cmd, str(tmp / "ingest.yaml")], stdout=log,
                                  stderr=subprocess.STDOUT, env=env)  # fmt: skip
    try:
        # Until both answer and the partner link is up (a loaded machine starts slowly).
        deadline = time.time() + 60
        while True:
            try:
                if status(http_n)["links"]["active"] and status(http_u)["links"]["active"]:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("the centres did not start: see " + str(tmp / "centres.log"))
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)
        before = status(http_n)["reports"]
        started = time.time()
        await asyncio.sleep(args.seconds / 2)
        # Cut the active partner connection from outside, as a failing line would.
        cut = subprocess.CompletedProcess([], 1)
        cut_at = time.time()
        if args.cut:
            port = yaml.safe_load(nato_file.read_text())["partner"]["listen"][0]["port"]
            cut = subprocess.run(["ss", "-K", "dst", "127.0.0.1", "dport", "=", str(port)],
                                 capture_output=True, check=False)  # fmt: skip
        await asyncio.sleep(args.seconds / 2 - 2.5)
        after = status(http_n)["reports"]
        elapsed = time.time() - started
        await asyncio.sleep(2.0)
        stop.set()
        nato_status, ukraine_status = status(http_n), status(http_u)
    finally:
        for process in (nato, ukraine, nats, ingest):
            if process is not None:
                process.terminate()
                process.wait(10)
        feeder.cancel()
        listener.cancel()
    ms = [x * 1000 for x in latencies] or [float("nan")]
    if not latencies:
        arrivals.append(0.0)
    print(f"links: {'plaintext' if args.plaintext else 'mutual TLS 1.3'}; "
          f"{'through NATS JetStream; ' if args.nats else ''}{'ingest in its own process; ' if args.split else ''}send period {args.period * 1000:.0f} ms; input {args.rate:,} updates/s for {args.seconds:.0f} s "
          f"({sum(sent) if sent else '?'} lines)")  # fmt: skip
    print(f"NATO process sustained {(after - before) / elapsed:,.0f} reports/s; partner tracks "
          f"{ukraine_status['partner_tracks']}; updates sent {nato_status['updates_sent']:,}")  # fmt: skip
    print(f"age of the partner's data on arrival (Ukraine's own figure, last 20,000 updates): "
          f"{ukraine_status['partner_age_ms']}")  # fmt: skip
    print(f"partner-track updates timed at the event stream: {len(latencies):,}; input -> event p50 "
          f"{statistics.median(ms):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms")  # fmt: skip
    around_cut = [x for x, t in zip(ms, arrivals, strict=True) if cut_at - 0.1 <= t <= cut_at + 2]
    if args.cut and around_cut:
        print(f"updates arriving within 2 s of the cut: {len(around_cut)}, max latency "
              f"{max(around_cut):.1f} ms")  # fmt: skip
    print(f"connection cut: {'yes' if cut.returncode == 0 else 'no'}; "
          f"switchovers recorded (s): {nato_status['links']['switchovers_s']}; "
          f"link counters at the partner: {ukraine_status['links']['counters']}")  # fmt: skip
    return {"p50": statistics.median(ms), "p99": percentile(ms, 0.99), "max": max(ms),
            "rate": (after - before) / elapsed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=5000)
    parser.add_argument("--period", type=float, default=0.02)
    parser.add_argument("--cut", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--nats", action="store_true", help="the partner stream through JetStream")
    parser.add_argument(
        "--split", action="store_true", help="with --nats: inputs read by a separate process"
    )
    parser.add_argument(
        "--events", action=argparse.BooleanOptionalAction, default=True,
        help="also time every update at the partner's server-sent events (costs CPU here)",
    )  # fmt: skip
    parser.add_argument("--plaintext", action="store_true", help="links without TLS")
    parser.add_argument(
        "--compare", action="store_true", help="plaintext, then TLS, in this one run; the ratio"
    )
    args = parser.parse_args()
    if not args.compare:
        asyncio.run(main_async(args))
        return
    args.plaintext = True
    plain = asyncio.run(main_async(args))
    print()
    args.plaintext = False
    tls = asyncio.run(main_async(args))
    print()
    print("TLS / plaintext, input -> partner event: "
          f"p50 {tls['p50']:.1f} / {plain['p50']:.1f} ms = {tls['p50'] / plain['p50']:.2f}; "
          f"p99 {tls['p99']:.1f} / {plain['p99']:.1f} ms = {tls['p99'] / plain['p99']:.2f}; "
          f"NATO sustained {tls['rate']:,.0f} / {plain['rate']:,.0f} reports/s")  # fmt: skip


if __name__ == "__main__":
    main()
