"""News as it happens: each service's change tells the right people once its transaction
commits, and nobody who may not see the record."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from partnership.airpicture.services import track_escalate
from partnership.anp import services as anp
from partnership.anp.models import AnnualProgramme
from partnership.core.exceptions import ApplicationError
from partnership.core.models import Marking, Organization, User
from partnership.core.selectors import can_see
from partnership.framework import services as framework
from partnership.notifications.deadlines import deadlines_evaluate
from partnership.notifications.models import Kind, Notification
from partnership.programmes import services as programmes
from partnership.programmes.models import Programme
from partnership.trustfunds.models import FundStatus, TrustFund
from tests.partnership.airpicture.conftest import RecordingCentre, centres  # noqa: F401

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def told(kind: str, record: object = None) -> set[str]:
    rows = Notification.objects.filter(kind=kind)
    if record is not None:
        rows = rows.filter(record_id=record.pk)  # type: ignore[attr-defined]
    return set(rows.values_list("recipient__username", flat=True))


def test_a_silence_procedure_tells_the_bodys_members_when_opened_ending_and_broken(
    django_capture_on_commit_callbacks: object,
) -> None:
    ends = timezone.now() + dt.timedelta(hours=30)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        decision = framework.decision_create(
            by=user("nato-editor"), meeting=None, reference="C-M(2026)9042",
            title_en="Statement on the Black Sea", marking=Marking.PARTNERSHIP,
            silence_deadline=ends,
        )  # fmt: skip
    opened = told(Kind.SILENCE_OPENED, decision)
    # The NUC's members are NATO and the nations: their staff are told, Ukraine's too.
    assert {"nato-editor", "ally-assessor", "ua-coordinator", "ua-reporter"} <= opened
    assert "ge-viewer" not in opened, "Georgia is not a member of the NUC"

    deadlines_evaluate()
    assert not told(Kind.SILENCE_ENDING, decision), "30 hours ahead is not within 24"
    deadlines_evaluate(now=ends - dt.timedelta(hours=23))
    deadlines_evaluate(now=ends - dt.timedelta(hours=1))
    assert told(Kind.SILENCE_ENDING, decision) == opened
    assert Notification.objects.filter(kind=Kind.SILENCE_ENDING, record_id=decision.pk,
                                        recipient__username="us-lead").count() == 1  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        framework.decision_break_silence(by=user("ally-assessor"), decision=decision)
    assert told(Kind.SILENCE_BROKEN, decision) == opened


def test_a_nato_only_silence_procedure_is_never_told_to_the_partner(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        decision = framework.decision_create(
            by=user("nato-editor"), meeting=None, reference="C-M(2026)0043",
            title_en="Internal: posture review", marking=Marking.NATO,
            silence_deadline=timezone.now() + dt.timedelta(hours=10),
        )  # fmt: skip
    deadlines_evaluate()
    for kind in (Kind.SILENCE_OPENED, Kind.SILENCE_ENDING):
        people = told(kind, decision)
        assert "nato-editor" in people
        assert not {p for p in people if p.startswith("ua-")}


def test_an_anp_programme_submitted_approved_and_returned_tells_the_coordinator(
    django_capture_on_commit_callbacks: object,
) -> None:
    source = AnnualProgramme.objects.order_by("-year").first()
    assert source is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        draft = anp.programme_copy(by=user("ua-coordinator"), source=source, year=source.year + 1)
        # A copied year waits for its new deadlines before it can be submitted.
        draft.measures.update(
            deadline=f"{draft.year}-36",
            deadline_start=dt.date(draft.year, 10, 1),
            deadline_end=dt.date(draft.year, 12, 31),
        )
        anp.programme_submit(by=user("ua-coordinator"), programme=draft)
    assert told(Kind.ANP_SUBMITTED, draft) == {"ua-coordinator", "ua-approver"}

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        anp.programme_return(by=user("ua-approver"), programme=draft)
    assert told(Kind.ANP_RETURNED, draft) == {"ua-coordinator", "ua-approver"}

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        anp.programme_submit(by=user("ua-coordinator"), programme=draft)
        anp.programme_approve(by=user("ua-approver"), programme=draft)
    assert told(Kind.ANP_APPROVED, draft) == {"ua-coordinator", "ua-approver"}
    # Submitted twice: told twice, once for each submission.
    assert Notification.objects.filter(kind=Kind.ANP_SUBMITTED, record_id=draft.pk,
                                        recipient__username="ua-approver").count() == 2  # fmt: skip


def _apply_for_sps(**values: object) -> Any:
    """The Ukrainian coordinator's demining application to the SPS programme, for Ukraine."""
    return programmes.grant_apply(
        by=user("ua-coordinator"),
        programme=Programme.objects.get(slug="sps"),
        topic="demining",
        beneficiary=Organization.objects.get(slug="ua"),
        **values,  # type: ignore[arg-type]
    )


def test_an_sps_application_tells_the_programmes_managers(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        grant = _apply_for_sps(
            title_en="Sensors for demining",
            ceiling_eur=Decimal(100000),
            period="2027/2028",
            summary_en="Ground-penetrating radar.",
        )
    assert told(Kind.SPS_REVIEW, grant) == {"nato-editor"}
    notice = Notification.objects.get(kind=Kind.SPS_REVIEW, record_id=grant.pk)
    assert grant.reference in notice.subject_en and notice.path.endswith(f"/{grant.reference}/")


def test_a_withdrawn_sps_application_tells_the_same_managers_in_their_language(
    django_capture_on_commit_callbacks: object,
) -> None:
    # Given an application told to the SPS managers, one more of whom may not see it
    sps = Programme.objects.get(slug="sps")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        grant = _apply_for_sps(
            title_en="Mine-clearing sensors",
            title_uk="Сенсори для розмінування",
            ceiling_eur=Decimal(90000),
            period="2027/2028",
            summary_en="Radar.",
            marking=Marking.PARTNERSHIP,
        )
    blind = user("ge-viewer")
    sps.managers.add(blind)
    assert not can_see(blind, grant)
    applied = told(Kind.SPS_REVIEW, grant)
    # When its applicant withdraws it
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        programmes.grant_withdraw(
            by=user("ua-coordinator"), grant=grant, reason="Funded elsewhere.", confirm=True
        )
    # Then the managers told of it are told again, once, that it left the queue, with the
    # reason, in both languages; the manager who may not see it is told nothing
    withdrawn = Notification.objects.filter(
        kind=Kind.SPS_REVIEW, record_id=grant.pk, occasion="withdrawn"
    )
    assert {n.recipient.username for n in withdrawn} == applied == {"nato-editor"}
    notice = withdrawn.get()
    assert "withdrawn" in notice.subject_en and "Mine-clearing sensors" in notice.subject_en
    assert "відкликано" in notice.subject_uk and "Сенсори для розмінування" in notice.subject_uk
    assert "Funded elsewhere." in notice.body_en and "Funded elsewhere." in notice.body_uk
    assert notice.body_uk.startswith("Причина")
    assert notice.path.endswith(f"/{grant.reference}/")


def test_a_refused_withdrawal_tells_no_one(django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        grant = _apply_for_sps(
            title_en="Sensors kept", ceiling_eur=Decimal(1000), period="2027", summary_en="Radar."
        )
        with pytest.raises(ApplicationError):
            programmes.grant_withdraw(by=user("ua-coordinator"), grant=grant, reason="No.")
    assert not Notification.objects.filter(record_id=grant.pk, occasion="withdrawn").exists()


def test_a_proposed_trust_fund_waits_for_natos_approvers() -> None:
    fund = TrustFund.objects.order_by("pk").first()
    assert fund is not None
    TrustFund.objects.filter(pk=fund.pk).update(status=FundStatus.PROPOSED)

    deadlines_evaluate()
    deadlines_evaluate()

    people = told(Kind.FUND_APPROVAL, fund)
    assert {"nato-approver", "nato-airops"} <= people
    assert not {p for p in people if p.startswith("ua-")}, "the Allies decide"
    assert Notification.objects.filter(kind=Kind.FUND_APPROVAL, record_id=fund.pk,
                                        recipient__username="nato-approver").count() == 1  # fmt: skip


def test_a_renegade_escalation_tells_the_air_operations_staff_of_both_sides(
    centres: dict[str, RecordingCentre],  # noqa: F811
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        track_escalate(by=user("nato-airops"), track=101, level="probable")

    assert told(Kind.RENEGADE) == {"nato-airops", "ua-airops"}
    notice = Notification.objects.get(kind=Kind.RENEGADE, recipient__username="ua-airops")
    assert "101" in notice.subject_uk and "імовірний" in notice.subject_uk
    assert notice.path == "/airpicture/map/"
