"""A centre's live inputs: recordings and scenarios replayed, SBS over TCP, ASTERIX over UDP
and TCP. Each feed turns what arrives into target reports and hands them to the centre's
`ingest` with the input's `InputHealth`; a bad line or block is counted and logged under the
input's name and skipped, and the feed goes on. A TCP input that loses its connection dials
again with a connect timeout and a bounded back-off, so that it is back within a second of
the line."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from asde.asterix import DecodeError
from asde.asterix.stream import BlockSplitter
from asde.batch import iter_reports
from asde.inputs.health import InputHealth
from asde.inputs.opensky import read_states
from asde.inputs.sbs import MAX_LINE, LineSplitter, SbsDecoder, SbsError
from asde.reports import TargetReport
from asde.sim import load_scenario, simulate

log = logging.getLogger("asde")

# A connection attempt that hears nothing in this time is given up (the kernel's own SYN
# retries took 5 s and more), and the wait between attempts grows to this bound at most:
# a line that comes back is used again within a second.
CONNECT_TIMEOUT_S = 0.5
RETRY_FIRST_S = 0.1
RETRY_MAX_S = 0.5


class InputSink(Protocol):
    """What the feeds need of a centre."""

    def ingest(self, report: TargetReport, health: InputHealth) -> None: ...

    def input_health(self, name: str) -> InputHealth: ...


def input_name(spec: dict[str, Any]) -> str:
    """The input's name in logs and /status: its own `name`, else what it reads."""
    if spec.get("name"):
        return str(spec["name"])
    if "file" in spec:
        return f"{spec['type']} {Path(spec['file']).name}"
    return f"{spec['type']} {spec.get('host', '127.0.0.1')}:{spec.get('port')}"


def shifted(report: TargetReport, offset: float, speed: float, origin: float) -> TargetReport:
    return replace(report, time=origin + offset + (report.time - origin) / max(speed, 1e-9))


async def replay(
    sink: InputSink, health: InputHealth, reports: list[TargetReport], speed: float
) -> None:
    """Replayed traffic is shown as live: each report is due at the wall-clock time of the
    start plus its offset in the recording divided by `speed`, and is dated so. Each wait is
    measured against that schedule on the monotonic clock, never added up from relative
    sleeps (which fell 9.6 s behind in 330 s)."""
    if not reports:
        return
    loop = asyncio.get_running_loop()
    origin = reports[0].time
    started, offset = loop.time(), time.time() - origin
    speed = max(speed, 1e-9)
    for count, report in enumerate(reports, 1):
        wait = started + (report.time - origin) / speed - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        elif count % 200 == 0:
            await asyncio.sleep(0)  # behind schedule: still let the send loop and links run
        sink.ingest(shifted(report, offset, speed, origin), health)


class Backoff:
    """The wait before the next connection attempt: doubling from `first` to `bound`."""

    def __init__(self, first: float = RETRY_FIRST_S, bound: float = RETRY_MAX_S) -> None:
        self.first, self.bound, self._next = first, bound, first

    def next(self) -> float:
        wait, self._next = self._next, min(self.bound, self._next * 2)
        return wait

    def reset(self) -> None:
        self._next = self.first


async def dial(
    host: str, port: int, health: InputHealth, timeout: float = CONNECT_TIMEOUT_S
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """A connection, or None (counted and logged) when none came within `timeout`."""
    try:
        streams = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError) as error:
        health.connected = False
        health.error("connect", str(error) or "no answer within the connect timeout")
        return None
    health.connections += 1
    health.connected = True
    return streams


async def sbs(
    sink: InputSink, health: InputHealth, host: str, port: int, max_line: int = MAX_LINE
) -> None:
    """BaseStation lines over TCP. Whatever arrives is cut into lines here (not by readline(),
    which raised at 64 KiB): an over-long line, bytes that are not ASCII, a line that is not a
    BaseStation message, half a line when the connection ends: each counted and skipped."""
    decoder = SbsDecoder()
    backoff = Backoff()
    while True:
        streams = await dial(host, port, health)
        if streams is None:
            await asyncio.sleep(backoff.next())
            continue
        reader, writer = streams
        splitter = LineSplitter(max_line)
        try:
            while data := await reader.read(65536):
                backoff.reset()  # the line works: a later failure starts from a short wait
                overlong = splitter.overlong
                lines = splitter.receive_data(data)
                if splitter.overlong > overlong:
                    health.error("overlong_line", f"a line over {max_line} octets dropped")
                    health.errors["overlong_line"] += splitter.overlong - overlong - 1
                for count, line in enumerate(lines, 1):
                    _sbs_line(sink, health, decoder, line)
                    if count % 100 == 0:
                        await asyncio.sleep(0)  # a busy feed must not starve the send loop
                await asyncio.sleep(0)
            if splitter.pending:
                health.error("half_line", f"{splitter.pending} octets without an end of line")
        except OSError as error:
            health.error("connection", str(error))
        except Exception as error:  # a defect: counted and logged; the input dials again
            log.exception("input %s", health.name)
            health.error("defect", repr(error))
        finally:
            health.connected = False
            writer.close()
        await asyncio.sleep(backoff.next())


def _sbs_line(sink: InputSink, health: InputHealth, decoder: SbsDecoder, line: bytes) -> None:
    if not line:
        return
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError as error:
        health.error("encoding", f"not ASCII at octet {error.start}")
        return
    try:
        report = decoder.feed_line(text, time.time())
    except SbsError as error:
        decoder.errors += 1
        health.error("not_sbs", str(error))
        return
    if report is not None:
        sink.ingest(report, health)


def asterix(sink: InputSink, health: InputHealth, data: bytes, origin: str) -> None:
    """ASTERIX data blocks from an input: CAT 062 tracks and CAT 021 ADS-B reports become
    target reports; a bad block is counted and logged, and the next one read."""
    for block in iter_reports(data, time.time()):
        if isinstance(block, DecodeError):
            health.error("bad_block", f"from {origin}: {block}")
            continue
        for report in block:
            sink.ingest(report, health)


async def asterix_udp(
    sink: InputSink, health: InputHealth, host: str, port: int
) -> asyncio.DatagramTransport:
    class Receiver(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: Any) -> None:
            try:
                asterix(sink, health, data, f"{addr[0]}:{addr[1]}")
            except Exception as error:  # a defect must not close the socket: count, go on
                log.exception("input %s", health.name)
                health.error("defect", repr(error))

    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Receiver, local_addr=(host, port))
    health.connected = True
    return transport


async def asterix_tcp(sink: InputSink, health: InputHealth, host: str, port: int) -> None:
    """A TCP client of an ASTERIX stream, cut into blocks by `BlockSplitter`. A length that
    cannot be true means the stream is lost: the connection is dropped and made again, at a
    block boundary."""
    backoff = Backoff()
    while True:
        streams = await dial(host, port, health)
        if streams is None:
            await asyncio.sleep(backoff.next())
            continue
        reader, writer = streams
        splitter = BlockSplitter()
        try:
            while data := await reader.read(65536):
                backoff.reset()
                splitter.receive_data(data)
                blocks = splitter.blocks_received()
                if blocks:  # the complete blocks before anything that went wrong
                    asterix(sink, health, blocks, f"{host}:{port}")
                if splitter.lost:
                    splitter.blocks_received()  # raises the error that lost the stream
                await asyncio.sleep(0)
            if splitter.pending:
                health.error("half_block", f"{splitter.pending} octets of an incomplete block")
        except DecodeError as error:
            health.error("lost_stream", str(error))
        except OSError as error:
            health.error("connection", str(error))
        except Exception as error:  # a defect: counted and logged; the input dials again
            log.exception("input %s", health.name)
            health.error("defect", repr(error))
        finally:
            health.connected = False
            writer.close()
        await asyncio.sleep(backoff.next())


def _ended(health: InputHealth, task: asyncio.Task[Any]) -> None:
    """An input's task that ends other than by cancellation says so (never "Task exception was
    never retrieved" at shutdown)."""
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        health.error("defect", repr(error))
        log.error("input %s stopped: %r", health.name, error, exc_info=error)


async def start_inputs(
    sink: InputSink, specs: list[dict[str, Any]], tasks: list[asyncio.Task[Any]]
) -> None:
    """Every configured input started; its task (when it has one) added to `tasks`."""
    loop = asyncio.get_running_loop()
    for spec in specs:
        kind = spec["type"]
        if kind == "none":
            continue
        health = sink.input_health(input_name(spec))
        first = len(tasks)
        if kind == "scenario":
            reports = simulate(load_scenario(Path(spec["file"])))
            tasks.append(
                loop.create_task(replay(sink, health, reports, float(spec.get("speed", 1))))
            )
        elif kind == "replay":
            reports = list(read_states(Path(spec["file"])))
            tasks.append(
                loop.create_task(replay(sink, health, reports, float(spec.get("speed", 1))))
            )
        elif kind == "sbs":
            tasks.append(loop.create_task(sbs(sink, health, spec["host"], int(spec["port"]))))
        elif kind == "asterix-udp":
            await asterix_udp(sink, health, spec.get("host", "127.0.0.1"), int(spec["port"]))
        elif kind == "asterix-tcp":
            tasks.append(
                loop.create_task(asterix_tcp(sink, health, spec["host"], int(spec["port"])))
            )
        for task in tasks[first:]:
            task.add_done_callback(partial(_ended, health))
