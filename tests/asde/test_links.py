"""The link protocol on an in-memory pair of centres joined by two connections."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asde.links import (
    BufferFullError,
    ConnectionState,
    Delivered,
    FrameReader,
    FrameType,
    Heartbeat,
    LocalProtocolError,
    PartnerSession,
    PeerRestarted,
    RemoteProtocolError,
    Renumbered,
    encode_frame,
)

LINKS = ("via-hungary", "via-turkey")


class Pair:
    """Two sessions (NATO and Ukraine) and the connections between them; bytes move only
    when `pump` is called, so a test can cut a connection with data in flight."""

    def __init__(
        self, nato: PartnerSession | None = None, ukraine: PartnerSession | None = None
    ) -> None:
        self.nato = nato or PartnerSession(session=b"NATO0001", capacity=1000)
        self.ukraine = ukraine or PartnerSession(session=b"UKR00001", capacity=1000)
        self.up: set[str] = set()
        self.delivered: list[int] = []
        self.events: list[object] = []
        for link in LINKS:
            self.connect(link)

    def connect(self, link: str) -> None:
        self.nato.connect(link)
        self.ukraine.connect(link)
        self.up.add(link)

    def cut(self, link: str) -> None:
        """The connection fails: whatever was in flight on it is lost."""
        self.nato.data_to_send(link)
        self.ukraine.data_to_send(link)
        self.nato.disconnect(link)
        self.ukraine.disconnect(link)
        self.up.discard(link)

    def pump(self, rounds: int = 4) -> None:
        for _ in range(rounds):
            for link in sorted(self.up):
                to_ukraine = self.nato.data_to_send(link)
                to_nato = self.ukraine.data_to_send(link)
                if to_ukraine:
                    self.ukraine.receive_data(link, to_ukraine)
                if to_nato:
                    self.nato.receive_data(link, to_nato)
            for event in self.ukraine.events_received():
                if isinstance(event, Delivered):
                    self.delivered.append(event.sequence)
                else:
                    self.events.append(event)


def test_data_arrives_in_order_and_acknowledgements_empty_the_buffer() -> None:
    pair = Pair()
    for n in range(100):
        pair.nato.send(f"track update {n}".encode())

    pair.pump()

    assert pair.delivered == list(range(1, 101))
    assert pair.nato.unacknowledged == 0
    assert pair.nato.active == "via-hungary"


def test_cutting_the_active_connection_loses_and_duplicates_nothing() -> None:
    pair = Pair()
    for n in range(50):
        pair.nato.send(b"x%d" % n)
    pair.pump(rounds=1)
    for n in range(50, 80):
        pair.nato.send(b"x%d" % n)  # in flight on Hungary when it fails

    pair.cut("via-hungary")
    pair.pump()

    assert pair.nato.active == "via-turkey"
    assert pair.delivered == list(range(1, 81))
    assert pair.ukraine.counters.duplicates >= 0 and pair.nato.unacknowledged == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["cut", "restore", "pump", "none"])),
                min_size=1, max_size=30))  # fmt: skip
def test_any_sequence_of_failures_delivers_everything_once_in_order(steps: list) -> None:
    pair = Pair()
    sent = 0
    for count, action in steps:
        for _ in range(count):
            pair.nato.send(b"u")
            sent += 1
        if action == "cut" and len(pair.up) > 1:
            pair.cut(sorted(pair.up)[0])
        elif action == "restore":
            for link in LINKS:
                if link not in pair.up:
                    pair.connect(link)
        elif action == "pump":
            pair.pump(rounds=1)
    for link in LINKS:
        if link not in pair.up:
            pair.connect(link)
    pair.pump(rounds=6)

    assert pair.delivered == list(range(1, sent + 1))
    assert pair.nato.unacknowledged == 0


def test_garbage_from_the_peer_is_answered_and_only_that_connection_is_dropped() -> None:
    pair = Pair()

    with pytest.raises(RemoteProtocolError):
        pair.ukraine.receive_data("via-turkey", b"GET / HTTP/1.1\r\n\r\n")
    answer = pair.ukraine.data_to_send("via-turkey")
    pair.cut("via-turkey")
    pair.nato.send(b"still flowing")
    pair.pump()

    *_greeting, error = FrameReader().receive_data(answer)
    assert error.type == FrameType.ERROR and b"bad magic" in error.payload
    assert pair.delivered == [1]
    assert pair.ukraine.counters.protocol_errors == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"AS\x02\x02\x00\x00\x00\x00", "bad magic or version"),
        (b"AS\x01\x09\x00\x00\x00\x00", "unknown frame type"),
        (b"AS\x01\x02\x7f\x00\x00\x00", "over the limit"),
        (encode_frame(FrameType.DATA, b"\x00"), "without its sequence"),
        (encode_frame(FrameType.ACK, (10**9).to_bytes(8, "big")), "never sent"),
    ],
)
def test_protocol_violations_are_named(data: bytes, reason: str) -> None:
    session = PartnerSession(session=b"UKR00001")
    session.connect("via-hungary")
    session.receive_data("via-hungary", hello(b"NATO0001"))

    with pytest.raises(RemoteProtocolError, match=reason):
        session.receive_data("via-hungary", data)


def hello(session: bytes) -> bytes:
    """A peer's HELLO as it sends it on a new connection: nothing seen of us yet."""
    peer = PartnerSession(session=session)
    peer.connect("line")
    return peer.data_to_send("line")


@pytest.mark.parametrize(
    "frame",
    [
        encode_frame(FrameType.DATA, (1).to_bytes(8, "big") + b"x"),
        encode_frame(FrameType.ACK, (1).to_bytes(8, "big")),
        encode_frame(FrameType.HEARTBEAT, b"beat"),
    ],
)
def test_anything_but_hello_first_is_a_protocol_error_and_nothing_is_delivered(
    frame: bytes,
) -> None:
    # given a new connection whose peer has not greeted
    session = PartnerSession(session=b"UKR00001")
    session.connect("via-hungary")
    session.data_to_send("via-hungary")  # our own HELLO out

    # when the peer sends DATA (or an ACK, a heartbeat) first, then it is refused by name
    with pytest.raises(RemoteProtocolError, match="received in state awaiting hello"):
        session.receive_data("via-hungary", frame)
    assert session.events_received() == [] and session.counters.delivered == 0
    assert session.connection_state("via-hungary") is ConnectionState.AWAITING_HELLO
    # and the peer is told why before the connection closes
    answer = FrameReader().receive_data(session.data_to_send("via-hungary"))
    assert answer[0].type == FrameType.ERROR and b"awaiting hello" in answer[0].payload


def test_a_second_hello_on_one_connection_is_a_protocol_error() -> None:
    session = PartnerSession(session=b"UKR00001")
    session.connect("via-hungary")
    session.receive_data("via-hungary", hello(b"NATO0001"))
    assert session.connection_state("via-hungary") is ConnectionState.OPEN

    with pytest.raises(RemoteProtocolError, match="HELLO received in state open"):
        session.receive_data("via-hungary", hello(b"NATO0001"))


def test_every_connection_state_change_is_in_the_tables() -> None:
    # A connection connected twice without being disconnected is our own error.
    session = PartnerSession(session=b"UKR00001")
    session.connect("via-hungary")
    with pytest.raises(LocalProtocolError, match="connect in state awaiting hello"):
        session.connect("via-hungary")
    # After a disconnect the name may come back (a new connection).
    session.disconnect("via-hungary")
    session.connect("via-hungary")
    assert session.connection_state("via-hungary") is ConnectionState.AWAITING_HELLO


def test_a_full_buffer_refuses_data_loudly_until_acknowledgements_come() -> None:
    pair = Pair(nato=PartnerSession(session=b"NATO0001", capacity=10))
    for link in LINKS:
        pair.cut(link)
    for n in range(10):
        pair.nato.send(b"%d" % n)

    with pytest.raises(BufferFullError):
        pair.nato.send(b"one too many")
    assert pair.nato.counters.refused_full == 1

    pair.connect("via-turkey")
    pair.pump()
    pair.nato.send(b"room again")
    pair.pump()
    assert pair.delivered == list(range(1, 12))


def test_a_restart_from_the_saved_state_resumes_where_it_stopped() -> None:
    pair = Pair()
    for n in range(20):
        pair.nato.send(b"%d" % n)
    pair.pump(rounds=1)
    saved_nato = pair.nato.snapshot()
    for link in LINKS:
        pair.cut(link)

    restarted = Pair(nato=PartnerSession.resume(saved_nato), ukraine=pair.ukraine)
    restarted.nato.send(b"after restart")
    restarted.pump()

    assert pair.delivered + restarted.delivered == list(range(1, 22))
    assert not any(isinstance(e, PeerRestarted) for e in pair.events + restarted.events)


def test_a_restart_without_state_is_announced_to_the_partner() -> None:
    pair = Pair()
    pair.nato.send(b"before")
    pair.pump()
    for link in LINKS:
        pair.cut(link)

    fresh = Pair(nato=PartnerSession(session=b"NATO0002"), ukraine=pair.ukraine)
    fresh.nato.send(b"after")
    fresh.pump()

    assert fresh.delivered == [1]
    assert any(isinstance(e, PeerRestarted) for e in fresh.events)


def test_heartbeats_go_out_on_every_connection() -> None:
    pair = Pair()
    pair.nato.send_heartbeat(bytes.fromhex("41000cF8196402043C608718"))
    pair.pump(rounds=1)

    beats = [e for e in pair.events if isinstance(e, Heartbeat)]
    assert len(beats) == 2


def test_a_restart_from_a_stale_state_neither_stalls_nor_reuses_numbers() -> None:
    """SIGKILL after the last save: the partner has more than the saved state knows, in both
    directions. Numbering goes on from where the partner is; nothing waits for ever."""
    pair = Pair()
    for n in range(10):
        pair.nato.send(b"early %d" % n)
    pair.pump()
    stale = pair.nato.snapshot()  # the last save before the crash
    for n in range(10):
        pair.nato.send(b"late %d" % n)
        pair.ukraine.send(b"from ukraine %d" % n)
    pair.pump()
    assert pair.delivered == list(range(1, 21))
    for link in LINKS:
        pair.cut(link)

    nato = PartnerSession.resume(stale)
    queued = nato.send(b"queued before the partner's hello")  # numbered 11, held back
    restarted = Pair(nato=nato, ukraine=pair.ukraine)
    restarted.pump()
    restarted.nato.send(b"after restart")
    restarted.ukraine.send(b"ukraine after restart")
    restarted.pump()
    events = nato.events_received()
    received_by_nato = [e for e in events if isinstance(e, Delivered)]

    # Not 11 and 12: those numbers carried other data before the crash.
    assert restarted.delivered == [21, 22]
    assert [e.numbers for e in events if isinstance(e, Renumbered)] == [{queued: 21}]
    assert pair.ukraine.counters.duplicates == 0
    assert nato.counters.state_behind == 1
    assert [e.payload for e in received_by_nato] == [b"ukraine after restart"]
    assert pair.ukraine.unacknowledged == 0 and nato.unacknowledged == 0


_FRAMES = st.one_of(
    st.binary(max_size=48),  # anything at all
    st.builds(
        lambda kind, body: encode_frame(kind, body),
        st.sampled_from(list(FrameType)),
        st.binary(max_size=40),
    ),
    st.just(hello(b"NATO0001")),
    st.builds(
        lambda s: encode_frame(FrameType.DATA, s.to_bytes(8, "big") + b"x"),
        st.integers(min_value=0, max_value=2**20),
    ),
)


@settings(max_examples=300, deadline=None)
@given(chunks=st.lists(_FRAMES, max_size=12))
def test_whatever_a_peer_sends_only_the_remote_error_escapes(chunks: list[bytes]) -> None:
    """The session's one entry point for the peer's bytes lets out RemoteProtocolError (the
    connection is answered and closed) and nothing else; what it delivered came after HELLO."""
    session = PartnerSession(session=b"UKR00001")
    session.connect("line")
    greeted = False
    for chunk in chunks:
        try:
            session.receive_data("line", chunk)
        except RemoteProtocolError:
            break  # accepted: the peer broke the protocol; the owner drops this connection
        greeted = greeted or session.connection_state("line") is ConnectionState.OPEN
        delivered = [e for e in session.events_received() if isinstance(e, Delivered)]
        assert greeted or not delivered  # nothing is delivered before the peer's HELLO
