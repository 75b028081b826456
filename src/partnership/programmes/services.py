"""Writes of the programmes: events with their counted participation, grants, PARP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.formatting import money
from partnership.core.models import Organization, OrganizationKind, Role, Side, User
from partnership.core.partial_input import check_plausible, parse_partial
from partnership.core.selectors import can_see
from partnership.core.services import full_clean_or_error, marking_apply
from partnership.notifications import events
from partnership.programmes.models import (
    Event,
    Grant,
    GrantReview,
    GrantStatus,
    Participation,
    Programme,
    RankGroup,
    Recommendation,
    Service,
    Sex,
)

MSG_MANAGERS_ONLY = _("Only the programme's managers may do this.")
MSG_COUNTS_DO_NOT_ADD_UP = _(
    "The participation counts add up to %(counted)d, but the event had %(total)d participants."
)
MSG_ABOVE_CEILING = _("The award of %(amount)s is above the approved ceiling of %(ceiling)s.")
MSG_NOT_UNDER_REVIEW = _("Only a grant under review can be awarded.")
MSG_NO_POSITIVE_REVIEW = _("A grant is awarded only after at least one review recommends it.")
MSG_NOT_APPLICANT = _("Applications are made by editors of an Allied or partner organization.")
MSG_NOT_REVIEWER = _(
    "Reviews are written by editors, approvers or assessors of NATO or an Allied nation."
)
MSG_OWN_APPLICATION = _("No one reviews their own application.")
MSG_GRANT_STATE = _("The grant is %(status)s; this step needs a grant that is %(expected)s.")
MSG_BENEFICIARY = _("The beneficiary of an SPS grant is a partner country.")
MSG_CEILING = _("The amount requested must be greater than zero.")
MSG_AWARD_POSITIVE = _("The award must be greater than zero.")
MSG_AWARD_OWN = _("No one awards their own application.")
MSG_AWARD_CONFIRM = _("An award is not undone: tick the box to confirm it.")
MSG_EVENT_WITHDRAWN = _("This event is withdrawn: it is kept as it was and not changed.")
MSG_GRANT_WITHDRAWN = _("This application is withdrawn: it is kept as it was and not changed.")
MSG_WITHDRAW_REASON = _("Say why it is withdrawn: the reason is kept with the record.")
MSG_WITHDRAW_CONFIRM = _("Tick the box to confirm the withdrawal.")
MSG_APPLICANT_ONLY = _("Only the applicant may change or withdraw an application.")
MSG_APPLICATION_DECIDED = _(
    "The application is %(status)s and has a reviewer's recommendation or a decision: it can "
    "no longer be changed or withdrawn."
)
MSG_DUPLICATE_ROW = _(
    "Two rows count the same group (%(organization)s, %(service)s, %(sex)s, %(rank)s): give "
    "it one row."
)


def dates_clean(value: str, *, field: str, kind: str = "plan") -> str:
    """A date or period of the programmes as people write it (or EDTF), as the EDTF kept:
    its ends in order, from 1991 to ten years ahead (a plan; `past` for what happened)."""
    try:
        edtf = parse_partial(value)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field=field) from exc
    check_plausible(edtf, field=field, kind=kind)
    return edtf


@dataclass(frozen=True)
class Count:
    """One line of a participation table."""

    organization: Organization
    service: str
    sex: str
    rank_group: str
    count: int


def can_manage(user: object, programme: Programme) -> bool:
    """The programme's managers (editors named on it) record its events and decide its
    grants; pages ask this to show the buttons, services to allow the write."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.has_role(Role.EDITOR)
        and programme.managers.filter(pk=user.pk).exists()
        and can_see(user, programme)
    )


def can_apply(user: object) -> bool:
    """Who applies for an SPS grant: editors of NATO, an Ally or a partner."""
    if not isinstance(user, User) or not user.is_active:
        return False
    side = user.organization.side if user.organization else Side.NONE
    return user.is_superuser or (
        user.has_role(Role.EDITOR)
        and side in (Side.NATO, Side.ALLY, Side.PARTNER, Side.OTHER_PARTNER)
    )


def _require_manager(user: User, programme: Programme) -> None:
    if not can_manage(user, programme):
        raise PermissionDeniedError(MSG_MANAGERS_ONLY)


def _check_counts(counts: list[Count], total: int) -> None:
    for line in counts:
        if line.count <= 0:
            raise ApplicationError(
                _("Each count must be a positive number."), field="participation"
            )
        for value, choices, field in (
            (line.service, Service, "service"),
            (line.sex, Sex, "sex"),
            (line.rank_group, RankGroup, "rank_group"),
        ):
            if value not in choices.values:
                raise ApplicationError(
                    _("“%(value)s” is not a valid choice.") % {"value": value}, field=field
                )
    seen: set[tuple[int, str, str, str]] = set()
    for line in counts:
        key = (line.organization.pk, line.service, line.sex, line.rank_group)
        if key in seen:
            raise ApplicationError(
                MSG_DUPLICATE_ROW
                % {
                    "organization": line.organization.name,
                    "service": Service(line.service).label, "sex": Sex(line.sex).label,
                    "rank": RankGroup(line.rank_group).label,
                },
                field="participation",
            )  # fmt: skip
        seen.add(key)
    counted = sum(line.count for line in counts)
    if counted != total:
        raise ApplicationError(
            MSG_COUNTS_DO_NOT_ADD_UP % {"counted": counted, "total": total},
            field="participants_total",
        )


def _event_fill(
    event: Event,
    *,
    kind: str,
    title_en: str,
    title_uk: str,
    date: str,
    place_en: str,
    participants_total: int,
    lines: list[Count],
    marking: str,
    nations: Iterable[str],
) -> None:
    """The rules an event's fields and table meet, whether it is recorded or corrected."""
    event.date = dates_clean(date, field="date")
    _check_counts(lines, participants_total)
    event.kind, event.title_en, event.title_uk = kind, title_en, title_uk
    event.place_en, event.participants_total = place_en, participants_total
    marking_apply(record=event, marking=marking, nations=nations)
    full_clean_or_error(event)


def _event_table(event: Event, lines: list[Count]) -> None:
    # Through the history library, so that each row's arrival (and removal) is kept.
    bulk_create_with_history(
        [Participation(event=event, organization=line.organization, service=line.service,
                       sex=line.sex, rank_group=line.rank_group, count=line.count)
         for line in lines],
        Participation,
    )  # fmt: skip


@transaction.atomic
def event_record(
    *,
    by: User,
    programme: Programme,
    kind: str,
    title_en: str,
    date: str,
    participants_total: int,
    counts: Iterable[Count],
    marking: str,
    nations: Iterable[str] = (),
    title_uk: str = "",
    place_en: str = "",
    organizers: Iterable[Organization] = (),
    demo: bool = False,
) -> Event:
    """An event and its participation table, saved whole or not at all."""
    _require_manager(by, programme)
    lines = list(counts)
    event = Event(programme=programme, demo=demo)
    _event_fill(
        event, kind=kind, title_en=title_en, title_uk=title_uk, date=date, place_en=place_en,
        participants_total=participants_total, lines=lines, marking=marking, nations=nations,
    )  # fmt: skip
    event.save()
    event.organizers.set(list(organizers))
    _event_table(event, lines)
    return event


def _locked_event(event: Event) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.withdrawn:
        raise ApplicationError(MSG_EVENT_WITHDRAWN)
    return locked


@transaction.atomic
def event_update(
    *,
    by: User,
    event: Event,
    kind: str,
    title_en: str,
    date: str,
    participants_total: int,
    counts: Iterable[Count],
    marking: str,
    nations: Iterable[str] = (),
    title_uk: str = "",
    place_en: str = "",
) -> Event:
    """A recorded event corrected by its programme's managers: its fields and its whole
    participation table (as many rows as needed), under the same rules as when recorded."""
    _require_manager(by, event.programme)
    event = _locked_event(event)
    lines = list(counts)
    _event_fill(
        event, kind=kind, title_en=title_en, title_uk=title_uk, date=date, place_en=place_en,
        participants_total=participants_total, lines=lines, marking=marking, nations=nations,
    )  # fmt: skip
    event.save()
    old = {
        (p.organization_id, p.service, p.sex, p.rank_group, p.count)
        for p in event.participation.all()
    }
    new = {
        (line.organization.pk, line.service, line.sex, line.rank_group, line.count)
        for line in lines
    }
    if old != new:
        # Row by row, so that the history keeps each one that went.
        for row in event.participation.all():
            row.delete()
        _event_table(event, lines)
    return event


@transaction.atomic
def event_withdraw(*, by: User, event: Event, reason: str, confirm: bool = False) -> Event:
    """ "Delete" of an event: it leaves the lists, totals and exports, and is kept, with who
    withdrew it, when and why, for its managers to read."""
    _require_manager(by, event.programme)
    event = _locked_event(event)
    if not reason.strip():
        raise ApplicationError(MSG_WITHDRAW_REASON, field="reason")
    if not confirm:
        raise ApplicationError(MSG_WITHDRAW_CONFIRM, field="confirm")
    event.withdrawn_at, event.withdrawn_by = timezone.now(), by
    event.withdrawal_reason = reason.strip()
    event._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    event.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return event


@transaction.atomic
def grant_award(*, by: User, grant: Grant, amount_eur: Decimal, confirm: bool = False) -> Grant:
    """A programme manager other than the applicant awards a grant under review that a
    reviewer (never the applicant) recommended: more than nothing, no more than requested."""
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.applicant_id is not None and grant.applicant_id == by.pk:
        raise PermissionDeniedError(MSG_AWARD_OWN)
    if grant.withdrawn:
        raise ApplicationError(MSG_GRANT_WITHDRAWN, field="status")
    if grant.status != GrantStatus.UNDER_REVIEW:
        raise ApplicationError(MSG_NOT_UNDER_REVIEW, field="status")
    recommended = grant.reviews.filter(recommendation=Recommendation.AWARD)
    if grant.applicant_id is not None:
        recommended = recommended.exclude(reviewer_id=grant.applicant_id)
    if not recommended.exists():
        raise ApplicationError(MSG_NO_POSITIVE_REVIEW, field="status")
    if amount_eur <= 0:
        raise ApplicationError(MSG_AWARD_POSITIVE, field="amount_eur")
    if amount_eur > grant.ceiling_eur:
        raise ApplicationError(
            MSG_ABOVE_CEILING
            % {"amount": money(amount_eur, 2), "ceiling": money(grant.ceiling_eur, 2)},
            field="amount_eur",
        )
    if not confirm:
        raise ApplicationError(MSG_AWARD_CONFIRM, field="confirm")
    grant.awarded_eur = amount_eur
    grant.status = GrantStatus.AWARDED
    grant.save(update_fields=["awarded_eur", "status"])
    return grant


def _grant_state(grant: Grant, *expected: str) -> None:
    if grant.withdrawn:
        raise ApplicationError(MSG_GRANT_WITHDRAWN, field="status")
    if grant.status not in expected:
        raise ApplicationError(
            MSG_GRANT_STATE
            % {
                "status": GrantStatus(grant.status).label,
                "expected": " / ".join(str(GrantStatus(e).label) for e in expected),
            },
            field="status",
        )


GRANT_FIELDS = (
    "title_en", "title_uk", "topic", "beneficiary", "ceiling_eur", "period", "summary_en",
)  # fmt: skip


def _grant_fill(grant: Grant, values: dict[str, Any]) -> None:
    """The rules an application meets, when made and when its applicant corrects it: checked,
    then written and saved with its institutions (the caller holds the transaction)."""
    if values["beneficiary"].kind not in (
        OrganizationKind.PARTNER,
        OrganizationKind.PARTNER_COUNTRY,
    ):
        raise ApplicationError(MSG_BENEFICIARY, field="beneficiary")
    if values["ceiling_eur"] <= 0:
        raise ApplicationError(MSG_CEILING, field="ceiling_eur")
    period = values["period"]
    values["period"] = dates_clean(period, field="period") if period else ""
    for name in GRANT_FIELDS:
        setattr(grant, name, values[name])
    marking_apply(record=grant, marking=values["marking"])
    full_clean_or_error(grant)
    grant.save()
    grant.institutions.set(list(values["institutions"]))


@transaction.atomic
def grant_apply(
    *,
    by: User,
    programme: Programme,
    title_en: str,
    topic: str,
    beneficiary: Organization,
    ceiling_eur: Decimal,
    period: str,
    summary_en: str,
    institutions: Iterable[Organization] = (),
    title_uk: str = "",
    marking: str = "PARTNERSHIP",
) -> Grant:
    """An SPS application: it gets the next reference of the year and waits for review."""
    values = dict(locals())
    if not can_apply(by):
        raise PermissionDeniedError(MSG_NOT_APPLICANT)
    year = timezone.localdate().year
    prefix = f"SPS-{year}-"
    taken = Grant.objects.filter(reference__startswith=prefix).count()
    grant = Grant(
        programme=programme, reference=f"{prefix}{taken + 1:04d}", applicant=by,
        status=GrantStatus.APPLIED,
    )  # fmt: skip
    _grant_fill(grant, values)
    events.announce(events.sps_application, grant)
    return grant


def can_amend_application(user: object, grant: Grant) -> bool:
    """Who may change or withdraw an SPS application: its applicant, and nobody else (a
    manager decides it, a reviewer reviews it; neither rewrites it)."""
    return (
        isinstance(user, User)
        and user.is_active
        and grant.applicant_id is not None
        and grant.applicant_id == user.pk
        and can_see(user, grant)
    )


def application_open(grant: Grant) -> bool:
    """An application its applicant may still change: not withdrawn, not decided, and no
    reviewer has recommended anything yet (a review read the application as it stood)."""
    return (
        not grant.withdrawn
        and grant.status in (GrantStatus.APPLIED, GrantStatus.UNDER_REVIEW)
        and not grant.reviews.exists()
    )


def _locked_application(by: User, grant: Grant) -> Grant:
    if not can_amend_application(by, grant):
        raise PermissionDeniedError(MSG_APPLICANT_ONLY)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.withdrawn:
        raise ApplicationError(MSG_GRANT_WITHDRAWN, field="status")
    if not application_open(grant):
        raise ApplicationError(
            MSG_APPLICATION_DECIDED % {"status": GrantStatus(grant.status).label}, field="status"
        )
    return grant


@transaction.atomic
def grant_update(
    *,
    by: User,
    grant: Grant,
    title_en: str,
    topic: str,
    beneficiary: Organization,
    ceiling_eur: Decimal,
    period: str,
    summary_en: str,
    institutions: Iterable[Organization] = (),
    title_uk: str = "",
    marking: str = "PARTNERSHIP",
) -> Grant:
    """The applicant corrects an application not yet reviewed nor decided; its reference
    and status stay."""
    values = dict(locals())
    grant = _locked_application(by, grant)
    _grant_fill(grant, values)
    return grant


@transaction.atomic
def grant_withdraw(*, by: User, grant: Grant, reason: str, confirm: bool = False) -> Grant:
    """The applicant withdraws an application not yet reviewed nor decided: it leaves the
    review queue and is kept, with the reason, for the applicant and the managers to read."""
    grant = _locked_application(by, grant)
    if not reason.strip():
        raise ApplicationError(MSG_WITHDRAW_REASON, field="reason")
    if not confirm:
        raise ApplicationError(MSG_WITHDRAW_CONFIRM, field="confirm")
    grant.withdrawn_at, grant.withdrawn_by = timezone.now(), by
    grant.withdrawal_reason = reason.strip()
    grant._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    grant.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    events.announce(events.sps_withdrawn, grant)
    return grant


@transaction.atomic
def grant_review_start(*, by: User, grant: Grant) -> Grant:
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _grant_state(grant, GrantStatus.APPLIED)
    grant.status = GrantStatus.UNDER_REVIEW
    grant.save(update_fields=["status"])
    return grant


def can_review(user: object, grant: Grant) -> bool:
    """Reviewers of NATO or an Ally, never of their own application."""
    if not isinstance(user, User) or not user.is_active:
        return False
    side = user.organization.side if user.organization else Side.NONE
    return user.is_superuser or (
        user.has_role(Role.EDITOR, Role.APPROVER, Role.ASSESSOR)
        and side in (Side.NATO, Side.ALLY)
        and grant.applicant_id != user.pk
    )


@transaction.atomic
def grant_review_record(
    *, by: User, grant: Grant, score: int, recommendation: str, comment: str
) -> GrantReview:
    if grant.applicant_id == by.pk:
        raise PermissionDeniedError(MSG_OWN_APPLICATION)
    if not can_review(by, grant):
        raise PermissionDeniedError(MSG_NOT_REVIEWER)
    _grant_state(grant, GrantStatus.UNDER_REVIEW)
    if score not in range(1, 6):
        raise ApplicationError(_("The score is a whole number from 1 to 5."), field="score")
    if recommendation not in Recommendation.values:
        raise ApplicationError(_("Recommend “award” or “reject”."), field="recommendation")
    if not comment.strip():
        raise ApplicationError(_("A review gives its reasons."), field="comment")
    review, _created = GrantReview.objects.update_or_create(
        grant=grant, reviewer=by,
        defaults={"score": score, "recommendation": recommendation, "comment": comment},
    )  # fmt: skip
    return review


@transaction.atomic
def grant_reject(*, by: User, grant: Grant, note: str) -> Grant:
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _grant_state(grant, GrantStatus.APPLIED, GrantStatus.UNDER_REVIEW)
    grant.status = GrantStatus.REJECTED
    grant.decision_note = note
    grant.save(update_fields=["status", "decision_note"])
    return grant


@transaction.atomic
def grant_complete(*, by: User, grant: Grant, outputs_en: str) -> Grant:
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _grant_state(grant, GrantStatus.AWARDED)
    if not outputs_en.strip():
        raise ApplicationError(_("A completed grant states its outputs."), field="outputs_en")
    grant.status = GrantStatus.COMPLETED
    grant.outputs_en = outputs_en
    grant.save(update_fields=["status", "outputs_en"])
    return grant
