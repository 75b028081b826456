"""The centre: one air operations centre's picture, its partner's, the alerts, and the send
loop that gives the partner, every period, the updated tracks the agreement in force
releases. Inputs (inputs/feeds.py), JetStream roles (streams.py) and the HTTP API (http.py)
are beside it; the configuration is config.py."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import ssl
import time
from collections import deque
from typing import Any

from aiohttp import web

from asde import http, streams, tls
from asde.agreements import Agreement, CompiledFilter, Withheld, in_force
from asde.alerts import (
    Actor,
    Alert,
    AlertEngine,
    AlertEventKind,
    PartnerAlerts,
    RenegadeLevel,
    alert_to_cat004,
)
from asde.asterix import DecodeError, Record, decode_block, encode
from asde.batch import TrackEncoder, block_reports, state_of
from asde.config import ServiceConfig
from asde.convert import time_of_day
from asde.inputs import feeds
from asde.inputs.health import InputHealth
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
from asde.reports import TargetReport

log = logging.getLogger("asde")
# How long one attempt to dial the partner may take (TCP and TLS): then the next one.
LINK_CONNECT_TIMEOUT_S = 2.0


class Centre:
    """The running service of one air operations centre."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.picture = AirPicture(PictureSettings(max_tracks=config.max_tracks))
        self.partner_picture = AirPicture(
            PictureSettings(max_tracks=config.max_tracks, system_tracks=True)
        )
        self._evictions_logged = {"own": 0, "partner": 0}
        self.partner_errors = 0  # partner data that could not be applied (logged)
        self.events_resyncs = 0  # event-stream clients told to start again from a snapshot
        self.alerts = AlertEngine(config.alert_settings)
        self.partner_alerts = PartnerAlerts(self.alerts)
        # Alerts whose raising went to the partner: their later events follow.
        self._partner_has: set[int] = set()
        self.alert_counters: dict[str, int] = {"sent": 0, "refused": 0, "bad_from_partner": 0}
        # Alert messages the agreement held back, per reason (outside_area, military, ...).
        self.alerts_withheld: dict[str, int] = {}
        self.http_counters = http.HttpCounters()
        # Link connections refused: a failed TLS handshake (no certificate, another CA's, an
        # expired one, plaintext), or a good certificate that is not the partner's.
        self.link_refusals = {"tls_handshake": 0, "wrong_peer": 0}
        self.last_refusal: dict[str, Any] | None = None
        self.partner_ages: deque[float] = deque(maxlen=20_000)
        self.session = self._load_session()
        self.link = LinkEndpoint(self.session, self._on_link_event, heartbeat=self._heartbeat,
                                 silence_s=config.silence_s)  # fmt: skip
        self._dirty: set[int] = set()
        self.batch = 0
        self.input_buffer: list[TargetReport] = []
        self.inputs_published = 0
        self.inputs: dict[str, InputHealth] = {}
        self.window = config.time_window
        self.partner_health = InputHealth(f"partner {config.partner}")
        self.inputs_consumed = 0
        self._saved_at = 0.0
        # Message ids are unique per run: a restarted process numbers its batches from 0 again,
        # and JetStream would otherwise drop them as duplicates of the previous run's.
        self.run_id = secrets.token_hex(6)
        self.subscribers: set[asyncio.Queue[str | None]] = set()
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
        # Periods waiting for ASDE_PARTNER (message id, payload), and what became of them.
        self.partner_unpublished: deque[tuple[str, bytes]] = deque()
        self.partner_queued = asyncio.Event()
        self.partner_publish_retries = 0
        self.partner_publish_dropped = 0
        self.js: Any = None
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
            self._alert_changed(alert)
        for alert in self.alerts.take_cleared():
            self._alert_changed(alert)
        return track

    def input_health(self, name: str) -> InputHealth:
        """The counters of the input of that name (made on first use)."""
        health = self.inputs.get(name)
        if health is None:
            health = self.inputs[name] = InputHealth(name)
        return health

    @property
    def input_errors(self) -> int:
        return sum(sum(h.errors.values()) for h in self.inputs.values())

    def ingest(self, report: TargetReport, health: InputHealth) -> None:
        """A report from an input: straight into the picture when this process keeps it, or
        into ASDE_INPUT for the picture process (which may be at another site). Inputs are
        live: serializing them through the stream within one process would only add latency
        (p50 8 -> 20+ ms at 5,000 reports/s); across processes it is what keeps them.
        A report whose time is outside the centre's window around now is refused here."""
        reason = self.window.refusal(report.time, time.time())
        if reason is not None:
            health.refuse(reason, f"time {_utc(report.time)}")
            return
        health.reports += 1
        if "picture" in self.config.roles:
            self.apply(report)
        else:
            self.input_buffer.append(report)

    # -- alerts -------------------------------------------------------------------------------
    def _alert_changed(self, alert: Alert) -> None:
        """An own alert was raised, acknowledged, escalated or cleared: the map is told, and
        the partner."""
        self._broadcast({"type": "alert", **alert.to_json()})
        self._tell_partner(alert)

    def _tell_partner(self, alert: Alert) -> None:
        """The alert's last event to the partner, when the agreement allows: a raising or an
        escalation goes only if the agreement in force releases the track at that moment;
        an acknowledgement or the end goes when the partner has the alert. What is held
        back is counted per reason; a send the link refuses is counted and logged."""
        last = alert.history[-1].event if alert.history else AlertEventKind.RAISED
        has = alert.number in self._partner_has
        if last in (AlertEventKind.ACKNOWLEDGED, AlertEventKind.CLEARED) and not has:
            return  # the partner never had this alert: there is nothing to update there
        if last in (AlertEventKind.RAISED, AlertEventKind.ESCALATED) or not has:
            reason = self._alert_withheld(alert)
            if reason is not None:
                self.alerts_withheld[reason] = self.alerts_withheld.get(reason, 0) + 1
                log.info("partner %s: alert %d (%s, track %d) withheld: %s", self.config.partner,
                         alert.number, alert.rule, alert.track, reason)  # fmt: skip
                return
        try:
            self.link.send(encode([alert_to_cat004(alert, self.config.system)]))
        except Exception as error:  # a full buffer: counted and logged, the alert kept here
            self.alert_counters["refused"] += 1
            log.error("partner %s: alert %d not sent: %s", self.config.partner, alert.number,
                      error)  # fmt: skip
            return
        self.alert_counters["sent"] += 1
        self._partner_has.add(alert.number)

    def _alert_withheld(self, alert: Alert) -> str | None:
        """Why the agreement in force does not release the alert's track now (None: it does)."""
        if self.filter is None:
            return "no_agreement"
        track = self.picture.tracks.get(alert.track)
        if track is None:
            return "track_ended"
        why = self.filter.releases_track(
            lat=track.lat, lon=track.lon, altitude_ft=track.altitude_ft, address=track.address,
            squawk=track.squawk, sources=[str(source) for source in track.source_times],
        )  # fmt: skip
        return None if why == Withheld.RELEASED else why.name.lower()

    def alerts_json(self) -> list[dict[str, Any]]:
        """The recent alerts, own and the partner's copies, oldest first."""
        own = [a.to_json() for a in self.alerts.history[-500:]]
        copies = [self.partner_alerts.to_json(a) for a in self.partner_alerts.alerts[-500:]]
        return sorted(own + copies, key=lambda a: (a["time"], a["number"]))

    def acknowledge(self, number: int, actor: Actor) -> dict[str, Any]:
        """An operator acknowledges an alert: an own one (the partner is told, when it has
        the alert) or the partner's copy (this side's own act)."""
        if self.alerts.find(number) is not None:
            alert = self.alerts.acknowledge(number, by=actor, at=time.time())
            self._broadcast({"type": "alert", **alert.to_json()})
            if number in self._partner_has:
                self._tell_partner(alert)
            return alert.to_json()
        if self.partner_alerts.find(number) is not None:
            alert = self.partner_alerts.acknowledge(number, by=actor, at=time.time())
            view = self.partner_alerts.to_json(alert)
            self._broadcast({"type": "alert", **view})
            return view
        raise http.ActionRefused(404, f"no alert {number}")

    def escalate(self, track: int, level: RenegadeLevel, actor: Actor) -> dict[str, Any]:
        """An operator raises the renegade level of one of this centre's own tracks."""
        try:
            alert = self.alerts.escalate(track, level, by=actor, at=time.time())
        except KeyError:
            raise http.ActionRefused(
                409, f"track {track} of this centre has no active renegade alert"
            ) from None
        except ValueError as error:
            raise http.ActionRefused(409, str(error)) from None
        self._alert_changed(alert)
        return alert.to_json()

    def _partner_alert(self, record: Record, now: float) -> None:
        try:
            alert = self.partner_alerts.receive(record, now)
        except ValueError as error:
            self.alert_counters["bad_from_partner"] += 1
            log.warning("partner %s: an alert message left out: %s", self.config.partner, error)
            return
        # The partner names its own track (I004/030): the alert names it as this centre's
        # partner picture holds it, under the number the controllers here see on the map.
        source = record.get("I010") or {}
        theirs = record.get("I030", {}).get("TrkN")
        if theirs is not None and source:
            local = self.partner_picture.number_of((source["SAC"], source["SIC"]), theirs)
            if local is not None:
                alert.track = local
        self._broadcast({"type": "alert", **self.partner_alerts.to_json(alert)})

    def snapshot(self) -> dict[str, Any]:
        """What a new subscriber of the updates stream starts from."""
        return {
            "type": "snapshot",
            "tracks": [http.track_json(t, "own") for t in self.picture]
            + [http.track_json(t, "partner") for t in self.partner_picture],
            "alerts": self.alerts_json(),
            "link": self.link_status(),
        }

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
                self.alerts.track_ended(ended, now)
                # Its last update says it ended (I062/080 TSE): the partner ends it too.
                states.append(state_of(ended, now))
                self._broadcast({"type": "track", **http.track_json(ended, "own")})
            for ended in self.partner_picture.tick(now):
                self._broadcast({"type": "track", **http.track_json(ended, "partner")})
            for alert in self.alerts.take_cleared():
                self._alert_changed(alert)
            self._log_evictions()
            for number in dirty:
                track = self.picture.tracks.get(number)
                if track is None or self._encoder is None:
                    continue
                states.append(state_of(track, now))
                if self.subscribers:  # the event's dict (a 20-point trail) only for listeners
                    self._broadcast({"type": "track", **http.track_json(track, "own")})
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
                    if self.js is not None:
                        streams.queue_partner(self, payload)
                        self.partner_queued.set()
                    else:
                        self.link.send(payload)
                    self.updates_sent += encoded.sent
                except Exception as error:  # a full buffer: the alarm is the log and status
                    log.error("partner %s: %s", self.config.partner, error)
            if self.js is not None and states:
                # Best effort and short: with the server away the send loop must not wait out
                # a publish timeout every period (the partner's periods are queued, not these).
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        streams.publish_picture(self, self._picture_encoder.encode(states).payload),
                        0.25,
                    )
            self.batch += 1
            # The link state is saved about once a second, not every period: a restart from a
            # slightly older state is safe (the partner's HELLO says where it is), and writing
            # the unacknowledged frames every 10 ms would cost more than the exchange itself.
            if loop.time() - self._saved_at >= 1.0:
                self.save_state()
                self._saved_at = loop.time()

    def _log_evictions(self) -> None:
        """Once a period at most: a full picture ends tracks on every new one."""
        for name, picture in (("own", self.picture), ("partner", self.partner_picture)):
            new = picture.evicted - self._evictions_logged[name]
            if new:
                log.warning("%s picture full (%d tracks): %d ended to make room (silent longest, "
                            "coasting first)", name, picture.settings.max_tracks, new)  # fmt: skip
                self._evictions_logged[name] = picture.evicted

    def _on_link_event(self, event: Event) -> None:
        """Runs inside the link's reader: whatever goes wrong with the partner's data is
        counted and logged here, and the link goes on reading."""
        try:
            self._on_partner_event(event)
        except Exception:
            self.partner_errors += 1
            log.exception("partner %s: data not applied", self.config.partner)

    def _on_partner_event(self, event: Event) -> None:
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
                reason = self.window.refusal(report.time, now)
                if reason == "too_old" and report.ended:
                    # The end of a track comes with its last time of track, a minute old by
                    # design: it is news of now, not a stale update.
                    reason = None
                if reason is not None:
                    self.partner_health.refuse(reason, f"time of track {_utc(report.time)}")
                    continue
                self.partner_health.reports += 1
                # The age of the partner's data on arrival: its time of track (I062/070) to
                # now, on clocks both centres keep to UTC.
                self.partner_ages.append(now - report.time)
                track = self.partner_picture.update(report)
                if self.partner_picture.tracks.get(track.number, track) is not track:
                    continue  # the end of a track never held here: its number is another's
                if self.subscribers:
                    self._broadcast({"type": "track", **http.track_json(track, "partner")})
            for record in records:
                if record.category == 4:
                    self._partner_alert(record, now)

    # -- links ---------------------------------------------------------------------------------
    async def _listen(self, name: str, host: str, port: int) -> None:
        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            credentials = self.config.link_credentials
            if credentials is not None:
                peer = writer.get_extra_info("peername")
                try:
                    await writer.start_tls(
                        credentials.server, ssl_handshake_timeout=tls.HANDSHAKE_TIMEOUT_S
                    )
                except (OSError, TimeoutError, ValueError) as error:
                    self._refuse_peer(name, peer, "tls_handshake", f"TLS handshake failed: {error}")
                    writer.transport.abort()
                    return
                if not self._authenticated(name, peer, writer):
                    return
            # Only now, authenticated, may it take the place of a connection of this name.
            self.link.attach(name, reader, writer)

        self._servers.append(await asyncio.start_server(accept, host, port))

    def _authenticated(self, name: str, peer: Any, writer: asyncio.StreamWriter) -> bool:
        """The peer's certificate (verified by TLS against the partner's CA) is the partner's;
        otherwise the connection is cut before anything is sent on it."""
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        refusal = self.config.link_credentials.refusal(der)
        if refusal is None:
            return True
        self._refuse_peer(name, peer, "wrong_peer", refusal)
        writer.transport.abort()
        return False

    def _refuse_peer(self, name: str, peer: Any, kind: str, reason: str) -> None:
        self.link_refusals[kind] += 1
        self.last_refusal = {"connection": name, "peer": str(peer), "reason": reason,
                             "at": time.time()}  # fmt: skip
        log.warning("link %s: refused %s: %s", name, peer, reason)

    async def _dial(self, name: str, host: str, port: int) -> None:
        credentials = self.config.link_credentials
        while True:
            if name not in self.link.writers:
                try:
                    # A connect timeout: a line that swallows SYNs would otherwise hold the
                    # attempt for the kernel's back-off (5 s and more after it came back).
                    if credentials is None:
                        opening = asyncio.open_connection(host, port)
                    else:
                        opening = asyncio.open_connection(
                            host, port, ssl=credentials.client, server_hostname=host,
                            ssl_handshake_timeout=tls.HANDSHAKE_TIMEOUT_S,
                        )  # fmt: skip
                    reader, writer = await asyncio.wait_for(opening, LINK_CONNECT_TIMEOUT_S)
                except ssl.SSLError as error:
                    self._refuse_peer(name, (host, port), "tls_handshake",
                                      f"TLS handshake failed: {error}")  # fmt: skip
                except (OSError, TimeoutError):
                    pass  # the partner is not there (yet): tried again
                else:
                    if credentials is None or self._authenticated(name, (host, port), writer):
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

            self._nats, self.js = await connect(self.config.nats_url)
            system = self.config.system
            if picture:
                state = self.config.state_file
                self.outbox = PartnerOutbox(
                    self.js, self.config.partner, send=self.link.send,
                    durable=f"link-{system.sac}-{system.sic}",
                    ack_wait_s=self.config.nats_ack_wait_s,
                    state_path=state.with_suffix(".outbox.json") if state else None,
                )  # fmt: skip
                await self.outbox.start()
                self._tasks.append(loop.create_task(streams.outbox_loop(self)))
                self._tasks.append(loop.create_task(streams.partner_publisher(self)))
                self._tasks.append(loop.create_task(streams.input_consumer(self)))
            if "ingest" in self.config.roles:
                self._tasks.append(loop.create_task(streams.input_publisher(self)))
        if "ingest" in self.config.roles:
            await feeds.start_inputs(self, self.config.inputs, self._tasks)
        if picture:
            self._tasks.append(loop.create_task(self._send_loop()))
        self._runner = web.AppRunner(http.build_app(self))
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.http_host, self.config.http_port)
        await site.start()

    async def stop(self) -> None:
        for queue in list(self.subscribers):
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
        if not self.subscribers:
            return
        text = json.dumps(message)
        for queue in list(self.subscribers):
            if queue.qsize() < http.EVENTS_BEHIND:
                queue.put_nowait(text)
            elif queue.qsize() == http.EVENTS_BEHIND:
                # A client this far behind gets no more single changes: what it has not read
                # is dropped, and it is told to start again from a snapshot (taken when it
                # gets there), never left with a silent gap.
                while not queue.empty():
                    if queue.get_nowait() is None:
                        queue.put_nowait(None)  # the centre stopping: that stays
                        break
                queue.put_nowait(http.RESYNC)
                self.events_resyncs += 1

    def status(self) -> dict[str, Any]:
        return {
            "centre": self.config.name,
            "uptime_s": round(time.time() - self.started, 1),
            "reports": self.reports,
            "tracks": len(self.picture),
            "partner_tracks": len(self.partner_picture),
            "updates_sent": self.updates_sent,
            "withheld": self.withheld,
            "picture": {"max_tracks": self.config.max_tracks,
                        "evicted": {"own": self.picture.evicted,
                                    "partner": self.partner_picture.evicted}},
            "partner_errors": self.partner_errors,
            "events_resyncs": self.events_resyncs,
            "input_errors": self.input_errors,
            "inputs": {name: health.to_json() for name, health in self.inputs.items()},
            "partner_reports": self.partner_health.to_json(),
            "roles": list(self.config.roles),
            "streams": {"inputs_published": self.inputs_published,
                        "inputs_consumed": self.inputs_consumed,
                        "partner_unpublished": len(self.partner_unpublished),
                        "partner_publish_retries": self.partner_publish_retries,
                        "partner_publish_dropped": self.partner_publish_dropped,
                        "partner_redelivered": self.outbox.redelivered if self.outbox else 0,
                        } if self.js is not None else None,
            "partner_age_ms": percentiles(self.partner_ages),
            "agreement": None if self.agreement is None else
                {"name": self.agreement.name, "version": self.agreement.version},
            "alerts": {**self.alert_counters, "withheld": dict(self.alerts_withheld)},
            "http": vars(self.http_counters),
            "links": self.link_status(),
        }  # fmt: skip

    def link_status(self) -> dict[str, Any]:
        session = self.session
        return {
            "partner": self.config.partner,
            "active": session.active,
            "connections": sorted(self.link.writers),
            "unacknowledged": session.unacknowledged,
            "buffer_full": session.full,
            "switchovers_s": [round(s, 4) for s in self.link.switchovers],
            "round_trip_ms": self.link.latency_ms(),
            "counters": vars(session.counters),
            "tls": self.config.link_credentials is not None,
            "refused": dict(self.link_refusals),
            "last_refusal": self.last_refusal,
            "paused": self.link.pauses,
        }


def _utc(t: float) -> str:
    try:
        return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return repr(t)


def percentiles(values: deque[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p99": None, "max": None}
    ordered = sorted(values)
    return {
        "p50": round(ordered[len(ordered) // 2] * 1000, 1),
        "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }
