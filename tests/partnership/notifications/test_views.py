"""The bell, the list, marking read and the preferences page, as a person uses them."""

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.notifications import services
from partnership.notifications.models import Channel, Kind, Notification, Preference, Recipient
from partnership.notifications.services import Message
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def client_of(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=DEMO_PASSWORD)
    return client


def tell(name: str, subject: str) -> Notification:
    [notice] = services.notify(
        kind=Kind.RENEGADE, recipients=[User.objects.get(username=name)], record=None,
        occasion=subject, path="/airpicture/map/", message=lambda user: Message(subject),
    )  # fmt: skip
    return notice


def test_the_bell_counts_unread_notices_and_reading_one_lowers_it() -> None:
    tell("nato-airops", "Track 12 escalated")
    notice = tell("nato-airops", "Track 14 escalated")
    client = client_of("nato-airops")

    page = client.get("/en/notifications/")
    assert 'data-testid="bell"' in page.text and '<span class="count">2</span>' in page.text
    assert "Track 12 escalated" in page.text

    answer = client.post(f"/en/notifications/{notice.pk}/read/", {"open": "1"})
    assert answer.status_code == 302 and answer["Location"] == "/en/airpicture/map/"
    assert '<span class="count">1</span>' in client.get("/en/notifications/").text

    client.post("/en/notifications/read-all/")
    assert 'class="count"' not in client.get("/en/notifications/").text


def test_nobody_reads_or_marks_anothers_notice() -> None:
    notice = tell("nato-airops", "Track 16 escalated")
    client = client_of("ua-airops")
    assert "Track 16" not in client.get("/en/notifications/").text
    assert client.post(f"/en/notifications/{notice.pk}/read/").status_code == 404


def test_preferences_are_saved_per_kind_with_the_language() -> None:
    client = client_of("ua-viewer")
    form = {kind: Channel.IMMEDIATE for kind in Kind.values}
    form[Kind.ACTION_DUE] = Channel.DIGEST
    form[Kind.SILENCE_OPENED] = Channel.OFF
    answer = client.post("/uk/notifications/settings/", {**form, "language": "en"})
    assert answer.status_code == 302
    user = User.objects.get(username="ua-viewer")
    assert Preference.objects.get(user=user, kind=Kind.ACTION_DUE).channel == Channel.DIGEST
    assert Recipient.objects.get(user=user).language == "en"

    page = client.get("/uk/notifications/settings/")
    assert page.status_code == 200


def test_a_choice_that_is_not_offered_is_refused_naming_the_kind() -> None:
    client = client_of("ua-viewer")
    form = {kind: Channel.IMMEDIATE for kind in Kind.values}
    form[Kind.ACTION_DUE] = "pigeon"
    answer = client.post("/en/notifications/settings/", {**form, "language": "en"})
    assert answer.status_code == 400
    assert "pigeon" in answer.text
    assert not Preference.objects.filter(user__username="ua-viewer", kind=Kind.ACTION_DUE)
