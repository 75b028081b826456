"""The notifications API: one's own notices in one's language, the unread count, marking
read, and the choices per kind, all or nothing."""

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.core.services import api_token_create
from partnership.notifications import services
from partnership.notifications.models import Kind, Notification, Preference, Recipient
from partnership.notifications.services import Message

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def tell(name: str, occasion: str) -> Notification:
    [notice] = services.notify(
        kind=Kind.RENEGADE, recipients=[User.objects.get(username=name)], record=None,
        occasion=occasion, path="/airpicture/map/",
        message=lambda user: Message(f"{occasion}: {Kind.RENEGADE.label}"),
    )  # fmt: skip
    return notice


def test_a_person_lists_counts_and_reads_their_own_notices(client: Client) -> None:
    first, second = tell("nato-airops", "Track 12"), tell("nato-airops", "Track 14")
    theirs = tell("ua-airops", "Track 15")
    me = bearer("nato-airops")

    listed = client.get("/api/notifications", **me).json()
    assert [n["id"] for n in listed] == [second.pk, first.pk]
    assert listed[0]["link"] == "/en/airpicture/map/" and listed[0]["unread"] is True
    assert client.get("/api/notifications/unread", **me).json() == {"unread": 2}

    read = client.post(f"/api/notifications/{first.pk}/read", **me)
    assert read.status_code == 200 and read.json()["unread"] is False
    assert client.get("/api/notifications/unread", **me).json() == {"unread": 1}
    assert [n["id"] for n in client.get("/api/notifications?unread=true", **me).json()] == [
        second.pk
    ]
    assert client.post(f"/api/notifications/{theirs.pk}/read", **me).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None

    assert client.post("/api/notifications/read-all", **me).json() == {"marked": 1}
    assert client.get("/api/notifications/unread", **me).json() == {"unread": 0}


def test_a_notice_is_given_in_the_language_asked_for(client: Client) -> None:
    tell("nato-airops", "Track 12")
    uk = client.get("/api/notifications", HTTP_ACCEPT_LANGUAGE="uk", **bearer("nato-airops"))
    shown = uk.json()[0]
    assert shown["kind_label"] == "Підвищено рівень тривоги «ренегат»"
    assert shown["subject"] == "Track 12: Підвищено рівень тривоги «ренегат»"
    assert shown["link"] == "/uk/airpicture/map/"
    en = client.get("/api/notifications", HTTP_ACCEPT_LANGUAGE="en", **bearer("nato-airops"))
    assert en.json()[0]["subject"] == "Track 12: Renegade alert escalated"


def test_choices_per_kind_are_read_and_changed_all_or_nothing(client: Client) -> None:
    me = bearer("ua-reporter")
    shown = client.get("/api/notifications/preferences", **me).json()
    assert shown["language"] == "uk"
    assert {k["kind"]: k["channel"] for k in shown["kinds"]}["report_due"] == "immediate"

    changed = client.put(
        "/api/notifications/preferences",
        {"language": "en", "channels": {"report_due": "digest", "renegade": "off"}},
        content_type="application/json",
        **me,
    )
    assert changed.status_code == 200
    kinds = {k["kind"]: k["channel"] for k in changed.json()["kinds"]}
    assert (changed.json()["language"], kinds["report_due"], kinds["renegade"]) == (
        "en", "digest", "off",
    )  # fmt: skip

    refused = client.put(
        "/api/notifications/preferences",
        {"channels": {"report_due": "immediate", "action_due": "sometimes"}},
        content_type="application/json",
        **me,
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "action_due" and "sometimes" in refused.json()["message"]
    user = User.objects.get(username="ua-reporter")
    assert Preference.objects.get(user=user, kind="report_due").channel == "digest", "unchanged"
    assert Recipient.objects.get(user=user).language == "en"


def test_no_one_reads_notices_without_signing_in(client: Client) -> None:
    tell("nato-airops", "Track 12")
    for url in ("/api/notifications", "/api/notifications/unread",
                "/api/notifications/preferences"):  # fmt: skip
        assert client.get(url).status_code == 401
