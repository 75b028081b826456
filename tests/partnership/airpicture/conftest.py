"""A centre that answers the platform as the HTTP contract of `asde run` says, and records what it was sent.

The proxy's unit tests need to see the exact headers and bodies the platform sends, and to make
the centre refuse or vanish at will; the browser tests run real `asde run` centres instead.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingCentre:
    name: str
    token: str
    alerts: list[dict[str, Any]]
    events: list[dict[str, Any]]
    links: dict[str, Any] = field(default_factory=dict)
    # (method, path) -> (status, JSON body): a refusal the test wants the centre to give.
    answers: dict[tuple[str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    cookie: str | None = None  # a Set-Cookie the centre adds to its answers
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> None:
        centre = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 401:
                    self.send_header("WWW-Authenticate", "Bearer")
                if centre.cookie:
                    self.send_header("Set-Cookie", f"{centre.cookie}; Path=/")
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                centre.received.append(Received(method, path, dict(self.headers.items()), body))
                if self.headers.get("Authorization") != f"Bearer {centre.token}":
                    return self._json(401, {"error": "a bearer token is required"})
                if (method, path) in centre.answers:
                    return self._json(*centre.answers[(method, path)])
                if method == "GET" and path == "/alerts":
                    return self._json(200, centre.alerts)
                if method == "GET" and path == "/links":
                    return self._json(200, centre.links)
                if method == "GET" and path == "/events":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for event in centre.events:
                        self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                        self.wfile.flush()
                    return None
                if method == "POST" and path.startswith("/alerts/"):
                    number = int(path.split("/")[2])
                    return self._json(200, {"number": number, "acknowledged": True})
                if method == "POST" and path.startswith("/tracks/"):
                    return self._json(200, {"track": int(path.split("/")[2]), **json.loads(body)})
                return self._json(404, {"error": "no such endpoint"})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def alert(number: int, track: int, origin: str, raised_at: str, **extra: Any) -> dict[str, Any]:
    return {
        "number": number, "rule": "renegade", "severity": "critical", "track": track,
        "origin": origin, "state": "active", "raised_at": raised_at, "cleared_at": None,
        "level": "suspected", "callsign": f"T{track}",
        "history": [{"event": "raised", "at": raised_at, "by": None, "level": None}], **extra,
    }  # fmt: skip


@pytest.fixture
def centres(tmp_path: Path, settings: Any) -> Iterator[dict[str, RecordingCentre]]:
    """NATO's and Ukraine's centres, each holding something the other does not."""
    nato = RecordingCentre(
        "nato", "nato-secret-token",
        alerts=[alert(1, 101, "own", "2026-12-01T10:00:00Z"),
                {**alert(2, 555, "own", "2026-12-01T10:01:00Z"), "rule": "squawk_7700",
                 "callsign": "AFR1234-NOT-RELEASED"}],
        events=[{"type": "track", "picture": "own", "track": 555, "flight": "AFR1234-NOT-RELEASED"}],
        links={"active": "via-hungary", "connections": ["via-hungary", "via-turkey"],
               "unacknowledged": 0},
    )  # fmt: skip
    ukraine = RecordingCentre(
        "ukraine", "ukraine-secret-token",
        alerts=[alert(7, 101, "partner", "2026-12-01T10:00:01Z")],
        events=[{"type": "snapshot", "tracks": [{"picture": "partner", "track": 101}], "alerts": []},
                {"type": "track", "picture": "partner", "track": 101, "flight": "RELEASED1"}],
        links={"active": None, "connections": [], "unacknowledged": 3},
    )  # fmt: skip
    entries = {}
    for centre, organization in ((nato, "nato-is"), (ukraine, "ua-armed-forces")):
        centre.start()
        token_file = tmp_path / f"{centre.name}-platform.token"
        token_file.write_text(centre.token + "\n")
        entries[centre.name] = {
            "url": centre.url, "token_file": str(token_file), "organizations": [organization],
        }  # fmt: skip
    settings.ASDE_CENTRES = entries
    settings.ASDE_TIMEOUT_S = 2
    yield {"nato": nato, "ukraine": ukraine}
    nato.stop()
    ukraine.stop()
