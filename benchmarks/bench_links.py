"""Partner-link latency and failover on loopback: 5,000 track updates per second.

Run: .venv/bin/python benchmarks/bench_links.py   (RATE=5000 SECONDS=10 CUTS=5)

Two LinkEndpoints joined by two TCP connections on 127.0.0.1. The sender writes RATE updates
a second (each an ASTERIX-sized payload stamped with its send time) for SECONDS seconds and cuts
the active connection CUTS times; the receiver records each update's latency. Reports p50/p99,
the switchover times and what was lost or duplicated.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from asde.linknet import LinkEndpoint
from asde.links import Delivered, PartnerSession

RATE = int(os.environ.get("RATE", "5000"))
SECONDS = float(os.environ.get("SECONDS", "10"))
CUTS = int(os.environ.get("CUTS", "5"))
PADDING = bytes(60)  # a CAT 062 track update is about 60-70 bytes


async def main() -> None:
    latencies: list[float] = []
    sequences: list[int] = []

    def received(event: object) -> None:
        if isinstance(event, Delivered):
            (sent_at,) = struct.unpack_from(">d", event.payload)
            latencies.append(time.perf_counter() - sent_at)
            sequences.append(event.sequence)

    sender = LinkEndpoint(PartnerSession(session=b"NATO0001", capacity=1_000_000), lambda e: None)
    receiver = LinkEndpoint(PartnerSession(session=b"UKR00001", capacity=1_000_000), received)
    servers, ports = [], {}
    for name in ("via-hungary", "via-turkey"):

        async def accept(reader, writer, name=name):  # type: ignore[no-untyped-def]
            receiver.attach(name, reader, writer)

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        servers.append(server)
        ports[name] = server.sockets[0].getsockname()[1]
        sender.attach(name, *await asyncio.open_connection("127.0.0.1", ports[name]))

    total = int(RATE * SECONDS)
    cut_every = total // (CUTS + 1) if CUTS else total + 1
    tick = 0.01  # send in 10 ms slices
    per_tick = max(1, int(RATE * tick))
    start = time.perf_counter()
    sent = 0
    while sent < total:
        for _ in range(min(per_tick, total - sent)):
            sender.send(struct.pack(">d", time.perf_counter()) + PADDING)
            sent += 1
            if sent % cut_every == 0 and CUTS:
                active = sender.session.active or "via-hungary"
                sender.abort(active)
                sender.attach(active, *await asyncio.open_connection("127.0.0.1", ports[active]))
        await sender.drain()
        target = start + sent / RATE
        await asyncio.sleep(max(0.0, target - time.perf_counter()))
    for _ in range(500):
        if len(sequences) >= total:
            break
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    print(f"updates: {total:,} at {RATE:,}/s over {elapsed:.1f} s; cuts: {CUTS}")
    print(
        f"delivered: {len(sequences):,}, lost: {total - len(set(sequences)):,}, "
        f"duplicated: {len(sequences) - len(set(sequences)):,}, in order: {sequences == sorted(sequences)}"
    )
    print(f"latency p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {ordered[-1] * 1000:.2f} ms")
    if sender.switchovers:
        print(
            f"switchover (loss detected -> unacknowledged data resent on the other connection): "
            f"max {max(sender.switchovers) * 1000:.2f} ms over {len(sender.switchovers)} cuts"
        )
    await sender.close()
    await receiver.close()
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
