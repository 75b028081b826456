"""A centre killed with SIGKILL mid-stream and started again, as real processes with a real
nats-server: every message JetStream stored for the partner ends up acknowledged by the
partner, and the link goes on after the restart (its saved state is older than the partner's)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from asde.bus import connect
from tests.asde.conftest import NATS
from tests.asde.test_service import configs, token

pytestmark = pytest.mark.skipif(NATS is None, reason="nats-server is not installed")

# Each centre's monitor token, by its HTTP port (set by the test).
HEADERS: dict[int, dict[str, str]] = {}


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from asde.cli import run; run()", "run", "--config", str(config)],
        stdout=log.open("ab"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


def status(port: int) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/status", headers=HEADERS[port])
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
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def consumer_state(url: str) -> tuple[int, int, int, int]:
    """(stream last sequence, ack floor, pending, waiting for acknowledgement)."""

    async def read() -> tuple[int, int, int, int]:
        client, js = await connect(url)
        stream = await js.stream_info("ASDE_PARTNER")
        info = await js.consumer_info("ASDE_PARTNER", "link-25-1-UA")
        await client.close()
        return (stream.state.last_seq, info.ack_floor.stream_seq, info.num_pending,
                info.num_ack_pending)  # fmt: skip

    return asyncio.run(read())


def test_sigkill_mid_stream_and_restart_loses_nothing_acknowledged(
    tmp_path: Path, nats_url: str
) -> None:
    configs(tmp_path)  # writes nato.yaml and ukraine.yaml with free ports
    nato_file, ukraine_file = tmp_path / "nato.yaml", tmp_path / "ukraine.yaml"
    nato = yaml.safe_load(nato_file.read_text())
    nato["nats"] = {"url": nats_url, "ack_wait_s": 2}
    nato["inputs"][0]["speed"] = 100
    nato_file.write_text(yaml.safe_dump(nato))
    nato_port = nato["http"]["port"]
    ukraine_port = yaml.safe_load(ukraine_file.read_text())["http"]["port"]
    HEADERS[nato_port] = token(tmp_path, "nato-monitor")
    HEADERS[ukraine_port] = token(tmp_path, "ukraine-monitor")
    log = tmp_path / "centres.log"

    ukraine = start(ukraine_file, log)
    first = start(nato_file, log)
    try:
        wait_for(lambda: status(ukraine_port)["links"]["counters"]["delivered"] >= 5, 60,
                 "the partner to receive the first updates")  # fmt: skip
        # The state as saved a moment before the crash: the frames sent after it reach the
        # partner, and the restarted process does not know their numbers.
        state_file = tmp_path / "25.json"
        stale = state_file.read_bytes()
        delivered = status(ukraine_port)["links"]["counters"]["delivered"]
        wait_for(lambda: status(ukraine_port)["links"]["counters"]["delivered"] >= delivered + 3,
                 30, "more updates")  # fmt: skip
        first.send_signal(signal.SIGKILL)  # mid-stream: no clean shutdown
        first.wait(10)
        state_file.write_bytes(stale)
        published_before = consumer_state(nats_url)[0]
        assert published_before > 0
        delivered_before = status(ukraine_port)["links"]["counters"]["delivered"]

        second = start(nato_file, log)
        try:
            wait_for(lambda: status(nato_port)["links"]["active"], 30, "the link to come back")
            # Let the restarted centre publish its picture, then wait until the partner has
            # acknowledged every stored message (JetStream redelivers what the dead process
            # had taken but not confirmed, after ack_wait).
            wait_for(lambda: consumer_state(nats_url)[0] > published_before, 60,
                     "the restarted centre to publish")  # fmt: skip

            def settled() -> bool:
                last, floor, pending, unconfirmed = consumer_state(nats_url)
                return last > 0 and floor == last and pending == 0 and unconfirmed == 0

            wait_for(settled, 60, "every stored message to be acknowledged by the partner")
            last, floor, _pending, _unconfirmed = consumer_state(nats_url)
            partner = status(ukraine_port)
            assert floor == last  # nothing JetStream stored is left unconfirmed by the partner
            assert partner["links"]["counters"]["delivered"] > delivered_before
            assert partner["partner_tracks"] >= 3
            assert partner["links"]["counters"]["protocol_errors"] == 0, log.read_text()[-3000:]
            # The restarted centre found its saved numbering behind the partner's and went on
            # from the partner's, instead of refusing the link or reusing sequence numbers.
            # (Frames it resent from its saved buffer arrive as duplicates and are dropped by
            # the partner's sequence check; they are not delivered twice.)
            assert status(nato_port)["links"]["counters"]["state_behind"] == 1
        finally:
            second.terminate()
            second.wait(10)
    finally:
        for process in (first, ukraine):
            if process.poll() is None:
                process.terminate()
                process.wait(10)
