"""`asde run --config FILE`: one air operations centre, until it is stopped.

Inputs (a scenario or recording replayed, SBS/BaseStation over TCP, ASTERIX over UDP) feed
the air picture; alerts are evaluated on every update; each partner gets its picture filtered
by the exchange agreement in force and the alerts, over its links; the partner's picture and
alerts are kept beside our own. An HTTP API serves status, links, tracks (also as readsb's
aircraft.json), alerts, agreements, and a server-sent-events stream of updates.

The parts, one job each: `asde.config` (the YAML), `asde.centre` (picture, alerts, send
loop, links), `asde.inputs.feeds` (inputs), `asde.streams` (JetStream roles), `asde.http`
(the HTTP API).
"""

from __future__ import annotations

import asyncio
import gc
import logging

from asde.centre import Centre
from asde.config import ConfigError, ServiceConfig
from asde.http import aircraft_json, build_app

__all__ = ["Centre", "ConfigError", "ServiceConfig", "aircraft_json", "build_app", "run_forever"]

log = logging.getLogger("asde")


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
