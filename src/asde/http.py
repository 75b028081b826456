"""A centre's HTTP API (aiohttp): status, links, tracks (also as readsb's aircraft.json),
alerts, agreements, operator actions, and a server-sent-events stream of updates.

Only `/healthz` answers without a credential. Every other endpoint asks for a bearer token of
a configured client (`http.clients`): none or an unknown one is 401, a client without the
permission 403 (`read` for reads, `act` for the POST actions). A client with `delegate` acts
for the person it names in `X-ASDE-Actor` (JSON name, organization, role); one without acts
as itself. Every action is written to the `asde.audit` log. No CORS headers: browsers read a
centre through the platform, never directly; refusals are counted in /status (`http`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from asde.alerts import Actor, RenegadeLevel
from asde.config import HttpClient
from asde.inputs import readsb
from asde.picture import Track

if TYPE_CHECKING:
    from asde.centre import Centre

log = logging.getLogger("asde")
audit = logging.getLogger("asde.audit")

ACTOR_HEADER = "X-ASDE-Actor"
# Longer names are refused rather than cut: an audit line must say exactly who acted.
MAX_ACTOR_FIELD = 200
CALLER: web.RequestKey[HttpClient] = web.RequestKey("caller", HttpClient)


@dataclass
class HttpCounters:
    """Refusals and actions of the HTTP API, for /status."""

    unauthenticated: int = 0
    forbidden: int = 0
    bad_requests: int = 0
    actions: int = 0


class ActionRefused(Exception):
    """An operator action the centre does not do: `status` is the HTTP status that says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# Changes an event-stream client may be behind before it is told to resync (see events()).
EVENTS_BEHIND = 1000
RESYNC = "resync"  # the marker put in a client's queue (an event is a JSON object)


def _error(status: int, reason: str, **headers: str) -> web.Response:
    return web.json_response({"error": reason}, status=status, headers=headers or None)


def _caller(clients: tuple[HttpClient, ...], header: str) -> HttpClient | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    given = token.strip().encode()
    found = None
    for client in clients:  # every token compared, in constant time: no timing oracle
        if hmac.compare_digest(client.token.encode(), given):
            found = client
    return found


def actor_of(client: HttpClient, header: str | None) -> Actor:
    """Who acts: the person a delegating client names, or the client itself. Raises
    ActionRefused (400) naming what is wrong with the header."""
    if "delegate" not in client.permissions:
        return Actor(client.name, client.organization, client.role)
    if header is None:
        raise ActionRefused(400, f"{ACTOR_HEADER} is missing: name the person who acts")
    try:
        data = json.loads(header)
    except ValueError:
        raise ActionRefused(400, f"{ACTOR_HEADER} is not JSON") from None
    if not isinstance(data, dict):
        raise ActionRefused(400, f"{ACTOR_HEADER} must be a JSON object")
    fields = []
    for key in ("name", "organization", "role"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ActionRefused(400, f"{ACTOR_HEADER}: {key!r} must be a non-empty string")
        if len(value) > MAX_ACTOR_FIELD:
            raise ActionRefused(
                400, f"{ACTOR_HEADER}: {key!r} is longer than {MAX_ACTOR_FIELD} characters"
            )
        fields.append(value.strip())
    return Actor(*fields)


def track_json(track: Track, picture: str) -> dict[str, Any]:
    return {
        "picture": picture, "track": track.number, "hex": track.address, "flight": track.callsign,
        "squawk": track.squawk, "lat": track.lat, "lon": track.lon, "alt_ft": track.altitude_ft,
        "gs": track.ground_speed_kt, "track_deg": track.track_deg, "status": str(track.status),
        "emergency": track.emergency, "time": round(track.last_update, 3),
        "trail": [[p.lat, p.lon] for p in list(track.history)[-20:]],
    }  # fmt: skip


def aircraft_json(centre: Centre, picture: str = "own") -> dict[str, Any]:
    """The picture in readsb's aircraft.json format, for tar1090 and other readsb clients."""
    if picture == "own":
        return readsb.to_aircraft_json(centre.picture, time.time(), centre.reports)
    return readsb.to_aircraft_json(
        centre.partner_picture, time.time(), centre.partner_health.reports
    )


def build_app(centre: Centre) -> web.Application:
    counters = centre.http_counters
    clients = centre.config.http_clients

    @web.middleware
    async def authenticate(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path == "/healthz":
            return await handler(request)
        client = _caller(clients, request.headers.get("Authorization", ""))
        if client is None:
            counters.unauthenticated += 1
            log.warning("HTTP %s %s from %s: no valid bearer token", request.method,
                               request.path, request.remote)  # fmt: skip
            return _error(401, "a bearer token is needed (Authorization: Bearer ...)",
                          **{"WWW-Authenticate": 'Bearer realm="asde"'})  # fmt: skip
        needed = "act" if request.method == "POST" else "read"
        if needed not in client.permissions:
            counters.forbidden += 1
            log.warning("HTTP %s %s: client %s lacks the %s permission", request.method,
                               request.path, client.name, needed)  # fmt: skip
            return _error(403, f"the client {client.name!r} has no {needed!r} permission")
        request[CALLER] = client
        try:
            return await handler(request)
        except ActionRefused as refused:
            counters.bad_requests += 1
            log.warning("HTTP %s %s by %s refused: %s", request.method, request.path,
                               client.name, refused.reason)  # fmt: skip
            return _error(refused.status, refused.reason)

    app = web.Application(middlewares=[authenticate])

    def picture_of(request: web.Request) -> str:
        which = request.query.get("picture", "own")
        if which not in ("own", "partner"):
            raise ActionRefused(400, f"picture must be own or partner, not {which!r}")
        return which

    def number(request: web.Request, key: str) -> int:
        try:
            return int(request.match_info[key])
        except ValueError:
            raise ActionRefused(400, f"{key} must be a number") from None

    def audit_line(request: web.Request, action: str, actor: Actor, **what: Any) -> None:
        counters.actions += 1
        audit.info("%s", json.dumps({
            "centre": centre.config.name, "action": action, **what,
            "by": actor.to_json(), "client": request[CALLER].name,
            "remote": request.remote,
        }, ensure_ascii=False))  # fmt: skip

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def status(request: web.Request) -> web.Response:
        return web.json_response(centre.status())

    async def links(request: web.Request) -> web.Response:
        return web.json_response(centre.status()["links"])

    async def tracks(request: web.Request) -> web.Response:
        which = picture_of(request)
        source = centre.picture if which == "own" else centre.partner_picture
        return web.json_response([track_json(t, which) for t in source])

    async def aircraft(request: web.Request) -> web.Response:
        return web.json_response(aircraft_json(centre, picture_of(request)))

    async def alerts(request: web.Request) -> web.Response:
        return web.json_response(centre.alerts_json())

    async def acknowledge(request: web.Request) -> web.Response:
        actor = actor_of(request[CALLER], request.headers.get(ACTOR_HEADER))
        alert = centre.acknowledge(number(request, "number"), actor)
        audit_line(request, "acknowledge", actor, alert=alert["number"], origin=alert["origin"])
        return web.json_response(alert)

    async def escalate(request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            raise ActionRefused(415, 'the body must be application/json: {"level": ...}')
        actor = actor_of(request[CALLER], request.headers.get(ACTOR_HEADER))
        track = number(request, "track")
        try:
            body = await request.json()
        except ValueError:
            raise ActionRefused(400, "the body is not JSON") from None
        levels = [level.name.lower() for level in RenegadeLevel if level]
        raw = body.get("level") if isinstance(body, dict) else None
        if not isinstance(raw, str) or raw.lower() not in levels:
            raise ActionRefused(400, f"level must be one of {', '.join(levels)}")
        alert = centre.escalate(track, RenegadeLevel[raw.upper()], actor)
        audit_line(request, "escalate", actor, track=track, alert=alert["number"],
                   level=raw.lower())  # fmt: skip
        return web.json_response(alert)

    async def agreements(request: web.Request) -> web.Response:
        return web.json_response([
            {"partner": a.partner, "version": a.version, "name": a.name,
             "valid_from": a.valid_from.isoformat(),
             "valid_to": a.valid_to.isoformat() if a.valid_to else None,
             "in_force": a is centre.agreement, "remove_items": list(a.remove_items)}
            for a in centre.config.agreements
        ])  # fmt: skip

    async def events(request: web.Request) -> web.StreamResponse:
        """Server-sent events: a snapshot, then each change. A client that falls
        EVENTS_BEHIND changes behind gets `{"type": "resync"}` and a new snapshot."""
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
        })  # fmt: skip
        await response.prepare(request)
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        # The snapshot first, then what changes: subscribed before it is taken, so that
        # nothing falls between the two (a change may come twice; each event is a whole state).
        centre.subscribers.add(queue)
        try:
            await response.write(f"data: {json.dumps(centre.snapshot())}\n\n".encode())
            while True:
                text = await queue.get()
                if text is None:  # the centre is stopping
                    break
                if text == RESYNC:
                    resync = {"type": "resync", "reason": "fell behind"}
                    await response.write(f"data: {json.dumps(resync)}\n\n".encode())
                    text = json.dumps(centre.snapshot())
                await response.write(f"data: {text}\n\n".encode())
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            centre.subscribers.discard(queue)
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/status", status)
    app.router.add_get("/links", links)
    app.router.add_get("/tracks", tracks)
    app.router.add_get("/data/aircraft.json", aircraft)
    app.router.add_get("/alerts", alerts)
    app.router.add_post("/alerts/{number}/acknowledge", acknowledge)
    app.router.add_post("/tracks/{track}/renegade", escalate)
    app.router.add_get("/agreements", agreements)
    app.router.add_get("/events", events)
    return app
