"""Calendars: a person's secret feed with exactly what they may see, revoked and made anew;
a meeting's .ics."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from partnership.anp.models import AnnualProgramme, Measure, quarter_due
from partnership.core.models import User
from partnership.core.selectors import can_see
from partnership.core.services import marking_apply
from partnership.documents.models import CalendarFeed
from partnership.framework.models import Decision, DecisionStatus, Meeting
from tests.partnership.core.test_selectors import EXPECTED, MARKINGS, client_for, records

pytestmark = pytest.mark.django_db
SECRET_IN_PAGE = re.compile(r"/calendar/([A-Za-z0-9_-]{20,})\.ics")
__all__ = ["records"]  # the matrix's meetings and action items, a fixture of its own


def _secret(client: Client) -> str:
    client.post("/en/documents/calendar/", {"action": "issue"})
    page = client.get("/en/documents/calendar/").content.decode()
    found = SECRET_IN_PAGE.search(page)
    assert found is not None
    return found.group(1)


def _feed(secret: str) -> Calendar:
    answer = Client().get(f"/calendar/{secret}.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(answer.content)


def _uids(calendar: Calendar, prefix: str) -> set[str]:
    return {
        str(event["uid"])
        for event in calendar.walk("VEVENT")
        if str(event["uid"]).startswith(prefix)
    }


@pytest.fixture
def silences() -> dict[str, Decision]:
    made = {}
    for name, (marking, nations) in MARKINGS.items():
        decision = Decision(
            title_en=f"Matrix silence {name}",
            status=DecisionStatus.UNDER_SILENCE,
            silence_deadline=timezone.now() + dt.timedelta(days=3),
        )
        marking_apply(record=decision, marking=marking, nations=nations)
        decision.save()
        made[name] = decision
    return made


@pytest.mark.parametrize(
    "who", ["nato-editor", "ally-assessor", "lt-viewer", "ua-reporter", "ua-viewer", "ge-viewer"]
)
def test_the_feed_holds_exactly_what_the_person_may_see(
    who: str, records: dict[str, dict[str, Any]], silences: dict[str, Decision]
) -> None:
    # Given a person who made their calendar address on the calendar page
    client = client_for(who)
    user = User.objects.get(username=who)
    # When their calendar program reads it
    calendar = _feed(_secret(client))
    meetings = _uids(calendar, "meeting-")
    # Then the matrix's meetings, silence ends and action items are there exactly where the
    # hand-written matrix says they may be seen (action items: only their organization's)
    for name in MARKINGS:
        allowed = name in EXPECTED[who]
        assert (f"meeting-{records[name]['meeting'].pk}@partnership" in meetings) is allowed
        silence = f"silence-{silences[name].pk}@partnership"
        assert (silence in _uids(calendar, "silence-")) is allowed, (who, name)
        owned = records[name]["action"].owner_id == user.organization_id
        action = f"action-{records[name]['action'].pk}@partnership"
        assert (action in _uids(calendar, "action-")) is (allowed and owned), (who, name)
    # And no meeting in it is one they may not see
    for uid in meetings:
        pk = int(uid.removeprefix("meeting-").removesuffix("@partnership"))
        assert can_see(user, Meeting.objects.get(pk=pk)), (who, uid)


def test_report_due_dates_go_to_the_agencies_that_owe_them() -> None:
    # Given an ANP year in which the Ministry of Defence has a measure
    measure = Measure.objects.filter(agency__slug="ua-mod").select_related("programme").first()
    if measure is None:
        pytest.skip("no ANP measure of ua-mod in the demo data")
    programme: AnnualProgramme = measure.programme
    today = timezone.localdate()
    due = [
        quarter_due(programme.year, q)
        for q in (1, 2, 3, 4)
        if today - dt.timedelta(days=365) <= quarter_due(programme.year, q)
    ]
    # When its reporter and a Georgian viewer read their calendars
    reporter = _feed(_secret(client_for("ua-reporter")))
    georgian = _feed(_secret(client_for("ge-viewer")))
    # Then the reporter's has the year's due dates (the 25th of a quarter's last month)
    dates = {
        event["dtstart"].dt
        for event in reporter.walk("VEVENT")
        if str(event["uid"]).startswith(f"anp-{programme.pk}-")
    }
    assert dates == {d for d in due if d <= today + dt.timedelta(days=3 * 365)}
    assert not _uids(georgian, "anp-")


def test_a_revoked_address_gives_404_and_a_new_one_works() -> None:
    client = client_for("ua-viewer")
    first = _secret(client)
    assert Client().get(f"/calendar/{first}.ics").status_code == 200
    # Making a new address stops the old one
    second = _secret(client)
    assert Client().get(f"/calendar/{first}.ics").status_code == 404
    assert Client().get(f"/calendar/{second}.ics").status_code == 200
    # Revoking stops the new one too
    client.post("/en/documents/calendar/", {"action": "revoke"})
    assert Client().get(f"/calendar/{second}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user__username="ua-viewer").exists()
    # The secret is never stored, only its hash
    third = _secret(client)
    assert not CalendarFeed.objects.filter(digest=third).exists()
    assert Client().get("/calendar/not-a-secret.ics").status_code == 404


def test_the_feed_speaks_the_language_it_was_made_in() -> None:
    client = client_for("ua-viewer")
    client.post("/uk/documents/calendar/", {"action": "issue"})
    found = SECRET_IN_PAGE.search(client.get("/uk/documents/calendar/").content.decode())
    assert found is not None
    calendar = _feed(found.group(1))
    assert str(calendar["x-wr-calname"]).startswith("Партнерство")


def test_a_meeting_page_offers_its_ics(records: dict[str, dict[str, Any]]) -> None:
    meeting = records["public"]["meeting"]
    page = Client().get(f"/en/framework/meetings/{meeting.pk}/").content.decode()
    url = f"/en/documents/meetings/{meeting.pk}/calendar.ics"
    assert url in page
    calendar = Calendar.from_ical(Client().get(url).content)
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].dt == dt.date(2026, 11, 2)
    assert event["dtend"].dt == dt.date(2026, 11, 3)  # all day: the day after (RFC 5545)
    assert str(event["summary"]) == "Matrix meeting public"
    # A meeting the reader may not see has no .ics either
    hidden = records["nato"]["meeting"]
    assert Client().get(f"/en/documents/meetings/{hidden.pk}/calendar.ics").status_code == 404
