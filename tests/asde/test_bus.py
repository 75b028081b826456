"""NATS JetStream with a real nats-server (Debian's package) started for the test."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from asde.bus import PartnerOutbox, connect, publish

NATS = shutil.which("nats-server")
pytestmark = pytest.mark.skipif(
    NATS is None, reason="nats-server is not installed (make system-deps)"
)


def test_a_message_published_twice_is_stored_once(nats_url: str) -> None:
    async def scenario() -> tuple[list[bool], int]:
        client, js = await connect(nats_url)
        results = [
            await publish(js, "asde.partner.UA", b"block", f"NATO-{n % 50}") for n in range(100)
        ]
        info = await js.stream_info("ASDE_PARTNER")
        await client.close()
        return results, info.state.messages

    results, stored = asyncio.run(scenario())

    assert results.count(True) == 50 and stored == 50


def test_a_sender_killed_before_the_partner_acknowledged_loses_nothing(nats_url: str) -> None:
    async def scenario() -> list[bytes]:
        client, js = await connect(nats_url)
        for n in range(200):
            await publish(js, "asde.partner.UA", b"update %d" % n, f"NATO-{n}")

        # The first sender takes everything onto its link; the partner acknowledges 80, then the
        # process dies (its connection closes without acknowledging the rest).
        first_client, first_js = await connect(nats_url)
        sent: list[bytes] = []
        first = PartnerOutbox(first_js, "UA", send=lambda data: sent.append(data) or len(sent),
                              durable="link", ack_wait_s=1.0)  # fmt: skip
        await first.start()
        while await first.pump():
            pass
        await first.acknowledged(below=81)
        await first_client.close()

        # A second process takes over the same durable consumer.
        received = sent[:80]
        second_client, second_js = await connect(nats_url)
        second = PartnerOutbox(second_js, "UA", send=lambda data: received.append(data) or len(received),
                               durable="link", ack_wait_s=1.0)  # fmt: skip
        await second.start()
        for _ in range(100):
            if len(received) >= 200:
                break
            await second.pump(timeout=0.5)
        await second.acknowledged(below=10**9)
        await second_client.close()
        await client.close()
        return received

    received = asyncio.run(scenario())

    assert sorted(received, key=lambda b: int(b.split()[1])) == [
        b"update %d" % n for n in range(200)
    ]
    assert len(set(received)) == 200


def test_two_centres_exchange_through_jetstream(nats_url: str, tmp_path: Path) -> None:
    from asde.centre import Centre
    from tests.asde.test_service import configs

    nato_config, ukraine_config = configs(tmp_path)
    nato_config.nats_url = nats_url

    async def scenario() -> tuple[int, int, int]:
        nato, ukraine = Centre(nato_config), Centre(ukraine_config)
        await nato.start()
        await ukraine.start()
        for _ in range(200):
            await asyncio.sleep(0.05)
            if len(ukraine.partner_picture) >= 3 and nato.outbox.waiting == 0:
                break
        client, js = await connect(nats_url)
        stored = (await js.stream_info("ASDE_PARTNER")).state.messages
        await client.close()
        result = (len(ukraine.partner_picture), stored, ukraine.session.counters.delivered)
        await nato.stop()
        await ukraine.stop()
        return result

    partner_tracks, stored, delivered = asyncio.run(scenario())

    assert partner_tracks >= 3
    assert stored > 0 and delivered >= stored  # every stream message reached the partner


def test_ingest_and_picture_in_separate_processes_and_a_picture_process_replaced(
    nats_url: str, tmp_path: Path
) -> None:
    """One process reads the inputs, another keeps the picture and the partner link; the
    picture process stops mid-stream and a new one takes over: every input report published
    to ASDE_INPUT is applied, the picture's updates are in ASDE_PICTURE, the partner gets the
    picture."""
    import dataclasses

    from asde.centre import Centre
    from tests.asde.test_service import configs, free_port

    nato_config, ukraine_config = configs(tmp_path)
    common = {"nats_url": nats_url, "nats_ack_wait_s": 1.0}
    ingest_config = dataclasses.replace(nato_config, roles=("ingest",), http_port=free_port(),
                                        listen=[], **common)  # fmt: skip
    picture_config = dataclasses.replace(nato_config, roles=("picture",), inputs=[], **common)

    async def consumer(name: str, stream: str) -> tuple[int, int, int, int]:
        client, js = await connect(nats_url)
        last = (await js.stream_info(stream)).state.last_seq
        info = await js.consumer_info(stream, name)
        await client.close()
        return last, info.ack_floor.stream_seq, info.num_pending, info.num_ack_pending

    async def scenario() -> dict[str, int]:
        ukraine, ingest = Centre(ukraine_config), Centre(ingest_config)
        first = Centre(picture_config)
        await ukraine.start()
        await first.start()
        await ingest.start()
        for _ in range(200):
            await asyncio.sleep(0.05)
            if first.inputs_consumed >= 100:
                break
        await first.stop()  # mid-stream; what it had fetched but not confirmed comes again
        consumed_first = first.inputs_consumed  # (read after the stop: it may finish a batch)
        second = Centre(dataclasses.replace(picture_config, http_port=free_port()))
        await second.start()
        for _ in range(200):
            await asyncio.sleep(0.05)
            if second.inputs_consumed:
                break
        # The inputs end (the ingest process stops), so that what was published is a fixed
        # count the picture side must reach; the scenario would otherwise go on publishing.
        await ingest.stop()
        for _ in range(600):
            await asyncio.sleep(0.05)
            last, floor, pending, unconfirmed = await consumer("picture-25-1", "ASDE_INPUT")
            if floor == last and not pending and not unconfirmed:
                break
        await asyncio.sleep(0.5)
        client, js = await connect(nats_url)
        pictures = (await js.stream_info("ASDE_PICTURE")).state.messages
        await client.close()
        result = {
            "published": ingest.inputs_published, "first": consumed_first,
            "second": second.inputs_consumed, "floor": floor, "last": last,
            "partner_tracks": len(ukraine.partner_picture), "pictures": pictures,
            "second_tracks": len(second.picture),
        }  # fmt: skip
        for centre in (second, ukraine):
            await centre.stop()
        return result

    result = asyncio.run(scenario())

    assert result["floor"] == result["last"] > 0  # every input message confirmed by a picture
    assert result["first"] + result["second"] >= result["published"] > 0
    assert result["second_tracks"] >= 3 and result["partner_tracks"] >= 3
    assert result["pictures"] > 0
