"""The partner link protocol, sans I/O: frames with sequence numbers and acknowledgements over
one or more connections, so that nothing is lost and nothing is delivered twice.

Frame: `b"AS"`, version (1 octet), type (1 octet), payload length (4 octets), payload.
  HELLO      session (8) + the partner's session as last seen, zeros if none (8) + next
             sequence expected from that session (8) + the lowest sequence the sender still
             holds (8): sent on every new connection
  DATA       sequence (8) + ASTERIX data blocks
  ACK        every sequence below this one is received (8)
  HEARTBEAT  a CAT 065 service-status data block (the SDPS's own heartbeat message)
  ERROR      UTF-8 reason; the sender then closes that connection

Each connection's state (AWAITING_HELLO, OPEN, CLOSED) changes only through the two tables
below (`PEER_TRANSITIONS`, `LOCAL_TRANSITIONS`), as h11's `_state.py` keeps HTTP's: the
peer's first frame must be its HELLO (without it a sequence number means nothing), so DATA,
ACK or a heartbeat before it are protocol errors; so is a second HELLO on one connection.

A `PartnerSession` numbers outgoing data once per partner, not per connection: what one
connection did not get acknowledged is sent again on whichever connection is up next, and
the receiving session delivers each sequence number once and in order. Its outbound buffer is
bounded; when full, `send` refuses the data with `BufferFullError` (the caller keeps it and
raises the alarm) — data is never dropped silently.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum

MAGIC = b"AS"
VERSION = 1
HEADER = struct.Struct(">2sBBI")
MAX_PAYLOAD = 1 << 20  # 1 MiB: a peer announcing more is refused


class FrameType(IntEnum):
    HELLO = 1
    DATA = 2
    ACK = 3
    HEARTBEAT = 4
    ERROR = 5


class LinkError(Exception):
    """Base of the link protocol's errors."""


class LocalProtocolError(LinkError):
    """We tried something the protocol does not allow (a programming error of ours)."""


class RemoteProtocolError(LinkError):
    """The peer sent bytes that break the protocol; the connection is answered and closed."""


class BufferFullError(LinkError):
    """The outbound buffer holds `capacity` unacknowledged frames: the data was not taken."""


# -- connection states: every transition in these two tables -----------------------------


class ConnectionState(Enum):
    AWAITING_HELLO = "awaiting hello"
    OPEN = "open"
    CLOSED = "closed"


class LocalEvent(Enum):
    """What this side does to a connection."""

    CONNECT = "connect"
    DISCONNECT = "disconnect"


# (state, what the peer sent) -> the state after it. Anything not here is the peer's error.
PEER_TRANSITIONS: dict[tuple[ConnectionState, FrameType], ConnectionState] = {
    (ConnectionState.AWAITING_HELLO, FrameType.HELLO): ConnectionState.OPEN,
    (ConnectionState.AWAITING_HELLO, FrameType.ERROR): ConnectionState.CLOSED,
    (ConnectionState.OPEN, FrameType.DATA): ConnectionState.OPEN,
    (ConnectionState.OPEN, FrameType.ACK): ConnectionState.OPEN,
    (ConnectionState.OPEN, FrameType.HEARTBEAT): ConnectionState.OPEN,
    (ConnectionState.OPEN, FrameType.ERROR): ConnectionState.CLOSED,
}

# (state or None for a connection not known, what we do) -> the state after it (None: gone).
LOCAL_TRANSITIONS: dict[tuple[ConnectionState | None, LocalEvent], ConnectionState | None] = {
    (None, LocalEvent.CONNECT): ConnectionState.AWAITING_HELLO,
    (ConnectionState.CLOSED, LocalEvent.CONNECT): ConnectionState.AWAITING_HELLO,
    (ConnectionState.AWAITING_HELLO, LocalEvent.DISCONNECT): None,
    (ConnectionState.OPEN, LocalEvent.DISCONNECT): None,
    (ConnectionState.CLOSED, LocalEvent.DISCONNECT): None,
}


def after_peer(state: ConnectionState, frame: FrameType) -> ConnectionState:
    """The state after the peer's frame; RemoteProtocolError naming both when not allowed."""
    try:
        return PEER_TRANSITIONS[(state, frame)]
    except KeyError:
        raise RemoteProtocolError(f"{frame.name} received in state {state.value}") from None


def after_local(state: ConnectionState | None, event: LocalEvent) -> ConnectionState | None:
    """The state after what we do; LocalProtocolError naming both when not allowed."""
    try:
        return LOCAL_TRANSITIONS[(state, event)]
    except KeyError:
        shown = "unknown" if state is None else state.value
        raise LocalProtocolError(f"{event.value} in state {shown}") from None


@dataclass(frozen=True)
class Frame:
    type: FrameType
    payload: bytes = b""
    sequence: int | None = None


def encode_frame(kind: FrameType, payload: bytes = b"") -> bytes:
    if len(payload) > MAX_PAYLOAD:
        raise LocalProtocolError(f"payload of {len(payload)} bytes is over {MAX_PAYLOAD}")
    return HEADER.pack(MAGIC, VERSION, kind, len(payload)) + payload


class FrameReader:
    """Splits a byte stream into frames; a bad header raises RemoteProtocolError."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def receive_data(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames = []
        while len(self._buffer) >= HEADER.size:
            magic, version, kind, length = HEADER.unpack_from(self._buffer)
            if magic != MAGIC or version != VERSION:
                raise RemoteProtocolError("not an ASDE link frame (bad magic or version)")
            if length > MAX_PAYLOAD:
                raise RemoteProtocolError(f"frame of {length} bytes is over the limit")
            try:
                frame_type = FrameType(kind)
            except ValueError:
                raise RemoteProtocolError(f"unknown frame type {kind}") from None
            end = HEADER.size + length
            if len(self._buffer) < end:
                break
            payload = bytes(self._buffer[HEADER.size : end])
            del self._buffer[:end]
            frames.append(_parse(frame_type, payload))
        return frames


def _parse(kind: FrameType, payload: bytes) -> Frame:
    if kind == FrameType.DATA:
        if len(payload) < 8:
            raise RemoteProtocolError("data frame without its sequence number")
        return Frame(kind, payload[8:], int.from_bytes(payload[:8], "big"))
    if kind == FrameType.ACK:
        if len(payload) != 8:
            raise RemoteProtocolError("acknowledgement of the wrong size")
        return Frame(kind, b"", int.from_bytes(payload, "big"))
    if kind == FrameType.HELLO:
        if len(payload) != 32:
            raise RemoteProtocolError("hello of the wrong size")
        # The payload keeps both sessions and the lowest sequence the peer still holds.
        return Frame(kind, payload[:16] + payload[24:], int.from_bytes(payload[16:24], "big"))
    return Frame(kind, payload)


# -- events a session hands to its owner -------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """Data from the partner, in order, each sequence once."""

    sequence: int
    payload: bytes


@dataclass(frozen=True)
class Heartbeat:
    payload: bytes


@dataclass(frozen=True)
class PeerError:
    reason: str


@dataclass(frozen=True)
class PeerRestarted:
    """The partner's session id changed: it restarted and starts its numbering anew."""

    session: bytes


@dataclass(frozen=True)
class StateBehind:
    """Our saved state was older than what the partner has (we stopped without saving the last
    moments): numbering continues from where the partner is, as it knows best."""

    was: int
    now: int


@dataclass(frozen=True)
class Renumbered:
    """Data queued after a resume and before the partner's HELLO got new sequence numbers
    (old -> new); whoever keeps sequence numbers (an outbox waiting for acknowledgements)
    follows."""

    numbers: dict[int, int]


Event = Delivered | Heartbeat | PeerError | PeerRestarted | StateBehind | Renumbered


@dataclass
class Counters:
    sent: int = 0
    resent: int = 0
    delivered: int = 0
    duplicates: int = 0
    acks_received: int = 0
    protocol_errors: int = 0
    refused_full: int = 0
    state_behind: int = 0


@dataclass
class PartnerSession:
    """One partner: outgoing sequence numbers and their acknowledgements, incoming order.

    The owner attaches connections (`connect`), feeds each one's bytes (`receive_data`),
    and writes what `data_to_send(conn)` returns to that connection.
    """

    session: bytes  # our own id, new at every start unless resumed from a saved state
    capacity: int = 100_000
    next_sequence: int = 1  # the next sequence we number our data with
    expected: int = 1  # the next sequence we expect from the partner
    counters: Counters = field(default_factory=Counters)
    _unacked: deque[tuple[int, bytes]] = field(default_factory=deque)
    _held: dict[int, bytes] = field(default_factory=dict)  # out-of-order frames from the partner
    _outbox: dict[str, bytearray] = field(default_factory=dict)
    _readers: dict[str, FrameReader] = field(default_factory=dict)
    _active: str | None = None
    _states: dict[str, ConnectionState] = field(default_factory=dict)
    _events: list[Event] = field(default_factory=list)
    _peer_session: bytes | None = None
    _ack_due: bool = False
    # True when this session was resumed from a saved state (the partner's view of our
    # numbering then refers to us); False for a new session, which the partner numbers anew.
    resumed: bool = False
    # The next sequence the saved state had, until the partner's first HELLO says where it is.
    # Until then no data goes out: a number used before the crash must not carry new data.
    _resumed_next: int | None = None

    # -- connections ------------------------------------------------------------------------
    def connect(self, conn: str) -> None:
        """A connection came up: greet, and make it the active one if none is."""
        state = after_local(self._states.get(conn), LocalEvent.CONNECT)
        assert state is not None
        self._states[conn] = state
        self._readers[conn] = FrameReader()
        self._outbox[conn] = bytearray(
            encode_frame(
                FrameType.HELLO,
                self.session
                + (self._peer_session or bytes(8))
                + self.expected.to_bytes(8, "big")
                + self.acknowledged_below.to_bytes(8, "big"),
            )
        )
        if self._active is None:
            self._activate(conn)

    def disconnect(self, conn: str) -> None:
        """A connection failed or went silent: traffic moves to another one, if any."""
        if conn in self._states:
            after_local(self._states.pop(conn), LocalEvent.DISCONNECT)
        self._readers.pop(conn, None)
        self._outbox.pop(conn, None)
        if self._active == conn:
            self._active = None
            for other in self._outbox:
                self._activate(other)
                break

    def _activate(self, conn: str) -> None:
        """Everything not yet acknowledged goes out again on the new active connection."""
        self._active = conn
        if self._resumed_next is not None:
            return  # after the partner's HELLO
        for sequence, payload in self._unacked:
            self._outbox[conn] += self._data_frame(sequence, payload)
            self.counters.resent += 1

    @property
    def active(self) -> str | None:
        return self._active

    @property
    def unacknowledged(self) -> int:
        return len(self._unacked)

    @property
    def acknowledged_below(self) -> int:
        """Every sequence number below this one is acknowledged by the partner."""
        return self._unacked[0][0] if self._unacked else self.next_sequence

    @property
    def full(self) -> bool:
        return len(self._unacked) >= self.capacity

    # -- sending -------------------------------------------------------------------------------
    @staticmethod
    def _data_frame(sequence: int, payload: bytes) -> bytes:
        return encode_frame(FrameType.DATA, sequence.to_bytes(8, "big") + payload)

    def send(self, payload: bytes) -> int:
        """Numbers and queues ASTERIX data for the partner; returns its sequence number."""
        if self.full:
            self.counters.refused_full += 1
            raise BufferFullError(f"{len(self._unacked)} frames wait for acknowledgement")
        sequence = self.next_sequence
        self.next_sequence += 1
        self._unacked.append((sequence, payload))
        if self._active is not None and self._resumed_next is None:
            self._outbox[self._active] += self._data_frame(sequence, payload)
        self.counters.sent += 1
        return sequence

    def send_heartbeat(self, cat065_block: bytes) -> None:
        """A heartbeat on every connection, so that each one's silence is noticed."""
        frame = encode_frame(FrameType.HEARTBEAT, cat065_block)
        for out in self._outbox.values():
            out += frame

    def data_to_send(self, conn: str, limit: int | None = None) -> bytes:
        """The bytes for this connection, at most `limit` of them (the rest stays queued: the
        byte stream may be cut anywhere)."""
        if self._ack_due and conn == self._active:
            self._outbox[conn] += encode_frame(FrameType.ACK, self.expected.to_bytes(8, "big"))
            self._ack_due = False
        out = self._outbox.get(conn)
        if not out:
            return b""
        if limit is not None and len(out) > limit:
            data = bytes(out[:limit])
            del out[:limit]
            return data
        data = bytes(out)
        out.clear()
        return data

    # -- receiving ------------------------------------------------------------------------------
    def receive_data(self, conn: str, data: bytes) -> None:
        """Bytes from a connection. A protocol error is answered with an ERROR frame and raised,
        so that the owner closes that connection (and only that one)."""
        reader = self._readers.get(conn)
        if reader is None:
            raise LocalProtocolError(f"connection {conn!r} is not attached")
        try:
            frames = reader.receive_data(data)
            for frame in frames:
                self._handle(conn, frame)
        except RemoteProtocolError as error:
            self.counters.protocol_errors += 1
            self._outbox.setdefault(conn, bytearray()).extend(
                encode_frame(FrameType.ERROR, str(error).encode()[:500])
            )
            raise

    def connection_state(self, conn: str) -> ConnectionState | None:
        return self._states.get(conn)

    def _handle(self, conn: str, frame: Frame) -> None:
        self._states[conn] = after_peer(self._states[conn], frame.type)
        if frame.type == FrameType.DATA:
            assert frame.sequence is not None
            self._on_data(frame.sequence, frame.payload)
        elif frame.type == FrameType.ACK:
            assert frame.sequence is not None
            if frame.sequence > self.next_sequence:
                raise RemoteProtocolError(f"acknowledgement of {frame.sequence}, never sent")
            while self._unacked and self._unacked[0][0] < frame.sequence:
                self._unacked.popleft()
            self.counters.acks_received += 1
        elif frame.type == FrameType.HELLO:
            assert frame.sequence is not None
            session, seen_of_us = frame.payload[:8], frame.payload[8:16]
            peer_first = int.from_bytes(frame.payload[16:], "big")
            self._on_hello(session, seen_of_us, frame.sequence, peer_first)
        elif frame.type == FrameType.HEARTBEAT:
            self._events.append(Heartbeat(frame.payload))
        elif frame.type == FrameType.ERROR:
            self._events.append(PeerError(frame.payload.decode("utf-8", "replace")))

    def _on_hello(
        self, session: bytes, seen_of_us: bytes, peer_expects: int, peer_first: int
    ) -> None:
        if self._peer_session is not None and session != self._peer_session:
            # The partner restarted without its state: its numbering starts again.
            self.expected = 1
            self._held.clear()
            self._events.append(PeerRestarted(session))
        self._peer_session = session
        if peer_first > self.expected:
            # The partner no longer holds what lies below `peer_first`: we acknowledged it
            # before our state was last saved. Waiting for it would wait for ever.
            self.expected = peer_first
            for sequence in [s for s in self._held if s < peer_first]:
                del self._held[sequence]
            while self.expected in self._held:
                self._events.append(Delivered(self.expected, self._held.pop(self.expected)))
                self.counters.delivered += 1
                self.expected += 1
        if seen_of_us == self.session:
            self._catch_up(peer_expects)
        if self._resumed_next is not None:
            # Synchronized: what waits goes out now, on the active connection.
            self._resumed_next = None
            if self._active is not None:
                for sequence, payload in self._unacked:
                    self._outbox[self._active] += self._data_frame(sequence, payload)

    def _catch_up(self, peer_expects: int) -> None:
        """The partner expects `peer_expects` from this session of ours."""
        stale = self._resumed_next
        if stale is not None and peer_expects > stale:
            # We resumed from a state saved before our last frames went out: the partner has
            # every number below `peer_expects`. Saved frames below it are done; what was
            # queued since the resume moves up past it (nothing of it went out yet).
            shift = peer_expects - stale
            numbers: dict[int, int] = {}
            kept: deque[tuple[int, bytes]] = deque()
            for sequence, payload in self._unacked:
                if sequence >= stale:
                    numbers[sequence] = sequence + shift
                    kept.append((sequence + shift, payload))
            self._unacked = kept
            self.next_sequence += shift
            self.counters.state_behind += 1
            self._events.append(StateBehind(stale, peer_expects))
            if numbers:
                self._events.append(Renumbered(numbers))
        elif peer_expects > self.next_sequence:
            raise RemoteProtocolError(f"the partner expects {peer_expects}, we never sent it")
        # What the partner already has need not be sent again.
        while self._unacked and self._unacked[0][0] < peer_expects:
            self._unacked.popleft()

    def _on_data(self, sequence: int, payload: bytes) -> None:
        self._ack_due = True
        if sequence < self.expected or sequence in self._held:
            self.counters.duplicates += 1
            return
        if sequence > self.expected + 10 * self.capacity:
            raise RemoteProtocolError(f"sequence {sequence} is far ahead of {self.expected}")
        self._held[sequence] = payload
        while self.expected in self._held:
            self._events.append(Delivered(self.expected, self._held.pop(self.expected)))
            self.counters.delivered += 1
            self.expected += 1

    def events_received(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    # -- restart ------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, object]:
        """What a restart needs to resume where it stopped (the owner stores it durably)."""
        return {
            "session": self.session.hex(),
            "next_sequence": self.next_sequence,
            "expected": self.expected,
            "unacked": [(s, p.hex()) for s, p in self._unacked],
            "peer_session": self._peer_session.hex() if self._peer_session else None,
            # Numbers from here on never went out (a resume not yet synchronized).
            "unsent_from": self._resumed_next or self.next_sequence,
        }

    @classmethod
    def resume(cls, state: dict[str, object], capacity: int = 100_000) -> PartnerSession:
        session = cls(session=bytes.fromhex(str(state["session"])), capacity=capacity)
        session.resumed = True
        session.next_sequence = int(state["next_sequence"])  # type: ignore[call-overload]
        session.expected = int(state["expected"])  # type: ignore[call-overload]
        unacked: Iterable[tuple[int, str]] = state["unacked"]  # type: ignore[assignment]
        session._unacked = deque((int(s), bytes.fromhex(p)) for s, p in unacked)
        peer = state.get("peer_session")
        session._peer_session = bytes.fromhex(str(peer)) if peer else None
        session._resumed_next = int(state.get("unsent_from", session.next_sequence))  # type: ignore[call-overload]
        return session
