"""Operators' actions go to their own centre, in their name, and a refusal is told in their language."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from partnership.airpicture.error_codes import AirPictureErrorCode
from partnership.airpicture.services import alert_acknowledge, track_escalate
from partnership.core.exceptions import ApplicationError
from partnership.core.models import User
from tests.partnership.airpicture.conftest import RecordingCentre

pytestmark = pytest.mark.django_db


def test_an_acknowledgement_goes_to_the_operators_centre_in_their_name(
    centres: dict[str, RecordingCentre],
) -> None:
    answer = alert_acknowledge(by=User.objects.get(username="ua-airops"), number=7)

    assert answer == {"number": 7, "acknowledged": True}
    sent = centres["ukraine"].received[-1]
    assert (sent.method, sent.path) == ("POST", "/alerts/7/acknowledge")
    assert json.loads(sent.headers["X-ASDE-Actor"]) == {
        "name": "ua-airops", "organization": "Armed Forces of Ukraine", "role": "air_operations",
    }  # fmt: skip
    assert centres["nato"].received == [], "never NATO's centre"


def test_an_escalation_sends_the_level(centres: dict[str, RecordingCentre]) -> None:
    track_escalate(by=User.objects.get(username="nato-airops"), track=101, level="probable")

    sent = centres["nato"].received[-1]
    assert (sent.path, json.loads(sent.body)) == ("/tracks/101/renegade", {"level": "probable"})
    assert json.loads(sent.headers["X-ASDE-Actor"])["name"] == "nato-airops"


def test_what_is_not_a_level_is_refused_before_anything_is_sent(
    centres: dict[str, RecordingCentre],
) -> None:
    with pytest.raises(ApplicationError) as refused:
        track_escalate(by=User.objects.get(username="nato-airops"), track=101, level="nuclear")

    assert refused.value.code == AirPictureErrorCode.BAD_LEVEL
    assert "nuclear" in str(refused.value.message)
    assert centres["nato"].received == []


def test_escalating_a_partner_track_is_refused_in_the_operators_language(
    centres: dict[str, RecordingCentre],
) -> None:
    centres["ukraine"].answers[("POST", "/tracks/101/renegade")] = (
        409, {"error": "track 101 is not an own track"},
    )  # fmt: skip

    with translation.override("uk"), pytest.raises(ApplicationError) as refused:
        track_escalate(by=User.objects.get(username="ua-airops"), track=101, level="probable")

    assert refused.value.code == AirPictureErrorCode.NOT_OWN_TRACK
    assert "101" in str(refused.value.message) and "трек" in str(refused.value.message)


def test_an_unknown_alert_is_named(centres: dict[str, RecordingCentre]) -> None:
    centres["nato"].answers[("POST", "/alerts/99/acknowledge")] = (404, {"error": "no alert 99"})

    with pytest.raises(ApplicationError) as refused:
        alert_acknowledge(by=User.objects.get(username="nato-airops"), number=99)

    assert refused.value.code == AirPictureErrorCode.NO_SUCH_ALERT
    assert "99" in str(refused.value.message)


def test_a_centre_that_is_down_is_reported_as_unreachable(
    centres: dict[str, RecordingCentre],
) -> None:
    centres["nato"].stop()

    with pytest.raises(ApplicationError) as refused:
        alert_acknowledge(by=User.objects.get(username="nato-airops"), number=1)

    assert refused.value.code == AirPictureErrorCode.CENTRE_UNREACHABLE


def test_a_level_the_centre_will_not_lower_is_named(centres: dict[str, RecordingCentre]) -> None:
    centres["nato"].answers[("POST", "/tracks/101/renegade")] = (
        409, {"error": "a renegade level is raised, never lowered"},
    )  # fmt: skip

    with pytest.raises(ApplicationError) as refused:
        track_escalate(by=User.objects.get(username="nato-airops"), track=101, level="suspected")

    assert refused.value.code == AirPictureErrorCode.BAD_LEVEL
    assert "never lowered" in str(refused.value.message)
