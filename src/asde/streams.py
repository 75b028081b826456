"""A centre's JetStream roles: inputs published to ASDE_INPUT by the ingest process and taken
by the picture process; the partner stream (ASDE_PARTNER) moved onto the link; the whole
picture's updates published to ASDE_PICTURE. The server (bus.py) keeps what a process that
dies did not confirm."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

from asde.reports import Source, TargetReport, icao_address, mode3a_code

if TYPE_CHECKING:
    from asde.centre import Centre

log = logging.getLogger("asde")


def report_to_row(report: TargetReport) -> list[Any]:
    """A target report as a compact JSON row for ASDE_INPUT."""
    return [
        report.time, str(report.source), report.lat, report.lon, report.address,
        report.callsign, report.squawk, report.altitude_ft, report.ground_speed_kt,
        report.track_deg, report.vertical_rate_fpm, report.on_ground, report.emergency,
    ]  # fmt: skip


def report_from_row(row: list[Any]) -> TargetReport:
    (time_, source, lat, lon, address, callsign, squawk, altitude, speed, course, rate,
     ground, emergency) = row  # fmt: skip
    return TargetReport(
        time=float(time_), source=Source(source), lat=lat, lon=lon,
        address=icao_address(address), callsign=callsign, squawk=mode3a_code(squawk),
        altitude_ft=altitude, ground_speed_kt=speed,
        track_deg=course, vertical_rate_fpm=rate, on_ground=ground, emergency=bool(emergency),
    )  # fmt: skip


def stream_key(centre: Centre) -> str:
    return f"{centre.config.system.sac}-{centre.config.system.sic}"


async def publish_partner(centre: Centre, payload: bytes) -> None:
    """One period's updates for the partner, into ASDE_PARTNER; the message id makes a
    re-publication after a crash harmless."""
    from asde.bus import publish

    key = f"{centre.config.name}-{centre.run_id}-{centre.batch}"
    await publish(centre.js, f"asde.partner.{centre.config.partner}", payload, key)


async def publish_picture(centre: Centre, payload: bytes) -> None:
    """The whole picture's updates, before any agreement, for whoever needs them."""
    from asde.bus import publish

    await publish(
        centre.js, f"asde.picture.{stream_key(centre)}", payload,
        f"{centre.config.name}-{centre.run_id}-pic-{centre.batch}",
    )  # fmt: skip


async def outbox_loop(centre: Centre) -> None:
    """The partner stream from JetStream onto the link, on its own: a fetch that finds
    nothing waits a few milliseconds, and confirmations go back as the partner's
    acknowledgements come in."""
    outbox = centre.outbox
    assert outbox is not None
    while True:
        try:
            if centre.session.full:
                await asyncio.sleep(0.05)
            else:
                await outbox.pump(batch=200, timeout=0.01)
            await outbox.acknowledged(centre.session.acknowledged_below)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the server away: JetStream keeps the messages
            log.warning("partner stream: %s", error)
            await asyncio.sleep(1.0)


async def input_publisher(centre: Centre) -> None:
    """Every 10 ms, what the inputs gave, as one ASDE_INPUT message; the message id makes a
    publication that is retried after a lost acknowledgement count once."""
    from asde.bus import publish

    number = 0
    buffer = centre.input_buffer
    while True:
        await asyncio.sleep(0.01)
        if not buffer:
            continue
        # A copy: inputs go on arriving meanwhile. A retry sends this same batch again under
        # the same id: a batch that had grown meanwhile would be taken by JetStream for the
        # duplicate of the first attempt (when that one was stored) and its new reports lost.
        batch = list(buffer)
        payload = json.dumps([report_to_row(r) for r in batch]).encode()
        message_id = f"{centre.config.name}-{centre.run_id}-in-{number}"
        while True:
            try:
                await publish(centre.js, f"asde.input.{stream_key(centre)}", payload, message_id)
                break
            except Exception as error:  # the server away: keep the reports, try again
                log.warning("input stream: %s", error)
                await asyncio.sleep(0.5)
        del buffer[: len(batch)]
        centre.inputs_published += len(batch)
        number += 1


async def input_consumer(centre: Centre) -> None:
    """The picture takes its reports from ASDE_INPUT and confirms each message only after
    applying it: a picture process that dies leaves the rest to the next one."""
    import nats
    from nats.js.api import ConsumerConfig

    key = stream_key(centre)
    subscription = await centre.js.pull_subscribe(
        f"asde.input.{key}", durable=f"picture-{key}",
        stream="ASDE_INPUT", config=ConsumerConfig(ack_wait=centre.config.nats_ack_wait_s),
    )  # fmt: skip
    while True:
        try:
            messages = await subscription.fetch(50, timeout=0.01)
        except (nats.errors.TimeoutError, TimeoutError):
            continue
        except Exception as error:
            log.warning("input stream: %s", error)
            await asyncio.sleep(1.0)
            continue
        for message in messages:
            try:
                rows = json.loads(message.data)
                reports = [report_from_row(row) for row in rows]
            except (ValueError, TypeError, KeyError) as error:
                log.warning("input stream: a bad message (%s) is dropped", error)
                await message.term()
                continue
            for report in reports:
                centre.apply(report)
            centre.inputs_consumed += len(reports)
            await message.ack()
