"""Streams between ASDE processes: NATS JetStream when one machine is not enough.

Three durable streams, each with message-ID deduplication (the `Nats-Msg-Id` header), so that a
producer that publishes again after a crash does not double anything:

  ASDE_INPUT    asde.input.<source>      target reports from the inputs
  ASDE_PICTURE  asde.picture.<centre>    the centre's CAT 062 picture
  ASDE_PARTNER  asde.partner.<partner>   what goes to each partner, agreement already applied

`PartnerOutbox` moves the partner stream onto a link: a message is acknowledged to JetStream only
when the partner has acknowledged its sequence number, so a process killed in between leaves the
message unacknowledged and JetStream delivers it again to whichever process takes over.

A message JetStream delivers again (the partner away longer than `ack_wait_s`, a restart) keeps
the link sequence it was first sent under: the outbox keys what it sent by the message's stream
sequence, does not send it twice, and keeps that key beside the link state (`state_path`), so
that a restarted process knows it too; the link resends what the partner has not acknowledged,
and the partner's sequence check drops what it already has.
"""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from nats.js import JetStreamContext
from nats.js.api import (
    ConsumerConfig,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

STREAMS = {
    "ASDE_INPUT": ["asde.input.>"],
    "ASDE_PICTURE": ["asde.picture.>"],
    "ASDE_PARTNER": ["asde.partner.>"],
}
DUPLICATE_WINDOW_S = 120.0
log = logging.getLogger("asde")
# Stream sequences remembered with their link sequence after the partner acknowledged them: a
# JetStream acknowledgement lost with a server restart makes JetStream deliver the message again.
REMEMBERED = 20_000


async def _connection_error(error: Exception) -> None:
    # One line, not the client's default traceback: a server away is expected, and its
    # reconnection attempts would fill the log with stacks.
    log.warning("nats: %s", str(error) or type(error).__name__)


async def _disconnected() -> None:
    log.warning("nats: disconnected; reconnecting")


async def _reconnected() -> None:
    log.warning("nats: reconnected")


async def connect(url: str) -> tuple[Any, JetStreamContext]:
    """A connection and its JetStream context, with the three streams in place."""
    client = await nats.connect(
        url, connect_timeout=5, max_reconnect_attempts=-1, reconnect_time_wait=0.5,
        error_cb=_connection_error, disconnected_cb=_disconnected, reconnected_cb=_reconnected,
    )  # fmt: skip
    js = client.jetstream()
    for name, subjects in STREAMS.items():
        config = StreamConfig(
            name=name,
            subjects=subjects,
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            duplicate_window=DUPLICATE_WINDOW_S,
            max_msgs=10_000_000,
        )
        try:
            await js.add_stream(config)
        except Exception:  # exists already (perhaps from another process): keep it
            await js.stream_info(name)
    return client, js


async def publish(js: JetStreamContext, subject: str, payload: bytes, message_id: str) -> bool:
    """Publishes once per message id; returns False when JetStream saw it as a duplicate."""
    ack = await js.publish(subject, payload, headers={"Nats-Msg-Id": message_id})
    return not ack.duplicate


@dataclass
class PartnerOutbox:
    """Feeds a partner link from its JetStream stream, acknowledging after the partner did."""

    js: JetStreamContext
    partner: str
    send: Callable[[bytes], int]  # the link's send: returns the link sequence number
    durable: str = "asde-link"
    ack_wait_s: float = 30.0  # how long JetStream waits before giving a message to another process
    # Where the stream sequence -> link sequence keys are kept for a restart (None: not kept).
    state_path: Path | None = None
    _pending: dict[int, Any] = field(default_factory=dict)  # link sequence -> JetStream message
    _links: OrderedDict[int, int] = field(default_factory=OrderedDict)  # stream -> link sequence
    _subscription: Any = None
    redelivered: int = 0  # messages JetStream delivered again, not sent again

    def __post_init__(self) -> None:
        if self.state_path is not None and self.state_path.exists():
            try:
                saved = json.loads(self.state_path.read_text())
                self._links = OrderedDict((int(s), int(n)) for s, n in saved)
            except (OSError, ValueError, TypeError):
                self._links = OrderedDict()  # as after a first start: nothing known yet

    async def start(self) -> None:
        self._subscription = await self.js.pull_subscribe(
            f"asde.partner.{self.partner}", durable=f"{self.durable}-{self.partner}",
            stream="ASDE_PARTNER", config=ConsumerConfig(ack_wait=self.ack_wait_s),
        )  # fmt: skip

    async def pump(self, batch: int = 100, timeout: float = 0.2) -> int:
        """Takes up to `batch` messages onto the link; returns how many."""
        try:
            messages = await self._subscription.fetch(batch, timeout=timeout)
        except (nats.errors.TimeoutError, TimeoutError):  # nothing waiting in the stream
            return 0
        sent = False
        for message in messages:
            stream_sequence = message.metadata.sequence.stream
            link_sequence = self._links.get(stream_sequence)
            if link_sequence is not None:
                # Sent before: the link resends it if the partner has not got it. This delivery
                # is the one to acknowledge once the partner has (perhaps at once).
                self.redelivered += 1
                self._pending[link_sequence] = message
                continue
            link_sequence = self.send(message.data)
            self._links[stream_sequence] = link_sequence
            self._pending[link_sequence] = message
            sent = True
        if sent:
            while len(self._links) > REMEMBERED:
                self._links.popitem(last=False)
            self._save()  # before anything else runs: a process killed after this knows it
        return len(messages)

    def _save(self) -> None:
        if self.state_path is None:
            return
        tmp = self.state_path.with_suffix(".tmp-outbox")
        tmp.write_text(json.dumps(list(self._links.items())))
        os.replace(tmp, self.state_path)

    async def acknowledged(
        self, below: int, ack: Callable[[Any], Awaitable[None]] | None = None
    ) -> int:
        """The partner acknowledged every link sequence below `below`: acknowledge those
        messages to JetStream. Returns how many were acknowledged."""
        done = [s for s in self._pending if s < below]
        for sequence in sorted(done):
            message = self._pending.pop(sequence)
            await (ack(message) if ack else message.ack())
        return len(done)

    def renumber(self, numbers: dict[int, int]) -> None:
        """The link gave queued data new sequence numbers (after a resume from a stale save)."""
        self._pending = {numbers.get(s, s): m for s, m in self._pending.items()}
        self._links = OrderedDict((s, numbers.get(n, n)) for s, n in self._links.items())
        self._save()

    @property
    def waiting(self) -> int:
        return len(self._pending)
