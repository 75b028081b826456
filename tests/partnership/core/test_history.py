"""History as a person reads it (`core/history.py` and `includes/history.html`): translated field
labels, linked records by name through the releasability rule, values as displayed, reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from simple_history.utils import update_change_reason

from partnership.core.history import displayed, record_history
from partnership.core.models import Marking, Organization, User
from partnership.framework.models import Body, Meeting, MeetingLevel
from partnership.trustfunds.models import Project

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def edited_meeting() -> Meeting:
    """A partnership meeting moved from a NATO-only body to a public one, re-levelled, re-dated
    and given participants, with a reason for the change."""
    hidden = Body.objects.create(
        slug="history-hidden-group",
        kind="committee",
        name_en="Steering Group Omega",
        name_uk="Керівна група Омега",
        marking=Marking.NATO,
    )
    public = Body.objects.create(
        slug="history-public-group",
        kind="committee",
        name_en="Open Working Group",
        name_uk="Відкрита робоча група",
        marking=Marking.PUBLIC,
    )
    meeting = Meeting.objects.create(
        body=hidden,
        level=MeetingLevel.EXPERTS,
        title_en="Review of reform",
        title_uk="Огляд реформи",
        date="2026-11",
        marking=Marking.PARTNERSHIP,
    )
    meeting.body = public
    meeting.level = MeetingLevel.AMBASSADORS
    meeting.date = "2026-11-02/2026-11-03"
    meeting.save()
    update_change_reason(meeting, "Moved to the open group after the review")
    meeting.participants.set(Organization.objects.filter(slug__in=["ua", "nato"]))
    return meeting


def test_a_ukrainian_page_labels_changes_in_ukrainian_and_names_the_records(
    edited_meeting: Meeting,
) -> None:
    # Given a meeting whose body, level and date were changed, when NATO staff read it in Ukrainian
    page = client_of("nato-editor").get(f"/uk/framework/meetings/{edited_meeting.pk}/")
    text = page.content.decode()
    # then the fields carry their Ukrainian names, not the columns' English ones
    assert page.status_code == 200
    assert "<dt>Орган</dt>" in text
    assert "<dt>Рівень</dt>" in text
    assert "<dt>Дата</dt>" in text
    assert "<dt>body</dt>" not in text
    # and the values are written as the meeting page writes them: bodies by their Ukrainian
    # name, the level by its label, the dates as people write them
    assert "Керівна група Омега" in text
    assert "Відкрита робоча група" in text
    assert "На рівні послів" in text
    assert "2026-11-02/2026-11-03" not in text
    # and the reason of the change is shown
    assert "Moved to the open group after the review" in text


def test_participants_are_named_not_shown_as_rows_of_ids(edited_meeting: Meeting) -> None:
    # Given a meeting whose participants were set, when its history is read in English
    user = User.objects.get(username="nato-editor")
    with translation.override("en"):
        entries = record_history(user, edited_meeting)
    # then the newest change lists the participants by name
    participants = [c for e in entries for c in e.changes if c.label == "Participants"]
    assert participants, entries
    assert "Ukraine" in participants[0].new
    assert "{" not in participants[0].new and "organization" not in participants[0].new


def test_a_hidden_body_in_the_history_is_a_restricted_record_for_the_partner(
    edited_meeting: Meeting,
) -> None:
    # Given the meeting moved away from a NATO-only body, when a Ukrainian viewer reads it
    page = client_of("ua-viewer").get(f"/en/framework/meetings/{edited_meeting.pk}/")
    text = page.content.decode()
    # then the old body is the neutral placeholder, never its name
    assert page.status_code == 200
    assert "Steering Group Omega" not in text
    assert "Керівна група Омега" not in text
    history = text[text.index('<section class="history">') :]
    assert "Restricted record" in history
    assert "Open Working Group" in history


def test_the_change_reason_and_kind_are_in_the_readers_language(edited_meeting: Meeting) -> None:
    # Given the edited meeting, when read in Ukrainian
    user = User.objects.get(username="nato-editor")
    with translation.override("uk"):
        entries = record_history(user, edited_meeting)
    # then each step is named in Ukrainian and the reason is kept as written
    kinds = {e.kind for e in entries}
    assert kinds <= {"Створено", "Змінено", "Видалено"}
    assert "Moved to the open group after the review" in {e.reason for e in entries}


@pytest.mark.parametrize(
    ("language", "written"), [("en", "1,500,000.00"), ("uk", "1\xa0500\xa0000,00")]
)
def test_money_is_grouped_by_the_language(language: str, written: str) -> None:
    # Given a budget as stored, when shown in the history of a project
    budget = Project._meta.get_field("budget_eur")
    with translation.override(language):
        shown = displayed(User.objects.get(username="nato-editor"), budget, Decimal("1500000"))
    # then it is grouped and punctuated as the page's tables write it
    assert shown == written


def test_releasable_to_names_the_nations() -> None:
    # Given a NATIONS marking's stored codes, when shown in a history
    field = Meeting._meta.get_field("releasable_to")
    with translation.override("uk"):
        shown = displayed(User.objects.get(username="nato-editor"), field, ",UA,")
    # then the nation is named in the reader's language, not by its code
    assert shown == "Україна"
