"""The feeds against real sockets and the real clock: replay on schedule, bounded re-dial,
and every kind of bad input counted under the input's name."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from asde.inputs import feeds
from asde.inputs.health import InputHealth
from asde.reports import Source, TargetReport


class Sink:
    """Takes what a feed gives, with the wall-clock time it came."""

    def __init__(self) -> None:
        self.reports: list[tuple[float, TargetReport]] = []
        self.healths: dict[str, InputHealth] = {}

    def ingest(self, report: TargetReport, health: InputHealth) -> None:
        health.reports += 1
        self.reports.append((time.time(), report))

    def input_health(self, name: str) -> InputHealth:
        return self.healths.setdefault(name, InputHealth(name))


def test_a_replay_of_an_hour_keeps_to_its_schedule() -> None:
    # Given an hour of reports, one a second, replayed at 720x (5 s), the sink a little slow
    reports = [TargetReport(time=1_700_000_000.0 + t, source=Source.ADSB, lat=50.0, lon=24.0,
                            address="4CA101") for t in range(3600)]  # fmt: skip
    sink = Sink()

    async def run() -> float:
        started = time.time()
        await feeds.replay(sink, sink.input_health("replay"), reports, 720.0)
        return started

    started = asyncio.run(run())

    # Then the last report came when it was due and is dated so: no drift (relative sleeps
    # add up the loop's lateness of every one of 3,600 waits)
    came, last = sink.reports[-1]
    # (each wait of relative sleeps overshoots by about a millisecond: 3,600 of them, seconds)
    assert abs(came - (started + 3599 / 720)) < 0.3  # a shared machine may stall a moment
    assert abs(last.time - (started + 3599 / 720)) < 0.05
    lateness = sorted(came - r.time for came, r in sink.reports)
    assert lateness[len(lateness) // 2] < 0.01


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.serial  # "within a second" of the line coming back: not beside other workers
def test_an_sbs_input_dials_again_within_a_second_of_the_line_coming_back() -> None:
    # Given an SBS input whose server is away for 3 s, then back
    port = free_port()
    sink = Sink()
    health = sink.input_health("sbs")
    line = b"MSG,3,1,1,4CA101,1,,,,,,35000,,,49.8,23.4,,,,,,0\n"

    async def run() -> float:
        task = asyncio.create_task(feeds.sbs(sink, health, "127.0.0.1", port))
        await asyncio.sleep(3.0)
        connected = asyncio.Event()

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            connected.set()
            writer.write(line)
            await writer.drain()
            await asyncio.sleep(5)

        server = await asyncio.start_server(serve, "127.0.0.1", port)
        back = time.monotonic()
        await asyncio.wait_for(connected.wait(), 5)
        waited = time.monotonic() - back
        await asyncio.sleep(0.2)
        task.cancel()
        server.close()
        return waited

    waited = asyncio.run(run())

    assert waited < 1.0
    assert health.errors["connect"] >= 5  # it kept trying, with a bounded back-off
    assert health.connections == 1 and health.reports == 1


def test_every_kind_of_bad_sbs_input_is_counted_and_the_good_lines_go_on() -> None:
    now = time.strftime("%Y/%m/%d,%H:%M:%S.000", time.gmtime())
    good = f"MSG,3,1,1,4CA101,1,{now},{now},,35000,,,49.8,23.4,,,,,,0\n".encode()
    stream = (
        good
        + b"z" * (100 * 1024) + b"\n"  # an over-long line
        + b"MSG,3,1,1,4CA1\xff\xfe,1\n"  # not ASCII
        + b"\x00\x17garbage,garbage\n"  # not a BaseStation line
        + good
        + b"MSG,3,1,1,4CA1"  # half a line, then the connection ends
    )  # fmt: skip
    sink = Sink()
    health = sink.input_health("sbs")

    async def run() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(stream)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        task = asyncio.create_task(feeds.sbs(sink, health, "127.0.0.1", port))
        await asyncio.sleep(0.5)
        task.cancel()
        server.close()

    asyncio.run(run())

    assert health.reports >= 2  # the good lines, on every connection made
    assert health.errors["overlong_line"] == health.connections
    assert health.errors["encoding"] == health.connections
    assert health.errors["not_sbs"] == health.connections
    assert health.errors["half_line"] == health.connections
    assert health.connections >= 1


def test_a_defect_behind_an_input_is_counted_and_the_input_goes_on() -> None:
    class Broken(Sink):
        def ingest(self, report: TargetReport, health: InputHealth) -> None:
            raise RuntimeError("a defect in the picture")

    now = time.strftime("%Y/%m/%d,%H:%M:%S.000", time.gmtime())
    line = f"MSG,3,1,1,4CA101,1,{now},{now},,35000,,,49.8,23.4,,,,,,0\n".encode()
    sink = Broken()
    health = sink.input_health("sbs")

    async def run() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(line)
            await writer.drain()
            await asyncio.sleep(5)

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        task = asyncio.create_task(feeds.sbs(sink, health, "127.0.0.1", port))
        await asyncio.sleep(1.0)
        assert not task.done()  # still dialling and reading
        task.cancel()
        server.close()

    asyncio.run(run())

    assert health.errors["defect"] >= 2 and health.connections >= 2
