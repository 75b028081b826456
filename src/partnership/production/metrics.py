"""Prometheus figures: requests by page kind, and the ASDE centres' link and picture figures."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import REGISTRY, Collector

from partnership.airpicture.centres import CentreClient, CentreError, configured_centres

log = logging.getLogger(__name__)

# Pages answer in tens of milliseconds; PDFs and exports in seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "partnership_requests_total",
    "Requests answered, by method, view (page kind) and status.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "partnership_request_duration_seconds",
    "Time from the request to the answer's headers, by view (page kind).",
    ["view"],
    buckets=_BUCKETS,
)
# Under gunicorn each worker is a process: the gauge is the sum over the live ones.
REQUESTS_IN_PROGRESS = Gauge(
    "partnership_requests_in_progress",
    "Requests being answered now.",
    multiprocess_mode="livesum",
)


def observe_request(*, method: str, view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, view=view, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class AsdeCollector(Collector):
    """Reads each configured centre's `/status` at scrape time, through the platform's client.

    A centre that does not answer is `asde_up 0` and nothing else: its last figures would be
    stale, and Prometheus keeps the history anyway.
    """

    def __init__(self, statuses: Mapping[str, Any] | None = None) -> None:
        # Tests pass statuses; a scrape reads the centres.
        self._given = statuses

    def _statuses(self) -> Iterator[tuple[str, Any]]:
        if self._given is not None:
            yield from self._given.items()
            return
        for centre in configured_centres():
            try:
                yield centre.key, CentreClient(centre).get_json("/status")
            except CentreError as error:
                log.info("centre %s gives no status for the metrics: %s", centre.key, error)
                yield centre.key, None

    def describe(self) -> Iterator[Metric]:
        # Not read at registration: scraping the centres is for scrape time only.
        return iter(())

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("asde_up", "Whether the centre answered /status.", labels=["centre"])
        tracks = GaugeMetricFamily(
            "asde_tracks", "Tracks in the picture.", labels=["centre", "picture"]
        )
        evicted = CounterMetricFamily(
            "asde_picture_evicted", "Tracks ended because the picture was full.",
            labels=["centre", "picture"],
        )  # fmt: skip
        reports = CounterMetricFamily("asde_reports", "Reports taken in.", labels=["centre"])
        updates = CounterMetricFamily(
            "asde_updates_sent", "Track updates sent to the partner.", labels=["centre"]
        )
        active = GaugeMetricFamily(
            "asde_link_active", "Whether a connection to the partner carries traffic.",
            labels=["centre", "partner"],
        )  # fmt: skip
        connections = GaugeMetricFamily(
            "asde_link_connections", "Open connections to the partner.",
            labels=["centre", "partner"],
        )  # fmt: skip
        unacked = GaugeMetricFamily(
            "asde_link_unacknowledged", "Blocks sent and not yet acknowledged.",
            labels=["centre", "partner"],
        )  # fmt: skip
        switchovers = CounterMetricFamily(
            "asde_link_switchovers", "Moves of the traffic to another connection.",
            labels=["centre", "partner"],
        )  # fmt: skip
        round_trip = GaugeMetricFamily(
            "asde_link_round_trip_milliseconds", "Round trip of the last blocks (send to ack).",
            labels=["centre", "partner", "quantile"],
        )  # fmt: skip
        link_counts = CounterMetricFamily(
            "asde_link_blocks", "Link counters by kind (sent, resent, delivered, duplicates, …).",
            labels=["centre", "partner", "kind"],
        )  # fmt: skip
        refused = CounterMetricFamily(
            "asde_link_refused", "Connections refused (wrong or no certificate), by reason.",
            labels=["centre", "partner", "reason"],
        )  # fmt: skip
        alerts = CounterMetricFamily(
            "asde_alerts", "Alerts sent to, refused from, or bad from the partner.",
            labels=["centre", "kind"],
        )  # fmt: skip
        for key, status in self._statuses():
            if not isinstance(status, Mapping):
                up.add_metric([key], 0)
                continue
            up.add_metric([key], 1)
            for picture, field in (("own", "tracks"), ("partner", "partner_tracks")):
                if (value := _number(status.get(field))) is not None:
                    tracks.add_metric([key, picture], value)
            for picture, value in ((status.get("picture") or {}).get("evicted") or {}).items():
                if (number := _number(value)) is not None:
                    evicted.add_metric([key, str(picture)], number)
            if (value := _number(status.get("reports"))) is not None:
                reports.add_metric([key], value)
            if (value := _number(status.get("updates_sent"))) is not None:
                updates.add_metric([key], value)
            for kind, value in (status.get("alerts") or {}).items():
                if (number := _number(value)) is not None:
                    alerts.add_metric([key, str(kind)], number)
            link = status.get("links") or {}
            partner = str(link.get("partner") or "")
            labels = [key, partner]
            active.add_metric(labels, 1 if link.get("active") is not None else 0)
            connections.add_metric(labels, len(link.get("connections") or []))
            if (value := _number(link.get("unacknowledged"))) is not None:
                unacked.add_metric(labels, value)
            switchovers.add_metric(labels, len(link.get("switchovers_s") or []))
            for quantile, value in (link.get("round_trip_ms") or {}).items():
                if (number := _number(value)) is not None:
                    round_trip.add_metric([*labels, str(quantile)], number)
            for kind, value in (link.get("counters") or {}).items():
                if (number := _number(value)) is not None:
                    link_counts.add_metric([*labels, str(kind)], number)
            for reason, value in (link.get("refused") or {}).items():
                if (number := _number(value)) is not None:
                    refused.add_metric([*labels, str(reason)], number)
        yield from (up, tracks, evicted, reports, updates, active, connections, unacked,
                    switchovers, round_trip, link_counts, refused, alerts)  # fmt: skip


class TaskQueueCollector(Collector):
    """The background queue at scrape time, read from the database (every worker's alike):
    tasks by state (`READY` is the depth: waiting for a worker), and e-mails not yet sent."""

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from partnership.notifications.models import EmailState, Notification

        tasks = GaugeMetricFamily(
            "partnership_tasks", "Background tasks by state (READY: the queue's depth).",
            labels=["state"],
        )  # fmt: skip
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        for state in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
            tasks.add_metric([state], counts.get(state, 0))
        depth = GaugeMetricFamily(
            "partnership_task_queue_depth", "Background tasks waiting for a worker."
        )
        depth.add_metric([], counts.get("READY", 0))
        emails = GaugeMetricFamily(
            "partnership_emails_waiting", "Notification e-mails not sent yet (incl. retries)."
        )
        emails.add_metric([], Notification.objects.filter(email_state=EmailState.PENDING).count())
        yield from (tasks, depth, emails)


def exposition(*, asde: Collector | None = None) -> bytes:
    """The text Prometheus scrapes: this process's figures, or every gunicorn worker's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its figures to files there; a scrape (answered by any one worker)
        # adds them up, so the counts are the server's, not one worker's.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(asde or AsdeCollector())
    registry.register(TaskQueueCollector())
    return generate_latest(registry)


class _Forward(Collector):
    """The default registry's figures inside a per-scrape registry."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        yield from self.source.collect()
