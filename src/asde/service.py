"""`asde run --config FILE`: one air operations centre.

Inputs (a scenario or recording replayed, SBS/BaseStation over TCP, ASTERIX over UDP) feed
the air picture; alerts are evaluated on every update; each partner gets its picture filtered
by the exchange agreement in force and the alerts, over its links; the partner's picture and
alerts are kept beside our own. An HTTP API serves status, links, tracks (also as readsb's
aircraft.json), alerts, agreements, and a server-sent-events stream of updates.

    centre: {name: NATO, sac: 25, sic: 1}
    http: {host: 127.0.0.1, port: 8081}
    state_file: var/asde-nato.json          # link state saved for a restart
    inputs:
      - {type: scenario, file: renegade-lviv.yaml, speed: 20}
      - {type: replay, file: quickstart.json.gz, speed: 10}
      - {type: sbs, host: 127.0.0.1, port: 30003}
      - {type: asterix-udp, host: 127.0.0.1, port: 8600}
    partner:
      name: UA
      agreements: [nato-ua-v1-2008.yaml, nato-ua-v2-2014.yaml]
      listen: [{name: via-hungary, port: 9101}, {name: via-turkey, port: 9102}]
      # or connect: [{name: via-hungary, host: 127.0.0.1, port: 9101}, ...]
    send_period_s: 1.0
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import json
import logging
import os
import secrets
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from asde.agreements import Agreement, CompiledFilter, in_force, load_agreement
from asde.alerts import Alert, AlertEngine, AlertSettings, RenegadeLevel, alert_to_cat004
from asde.asterix import DecodeError, Record, decode_block, encode
from asde.batch import TrackEncoder, block_reports, iter_reports, state_of
from asde.convert import (
    SystemId,
    time_of_day,
)
from asde.inputs.opensky import read_states
from asde.inputs.sbs import SbsDecoder, SbsError
from asde.linknet import LinkEndpoint
from asde.links import (
    Delivered,
    Event,
    PartnerSession,
    PeerRestarted,
    Renumbered,
    StateBehind,
)
from asde.picture import AirPicture, PictureSettings, Track
from asde.reports import Source, TargetReport, icao_address, mode3a_code
from asde.sim import load_scenario, replay_times, simulate

log = logging.getLogger("asde")


class ConfigError(ValueError):
    """Bad configuration: names the file, the key and the reason."""


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ConfigError(f"{where}: “{key}” is missing")
    return data[key]


@dataclass
class ServiceConfig:
    name: str
    system: SystemId
    http_host: str
    http_port: int
    inputs: list[dict[str, Any]]
    partner: str
    agreements: list[Agreement]
    listen: list[dict[str, Any]]
    connect: list[dict[str, Any]]
    state_file: Path | None
    send_period_s: float
    alert_settings: AlertSettings = field(default_factory=AlertSettings)
    allow_origin: str = "*"
    nats_url: str | None = None
    # How long JetStream waits for a process to confirm a partner message before it hands the
    # message to another process (or to this one after a restart).
    nats_ack_wait_s: float = 30.0
    # What this process does: "ingest" reads the inputs, "picture" keeps the picture and the
    # partner link. With JetStream they may run in different processes (or sites): inputs go
    # through ASDE_INPUT, so a picture process that dies loses none of them.
    roles: tuple[str, ...] = ("ingest", "picture")

    @classmethod
    def load(cls, path: Path) -> ServiceConfig:
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: expected a mapping")
        base = path.parent
        centre = _need(data, "centre", where)
        partner = _need(data, "partner", where)
        http = data.get("http") or {}
        agreements = []
        for name in _need(partner, "agreements", f"{where}: partner"):
            agreements.append(
                load_agreement((base / name) if not Path(name).is_absolute() else Path(name))
            )
        inputs = list(data.get("inputs") or [])
        settings = AlertSettings()
        for spec in inputs:
            if spec.get("type") not in ("scenario", "replay", "sbs", "asterix-udp", "asterix-tcp"):
                raise ConfigError(f"{where}: inputs: unknown type {spec.get('type')!r}")
            if "file" in spec:
                spec["file"] = (
                    str(base / spec["file"])
                    if not Path(spec["file"]).is_absolute()
                    else spec["file"]
                )
            if "file" in spec and not Path(spec["file"]).exists():
                if spec.get("optional"):
                    log.warning("%s: inputs: %s is not there; that input is left out",
                                where, spec["file"])  # fmt: skip
                    spec["type"] = "none"
                    continue
                raise ConfigError(f"{where}: inputs: file: {spec['file']} does not exist")
            if spec["type"] == "scenario":
                settings = load_scenario(Path(spec["file"])).alert_settings
        try:
            system = SystemId(int(_need(centre, "sac", f"{where}: centre")),
                              int(_need(centre, "sic", f"{where}: centre")))  # fmt: skip
            port = int(http.get("port", 8081))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        state = data.get("state_file")
        roles = tuple(data.get("roles") or ("ingest", "picture"))
        for role in roles:
            if role not in ("ingest", "picture"):
                raise ConfigError(f"{where}: roles: unknown role {role!r} (ingest, picture)")
        if set(roles) != {"ingest", "picture"} and not (data.get("nats") or {}).get("url"):
            raise ConfigError(
                f"{where}: roles: a process with only some roles needs nats.url (JetStream)"
            )
        return cls(
            name=str(centre.get("name", "ASDE")), system=system,
            http_host=str(http.get("host", "127.0.0.1")), http_port=port, inputs=inputs,
            partner=str(_need(partner, "name", f"{where}: partner")), agreements=agreements,
            listen=list(partner.get("listen") or []), connect=list(partner.get("connect") or []),
            state_file=(base / state) if state else None,
            send_period_s=float(data.get("send_period_s", 1.0)), alert_settings=settings,
            allow_origin=str(http.get("allow_origin", "*")),
            nats_url=(data.get("nats") or {}).get("url"),
            nats_ack_wait_s=float((data.get("nats") or {}).get("ack_wait_s", 30.0)),
            roles=roles,
        )  # fmt: skip


class Centre:
    """The running service of one air operations centre."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.picture = AirPicture()
        self.partner_picture = AirPicture(PictureSettings(system_tracks=True))
        self.alerts = AlertEngine(config.alert_settings)
        self.partner_alerts: list[dict[str, Any]] = []
        self.partner_ages: deque[float] = deque(maxlen=20_000)
        self.session = self._load_session()
        self.link = LinkEndpoint(self.session, self._on_link_event, heartbeat=self._heartbeat)
        self._dirty: set[int] = set()
        self._batch = 0
        self._input_buffer: list[TargetReport] = []
        self.inputs_published = 0
        self.input_errors = 0
        self.inputs_consumed = 0
        self._saved_at = 0.0
        # Message ids are unique per run: a restarted process numbers its batches from 0 again,
        # and JetStream would otherwise drop them as duplicates of the previous run's.
        self._run = secrets.token_hex(6)
        self._subscribers: set[asyncio.Queue[str | None]] = set()
        self._tasks: list[asyncio.Task[Any]] = []
        self._servers: list[asyncio.AbstractServer] = []
        self._runner: web.AppRunner | None = None
        self.started = time.time()
        self.reports = 0
        self.updates_sent = 0
        self.withheld = 0
        self.filter: CompiledFilter | None = None
        # Updates to the partner go through the agreement; those to ASDE_PICTURE do not.
        self._encoder: TrackEncoder | None = None
        self._picture_encoder = TrackEncoder(config.system)
        self.outbox: Any = None  # PartnerOutbox when NATS JetStream carries the partner stream
        self._js: Any = None
        self._nats: Any = None
        self.agreement: Agreement | None = None
        self._choose_agreement()

    # -- state ------------------------------------------------------------------------------
    def _load_session(self) -> PartnerSession:
        path = self.config.state_file
        if path and path.exists():
            with contextlib.suppress(ValueError, KeyError, OSError):
                return PartnerSession.resume(json.loads(path.read_text()))
        return PartnerSession(session=secrets.token_bytes(8))

    def save_state(self) -> None:
        path = self.config.state_file
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.session.snapshot()))
            os.replace(tmp, path)

    def _choose_agreement(self) -> None:
        agreement = in_force(self.config.agreements, self.config.partner, dt.date.today())
        if agreement is not self.agreement:
            self.agreement = agreement
            self.filter = CompiledFilter(agreement) if agreement else None
            self._encoder = TrackEncoder(self.config.system, self.filter) if self.filter else None

    # -- picture -----------------------------------------------------------------------------
    def apply(self, report: TargetReport) -> Track:
        track = self.picture.update(report)
        self.reports += 1
        self._dirty.add(track.number)
        for alert in self.alerts.evaluate(track, report.time):
            self._publish_alert(alert)
        return track

    def ingest(self, report: TargetReport) -> None:
        """A report from an input: straight into the picture when this process keeps it, or
        into ASDE_INPUT for the picture process (which may be at another site). Inputs are
        live: serializing them through the stream within one process would only add latency
        (p50 8 -> 20+ ms at 5,000 reports/s); across processes it is what keeps them."""
        if "picture" in self.config.roles:
            self.apply(report)
        else:
            self._input_buffer.append(report)

    def _publish_alert(self, alert: Alert) -> None:
        self._broadcast({"type": "alert", **alert.to_json()})
        with contextlib.suppress(Exception):
            self.link.send(encode([alert_to_cat004(alert, self.config.system)]))

    def _heartbeat(self) -> bytes:
        record = Record(65, {"I010": {"SAC": self.config.system.sac, "SIC": self.config.system.sic},
                             "I000": {"Typ": 1}, "I015": {"SID": 1},
                             "I030": {"ToD": time_of_day(time.time())}})  # fmt: skip
        return encode([record])

    async def _send_loop(self) -> None:
        """Every period: the updated tracks through the agreement, in one frame to the partner.
        Periods are kept on a fixed schedule, so the work of one does not stretch the next."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due += self.config.send_period_s
            if due < loop.time():  # fell behind (a long stall): start the schedule again
                due = loop.time() + self.config.send_period_s
            await asyncio.sleep(due - loop.time())
            self._choose_agreement()
            # The centre's clock is the wall clock: a report's own time never moves it.
            now = time.time()
            dirty, self._dirty = self._dirty, set()
            states = []
            for ended in self.picture.tick(now):
                self.alerts.track_ended(ended)
                dirty.discard(ended.number)
                # Its last update says it ended (I062/080 TSE): the partner ends it too.
                states.append(state_of(ended, now))
                self._broadcast({"type": "track", **_track_json(ended, "own")})
            for ended in self.partner_picture.tick(now):
                self._broadcast({"type": "track", **_track_json(ended, "partner")})
            for number in dirty:
                track = self.picture.tracks.get(number)
                if track is None or self._encoder is None:
                    continue
                states.append(state_of(track, now))
                self._broadcast({"type": "track", **_track_json(track, "own")})
            try:
                encoded = self._encoder.encode(states) if self._encoder is not None else None
            except Exception:  # the inputs let no such value in; never stop sending
                log.exception("partner %s: updates not encodable", self.config.partner)
                encoded = None
            if encoded is not None:
                self.withheld += encoded.withheld
            if encoded is not None and encoded.sent:
                payload = encoded.payload
                try:
                    if self._js is not None:
                        from asde.bus import publish

                        # The message id makes a re-publication after a crash harmless.
                        key = f"{self.config.name}-{self._run}-{self._batch}"
                        await publish(self._js, f"asde.partner.{self.config.partner}", payload, key)
                    else:
                        self.link.send(payload)
                    self.updates_sent += encoded.sent
                except Exception as error:  # a full buffer: the alarm is the log and status
                    log.error("partner %s: %s", self.config.partner, error)
            if self._js is not None and states:
                from asde.bus import publish

                # The whole picture's updates, before any agreement, for whoever needs them.
                with contextlib.suppress(Exception):
                    picture = self._picture_encoder.encode(states).payload
                    await publish(
                        self._js, f"asde.picture.{self._stream_key}", picture,
                        f"{self.config.name}-{self._run}-pic-{self._batch}",
                    )  # fmt: skip
            self._batch += 1
            # The link state is saved about once a second, not every period: a restart from a
            # slightly older state is safe (the partner's HELLO says where it is), and writing
            # the unacknowledged frames every 10 ms would cost more than the exchange itself.
            if loop.time() - self._saved_at >= 1.0:
                self.save_state()
                self._saved_at = loop.time()

    async def _outbox_loop(self) -> None:
        """The partner stream from JetStream onto the link, on its own: a fetch that finds
        nothing waits a few milliseconds, and confirmations go back as the partner's
        acknowledgements come in."""
        assert self.outbox is not None
        while True:
            try:
                if self.session.full:
                    await asyncio.sleep(0.05)
                else:
                    await self.outbox.pump(batch=200, timeout=0.01)
                await self.outbox.acknowledged(self.session.acknowledged_below)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the server away: JetStream keeps the messages
                log.warning("partner stream: %s", error)
                await asyncio.sleep(1.0)

    def _on_link_event(self, event: Event) -> None:
        if isinstance(event, PeerRestarted):
            log.warning("partner restarted without its state")
        if isinstance(event, Renumbered) and self.outbox is not None:
            self.outbox.renumber(event.numbers)
        if isinstance(event, StateBehind):
            log.warning("our saved link state was behind the partner (%d < %d): numbering "
                        "continues from the partner's", event.was, event.now)  # fmt: skip
        if not isinstance(event, Delivered):
            return
        now = time.time()
        data, pos = event.payload, 0
        while pos < len(data):
            try:
                if data[pos] == 62:  # the picture: straight to reports, a block at a time
                    reports, pos = block_reports(data, pos, now)
                    records: list[Record] = []
                else:
                    records, pos = decode_block(data, pos)
                    reports = []
            except DecodeError as error:
                log.warning("partner sent bad ASTERIX: %s", error)
                return
            for report in reports:
                # The age of the partner's data on arrival: its time of track (I062/070) to
                # now, on clocks both centres keep to UTC.
                self.partner_ages.append(now - report.time)
                track = self.partner_picture.update(report)
                self._broadcast({"type": "track", **_track_json(track, "partner")})
            for record in records:
                if record.category == 4:
                    alert = _partner_alert(record)
                    self.partner_alerts.append(alert)
                    self._broadcast({"type": "alert", "from_partner": True, **alert})

    # -- inputs --------------------------------------------------------------------------------
    async def _replay(self, reports: list[TargetReport], speed: float) -> None:
        offset = time.time() - reports[0].time if reports else 0.0
        for wait, report in replay_times(reports, speed):
            if wait > 0:
                await asyncio.sleep(min(wait, 5.0))
            # Replayed traffic is shown as live: times shifted to now.
            self.ingest(_shifted(report, offset, speed, reports[0].time))

    async def _sbs(self, host: str, port: int) -> None:
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
                        self.ingest(report)
            except OSError as error:
                log.warning("SBS %s:%d: %s", host, port, error)
            await asyncio.sleep(2.0)

    def _asterix(self, data: bytes, origin: str) -> None:
        """ASTERIX data blocks from an input: CAT 062 tracks and CAT 021 ADS-B reports become
        target reports; a bad block is logged and the next one read."""
        for block in iter_reports(data, time.time()):
            if isinstance(block, DecodeError):
                self.input_errors += 1
                log.warning("ASTERIX from %s: %s", origin, block)
                continue
            for report in block:
                self.ingest(report)

    async def _asterix_udp(self, host: str, port: int) -> None:
        centre = self

        class Receiver(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: Any) -> None:
                centre._asterix(data, f"{addr[0]}:{addr[1]}")

        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(Receiver, local_addr=(host, port))

    async def _asterix_tcp(self, host: str, port: int) -> None:
        """A TCP client of an ASTERIX stream: data blocks back to back, each cut at its own
        length field; what is left of a block waits for the next bytes. A length that cannot
        be true (under 3 octets) means the stream is lost: the connection is dropped and made
        again, at a block boundary."""
        while True:
            try:
                reader, writer = await asyncio.open_connection(host, port)
                buffer = bytearray()
                while data := await reader.read(65536):
                    buffer += data
                    end, lost = 0, None
                    while len(buffer) - end >= 3:
                        length = int.from_bytes(buffer[end + 1 : end + 3], "big")
                        if length < 3:
                            lost = length
                            break
                        if len(buffer) - end < length:
                            break
                        end += length
                    if end:  # the complete blocks before anything that went wrong
                        self._asterix(bytes(buffer[:end]), f"{host}:{port}")
                        del buffer[:end]
                    if lost is not None:
                        raise ValueError(f"a data block of length {lost}")
                    await asyncio.sleep(0)
                writer.close()
            except (OSError, ValueError) as error:
                self.input_errors += 1
                log.warning("ASTERIX TCP %s:%d: %s", host, port, error)
            await asyncio.sleep(2.0)

    # -- links ---------------------------------------------------------------------------------
    async def _listen(self, name: str, host: str, port: int) -> None:
        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.link.attach(name, reader, writer)

        self._servers.append(await asyncio.start_server(accept, host, port))

    async def _dial(self, name: str, host: str, port: int) -> None:
        while True:
            if name not in self.link.writers:
                with contextlib.suppress(OSError):
                    reader, writer = await asyncio.open_connection(host, port)
                    self.link.attach(name, reader, writer)
            await asyncio.sleep(0.5)

    # -- run -------------------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        picture = "picture" in self.config.roles
        if picture:
            for spec in self.config.listen:
                await self._listen(spec["name"], spec.get("host", "127.0.0.1"), int(spec["port"]))
            for spec in self.config.connect:
                self._tasks.append(
                    loop.create_task(self._dial(spec["name"], spec["host"], int(spec["port"])))
                )
        if self.config.nats_url:
            from asde.bus import PartnerOutbox, connect

            self._nats, self._js = await connect(self.config.nats_url)
            system = self.config.system
            if picture:
                self.outbox = PartnerOutbox(
                    self._js, self.config.partner, send=self.link.send,
                    durable=f"link-{system.sac}-{system.sic}",
                    ack_wait_s=self.config.nats_ack_wait_s,
                )  # fmt: skip
                await self.outbox.start()
                self._tasks.append(loop.create_task(self._outbox_loop()))
                self._tasks.append(loop.create_task(self._input_consumer()))
            if "ingest" in self.config.roles:
                self._tasks.append(loop.create_task(self._input_publisher()))
        if "ingest" in self.config.roles:
            await self._start_inputs(loop)
        if picture:
            self._tasks.append(loop.create_task(self._send_loop()))
        self._runner = web.AppRunner(build_app(self))
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.http_host, self.config.http_port)
        await site.start()

    async def _start_inputs(self, loop: asyncio.AbstractEventLoop) -> None:
        for spec in self.config.inputs:
            kind = spec["type"]
            if kind == "scenario":
                reports = simulate(load_scenario(Path(spec["file"])))
                self._tasks.append(
                    loop.create_task(self._replay(reports, float(spec.get("speed", 1))))
                )
            elif kind == "replay":
                reports = list(read_states(Path(spec["file"])))
                self._tasks.append(
                    loop.create_task(self._replay(reports, float(spec.get("speed", 1))))
                )
            elif kind == "sbs":
                self._tasks.append(loop.create_task(self._sbs(spec["host"], int(spec["port"]))))
            elif kind == "asterix-udp":
                await self._asterix_udp(spec.get("host", "127.0.0.1"), int(spec["port"]))
            elif kind == "asterix-tcp":
                self._tasks.append(
                    loop.create_task(self._asterix_tcp(spec["host"], int(spec["port"])))
                )

    @property
    def _stream_key(self) -> str:
        return f"{self.config.system.sac}-{self.config.system.sic}"

    async def _input_publisher(self) -> None:
        """Every 10 ms, what the inputs gave, as one ASDE_INPUT message; the message id makes a
        publication that is retried after a lost acknowledgement count once."""
        from asde.bus import publish

        number = 0
        while True:
            await asyncio.sleep(0.01)
            if not self._input_buffer:
                continue
            # A copy: inputs go on arriving meanwhile. A retry sends this same batch again under
            # the same id: a batch that had grown meanwhile would be taken by JetStream for the
            # duplicate of the first attempt (when that one was stored) and its new reports lost.
            batch = list(self._input_buffer)
            payload = json.dumps([report_to_row(r) for r in batch]).encode()
            message_id = f"{self.config.name}-{self._run}-in-{number}"
            while True:
                try:
                    await publish(self._js, f"asde.input.{self._stream_key}", payload, message_id)
                    break
                except Exception as error:  # the server away: keep the reports, try again
                    log.warning("input stream: %s", error)
                    await asyncio.sleep(0.5)
            del self._input_buffer[: len(batch)]
            self.inputs_published += len(batch)
            number += 1

    async def _input_consumer(self) -> None:
        """The picture takes its reports from ASDE_INPUT and confirms each message only after
        applying it: a picture process that dies leaves the rest to the next one."""
        import nats
        from nats.js.api import ConsumerConfig

        subscription = await self._js.pull_subscribe(
            f"asde.input.{self._stream_key}", durable=f"picture-{self._stream_key}",
            stream="ASDE_INPUT", config=ConsumerConfig(ack_wait=self.config.nats_ack_wait_s),
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
                    self.apply(report)
                self.inputs_consumed += len(reports)
                await message.ack()

    async def stop(self) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(None)  # end the event streams, or the HTTP shutdown waits on them
        for task in self._tasks:
            task.cancel()
        await self.link.close()
        for server in self._servers:
            server.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._nats is not None:
            await self._nats.close()
        self.save_state()

    # -- updates stream --------------------------------------------------------------------------
    def _broadcast(self, message: dict[str, Any]) -> None:
        if not self._subscribers:
            return
        text = json.dumps(message)
        for queue in list(self._subscribers):
            if queue.qsize() < 1000:
                queue.put_nowait(text)

    def status(self) -> dict[str, Any]:
        session = self.session
        return {
            "centre": self.config.name,
            "uptime_s": round(time.time() - self.started, 1),
            "reports": self.reports,
            "tracks": len(self.picture),
            "partner_tracks": len(self.partner_picture),
            "updates_sent": self.updates_sent,
            "withheld": self.withheld,
            "input_errors": self.input_errors,
            "roles": list(self.config.roles),
            "streams": {"inputs_published": self.inputs_published,
                        "inputs_consumed": self.inputs_consumed} if self._js is not None else None,
            "partner_age_ms": _percentiles(self.partner_ages),
            "agreement": None if self.agreement is None else
                {"name": self.agreement.name, "version": self.agreement.version},
            "links": {
                "active": session.active,
                "connections": sorted(self.link.writers),
                "unacknowledged": session.unacknowledged,
                "buffer_full": session.full,
                "switchovers_s": [round(s, 4) for s in self.link.switchovers],
                "round_trip_ms": self.link.latency_ms(),
                "counters": vars(session.counters),
            },
        }  # fmt: skip


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


def _percentiles(values: deque[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p99": None, "max": None}
    ordered = sorted(values)
    return {
        "p50": round(ordered[len(ordered) // 2] * 1000, 1),
        "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def _shifted(report: TargetReport, offset: float, speed: float, origin: float) -> TargetReport:
    return replace(report, time=origin + offset + (report.time - origin) / max(speed, 1e-9))


def _track_json(track: Track, picture: str) -> dict[str, Any]:
    return {
        "picture": picture, "track": track.number, "hex": track.address, "flight": track.callsign,
        "squawk": track.squawk, "lat": track.lat, "lon": track.lon, "alt_ft": track.altitude_ft,
        "gs": track.ground_speed_kt, "track_deg": track.track_deg, "status": str(track.status),
        "emergency": track.emergency, "time": round(track.last_update, 3),
        "trail": [[p.lat, p.lon] for p in list(track.history)[-20:]],
    }  # fmt: skip


def _partner_alert(record: Record) -> dict[str, Any]:
    kind = record.get("I000", {}).get("MessageType")
    out: dict[str, Any] = {"track": record.get("I030", {}).get("TrkN"), "message_type": kind}
    if kind == 5:
        out["rule"] = "restricted_area"
        out["evidence"] = {"area": record.get("I100", {}).get("CANP", {}).get("CAN", "").strip()}
    elif "SP" in record.items:
        with contextlib.suppress(ValueError):
            out.update(json.loads(bytes(record["SP"]).decode()))
    return out


def aircraft_json(centre: Centre, picture: str = "own") -> dict[str, Any]:
    """The picture in readsb's aircraft.json format, for tar1090 and other readsb clients."""
    source = centre.picture if picture == "own" else centre.partner_picture
    now = time.time()
    aircraft = []
    for track in source:
        if track.lat is None or track.lon is None:
            continue
        aircraft.append({
            "hex": (track.address or f"~{track.number:06x}").lower(), "flight": track.callsign,
            "lat": track.lat, "lon": track.lon, "alt_baro": track.altitude_ft, "gs": track.ground_speed_kt,
            "track": track.track_deg, "squawk": track.squawk,
            "emergency": "general" if track.emergency else "none",
            "seen": round(max(0.0, source.now - track.last_update), 1), "type": "other",
        })  # fmt: skip
    return {"now": now, "messages": centre.reports, "aircraft": aircraft}


def build_app(centre: Centre) -> web.Application:
    @web.middleware
    async def cors(request: web.Request, handler: Any) -> web.StreamResponse:
        """The live map in the platform reads this API from another origin (loopback demo)."""
        if request.method == "OPTIONS":
            response: web.StreamResponse = web.Response()
        else:
            response = await handler(request)
        if response.prepared:  # a stream: its headers are already sent
            return response
        response.headers["Access-Control-Allow-Origin"] = centre.config.allow_origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        return response

    app = web.Application(middlewares=[cors])

    async def status(request: web.Request) -> web.Response:
        return web.json_response(centre.status())

    async def links(request: web.Request) -> web.Response:
        return web.json_response(centre.status()["links"])

    async def tracks(request: web.Request) -> web.Response:
        which = request.query.get("picture", "own")
        source = centre.picture if which == "own" else centre.partner_picture
        return web.json_response([_track_json(t, which) for t in source])

    async def aircraft(request: web.Request) -> web.Response:
        return web.json_response(aircraft_json(centre, request.query.get("picture", "own")))

    async def alerts(request: web.Request) -> web.Response:
        return web.json_response({"own": [a.to_json() for a in centre.alerts.history[-500:]],
                                  "partner": centre.partner_alerts[-500:]})  # fmt: skip

    async def acknowledge(request: web.Request) -> web.Response:
        try:
            alert = centre.alerts.acknowledge(int(request.match_info["number"]))
        except (KeyError, ValueError):
            raise web.HTTPNotFound(text="no such alert") from None
        return web.json_response(alert.to_json())

    async def escalate(request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.text())  # text/plain avoids a CORS preflight
            level = RenegadeLevel[str(body["level"]).upper()]
            alert = centre.alerts.escalate(int(request.match_info["track"]), level)
        except (KeyError, ValueError, json.JSONDecodeError) as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        centre._publish_alert(alert)  # the new level goes to the partner too
        return web.json_response(alert.to_json())

    async def agreements(request: web.Request) -> web.Response:
        return web.json_response([
            {"partner": a.partner, "version": a.version, "name": a.name,
             "valid_from": a.valid_from.isoformat(),
             "valid_to": a.valid_to.isoformat() if a.valid_to else None,
             "in_force": a is centre.agreement, "remove_items": list(a.remove_items)}
            for a in centre.config.agreements
        ])  # fmt: skip

    async def events(request: web.Request) -> web.StreamResponse:
        # Headers go out with prepare(): the CORS header cannot wait for the middleware.
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
            "Access-Control-Allow-Origin": centre.config.allow_origin,
        })  # fmt: skip
        await response.prepare(request)
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        centre._subscribers.add(queue)
        try:
            while True:
                text = await queue.get()
                if text is None:  # the centre is stopping
                    break
                await response.write(f"data: {text}\n\n".encode())
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            centre._subscribers.discard(queue)
        return response

    app.router.add_get("/status", status)
    app.router.add_route("OPTIONS", "/{tail:.*}", status)
    app.router.add_get("/links", links)
    app.router.add_get("/tracks", tracks)
    app.router.add_get("/data/aircraft.json", aircraft)
    app.router.add_get("/alerts", alerts)
    app.router.add_post("/alerts/{number}/acknowledge", acknowledge)
    app.router.add_post("/tracks/{track}/renegade", escalate)
    app.router.add_get("/agreements", agreements)
    app.router.add_get("/events", events)
    return app


async def run_forever(config: ServiceConfig) -> None:
    centre = Centre(config)
    await centre.start()
    # The picture is many small long-lived objects: Python's full (generation 2) collections
    # walk them all and stalled the loop for 50-100 ms (the tail of the partner latency).
    # What exists at start is frozen out of collection, and full collections come less often;
    # the tracks' own structures hold no reference cycles.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    log.warning("%s serving on http://%s:%d", config.name, config.http_host, config.http_port)
    try:
        await asyncio.Event().wait()
    finally:
        await centre.stop()
