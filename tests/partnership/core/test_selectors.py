"""The releasability matrix: every kind of user × every marking × list, detail, API and references.

The expectations are written out by hand, independently of the selector, so that a leak in
either direction fails here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from partnership.core.models import Organization, User
from partnership.core.selectors import clearance, marking_default, visibility_filter
from partnership.core.services import marking_apply
from partnership.framework.models import ActionItem, Body, Meeting, MeetingLevel, Milestone

pytestmark = pytest.mark.django_db

MARKINGS = {
    # name: (marking, nations)
    "public": ("PUBLIC", []),
    "partnership": ("PARTNERSHIP", []),
    "nato": ("NATO", []),
    "lt-ua": ("NATIONS", ["LT", "UA"]),
    "us-only": ("NATIONS", ["US"]),
}
# Who sees what. Users are the demo users (one per role and side) plus a superuser.
EXPECTED = {
    "anonymous": {"public"},
    "nato-editor": {"public", "partnership", "nato", "lt-ua", "us-only"},
    "ally-assessor": {"public", "partnership", "nato", "us-only"},
    "lt-viewer": {"public", "partnership", "nato", "lt-ua"},
    "ua-reporter": {"public", "partnership", "lt-ua"},
    "ua-viewer": {"public", "partnership", "lt-ua"},
    "ge-viewer": {"public"},
    "superuser": set(MARKINGS),
}


@pytest.fixture
def records() -> dict[str, dict[str, Any]]:
    nuc = Body.objects.get(slug="nuc")
    owner = Organization.objects.get(slug="ua-mod")
    made: dict[str, dict[str, Any]] = {}
    for number, (name, (marking, nations)) in enumerate(MARKINGS.items(), start=900):
        meeting = Meeting(
            body=nuc,
            level=MeetingLevel.EXPERTS,
            title_en=f"Matrix meeting {name}",
            date="2026-11-02",
        )
        item = ActionItem(
            title_en=f"Matrix action {name}", owner=owner, deadline=dt.date(2027, 1, 1)
        )
        milestone = Milestone(
            number=number,
            date="2026-11",
            text_en=f"Matrix milestone {name}",
            text_uk=f"Віха {name}",
            theme="political",
        )
        for record in (meeting, item, milestone):
            marking_apply(record=record, marking=marking, nations=nations)
            record.save()
        made[name] = {"meeting": meeting, "action": item, "milestone": milestone}
    return made


def client_for(who: str) -> Client:
    client = Client()
    if who == "superuser":
        client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 20))
    elif who != "anonymous":
        client.force_login(User.objects.get(username=who))
    return client


def user_for(who: str) -> Any:
    if who == "anonymous":
        return AnonymousUser()
    if who == "superuser":
        return User.objects.create_superuser("root2", "root@example.org", "x" * 20)
    return User.objects.get(username=who)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_selector_returns_exactly_what_the_user_may_see(who: str, records: dict) -> None:
    from partnership.core.selectors import visible_to

    user = user_for(who)
    for kind, model in (("meeting", Meeting), ("action", ActionItem), ("milestone", Milestone)):
        visible = set(
            visible_to(user, model.objects.filter(pk__in=[r[kind].pk for r in records.values()]))
        )
        expected = {records[name][kind] for name in EXPECTED[who]}
        assert visible == expected, (who, kind)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_show_exactly_what_the_user_may_see(who: str, records: dict) -> None:
    client = client_for(who)
    meetings = client.get("/en/framework/meetings/").content.decode()
    timeline = client.get("/en/timeline/?year=2026").content.decode()
    actions = client.get("/en/framework/action-items/").content.decode()
    for name, record in records.items():
        allowed = name in EXPECTED[who]
        assert (f"Matrix meeting {name}<" in meetings) is allowed, (who, name, "meeting list")
        assert (f"Matrix milestone {name}<" in timeline) is allowed, (who, name, "timeline")
        assert (f"Matrix action {name}<" in actions) is allowed, (who, name, "action list")
        detail = client.get(f"/en/framework/meetings/{record['meeting'].pk}/")
        assert detail.status_code == (200 if allowed else 404), (who, name, "meeting detail")
        detail = client.get(f"/en/milestones/{record['milestone'].number}/")
        assert detail.status_code == (200 if allowed else 404), (who, name, "milestone detail")


@pytest.mark.parametrize("who", list(EXPECTED))
def test_api_returns_exactly_what_the_user_may_see(who: str, records: dict) -> None:
    client = client_for(who)
    meeting_titles = {m["title"] for m in client.get("/api/meetings").json()}
    milestone_texts = {m["text"] for m in client.get("/api/milestones?year=2026").json()}
    action_titles = {a["title"] for a in client.get("/api/action-items").json()}
    for name, record in records.items():
        allowed = name in EXPECTED[who]
        assert (f"Matrix meeting {name}" in meeting_titles) is allowed, (who, name)
        assert (f"Matrix milestone {name}" in milestone_texts) is allowed, (who, name)
        assert (f"Matrix action {name}" in action_titles) is allowed, (who, name)
        response = client.get(f"/api/meetings/{record['meeting'].pk}")
        assert response.status_code == (200 if allowed else 404), (who, name)
        response = client.get(f"/api/milestones/{record['milestone'].number}")
        assert response.status_code == (200 if allowed else 404), (who, name)


def test_export_goes_through_the_same_selector(
    records: dict, capsys: pytest.CaptureFixture
) -> None:
    from django.core.management import call_command

    call_command("export", "meetings", "--as", "ua-viewer")
    out = capsys.readouterr().out
    for name in MARKINGS:
        assert (f"Matrix meeting {name}" in out) is (name in EXPECTED["ua-viewer"])


@pytest.fixture
def references() -> dict[str, dict[str, Any]]:
    """For each marking, PUBLIC records pointing at a target under that marking."""
    from partnership.framework.models import Decision

    owner = Organization.objects.get(slug="ua-mod")
    made: dict[str, dict[str, Any]] = {}
    for name, (marking, nations) in MARKINGS.items():
        body = Body(slug=f"matrix-body-{name}", kind="committee", name_en=f"Matrix body {name}")
        marking_apply(record=body, marking=marking, nations=nations)
        body.save()
        target = Meeting(
            body=Body.objects.get(slug="nuc"),
            level=MeetingLevel.EXPERTS,
            title_en=f"Matrix target {name}",
            date="2026-11-02",
        )
        marking_apply(record=target, marking=marking, nations=nations)
        target.save()
        meeting = Meeting.objects.create(
            body=body,
            level=MeetingLevel.EXPERTS,
            title_en=f"Matrix source {name}",
            date="2026-11-02",
            marking="PUBLIC",
        )
        decision = Decision.objects.create(
            meeting=target, title_en=f"Matrix decision {name}", marking="PUBLIC"
        )
        item = ActionItem.objects.create(
            title_en=f"Matrix follow-up {name}", owner=owner, meeting=target, marking="PUBLIC"
        )
        made[name] = {"body": body, "target": target, "meeting": meeting, "decision": decision}
        made[name]["item"] = item
    return made


@pytest.mark.parametrize("who", list(EXPECTED))
def test_references_show_exactly_what_the_user_may_see(who: str, references: dict) -> None:
    client = client_for(who)
    decisions = {d["title"]: d for d in client.get("/api/decisions").json()}
    items = {a["title"]: a for a in client.get("/api/action-items").json()}
    for name, made in references.items():
        allowed = name in EXPECTED[who]
        meeting = client.get(f"/api/meetings/{made['meeting'].pk}").json()
        assert meeting["body"] == (made["body"].slug if allowed else None), (who, name)
        page = client.get(f"/en/framework/meetings/{made['meeting'].pk}/").content.decode()
        assert (f"Matrix body {name}<" in page) is allowed, (who, name, "page")
        assert ("Restricted record" in page) is not allowed, (who, name, "placeholder")
        expected_id = made["target"].pk if allowed else None
        assert decisions[f"Matrix decision {name}"]["meeting"] == expected_id, (who, name)
        assert items[f"Matrix follow-up {name}"]["meeting"] == expected_id, (who, name)


def test_organizations_come_in_the_alphabetical_order_of_the_language() -> None:
    from django.utils import translation

    from partnership.core.models import Organization
    from partnership.core.selectors import by_name

    allies = Organization.objects.filter(slug__in=["it", "es", "is", "hu", "ee"])
    with translation.override("uk"):
        ukrainian = [o.name for o in by_name(allies)]
    with translation.override("en"):
        english = [o.name for o in by_name(allies)]

    assert ukrainian == ["Естонія", "Ісландія", "Іспанія", "Італія", "Угорщина"]
    assert english == ["Estonia", "Hungary", "Iceland", "Italy", "Spain"]


@pytest.mark.parametrize(
    ("username", "marking", "nations"),
    [("nato-editor", "NATO", []), ("ua-reporter", "NATIONS", ["UA"])],
)
def test_a_new_record_starts_at_the_most_restrictive_marking_its_author_sees(
    username: str, marking: str, nations: list[str]
) -> None:
    # Given an author of NATO's staff or of a nation's
    author = User.objects.get(username=username)

    # When a form for a new record starts
    initial = marking_default(author)

    # Then it is never PUBLIC, and the author still sees what they would save
    assert initial == {"marking": marking, "nations": nations}


def test_without_a_nations_field_a_nation_starts_at_partnership() -> None:
    assert marking_default(User.objects.get(username="ua-reporter"), nations=False)["marking"] == (
        "PARTNERSHIP"
    )


# What each reader is cleared for, by hand: the decision `visibility_filter` and the search
# index's condition are both made from.
CLEARANCES = {
    "anonymous": (False, {"PUBLIC"}, ""),
    "nato-editor": (True, {"PUBLIC"}, ""),
    "ally-assessor": (False, {"PUBLIC", "PARTNERSHIP", "NATO"}, "US"),
    "lt-viewer": (False, {"PUBLIC", "PARTNERSHIP", "NATO"}, "LT"),
    "ua-viewer": (False, {"PUBLIC", "PARTNERSHIP"}, "UA"),
    "superuser": (True, {"PUBLIC"}, ""),
}


@pytest.mark.parametrize("who", list(CLEARANCES))
def test_a_readers_clearance_names_what_their_organization_may_see(who: str) -> None:
    # Given a reader, when their clearance is asked
    reader = user_for(who)
    found = clearance(reader)
    # Then it names the markings they see whole and the nation whose records they see
    everything, markings, nation = CLEARANCES[who]
    assert (found.everything, set(found.markings), found.nation) == (everything, markings, nation)
    # and the condition on records is made from it
    assert visibility_filter(reader) == found.condition()
