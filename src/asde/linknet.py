"""The asyncio side of a partner link: TCP connections around one `PartnerSession`.

It only moves bytes: each connection's reader feeds the session, and after every event the
session's pending bytes are written to their connections. It honours back-pressure as
websockets' connection does: once a connection's transport holds more than its high-water
mark (the transport has called pause_writing), nothing more is taken from the session for it
until `drain` returns; the session keeps the frames (its bounded buffer then refuses new data
rather than memory growing under a slow peer). A connection that sends garbage is
answered (by the session) and closed; one that stays silent longer than `silence_s` is closed
too; the session then carries on over the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from asde.links import Event, LinkError, PartnerSession, RemoteProtocolError, Renumbered

log = logging.getLogger(__name__)

# The most written to a connection at once (a big resend is cut into such pieces).
WRITE_CHUNK = 256 * 1024


class LinkEndpoint:
    def __init__(
        self,
        session: PartnerSession,
        on_event: Callable[[Event], None],
        *,
        silence_s: float = 1.0,
        heartbeat_s: float = 0.25,
        heartbeat: Callable[[], bytes] | None = None,
    ) -> None:
        self.session = session
        self.on_event = on_event
        self.silence_s = silence_s
        self.heartbeat_s = heartbeat_s
        self.heartbeat = heartbeat or (lambda: b"")
        self.writers: dict[str, asyncio.StreamWriter] = {}
        self.last_heard: dict[str, float] = {}
        self.switchovers: list[float] = []  # seconds from a connection's loss to resent data
        self._sent_at: dict[int, float] = {}
        self.round_trips: deque[float] = deque(maxlen=2000)  # send -> partner's acknowledgement
        self._tasks: set[asyncio.Task[None]] = set()
        self._ticker: asyncio.Task[None] | None = None
        # Connections waiting for their transport to drain (the writer: a connection of the
        # same name that replaced it is not the one paused).
        self._paused: dict[str, asyncio.StreamWriter] = {}
        self.pauses = 0

    # -- connections -------------------------------------------------------------------------
    def attach(self, name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if name in self.writers:
            self._close(name, "replaced by a new connection")
        self.writers[name] = writer
        self.last_heard[name] = time.monotonic()
        self.session.connect(name)
        self.flush()
        self._spawn(self._read(name, reader))
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _read(self, name: str, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                self.last_heard[name] = time.monotonic()
                try:
                    self.session.receive_data(name, data)
                except RemoteProtocolError as error:
                    log.warning("link %s: %s", name, error)
                    self.flush()  # the ERROR answer goes out before the close
                    break
                for event in self.session.events_received():
                    if isinstance(event, Renumbered):
                        self._sent_at = {
                            event.numbers.get(s, s): t for s, t in self._sent_at.items()
                        }
                    self.on_event(event)
                self._note_acks()
                self.flush()
        except (OSError, LinkError) as error:  # OSError: ssl.SSLError (a TLS alert) too
            log.warning("link %s failed: %s", name, error)
        finally:
            self._close(name, "closed")

    def _close(self, name: str, reason: str) -> None:
        writer = self.writers.pop(name, None)
        if writer is None:
            return
        self._paused.pop(name, None)
        was_active = self.session.active == name
        started = time.monotonic()
        self.session.disconnect(name)
        with contextlib.suppress(Exception):
            writer.close()
        log.info("link %s %s; active now %s", name, reason, self.session.active)
        if was_active and self.session.active is not None:
            self.flush()
            self.switchovers.append(time.monotonic() - started)

    def abort(self, name: str) -> None:
        """Cut a connection hard (what a failing line does); used by tests and operators."""
        writer = self.writers.get(name)
        if writer is not None:
            writer.transport.abort()
            self._close(name, "aborted")

    # -- sending -------------------------------------------------------------------------------
    def send(self, payload: bytes) -> int:
        sequence = self.session.send(payload)
        self._sent_at[sequence] = time.monotonic()
        self.flush()
        return sequence

    def _note_acks(self) -> None:
        below = self.session.acknowledged_below
        now = time.monotonic()
        for sequence in [s for s in self._sent_at if s < below]:
            self.round_trips.append(now - self._sent_at.pop(sequence))

    def latency_ms(self) -> dict[str, float | None]:
        """Median and 99th percentile of the last round trips (send to acknowledgement)."""
        if not self.round_trips:
            return {"p50": None, "p99": None}
        ordered = sorted(self.round_trips)
        return {
            "p50": round(ordered[len(ordered) // 2] * 1000, 2),
            "p99": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 2),
        }

    def flush(self) -> None:
        for name, writer in list(self.writers.items()):
            if name in self._paused:
                continue
            transport = writer.transport
            high = transport.get_write_buffer_limits()[1]
            # Written a chunk at a time while the transport takes it: what it would only
            # buffer stays in the session.
            while data := self.session.data_to_send(name, max(high, WRITE_CHUNK)):
                try:
                    writer.write(data)
                except (ConnectionError, RuntimeError):
                    self._close(name, "write failed")
                    break
                if transport.get_write_buffer_size() > high:
                    self._paused[name] = writer
                    self.pauses += 1
                    self._spawn(self._resume(name, writer))
                    break

    async def _resume(self, name: str, writer: asyncio.StreamWriter) -> None:
        """Waits until the paused connection's transport has drained, then sends on."""
        try:
            await writer.drain()
        except (OSError, RuntimeError):
            pass  # the reader notices the broken connection and closes it
        finally:
            if self._paused.get(name) is writer:
                del self._paused[name]
        if self.writers.get(name) is writer:
            self.flush()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        for writer in list(self.writers.values()):
            with contextlib.suppress(ConnectionError):
                await writer.drain()

    async def _tick(self) -> None:
        """Heartbeats out; silent connections closed."""
        while True:
            await asyncio.sleep(self.heartbeat_s)
            now = time.monotonic()
            for name in list(self.writers):
                if now - self.last_heard.get(name, now) > self.silence_s:
                    self._close(name, f"silent for more than {self.silence_s} s")
            beat = self.heartbeat()
            if beat:
                self.session.send_heartbeat(beat)
            self.flush()

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        for name in list(self.writers):
            self._close(name, "shut down")
        for task in list(self._tasks):
            task.cancel()
