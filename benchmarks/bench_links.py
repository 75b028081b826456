"""Partner-link latency and failover on loopback: 5,000 track updates per second.

Run: .venv/bin/python benchmarks/bench_links.py   (RATE=5000 SECONDS=10 CUTS=5 TLS=0|1|both)

Two LinkEndpoints joined by two TCP connections on 127.0.0.1. The sender writes RATE updates
a second (each an ASTERIX-sized payload stamped with its send time) for SECONDS seconds and cuts
the active connection CUTS times; the receiver records each update's latency. Reports p50/p99,
the switchover times and what was lost or duplicated. TLS=1 runs the connections over mutual
TLS 1.3 (certificates by `asde credentials` in a temporary directory, the centres' contexts);
TLS=both runs plaintext, then TLS, in the same run and prints the ratio.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from asde.linknet import LinkEndpoint
from asde.links import Delivered, PartnerSession

RATE = int(os.environ.get("RATE", "5000"))
SECONDS = float(os.environ.get("SECONDS", "10"))
CUTS = int(os.environ.get("CUTS", "5"))
PADDING = bytes(60)  # a CAT 062 track update is about 60-70 bytes


def contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The two centres' TLS contexts, as `asde run` makes them."""
    from asde.config import LinkTls
    from asde.credentials import write_credentials
    from asde.tls import LinkCredentials

    creds = Path(tempfile.mkdtemp(prefix="asde-bench-links-"))
    write_credentials(creds)
    ukraine = LinkCredentials.load(LinkTls(creds / "ukraine.pem", creds / "ukraine.key",
                                           creds / "ca.pem", subject="nato"))  # fmt: skip
    nato = LinkCredentials.load(LinkTls(creds / "nato.pem", creds / "nato.key",
                                        creds / "ca.pem", subject="ukraine"))  # fmt: skip
    return ukraine.server, nato.client


async def main(tls: bool) -> tuple[float, float]:
    server_ssl, client_ssl = contexts() if tls else (None, None)
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

        server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=server_ssl)
        servers.append(server)
        ports[name] = server.sockets[0].getsockname()[1]
        sender.attach(name, *await asyncio.open_connection("127.0.0.1", ports[name], ssl=client_ssl))

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
                sender.attach(active, *await asyncio.open_connection(
                    "127.0.0.1", ports[active], ssl=client_ssl))  # fmt: skip
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
    print(f"{'mutual TLS 1.3' if tls else 'plaintext'}: updates: {total:,} at {RATE:,}/s over "
          f"{elapsed:.1f} s; cuts: {CUTS}")  # fmt: skip
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
    return p50, p99


if __name__ == "__main__":
    mode = os.environ.get("TLS", "0")
    if mode != "both":
        asyncio.run(main(mode == "1"))
    else:
        plain = asyncio.run(main(False))
        tls = asyncio.run(main(True))
        print(f"TLS / plaintext: p50 {tls[0]:.2f} / {plain[0]:.2f} ms = {tls[0] / plain[0]:.2f}; "
              f"p99 {tls[1]:.2f} / {plain[1]:.2f} ms = {tls[1] / plain[1]:.2f}")  # fmt: skip
