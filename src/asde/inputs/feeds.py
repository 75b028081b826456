"""A centre's live inputs: recordings and scenarios replayed, SBS over TCP, ASTERIX over UDP
and TCP. Each feed turns what arrives into target reports and hands them to the centre's
`ingest`; a bad line or block is counted and logged, and the feed goes on."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from asde.asterix import DecodeError
from asde.asterix.stream import BlockSplitter
from asde.batch import iter_reports
from asde.inputs.opensky import read_states
from asde.inputs.sbs import SbsDecoder, SbsError
from asde.reports import TargetReport
from asde.sim import load_scenario, replay_times, simulate

log = logging.getLogger("asde")


class InputSink(Protocol):
    """What the feeds need of a centre."""

    input_errors: int

    def ingest(self, report: TargetReport) -> None: ...


def shifted(report: TargetReport, offset: float, speed: float, origin: float) -> TargetReport:
    return replace(report, time=origin + offset + (report.time - origin) / max(speed, 1e-9))


async def replay(sink: InputSink, reports: list[TargetReport], speed: float) -> None:
    offset = time.time() - reports[0].time if reports else 0.0
    for wait, report in replay_times(reports, speed):
        if wait > 0:
            await asyncio.sleep(min(wait, 5.0))
        # Replayed traffic is shown as live: times shifted to now.
        sink.ingest(shifted(report, offset, speed, reports[0].time))


async def sbs(sink: InputSink, host: str, port: int) -> None:
    decoder = SbsDecoder()
    while True:
        try:
            reader, _writer = await asyncio.open_connection(host, port)
            count = 0
            while line := await reader.readline():
                count += 1
                if count % 100 == 0:
                    # readline() does not yield while its buffer has lines: let the send
                    # loop and the links run, or a busy feed starves them.
                    await asyncio.sleep(0)
                try:
                    report = decoder.feed_line(line.decode("ascii", "replace"), time.time())
                except SbsError:
                    decoder.errors += 1
                    continue
                if report is not None:
                    sink.ingest(report)
        except OSError as error:
            log.warning("SBS %s:%d: %s", host, port, error)
        await asyncio.sleep(2.0)


def asterix(sink: InputSink, data: bytes, origin: str) -> None:
    """ASTERIX data blocks from an input: CAT 062 tracks and CAT 021 ADS-B reports become
    target reports; a bad block is logged and the next one read."""
    for block in iter_reports(data, time.time()):
        if isinstance(block, DecodeError):
            sink.input_errors += 1
            log.warning("ASTERIX from %s: %s", origin, block)
            continue
        for report in block:
            sink.ingest(report)


async def asterix_udp(sink: InputSink, host: str, port: int) -> asyncio.DatagramTransport:
    class Receiver(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: Any) -> None:
            asterix(sink, data, f"{addr[0]}:{addr[1]}")

    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Receiver, local_addr=(host, port))
    return transport


async def asterix_tcp(sink: InputSink, host: str, port: int) -> None:
    """A TCP client of an ASTERIX stream, cut into blocks by `BlockSplitter`. A length that
    cannot be true means the stream is lost: the connection is dropped and made again, at a
    block boundary."""
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            splitter = BlockSplitter()
            while data := await reader.read(65536):
                splitter.receive_data(data)
                blocks = splitter.blocks_received()
                if blocks:  # the complete blocks before anything that went wrong
                    asterix(sink, blocks, f"{host}:{port}")
                if splitter.lost:
                    splitter.blocks_received()  # raises the error that lost the stream
                await asyncio.sleep(0)
            writer.close()
        except (OSError, DecodeError) as error:
            sink.input_errors += 1
            log.warning("ASTERIX TCP %s:%d: %s", host, port, error)
        await asyncio.sleep(2.0)


async def start_inputs(
    sink: InputSink, specs: list[dict[str, Any]], tasks: list[asyncio.Task[Any]]
) -> None:
    """Every configured input started; its task (when it has one) added to `tasks`."""
    loop = asyncio.get_running_loop()
    for spec in specs:
        kind = spec["type"]
        if kind == "scenario":
            reports = simulate(load_scenario(Path(spec["file"])))
            tasks.append(loop.create_task(replay(sink, reports, float(spec.get("speed", 1)))))
        elif kind == "replay":
            reports = list(read_states(Path(spec["file"])))
            tasks.append(loop.create_task(replay(sink, reports, float(spec.get("speed", 1)))))
        elif kind == "sbs":
            tasks.append(loop.create_task(sbs(sink, spec["host"], int(spec["port"]))))
        elif kind == "asterix-udp":
            await asterix_udp(sink, spec.get("host", "127.0.0.1"), int(spec["port"]))
        elif kind == "asterix-tcp":
            tasks.append(loop.create_task(asterix_tcp(sink, spec["host"], int(spec["port"]))))
