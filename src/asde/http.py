"""A centre's HTTP API (aiohttp): status, links, tracks (also as readsb's aircraft.json),
alerts, agreements, operator actions, and a server-sent-events stream of updates."""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from asde.alerts import RenegadeLevel
from asde.picture import Track

if TYPE_CHECKING:
    from asde.centre import Centre


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
        return web.json_response([track_json(t, which) for t in source])

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
