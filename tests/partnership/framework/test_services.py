"""Framework services: one transaction each, roles checked, silence procedure respected."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.framework import services
from partnership.framework.models import Body, Decision, DecisionStatus, Meeting

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_meeting_with_agenda_is_saved_whole() -> None:
    meeting = services.meeting_create(
        by=user("nato-editor"),
        body=Body.objects.get(slug="jwg-cep"),
        level="experts",
        title_en="Annual CEP meeting",
        date="2026-10",
        marking="PARTNERSHIP",
        participants=Organization.objects.filter(slug__in=["nato-is", "ua-ses"]),
        agenda=["Floods", "", "Exercise 2027"],
    )

    assert [a.title_en for a in meeting.agenda_items.all()] == ["Floods", "Exercise 2027"]
    assert meeting.date_start == dt.date(2026, 10, 1) and meeting.date_end == dt.date(2026, 10, 31)


def test_a_failing_meeting_leaves_nothing_behind() -> None:
    count = Meeting.objects.count()
    with pytest.raises(ApplicationError) as info:
        services.meeting_create(
            by=user("nato-editor"),
            body=Body.objects.get(slug="nuc"),
            level="experts",
            title_en="Talks",
            date="2026-10",
            marking="NATIONS",
            nations=["ZZ"],
            agenda=["One"],
        )

    assert info.value.field == "releasable_to"
    assert Meeting.objects.count() == count


def test_viewers_cannot_create_meetings() -> None:
    with pytest.raises(PermissionDeniedError):
        services.meeting_create(
            by=user("ua-viewer"),
            body=Body.objects.get(slug="nuc"),
            level="experts",
            title_en="Talks",
            date="2026-10",
            marking="PUBLIC",
        )


def test_silence_procedure_decision_is_adopted_only_when_silence_ends() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0101",
        title_en="Tailored support package",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(days=2),
    )
    assert decision.status == DecisionStatus.UNDER_SILENCE

    with pytest.raises(ApplicationError):
        services.decision_adopt(by=user("nato-approver"), decision=decision)
    with pytest.raises(PermissionDeniedError):
        services.decision_adopt(by=user("nato-editor"), decision=decision)

    Decision.objects.filter(pk=decision.pk).update(silence_deadline=timezone.now())
    adopted = services.decision_adopt(by=user("nato-approver"), decision=decision)
    assert adopted.status == DecisionStatus.ADOPTED


def test_council_paper_reference_is_checked() -> None:
    with pytest.raises(ApplicationError) as info:
        services.decision_create(
            by=user("nato-editor"),
            meeting=None,
            reference="CM-2026-1",
            title_en="x",
            marking="NATO",
        )

    assert info.value.field == "reference"


def test_broken_silence_is_recorded() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0102",
        title_en="x",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(hours=1),
    )

    services.decision_break_silence(by=user("ally-assessor"), decision=decision)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SILENCE_BROKEN
    assert decision.history.count() == 2


def test_partner_may_not_break_silence() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0103",
        title_en="x",
        marking="PARTNERSHIP",
        silence_deadline=timezone.now() + dt.timedelta(hours=1),
    )

    with pytest.raises(PermissionDeniedError):
        services.decision_break_silence(by=user("ua-viewer"), decision=decision)


def test_bulk_status_change_is_recorded_per_item() -> None:
    from partnership.framework.models import ActionItem

    items = list(ActionItem.objects.filter(title_en__startswith="Follow up"))
    assert len(items) == 3

    services.action_items_bulk_set_status(by=user("nato-editor"), items=items, status="in_progress")

    for item in items:
        latest = item.history.first()
        assert latest.status == "in_progress"
        assert latest.history_user.username == "nato-editor"
        assert latest.history_change_reason == "bulk status change"


def test_bulk_status_change_refuses_items_the_editor_may_not_see() -> None:
    from partnership.core.models import Organization
    from partnership.framework.models import ActionItem

    hidden = ActionItem.objects.create(
        title_en="US only",
        owner=Organization.objects.get(slug="us"),
        marking="NATIONS",
        releasable_to=",US,",
    )
    lt_editor = User.objects.create_user(
        "lt-editor", organization=Organization.objects.get(slug="lt")
    )
    from partnership.core.services import role_grant

    role_grant(by=None, user=lt_editor, role="editor")

    with pytest.raises(ApplicationError):
        services.action_items_bulk_set_status(by=lt_editor, items=[hidden], status="done")
    hidden.refresh_from_db()
    assert hidden.status == "open"
