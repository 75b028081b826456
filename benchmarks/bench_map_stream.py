"""What the platform's relay adds to the live map's update stream, against the centre's own.

Run: .venv/bin/python benchmarks/bench_map_stream.py [--rate 5000] [--seconds 20]

Two real centres (`asde run`, NATO and Ukraine, mutual TLS, credentials from `asde
credentials`) and the platform (`partnership serve`, Django's threaded WSGI server, its own
process and SQLite file). A BaseStation feed gives NATO's centre 500 aircraft at RATE position
messages a second, each stamped with the wall-clock time it is written. Two subscribers listen
at the same time, in this process: one to NATO's `/events` directly (the monitor token), one to
the platform's `/airpicture/map/events` logged in as `nato-airops` (what the browser follows).
For every own-track event each subscriber takes the time from the input line (the track's
`time`) to its arrival; the same event seen by both gives the relay's own share (platform
arrival minus direct arrival).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_service_latency import free_port, percentile, sbs_line  # noqa: E402

CENTRES = ROOT / "src" / "asde" / "data" / "centres"
BIN = Path(sys.executable).parent


def _with_credentials(value: Any, creds: Path) -> Any:
    if isinstance(value, dict):
        return {k: _with_credentials(v, creds) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_credentials(v, creds) for v in value]
    if isinstance(value, str) and "var/asde/" in value:
        return str(creds / Path(value).name)
    return value


def write_configs(tmp: Path, creds: Path, feed_port: int, period: float) -> dict[str, Path]:
    hu, tr = free_port(), free_port()
    # The 2014 agreement without its rate limit, as in bench_service_latency.
    agreement = yaml.safe_load((CENTRES.parent / "agreements" / "nato-ua-v2-2014.yaml").read_text())
    agreement["update_period_s"] = 0
    (tmp / "agreement.yaml").write_text(yaml.safe_dump(agreement))
    paths = {}
    for name in ("nato", "ukraine"):
        data = _with_credentials(yaml.safe_load((CENTRES / f"{name}.yaml").read_text()), creds)
        data["http"]["port"] = free_port()
        data["state_file"] = str(tmp / f"{name}-state.json")
        data["send_period_s"] = period
        data["partner"]["agreements"] = [str((CENTRES / a).resolve())
                                         for a in data["partner"]["agreements"]]  # fmt: skip
        if name == "nato":
            data["inputs"] = [{"type": "sbs", "host": "127.0.0.1", "port": feed_port}]
            data["partner"]["agreements"] = [str(tmp / "agreement.yaml")]
            data["partner"]["listen"] = [{"name": "via-hungary", "port": hu},
                                         {"name": "via-turkey", "port": tr}]  # fmt: skip
        else:
            data["partner"]["connect"] = [
                {"name": "via-hungary", "host": "127.0.0.1", "port": hu},
                {"name": "via-turkey", "host": "127.0.0.1", "port": tr},
            ]
        paths[name] = tmp / f"{name}.yaml"
        paths[name].write_text(yaml.safe_dump(data))
    return paths


async def feed(port_holder: list[int], rate: int, seconds: float) -> None:
    aircraft = [
        (f"50{n:04X}", 49.7 + (n % 25) * 0.01, 23.9 + (n // 25) * 0.015) for n in range(500)
    ]

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        start, count = time.time(), 0
        try:
            while time.time() - start < seconds:
                due, now, chunk = int((time.time() - start) * rate), time.time(), []
                while count < due:
                    address, lat, lon = aircraft[count % len(aircraft)]
                    step = count // len(aircraft)
                    chunk.append(sbs_line(address, lat + step * 1e-4, lon + step * 1e-4, now))
                    count += 1
                if chunk:
                    writer.write(b"".join(chunk))
                    await writer.drain()
                await asyncio.sleep(0.01)
        except (asyncio.CancelledError, ConnectionError):
            pass  # the benchmark is over, or the centre stopped first
        writer.close()

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    port_holder.append(server.sockets[0].getsockname()[1])
    async with server:
        await asyncio.sleep(seconds + 30)


def subscribe(
    port: int, path: str, headers: dict[str, str], skip_s: float, seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:  # fmt: skip
    """Reads one event stream as a browser would, in a process of its own (so that the two
    subscribers never wait for each other), and notes when each own-track event arrives."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{head}\r\n".encode())
        sock.settimeout(1.0)
        stream = sock.makefile("rb")
        begin = time.time()
        seen: dict[tuple[int, float], float] = {}
        while time.time() - begin < skip_s + seconds:
            try:
                line = stream.readline()
            except TimeoutError:
                continue
            if not line:
                break
            if line.startswith(b"data: ") and time.time() - begin >= skip_s:
                arrived = time.time()
                event = json.loads(line[6:])
                if event.get("type") == "track" and event.get("picture") == "own":
                    seen.setdefault((event["track"], event["time"]), arrived)
    out.put(seen)


def platform_session(base: str) -> str:
    """Logs nato-airops in through the login form; returns the Cookie header the browser sends."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/en/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None, "no login form"
    form = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token.group(1), "username": "nato-airops",
        "password": "partnership-demo-2026",
    }).encode()  # fmt: skip
    request = urllib.request.Request(f"{base}/en/accounts/login/", data=form,
                                     headers={"Referer": f"{base}/en/accounts/login/"})  # fmt: skip
    opener.open(request).read()
    assert any(c.name == "sessionid" for c in jar), "nato-airops did not log in"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def ms(values: list[float]) -> str:
    if not values:
        return "none"
    scaled = [v * 1000 for v in values]
    return (f"p50 {statistics.median(scaled):.1f} ms, p99 {percentile(scaled, 0.99):.1f} ms, "
            f"max {max(scaled):.1f} ms")  # fmt: skip


async def main_async(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="map-stream-bench-"))
    creds = tmp / "asde"
    subprocess.run([str(BIN / "asde"), "credentials", "--dir", str(creds)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    port_holder: list[int] = []
    feeder = asyncio.create_task(feed(port_holder, args.rate, args.seconds + 6))
    while not port_holder:
        await asyncio.sleep(0.01)
    configs = write_configs(tmp, creds, port_holder[0], args.period)
    nato_port = yaml.safe_load(configs["nato"].read_text())["http"]["port"]
    web_port = free_port()
    env = {
        **os.environ, "PYTHONUNBUFFERED": "1", "DEBUG": "0", "HTTPS": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40, "PARTNERSHIP_DATA_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'platform.sqlite3'}",
        "ASDE_NATO_URL": f"http://127.0.0.1:{nato_port}",
        "ASDE_NATO_TOKEN_FILE": str(creds / "nato-platform.token"),
    }  # fmt: skip
    log = (tmp / "processes.log").open("ab")
    partnership = str(BIN / "partnership")
    for verb in (["migrate"], ["load-factsheet", "--no-progress"], ["demo_users"]):
        subprocess.run([partnership, *verb], env=env, check=True, stdout=log, stderr=log)
    processes = [
        subprocess.Popen([str(BIN / "asde"), "run", "--config", str(configs[name]),
                          "--log-level", "WARNING"], stdout=log, stderr=subprocess.STDOUT, env=env)
        for name in ("ukraine", "nato")
    ] + [subprocess.Popen([partnership, "serve", f"127.0.0.1:{web_port}"], stdout=log,
                          stderr=subprocess.STDOUT, env=env)]  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{nato_port}/healthz")
        wait_for(f"http://127.0.0.1:{web_port}/en/")
        cookie = platform_session(f"http://127.0.0.1:{web_port}")
        monitor = (creds / "nato-monitor.token").read_text().strip()
        # The snapshot and the start of the feed are not timed (the first 3 s).
        queues = [multiprocessing.Queue(), multiprocessing.Queue()]  # type: ignore[var-annotated]
        subscribers = [
            multiprocessing.Process(target=subscribe, args=(
                nato_port, "/events", {"Authorization": f"Bearer {monitor}"}, 3.0, args.seconds,
                queues[0])),
            multiprocessing.Process(target=subscribe, args=(
                web_port, "/en/airpicture/map/events", {"Cookie": cookie}, 3.0, args.seconds,
                queues[1])),
        ]  # fmt: skip
        for subscriber in subscribers:
            subscriber.start()
        loop = asyncio.get_running_loop()
        direct, relayed = [await loop.run_in_executor(None, q.get) for q in queues]
        for subscriber in subscribers:
            subscriber.join(10)
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        feeder.cancel()
    both = direct.keys() & relayed.keys()
    print(f"input {args.rate:,} updates/s for {args.seconds:.0f} s, send period "
          f"{args.period * 1000:.0f} ms; own-track events timed: direct {len(direct):,}, "
          f"through the platform {len(relayed):,}, seen by both {len(both):,}")  # fmt: skip
    print(f"centre's /events (input -> event):            {ms([direct[k] - k[1] for k in direct])}")
    print(
        f"platform's map stream (input -> event):       {ms([relayed[k] - k[1] for k in relayed])}"
    )
    print(f"added by the platform (same event, per event): "
          f"{ms([relayed[k] - direct[k] for k in both])}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=5000)
    parser.add_argument("--period", type=float, default=0.02)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
