"""Two centres in one event loop, linked over two loopback connections: the filtered picture and
the renegade alert reach the partner, and the HTTP API shows it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
import yaml

import asde
from asde import streams
from asde.centre import Centre
from asde.config import ConfigError, ServiceConfig
from asde.credentials import write_credentials

DATA = Path(asde.__file__).parent / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def credentials(tmp_path: Path) -> Path:
    """A throwaway CA, both centres' certificates and the tokens, as `asde credentials`."""
    directory = tmp_path / "asde"
    write_credentials(directory)
    return directory


def token(tmp_path: Path, name: str) -> dict[str, str]:
    """The Authorization header of a client (e.g. "nato-platform")."""
    value = (tmp_path / "asde" / f"{name}.token").read_text().strip()
    return {"Authorization": f"Bearer {value}"}


def use_credentials(data: dict, name: str, creds: Path) -> None:
    """The demo YAML's credential files, pointed at `creds`."""
    data["tls"] = {"certificate": str(creds / f"{name}.pem"), "key": str(creds / f"{name}.key")}
    data["partner"]["tls"]["ca"] = str(creds / "ca.pem")
    for client in data["http"]["clients"]:
        client["token_file"] = str(creds / Path(client["token_file"]).name)


def configs(tmp_path: Path, *, plaintext: bool = False) -> tuple[ServiceConfig, ServiceConfig]:
    """The demo centres' configurations on free ports, with credentials in tmp_path/asde (or
    plaintext links, for a measurement against TLS)."""
    creds = credentials(tmp_path)
    hu, tr, http_n, http_u = free_port(), free_port(), free_port(), free_port()
    nato = yaml.safe_load((DATA / "centres" / "nato.yaml").read_text())
    ukraine = yaml.safe_load((DATA / "centres" / "ukraine.yaml").read_text())
    nato["http"]["port"], ukraine["http"]["port"] = http_n, http_u
    nato["partner"]["listen"] = [
        {"name": "via-hungary", "port": hu},
        {"name": "via-turkey", "port": tr},
    ]
    ukraine["partner"]["connect"] = [{"name": "via-hungary", "host": "127.0.0.1", "port": hu},
                                     {"name": "via-turkey", "host": "127.0.0.1", "port": tr}]  # fmt: skip
    nato["inputs"] = nato["inputs"][:1]  # the scenario only; not the recording
    nato["inputs"][0]["speed"] = 400
    nato["send_period_s"] = ukraine["send_period_s"] = 0.1
    for data in (nato, ukraine):
        data["state_file"] = str(tmp_path / f"{data['centre']['sac']}.json")
    use_credentials(nato, "nato", creds)
    use_credentials(ukraine, "ukraine", creds)
    if plaintext:
        for data in (nato, ukraine):
            del data["partner"]["tls"]
            data["partner"]["plaintext"] = True
    centres = DATA / "centres"
    nato["inputs"][0]["file"] = str((centres / nato["inputs"][0]["file"]).resolve())
    for data in (nato, ukraine):
        data["partner"]["agreements"] = [
            str((centres / a).resolve()) for a in data["partner"]["agreements"]
        ]
    paths = []
    for name, data in (("nato", nato), ("ukraine", ukraine)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        paths.append(path)
    return ServiceConfig.load(paths[0]), ServiceConfig.load(paths[1])


def test_two_centres_exchange_the_filtered_picture_and_alerts(tmp_path: Path) -> None:
    nato_config, ukraine_config = configs(tmp_path)

    async def scenario() -> dict:
        nato, ukraine = Centre(nato_config), Centre(ukraine_config)
        await nato.start()
        await ukraine.start()
        cut = False
        for _ in range(300):
            await asyncio.sleep(0.05)
            if not cut and len(ukraine.partner_picture) > 0:
                nato.link.abort(nato.session.active or "via-hungary")  # a line fails mid-stream
                cut = True
            if (
                any(a.rule == "renegade" for a in ukraine.partner_alerts.alerts)
                and nato.session.unacknowledged == 0
            ):
                break
        async with aiohttp.ClientSession(headers=token(tmp_path, "ukraine-monitor")) as http:
            base = f"http://127.0.0.1:{ukraine_config.http_port}"
            status = await (await http.get(f"{base}/status")).json()
            aircraft = await (await http.get(f"{base}/data/aircraft.json?picture=partner")).json()
            alerts = await (await http.get(f"{base}/alerts")).json()
        async with aiohttp.ClientSession(headers=token(tmp_path, "nato-monitor")) as http:
            nato_status = await (
                await http.get(f"http://127.0.0.1:{nato_config.http_port}/status")
            ).json()
        result = {
            "status": status, "aircraft": aircraft, "nato": nato_status,
            "alerts": alerts, "delivered": ukraine.session.counters.delivered,
            "sent": nato.session.counters.sent,
        }  # fmt: skip
        await nato.stop()
        await ukraine.stop()
        return result

    result = asyncio.run(scenario())

    assert result["status"]["partner_tracks"] > 0
    assert result["aircraft"]["aircraft"], "the partner picture is served as aircraft.json"
    assert any(
        a["rule"] == "renegade" and a["level"] == "suspected" and a["origin"] == "partner"
        for a in result["alerts"]
    )
    assert result["status"]["links"]["tls"] is True  # the exchange above ran over mutual TLS
    assert result["delivered"] == result["sent"]  # nothing lost, nothing twice, across the cut
    assert result["nato"]["withheld"] > 0  # the agreement kept some updates back
    assert result["nato"]["agreement"]["version"] == 2
    assert result["nato"]["links"]["round_trip_ms"]["p50"] is not None  # link latency is visible


def test_bad_configuration_is_refused_with_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "centre.yaml"
    path.write_text("centre: {name: X}\npartner: {name: UA, agreements: []}\n")

    with pytest.raises(ConfigError, match=r"centre.yaml: centre: “sac” is missing"):
        ServiceConfig.load(path)


def test_asterix_over_tcp_with_a_block_split_in_two_and_garbage_after(tmp_path: Path) -> None:
    """A TCP ASTERIX feed: blocks are cut at their length fields (one arrives in two pieces);
    a block claiming a length under 3 octets drops the connection, which is made again; the
    service goes on."""
    import dataclasses

    from asde.asterix import encode
    from asde.convert import SystemId, report_to_cat021
    from asde.reports import Source, TargetReport

    now = __import__("time").time()
    reports = [TargetReport(time=now, source=Source.ADSB, lat=50.0 + n / 10, lon=24.0,
                            address=f"50800{n}", altitude_ft=30000) for n in range(3)]  # fmt: skip
    blocks = [encode([report_to_cat021(r, SystemId(25, 9))]) for r in reports]

    async def scenario() -> tuple[int, int]:
        connections = 0

        async def feed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal connections
            connections += 1
            writer.write(blocks[0] + blocks[1][:5])
            await writer.drain()
            await asyncio.sleep(0.1)
            writer.write(blocks[1][5:] + blocks[2] + b"\x15\x00\x02garbage")
            await writer.drain()
            await asyncio.sleep(0.5)
            writer.close()

        server = await asyncio.start_server(feed, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        nato_config, _ukraine = configs(tmp_path)
        config = dataclasses.replace(
            nato_config, inputs=[{"type": "asterix-tcp", "host": "127.0.0.1", "port": port}],
            listen=[], http_port=free_port(),
        )  # fmt: skip
        centre = Centre(config)
        await centre.start()
        await asyncio.sleep(1.0)
        result = (len(centre.picture), centre.input_errors)
        await centre.stop()
        server.close()
        return result

    tracks, errors = asyncio.run(scenario())

    assert tracks == 3
    assert errors >= 1


def test_a_retried_input_publication_sends_the_same_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JetStream may have stored a publication whose acknowledgement was lost. The retry must
    carry the same batch under the same id: reports that arrived meanwhile go in the next
    message, or JetStream would drop them with the duplicate."""
    import json

    import asde.bus
    from asde.reports import Source, TargetReport

    def report(n: int) -> TargetReport:
        return TargetReport(time=1_800_000_000.0 + n, source=Source.ADSB, lat=50.0, lon=30.0,
                            address=f"50800{n}")  # fmt: skip

    nato, _ukraine = configs(tmp_path)
    centre = Centre(nato)
    centre.js = object()  # publish() below stands for the server
    centre.input_buffer += [report(1), report(2)]
    sent: list[tuple[str, list[str]]] = []

    async def publish(js: object, subject: str, payload: bytes, message_id: str) -> bool:
        sent.append((message_id, [row[4] for row in json.loads(payload)]))
        if len(sent) == 1:
            centre.input_buffer.append(report(3))  # inputs go on while the server is away
            raise TimeoutError("nats: timeout")  # stored, but the acknowledgement was lost
        return True

    monkeypatch.setattr(asde.bus, "publish", publish)

    async def scenario() -> None:
        task = asyncio.create_task(streams.input_publisher(centre))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if len(sent) >= 3:
                break
        task.cancel()

    asyncio.run(scenario())

    (first_id, first), (retry_id, retry), (next_id, after) = sent[:3]
    assert (retry_id, retry) == (first_id, first) == (first_id, ["508001", "508002"])
    assert next_id != first_id and after == ["508003"]
    assert centre.inputs_published == 3 and not centre.input_buffer
