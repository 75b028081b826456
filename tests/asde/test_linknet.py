"""Real sockets on loopback: two TCP connections between two centres, one cut mid-stream,
in plaintext and over the centres' mutual TLS 1.3."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import pytest

from asde.linknet import LinkEndpoint
from asde.links import Delivered, PartnerSession

HEARTBEAT = bytes.fromhex("41000cF8196402043C608718")


Contexts = tuple[ssl.SSLContext, ssl.SSLContext] | tuple[None, None]


@pytest.fixture(scope="module")
def centre_tls(tmp_path_factory: pytest.TempPathFactory) -> Contexts:
    """Ukraine's listening context and NATO's dialling one, as `asde run` makes them."""
    from asde.config import LinkTls
    from asde.credentials import write_credentials
    from asde.tls import LinkCredentials

    creds: Path = tmp_path_factory.mktemp("asde")
    write_credentials(creds)
    ukraine = LinkCredentials.load(LinkTls(creds / "ukraine.pem", creds / "ukraine.key",
                                           creds / "ca.pem", subject="nato"))  # fmt: skip
    nato = LinkCredentials.load(LinkTls(creds / "nato.pem", creds / "nato.key",
                                        creds / "ca.pem", subject="ukraine"))  # fmt: skip
    return ukraine.server, nato.client


@pytest.fixture(params=["plaintext", "tls"])
def contexts(request: pytest.FixtureRequest, centre_tls: Contexts) -> Contexts:
    return centre_tls if request.param == "tls" else (None, None)


async def _pair(
    contexts: Contexts = (None, None),
) -> tuple[LinkEndpoint, LinkEndpoint, list[int], list[asyncio.Server]]:
    server_ssl, client_ssl = contexts
    delivered: list[int] = []
    nato = LinkEndpoint(PartnerSession(session=b"NATO0001"), lambda e: None,
                        heartbeat=lambda: HEARTBEAT)  # fmt: skip
    ukraine = LinkEndpoint(
        PartnerSession(session=b"UKR00001"),
        lambda e: delivered.append(e.sequence) if isinstance(e, Delivered) else None,
        heartbeat=lambda: HEARTBEAT,
    )
    servers = []
    for name in ("via-hungary", "via-turkey"):

        async def accept(reader, writer, name=name):  # type: ignore[no-untyped-def]
            ukraine.attach(name, reader, writer)

        server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=server_ssl)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_ssl)
        nato.attach(name, reader, writer)
    return nato, ukraine, delivered, servers


def test_cutting_a_connection_mid_stream_loses_and_duplicates_nothing(contexts: Contexts) -> None:
    async def scenario() -> tuple[list[int], list[float], int]:
        nato, ukraine, delivered, servers = await _pair(contexts)
        cuts = 0
        for n in range(5000):
            nato.send(b"\x3e\x00\x04\x00" + n.to_bytes(4, "big"))
            if n % 1000 == 500:
                nato.abort(nato.session.active or "via-hungary")
                cuts += 1
                await asyncio.sleep(0.01)
                # The line comes back: reconnect it, as the service's dialler does.
                for server, name in zip(servers, ("via-hungary", "via-turkey"), strict=True):
                    if name not in nato.writers:
                        port = server.sockets[0].getsockname()[1]
                        reader, writer = await asyncio.open_connection(
                            "127.0.0.1", port, ssl=contexts[1])  # fmt: skip
                        nato.attach(name, reader, writer)
            if n % 100 == 0:
                await nato.drain()
                await asyncio.sleep(0)
        for _ in range(200):
            if len(delivered) >= 5000 and nato.session.unacknowledged == 0:
                break
            await asyncio.sleep(0.01)
        switchovers = list(nato.switchovers)
        await nato.close()
        await ukraine.close()
        for server in servers:
            server.close()
        return delivered, switchovers, cuts

    delivered, switchovers, cuts = asyncio.run(scenario())

    assert delivered == list(range(1, 5001))
    assert cuts == 5 and len(switchovers) == 5
    assert max(switchovers) < 1.0


def test_one_hundred_cuts_under_load_lose_and_duplicate_nothing(contexts: Contexts) -> None:
    """The issue's reliability test on real sockets: 100 cuts while updates flow."""

    async def scenario() -> tuple[list[int], list[float], int]:
        nato, ukraine, delivered, servers = await _pair(contexts)
        ports = {name: s.sockets[0].getsockname()[1]
                 for name, s in zip(("via-hungary", "via-turkey"), servers, strict=True)}  # fmt: skip
        total, cuts = 20_000, 0
        for n in range(total):
            nato.send(b"\x3e\x00\x04\x00" + n.to_bytes(4, "big"))
            if n % 200 == 100 and cuts < 100:
                active = nato.session.active or "via-hungary"
                nato.abort(active)
                cuts += 1
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", ports[active], ssl=contexts[1])  # fmt: skip
                nato.attach(active, reader, writer)
            if n % 50 == 0:
                await nato.drain()
                await asyncio.sleep(0)
        for _ in range(500):
            if len(delivered) >= total and nato.session.unacknowledged == 0:
                break
            await asyncio.sleep(0.01)
        switchovers = list(nato.switchovers)
        await nato.close()
        await ukraine.close()
        for server in servers:
            server.close()
        return delivered, switchovers, cuts

    delivered, switchovers, cuts = asyncio.run(scenario())

    assert cuts == 100
    assert delivered == list(range(1, 20_001))
    assert len(switchovers) == 100 and max(switchovers) < 1.0


def test_a_peer_that_does_not_read_pauses_the_connection_instead_of_growing_memory(
    contexts: Contexts,
) -> None:
    """Back-pressure: the transport's buffer stays near its high-water mark while the peer
    reads nothing; the frames wait in the session, and all arrive once the peer reads."""

    async def scenario() -> tuple[int, int, int, list[int]]:
        delivered: list[int] = []
        ukraine = LinkEndpoint(
            PartnerSession(session=b"UKR00001"),
            lambda e: delivered.append(e.sequence) if isinstance(e, Delivered) else None,
            silence_s=30.0,
        )
        readers: list[asyncio.StreamReader] = []
        writers: list[asyncio.StreamWriter] = []
        accepted = asyncio.Event()

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            readers.append(reader)
            writers.append(writer)
            accepted.set()

        server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=contexts[0])
        port = server.sockets[0].getsockname()[1]
        nato = LinkEndpoint(PartnerSession(session=b"NATO0001"), lambda e: None, silence_s=30.0)
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=contexts[1])
        writer.transport.set_write_buffer_limits(high=64 * 1024)
        nato.attach("via-hungary", reader, writer)
        await accepted.wait()
        # given a peer that reads nothing for now: 20 MB offered in 1 kB frames
        biggest = 0
        for n in range(20_000):
            nato.send(n.to_bytes(4, "big") + bytes(1020))
            biggest = max(biggest, writer.transport.get_write_buffer_size())
            if n % 500 == 0:
                await asyncio.sleep(0)
        pauses = nato.pauses
        # when the peer starts reading
        ukraine.attach("via-hungary", readers[0], writers[0])
        for _ in range(500):
            biggest = max(biggest, writer.transport.get_write_buffer_size())
            if len(delivered) == 20_000:
                break
            await asyncio.sleep(0.01)
        await nato.close()
        await ukraine.close()
        server.close()
        return biggest, pauses, nato.session.counters.sent, delivered

    biggest, pauses, sent, delivered = asyncio.run(scenario())

    # then the transport never held much more than its high-water mark and one chunk, even
    # while the 20 MB went out
    assert pauses > 0
    assert biggest < 2 * 1024 * 1024, biggest
    # and nothing was lost or doubled
    assert sent == 20_000 and delivered == list(range(1, 20_001))
