"""Exactly once through JetStream, as real processes: NATO's partner stream goes through a
real nats-server; Ukraine is away twice `ack_wait_s` (JetStream hands the unacknowledged
messages out again), then the nats-server is SIGKILLed and started again. Every update NATO
released reaches Ukraine once: none lost, none twice."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.asde.conftest import NATS
from tests.asde.test_crash import HEADERS, consumer_state, start, status, wait_for
from tests.asde.test_service import DATA, configs, free_port, token

pytestmark = [
    pytest.mark.skipif(NATS is None, reason="nats-server is not installed"),
    # Redelivery is a matter of seconds (ack_wait 1-2 s against sleeps of 1.2-2.5 s): run alone.
    pytest.mark.serial,
]
ACK_WAIT_S = 2


def nats_server(port: int, store: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(NATS), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    return server


def test_partner_away_and_nats_server_killed_every_update_once(tmp_path: Path) -> None:
    port = free_port()
    server = nats_server(port, tmp_path / "js")
    configs(tmp_path)
    nato_file, ukraine_file = tmp_path / "nato.yaml", tmp_path / "ukraine.yaml"
    nato = yaml.safe_load(nato_file.read_text())
    nato["nats"] = {"url": f"nats://127.0.0.1:{port}", "ack_wait_s": ACK_WAIT_S}
    # Nine minutes of six aircraft at 12x: about 45 s of updates, then quiet (long enough that
    # the nats-server is killed while NATO still publishes, on a loaded machine too)
    nato["inputs"] = [
        {"type": "scenario", "file": str(DATA / "scenarios" / "shared-codes.yaml"), "speed": 12}
    ]
    nato["send_period_s"] = 0.5
    nato_file.write_text(yaml.safe_dump(nato))
    ukraine = yaml.safe_load(ukraine_file.read_text())
    nato_port, ukraine_port = nato["http"]["port"], ukraine["http"]["port"]
    HEADERS[nato_port] = token(tmp_path, "nato-monitor")
    HEADERS[ukraine_port] = token(tmp_path, "ukraine-monitor")
    log = tmp_path / "centres.log"
    ukraine_process = start(ukraine_file, log)
    nato_process = start(nato_file, log)
    try:
        wait_for(lambda: status(ukraine_port)["partner_reports"]["reports"] >= 5, 60,
                 "the first updates")  # fmt: skip
        # When Ukraine is away twice ack_wait_s (stopped: its connections stay, silent)
        ukraine_process.send_signal(signal.SIGSTOP)
        time.sleep(2 * ACK_WAIT_S + 1)
        ukraine_process.send_signal(signal.SIGCONT)
        wait_for(lambda: status(nato_port)["streams"]["partner_redelivered"] > 0, 30,
                 "JetStream to deliver the unacknowledged messages again")  # fmt: skip
        # and the nats-server is killed mid-stream, and stays away until NATO has had to publish
        # again at least once (not a fixed sleep: a loaded machine may pass 2 s between periods)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        wait_for(lambda: status(nato_port)["streams"]["partner_publish_retries"] > 0, 60,
                 "NATO to publish again while the nats-server is away")  # fmt: skip
        server = nats_server(port, tmp_path / "js")

        # Then once the scenario is over and everything is acknowledged
        def settled() -> bool:
            nato_status = status(nato_port)
            last, floor, pending, unconfirmed = consumer_state(f"nats://127.0.0.1:{port}")
            return (
                nato_status["streams"]["partner_unpublished"] == 0
                and nato_status["links"]["unacknowledged"] == 0
                and last > 0 and floor == last and pending == unconfirmed == 0
                and nato_status["reports"] >= 2000
            )  # fmt: skip

        wait_for(settled, 90, "the stream to be published and acknowledged")
        time.sleep(1.5)  # the partner's last updates applied
        nato_status, ukraine_status = status(nato_port), status(ukraine_port)
    finally:
        for process in (nato_process, ukraine_process, server):
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                process.wait(10)

    streams = nato_status["streams"]
    received = ukraine_status["partner_reports"]
    # Every update NATO released was received once: counted by Ukraine as it applied them
    assert received["reports"] + sum(received["refused"].values()) == nato_status["updates_sent"]
    assert received["refused"] == {}
    assert streams["partner_redelivered"] > 0  # the redeliveries happened, and were absorbed
    assert streams["partner_publish_retries"] > 0  # the server was away for some periods
    assert streams["partner_publish_dropped"] == 0
    assert ukraine_status["links"]["counters"]["protocol_errors"] == 0
    assert "Traceback" not in log.read_text()


def test_a_redelivered_message_keeps_its_link_sequence_across_a_restart(
    nats_url: str, tmp_path: Path
) -> None:
    import asyncio

    from asde.bus import PartnerOutbox, connect, publish

    state = tmp_path / "outbox.json"

    async def scenario() -> tuple[list[bytes], int, int, int]:
        client, js = await connect(nats_url)
        for n in range(5):
            await publish(js, "asde.partner.UA", b"update %d" % n, f"NATO-{n}")
        sent: list[bytes] = []

        def send(data: bytes) -> int:
            sent.append(data)
            return len(sent)  # the link's sequence numbers: 1, 2, ...

        # Given an outbox that sent all five, the partner silent past ack_wait
        first = PartnerOutbox(js, "UA", send=send, durable="link", ack_wait_s=1.0,
                              state_path=state)  # fmt: skip
        await first.start()
        await first.pump(timeout=0.5)
        await asyncio.sleep(1.5)
        await first.pump(timeout=0.5)  # JetStream delivers the five again
        redelivered = first.redelivered
        await client.close()
        # When the process is replaced (a new outbox from the saved keys) and JetStream
        # delivers them once more
        client, js = await connect(nats_url)
        second = PartnerOutbox(js, "UA", send=send, durable="link", ack_wait_s=1.0,
                               state_path=state)  # fmt: skip
        await second.start()
        await asyncio.sleep(1.2)
        await second.pump(timeout=0.5)
        again = second.redelivered
        # The partner acknowledges the five link sequences: JetStream has nothing left
        acked = await second.acknowledged(below=6)
        await client.close()
        return sent, redelivered, again, acked

    sent, redelivered, again, acked = asyncio.run(scenario())

    # Then each went onto the link once, under its first link sequence
    assert sent == [b"update %d" % n for n in range(5)]
    assert redelivered == 5 and again == 5 and acked == 5
