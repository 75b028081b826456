"""The ASDE centres' figures for Prometheus, read from their /status through the platform."""

from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from partnership.production.metrics import AsdeCollector, exposition
from tests.partnership.airpicture.conftest import RecordingCentre, centres  # noqa: F401

# The scrape reads the background queue's depth from the database.
pytestmark = pytest.mark.django_db

# The shape `asde run` answers on /status (asde/centre.py, Centre.status), cut to what is read.
NATO_STATUS: dict[str, Any] = {
    "centre": "nato",
    "reports": 12840,
    "tracks": 41,
    "partner_tracks": 7,
    "updates_sent": 9312,
    "picture": {"max_tracks": 20000, "evicted": {"own": 2, "partner": 0}},
    "alerts": {"sent": 3, "refused": 1, "bad_from_partner": 0, "withheld": {"outside": 4}},
    "links": {
        "partner": "ukraine",
        "active": "via-hungary",
        "connections": ["via-hungary", "via-turkey"],
        "unacknowledged": 5,
        "switchovers_s": [0.41, 0.38],
        "round_trip_ms": {"p50": 1.2, "p99": 7.9},
        "counters": {"sent": 9400, "resent": 88, "delivered": 9390, "duplicates": 0},
        "refused": {"certificate": 2},
    },
}


def _samples(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
    }


def test_a_centres_status_becomes_link_and_picture_figures() -> None:
    samples = _samples(exposition(asde=AsdeCollector({"nato": NATO_STATUS, "ukraine": None})))

    def at(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert at("asde_up", centre="nato") == 1
    assert at("asde_up", centre="ukraine") == 0
    assert at("asde_tracks", centre="nato", picture="own") == 41
    assert at("asde_tracks", centre="nato", picture="partner") == 7
    assert at("asde_picture_evicted_total", centre="nato", picture="own") == 2
    assert at("asde_reports_total", centre="nato") == 12840
    assert at("asde_link_active", centre="nato", partner="ukraine") == 1
    assert at("asde_link_connections", centre="nato", partner="ukraine") == 2
    assert at("asde_link_unacknowledged", centre="nato", partner="ukraine") == 5
    assert at("asde_link_switchovers_total", centre="nato", partner="ukraine") == 2
    rtt = "asde_link_round_trip_milliseconds"
    assert at(rtt, centre="nato", partner="ukraine", quantile="p99") == 7.9
    resent = at("asde_link_blocks_total", centre="nato", partner="ukraine", kind="resent")
    assert resent == 88
    refused = at("asde_link_refused_total", centre="nato", partner="ukraine", reason="certificate")
    assert refused == 2
    assert at("asde_alerts_total", centre="nato", kind="sent") == 3
    # A centre that did not answer gives no stale figures.
    assert not [key for key in samples if dict(key[1]).get("centre") == "ukraine"][1:]


def test_the_figures_are_read_over_the_platforms_client(
    centres: dict[str, RecordingCentre],  # noqa: F811
) -> None:
    # given NATO's centre answering /status with the platform's token, Ukraine's refusing
    centres["nato"].answers[("GET", "/status")] = (200, NATO_STATUS)
    centres["ukraine"].answers[("GET", "/status")] = (503, {"error": "starting"})

    samples = _samples(exposition())

    assert samples[("asde_up", (("centre", "nato"),))] == 1
    assert samples[("asde_up", (("centre", "ukraine"),))] == 0
    assert samples[("asde_tracks", (("centre", "nato"), ("picture", "own")))] == 41
    (request,) = [r for r in centres["nato"].received if r.path == "/status"]
    assert request.headers["Authorization"] == "Bearer nato-secret-token"


@pytest.mark.parametrize("broken", [{"links": None, "tracks": "many"}, {}])
def test_a_status_of_another_shape_gives_what_it_can(broken: dict[str, Any]) -> None:
    samples = _samples(exposition(asde=AsdeCollector({"nato": broken})))

    assert samples[("asde_up", (("centre", "nato"),))] == 1


def test_the_task_queue_depth_is_the_tasks_waiting_for_a_worker() -> None:
    from partnership.notifications.tasks import deliver

    before = _samples(exposition(asde=AsdeCollector({})))
    deliver.enqueue()
    deliver.enqueue()
    samples = _samples(exposition(asde=AsdeCollector({})))

    depth = ("partnership_task_queue_depth", ())
    assert samples[depth] == before[depth] + 2
    assert samples[("partnership_tasks", (("state", "READY"),))] == samples[depth]
