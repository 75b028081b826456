"""Writes of the programmes: events with their counted participation, grants, PARP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
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
MSG_ABOVE_CEILING = _(
    "The award of %(amount)s EUR is above the approved ceiling of %(ceiling)s EUR."
)
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
    date = dates_clean(date, field="date")
    lines = list(counts)
    _check_counts(lines, participants_total)
    event = Event(
        programme=programme, kind=kind, title_en=title_en, title_uk=title_uk, date=date,
        place_en=place_en, participants_total=participants_total, demo=demo,
    )  # fmt: skip
    marking_apply(record=event, marking=marking, nations=nations)
    full_clean_or_error(event)
    event.save()
    event.organizers.set(list(organizers))
    Participation.objects.bulk_create(
        Participation(event=event, organization=line.organization, service=line.service,
                      sex=line.sex, rank_group=line.rank_group, count=line.count)
        for line in lines
    )  # fmt: skip
    return event


@transaction.atomic
def grant_award(*, by: User, grant: Grant, amount_eur: Decimal, confirm: bool = False) -> Grant:
    """A programme manager other than the applicant awards a grant under review that a
    reviewer (never the applicant) recommended: more than nothing, no more than requested."""
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.applicant_id is not None and grant.applicant_id == by.pk:
        raise PermissionDeniedError(MSG_AWARD_OWN)
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
            MSG_ABOVE_CEILING % {"amount": amount_eur, "ceiling": grant.ceiling_eur},
            field="amount_eur",
        )
    if not confirm:
        raise ApplicationError(MSG_AWARD_CONFIRM, field="confirm")
    grant.awarded_eur = amount_eur
    grant.status = GrantStatus.AWARDED
    grant.save(update_fields=["awarded_eur", "status"])
    return grant


def _grant_state(grant: Grant, *expected: str) -> None:
    if grant.status not in expected:
        raise ApplicationError(
            MSG_GRANT_STATE
            % {
                "status": GrantStatus(grant.status).label,
                "expected": " / ".join(str(GrantStatus(e).label) for e in expected),
            },
            field="status",
        )


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
    if not can_apply(by):
        raise PermissionDeniedError(MSG_NOT_APPLICANT)
    if beneficiary.kind not in (OrganizationKind.PARTNER, OrganizationKind.PARTNER_COUNTRY):
        raise ApplicationError(MSG_BENEFICIARY, field="beneficiary")
    if ceiling_eur <= 0:
        raise ApplicationError(MSG_CEILING, field="ceiling_eur")
    period = dates_clean(period, field="period") if period else ""
    year = timezone.localdate().year
    prefix = f"SPS-{year}-"
    taken = Grant.objects.filter(reference__startswith=prefix).count()
    grant = Grant(
        programme=programme, reference=f"{prefix}{taken + 1:04d}", title_en=title_en,
        title_uk=title_uk, topic=topic, beneficiary=beneficiary, ceiling_eur=ceiling_eur,
        period=period, summary_en=summary_en, applicant=by, status=GrantStatus.APPLIED,
    )  # fmt: skip
    marking_apply(record=grant, marking=marking)
    full_clean_or_error(grant)
    grant.save()
    grant.institutions.set(institutions)
    events.announce(events.sps_application, grant)
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
