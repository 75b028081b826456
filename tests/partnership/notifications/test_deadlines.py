"""Deadline scenarios on a frozen clock: who is told, once, in which language, by which channel."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from partnership.anp.models import AnnualProgramme, QuarterlyReport, quarter_due
from partnership.core.models import Marking, Organization, User
from partnership.framework import services as framework
from partnership.framework.models import ActionItem
from partnership.notifications import deadlines, services
from partnership.notifications.models import Channel, EmailState, Kind, Notification

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def user(name: str) -> User:
    return User.objects.get(username=name)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def emails() -> None:
    """Every demo user has an address (the demo's own command gives them one too)."""
    for person in User.objects.filter(email=""):
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])


def _open_quarter() -> tuple[AnnualProgramme, int, dt.date]:
    """The demo's current year and its first quarter nobody has reported on yet."""
    programme = AnnualProgramme.objects.get(year=timezone.localdate().year)
    reported = set(QuarterlyReport.objects.filter(measure__programme=programme)
                   .values_list("quarter", flat=True))  # fmt: skip
    quarter = next(q for q in (1, 2, 3, 4) if q not in reported)
    return programme, quarter, quarter_due(programme.year, quarter)


def mine(name: str, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=name, kind=kind))


def test_a_report_due_in_seven_days_tells_each_agencys_reporter_once_in_ukrainian(
    emails: None,
) -> None:
    programme, quarter, due = _open_quarter()

    with time_machine.travel(at(due - dt.timedelta(days=7)), tick=False):
        deadlines.deadlines_evaluate()
        deadlines.deadlines_evaluate()  # the worker's next round: nothing new
        sent = services.deliver_pending()

    told = mine("ua-reporter", Kind.REPORT_DUE)
    assert len(told) == 1 and told[0].occasion == due.isoformat()
    assert told[0].record == programme
    assert f"Q{quarter}" in told[0].subject_uk and "потрібен звіт" in told[0].subject_uk
    assert mine("ua-ses-reporter", Kind.REPORT_DUE), "every agency with measures is told"
    assert not mine("nato-editor", Kind.REPORT_DUE) and not mine("ua-viewer", Kind.REPORT_DUE)
    # The e-mail is in the reporter's language (Ukrainian: a partner's staff) with a link.
    message = next(m for m in mail.outbox if m.to == ["ua-reporter@example.org"])
    assert sent >= 2 and message.subject == told[0].subject_uk
    assert f"/uk/anp/{programme.year}/measures/" in message.body
    assert told[0].email_state == EmailState.SENT


def test_eight_days_before_nobody_is_told_and_after_the_due_date_it_is_overdue(
    emails: None,
) -> None:
    _programme, _quarter, due = _open_quarter()

    with time_machine.travel(at(due - dt.timedelta(days=8)), tick=False):
        deadlines.deadlines_evaluate()
    assert not mine("ua-reporter", Kind.REPORT_DUE)

    with time_machine.travel(at(due + dt.timedelta(days=1)), tick=False):
        deadlines.deadlines_evaluate()
        deadlines.deadlines_evaluate()

    assert len(mine("ua-reporter", Kind.REPORT_OVERDUE)) == 1
    # The coordinator's editors and approvers get the summary of who is late, agency by agency.
    summary = mine("ua-coordinator", Kind.REPORTS_LATE)
    assert len(summary) == 1 and len(mine("ua-approver", Kind.REPORTS_LATE)) == 1
    assert "Ministry of Defence" in summary[0].body_en or "ua-mod" in summary[0].body_en
    assert not mine("ua-reporter", Kind.REPORTS_LATE)


def test_an_action_item_is_announced_when_assigned_then_due_then_overdue(
    emails: None, django_capture_on_commit_callbacks: object
) -> None:
    deadline = dt.date(2031, 3, 10)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        item = framework.action_item_create(
            by=user("nato-editor"), title_en="Send the CEP exercise plan",
            owner=Organization.objects.get(slug="ua-ses"), deadline=deadline,
            marking=Marking.PARTNERSHIP,
        )  # fmt: skip
    assigned = [n for n in mine("ua-ses-reporter", Kind.ACTION_ASSIGNED) if n.record == item]
    assert [n.occasion for n in assigned] == ["assigned"]

    with time_machine.travel(at(deadline - dt.timedelta(days=4)), tick=False):
        deadlines.deadlines_evaluate()
    assert not [n for n in mine("ua-ses-reporter", Kind.ACTION_DUE) if n.record == item]
    with time_machine.travel(at(deadline - dt.timedelta(days=3)), tick=False):
        deadlines.deadlines_evaluate()
    with time_machine.travel(at(deadline + dt.timedelta(days=1)), tick=False):
        deadlines.deadlines_evaluate()
        deadlines.deadlines_evaluate()

    assert len([n for n in mine("ua-ses-reporter", Kind.ACTION_DUE) if n.record == item]) == 1
    overdue = [n for n in mine("ua-ses-reporter", Kind.ACTION_OVERDUE) if n.record == item]
    assert len(overdue) == 1 and overdue[0].record == item
    assert "Send the CEP exercise plan" in overdue[0].subject_en
    assert not Notification.objects.filter(record_id=item.pk, recipient__username="ua-reporter"), (
        "another agency is not told"
    )


def test_a_record_the_recipient_may_not_see_is_never_announced(
    emails: None, django_capture_on_commit_callbacks: object
) -> None:
    # Given an action item owned by a Ukrainian agency but marked NATO only (its staff cannot
    # see it)
    deadline = dt.date(2031, 5, 10)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        item = framework.action_item_create(
            by=user("nato-editor"), title_en="Internal: assess the SES readiness",
            owner=Organization.objects.get(slug="ua-ses"), deadline=deadline,
            marking=Marking.NATO,
        )  # fmt: skip
    with time_machine.travel(at(deadline + dt.timedelta(days=1)), tick=False):
        deadlines.deadlines_evaluate()
        services.deliver_pending()

    assert not Notification.objects.filter(record_id=item.pk, recipient__username="ua-ses-reporter")
    assert not any("SES readiness" in m.subject or "SES readiness" in m.body for m in mail.outbox)


def test_a_notice_whose_record_was_re_marked_is_withheld_at_send_time(
    emails: None, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        item = framework.action_item_create(
            by=user("nato-editor"), title_en="Draft the cyber roadmap",
            owner=Organization.objects.get(slug="ua-mod"), deadline=None,
            marking=Marking.PARTNERSHIP,
        )  # fmt: skip
    ActionItem.objects.filter(pk=item.pk).update(marking=Marking.NATO)

    services.deliver_pending()

    notice = mine("ua-reporter", Kind.ACTION_ASSIGNED)[0]
    assert notice.email_state == EmailState.WITHHELD
    assert not any("cyber roadmap" in m.subject for m in mail.outbox)


def test_digest_batches_a_days_notices_into_one_e_mail_and_off_tells_nothing(
    emails: None, django_capture_on_commit_callbacks: object
) -> None:
    reporter = user("ua-ses-reporter")
    services.preferences_set(
        by=reporter, language="en",
        channels={Kind.ACTION_ASSIGNED: Channel.DIGEST, Kind.ACTION_OVERDUE: Channel.OFF},
    )  # fmt: skip
    owner = Organization.objects.get(slug="ua-ses")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for n in range(3):
            framework.action_item_create(
                by=user("nato-editor"), title_en=f"Flood drill {n}", owner=owner,
                deadline=timezone.localdate() - dt.timedelta(days=2), marking=Marking.PARTNERSHIP,
            )  # fmt: skip
    deadlines.deadlines_evaluate()
    services.deliver_pending()
    assert not [m for m in mail.outbox if m.to == [reporter.email]], "nothing at once"
    drills = [
        n for n in mine("ua-ses-reporter", Kind.ACTION_ASSIGNED) if "Flood drill" in n.subject_en
    ]
    assert len(drills) == 3, "shown in the site"
    assert not mine("ua-ses-reporter", Kind.ACTION_OVERDUE)

    day = timezone.localdate() + dt.timedelta(days=1)
    with time_machine.travel(at(day, hour=6), tick=False):
        assert services.send_digests() == 0, "before the digest hour"
    with time_machine.travel(at(day, hour=7), tick=False):
        services.send_digests()
        services.send_digests()

    digests = [m for m in mail.outbox if m.to == [reporter.email]]
    assert len(digests) == 1
    assert "3 notifications" in digests[0].subject
    assert all(f"Flood drill {n}" in digests[0].body for n in range(3))
    assert digests[0].extra_headers["Content-Language"] == "en"
