"""Centres as real processes (`asde run`) on real sockets: a link port gives nothing to a peer
without the partner's certificate, and a stranger hammering it displaces nothing while 5,000
updates a second flow to the real partner."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import asde
from asde.credentials import issue, load_ca, new_ca, write_certificate, write_key
from tests.asde.test_service import configs, credentials, token

DATA = Path(asde.__file__).parent / "data"
HELLO = b"AS\x01\x01"  # an ASDE link frame, version 1, HELLO


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from asde.cli import run; run()", "run", "--config", str(config)],
        stdout=log.open("ab"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


def status(port: int, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status", headers=headers)
    with urllib.request.urlopen(request, timeout=2) as answer:
        result: dict[str, Any] = json.load(answer)
        return result


def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def centre_files(tmp_path: Path, feed_port: int | None = None) -> dict[str, Any]:
    """nato.yaml and ukraine.yaml (demo centres, credentials in tmp_path/asde); with a feed,
    NATO reads SBS from it and releases every update (no update period) every 100 ms."""
    configs(tmp_path)
    files = {name: tmp_path / f"{name}.yaml" for name in ("nato", "ukraine")}
    nato = yaml.safe_load(files["nato"].read_text())
    ukraine = yaml.safe_load(files["ukraine"].read_text())
    if feed_port is not None:
        agreement = yaml.safe_load((DATA / "agreements" / "nato-ua-v2-2014.yaml").read_text())
        agreement["update_period_s"] = 0
        (tmp_path / "agreement.yaml").write_text(yaml.safe_dump(agreement))
        nato["partner"]["agreements"] = [str(tmp_path / "agreement.yaml")]
        nato["inputs"] = [{"type": "sbs", "host": "127.0.0.1", "port": feed_port}]
        nato["send_period_s"] = 0.1
        # Not what this test is about: on a shared two-core machine a loaded process can stall
        # for seconds, which a 1 s silence limit would take for a failed line.
        for data in (nato, ukraine):
            data["partner"]["silence_s"] = 10.0
    else:
        nato["inputs"] = []
    files["nato"].write_text(yaml.safe_dump(nato))
    files["ukraine"].write_text(yaml.safe_dump(ukraine))
    return {
        "files": files, "nato_http": nato["http"]["port"], "ukraine_http": ukraine["http"]["port"],
        "ports": [c["port"] for c in nato["partner"]["listen"]],
        "nato_headers": token(tmp_path, "nato-monitor"),
        "ukraine_headers": token(tmp_path, "ukraine-monitor"),
    }  # fmt: skip


@pytest.fixture
def stranger_certificates(tmp_path: Path) -> dict[str, tuple[Path, Path]]:
    """Certificates a stranger might hold: "ukraine" from another CA, one of the right CA that
    is not the partner's (common name "stranger"), and the partner's name from the right CA
    that expired."""
    credentials(tmp_path)  # the right CA (kept when the centres' files are written)
    directory = tmp_path / "strangers"
    directory.mkdir()
    other_ca, other_key = new_ca("Another CA")
    made = {}
    right_ca = load_ca(tmp_path / "asde")
    for label, (ca, key, name, start) in {
        "other_ca": (other_ca, other_key, "ukraine", None),
        "wrong_name": (*right_ca, "stranger", None),
        "expired": (*right_ca, "ukraine", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    }.items():
        certificate, private = issue(ca, key, name, not_before=start, days=30 if start else 730)
        write_certificate(directory / f"{label}.pem", certificate)
        write_key(directory / f"{label}.key", private)
        made[label] = (directory / f"{label}.pem", directory / f"{label}.key")
    return made


def tls_probe(port: int, cert: tuple[Path, Path] | None, ca: Path) -> bytes:
    """What a TLS 1.3 client with this certificate (or none) receives in a second."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.load_verify_locations(cafile=ca)
    if cert is not None:
        context.load_cert_chain(*cert)
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as raw:
        try:
            with context.wrap_socket(raw) as tls:
                tls.settimeout(1.0)
                while chunk := tls.recv(4096):
                    received += chunk
        except (ssl.SSLError, ConnectionError, TimeoutError):
            pass  # the server's refusal (an alert, a reset) or nothing at all
    return received


def plaintext_probe(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as raw:
        raw.sendall(b"AS\x01\x01\x00\x00\x00\x20" + bytes(32))  # an ASDE HELLO, unencrypted
        raw.settimeout(1.0)
        received = b""
        try:
            while chunk := raw.recv(4096):
                received += chunk
        except (ConnectionError, TimeoutError):
            pass
    return received


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "centres.log"
    yield log
    if log.exists():
        print(log.read_text()[-4000:])  # shown when the test fails


def test_a_link_port_gives_nothing_without_the_partners_certificate(
    tmp_path: Path, stranger_certificates: dict[str, tuple[Path, Path]], logs: Path
) -> None:
    setup = centre_files(tmp_path)
    creds = tmp_path / "asde"
    nato = start(setup["files"]["nato"], logs)
    port = setup["ports"][0]
    try:
        wait_for(lambda: status(setup["nato_http"], setup["nato_headers"]), 30, "NATO to start")

        # when strangers connect: in plaintext, over TLS without a certificate, with another
        # CA's "ukraine", with the right CA's certificate of another name
        plaintext = plaintext_probe(port)
        none = tls_probe(port, None, creds / "ca.pem")
        other_ca = tls_probe(port, stranger_certificates["other_ca"], creds / "ca.pem")
        wrong_name = tls_probe(port, stranger_certificates["wrong_name"], creds / "ca.pem")
        expired = tls_probe(port, stranger_certificates["expired"], creds / "ca.pem")
        # and the partner itself
        partner = tls_probe(port, (creds / "ukraine.pem", creds / "ukraine.key"), creds / "ca.pem")
        after = status(setup["nato_http"], setup["nato_headers"])["links"]
    finally:
        nato.terminate()
        nato.wait(10)

    # then no stranger gets a byte of the link (a plaintext peer at most a TLS alert record)
    assert none == other_ca == wrong_name == expired == b""
    assert HELLO not in plaintext and (plaintext == b"" or plaintext[0] == 0x15)
    # the partner gets NATO's HELLO
    assert partner.startswith(HELLO)
    # and each refusal is counted, the last one with its reason
    assert after["refused"]["tls_handshake"] >= 4
    assert after["refused"]["wrong_peer"] == 1
    log = logs.read_text()
    assert "common name stranger, not the partner's 'ukraine'" in log
    assert "TLS handshake failed" in log and "certificate has expired" in log


@pytest.mark.serial  # a rate measured over 8 s: workers beside it would take its share of the CPU
def test_a_stranger_reconnecting_in_a_loop_displaces_nothing_at_5000_updates_a_second(
    tmp_path: Path, stranger_certificates: dict[str, tuple[Path, Path]], logs: Path
) -> None:
    rate, seconds = 5000, 8.0

    async def scenario() -> dict[str, Any]:
        feed_port: list[int] = []
        lines = [0]
        feeder = asyncio.create_task(sbs_feed(feed_port, rate, seconds + 6, lines))
        while not feed_port:
            await asyncio.sleep(0.01)
        setup = centre_files(tmp_path, feed_port[0])
        ukraine = start(setup["files"]["ukraine"], logs)
        nato = start(setup["files"]["nato"], logs)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, wait_for, lambda: len(status(
                setup["nato_http"], setup["nato_headers"])["links"]["connections"]) == 2,
                30, "both partner connections")  # fmt: skip
            before = status(setup["nato_http"], setup["nato_headers"])
            # when a stranger reconnects in a loop for `seconds`, in every way it can
            attempts = await loop.run_in_executor(None, hammer, setup["ports"], seconds,
                                                  stranger_certificates, tmp_path / "asde")  # fmt: skip
            during = status(setup["nato_http"], setup["nato_headers"])
            # then, once NATO's input ends, everything sent is acknowledged
            await asyncio.sleep(6.5)
            await loop.run_in_executor(None, wait_for, lambda: status(
                setup["nato_http"], setup["nato_headers"])["links"]["unacknowledged"] == 0,
                30, "every frame acknowledged")  # fmt: skip
            return {
                "before": before, "during": during, "attempts": attempts,
                "nato": status(setup["nato_http"], setup["nato_headers"]),
                "ukraine": status(setup["ukraine_http"], setup["ukraine_headers"]),
                "lines": lines[0],
            }  # fmt: skip
        finally:
            for process in (nato, ukraine):
                process.terminate()
                process.wait(10)
            feeder.cancel()

    result = asyncio.run(scenario())
    (tmp_path / "result.json").write_text(json.dumps(result, indent=1))  # for a failure's reader

    nato, ukraine = result["nato"], result["ukraine"]
    sent, delivered = nato["links"]["counters"]["sent"], ukraine["links"]["counters"]["delivered"]
    rate_seen = (result["during"]["reports"] - result["before"]["reports"]) / seconds
    assert rate_seen > 0.8 * rate, rate_seen  # the updates did flow meanwhile
    # 0 lost, 0 duplicated: every frame NATO numbered reached Ukraine once, in order
    assert sent > 0 and delivered == sent
    assert ukraine["links"]["counters"]["protocol_errors"] == 0
    # the real link stayed up: no failover, nothing resent meanwhile, both connections there,
    # none replaced
    before = result["before"]["links"]
    assert nato["links"]["switchovers_s"] == before["switchovers_s"] == [], (nato, ukraine)
    assert nato["links"]["counters"]["resent"] == before["counters"]["resent"]
    assert nato["links"]["connections"] == ["via-hungary", "via-turkey"], (
        nato["links"],
        ukraine["links"],
    )
    assert "replaced by a new connection" not in logs.read_text()
    # and every stranger's attempt was refused and counted
    refused = nato["links"]["refused"]
    assert result["attempts"] >= 50
    assert refused["tls_handshake"] + refused["wrong_peer"] >= result["attempts"] * 0.9


def hammer(
    ports: list[int], seconds: float, certificates: dict[str, tuple[Path, Path]], creds: Path
) -> int:
    """Connect, be refused, connect again, for `seconds`, alternating the stranger's ways."""
    ways = [None, certificates["other_ca"], certificates["wrong_name"], "plaintext"]
    deadline = time.monotonic() + seconds
    attempts = 0
    while time.monotonic() < deadline:
        way = ways[attempts % len(ways)]
        port = ports[attempts % len(ports)]
        received = (
            plaintext_probe(port) if way == "plaintext"
            else tls_probe(port, way, creds / "ca.pem")  # type: ignore[arg-type]
        )  # fmt: skip
        assert HELLO not in received
        attempts += 1
    return attempts


async def sbs_feed(port_holder: list[int], rate: int, seconds: float, lines: list[int]) -> None:
    """A readsb BaseStation feed (port 30003 format): 500 aircraft near Lviv, inside the
    agreement's area, `rate` position messages a second."""
    aircraft = [(f"50{n:04X}", 49.7 + (n % 25) * 0.01, 23.9 + (n // 25) * 0.015)
                for n in range(500)]  # fmt: skip

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        start = time.time()
        while time.time() - start < seconds:
            due = int((time.time() - start) * rate)
            now = time.time()
            stamp = time.gmtime(now)
            date = time.strftime("%Y/%m/%d", stamp)
            clock = time.strftime("%H:%M:%S", stamp) + f".{int((now % 1) * 1000):03d}"
            chunk = []
            while lines[0] < due:
                address, lat, lon = aircraft[lines[0] % len(aircraft)]
                step = lines[0] // len(aircraft) * 1e-4
                chunk.append(f"MSG,3,1,1,{address},1,{date},{clock},{date},{clock},,35000,,,"
                             f"{lat + step:.5f},{lon + step:.5f},,,0,0,0,0\r\n")  # fmt: skip
                lines[0] += 1
            if chunk:
                writer.write("".join(chunk).encode())
                await writer.drain()
            await asyncio.sleep(0.01)
        writer.close()

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    port_holder.append(server.sockets[0].getsockname()[1])
    async with server:
        await asyncio.sleep(seconds + 30)
