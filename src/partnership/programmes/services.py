"""Writes of the programmes: events with their counted participation, grants, PARP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, Role, User
from partnership.core.services import full_clean_or_error, marking_apply
from partnership.programmes.models import (
    Event,
    Grant,
    GrantStatus,
    Participation,
    Programme,
    RankGroup,
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


@dataclass(frozen=True)
class Count:
    """One line of a participation table."""

    organization: Organization
    service: str
    sex: str
    rank_group: str
    count: int


def _require_manager(user: User, programme: Programme) -> None:
    if user.is_superuser:
        return
    if not user.has_role(Role.EDITOR) or not programme.managers.filter(pk=user.pk).exists():
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
def grant_award(*, by: User, grant: Grant, amount_eur: Decimal) -> Grant:
    _require_manager(by, grant.programme)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status != GrantStatus.UNDER_REVIEW:
        raise ApplicationError(MSG_NOT_UNDER_REVIEW, field="status")
    if amount_eur > grant.ceiling_eur:
        raise ApplicationError(
            MSG_ABOVE_CEILING % {"amount": amount_eur, "ceiling": grant.ceiling_eur},
            field="awarded_eur",
        )
    grant.awarded_eur = amount_eur
    grant.status = GrantStatus.AWARDED
    grant.save(update_fields=["awarded_eur", "status"])
    return grant
