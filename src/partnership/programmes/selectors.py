"""Reads of the programmes, and the figures the factsheet states, computed from records."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from partnership.core.models import User
from partnership.core.selectors import AnyUser, standing_measurements, visible_to
from partnership.programmes.models import (
    Assistance,
    Event,
    GoalAssessment,
    Grant,
    GrantReview,
    GrantStatus,
    Institution,
    IntegrityStep,
    ParpSurvey,
    Participation,
    PartnershipGoal,
    Programme,
    RankGroup,
    Service,
    Sex,
)


def programme_list(*, user: AnyUser) -> models.QuerySet[Programme]:
    return visible_to(user, Programme.objects.all()).order_by("name_en")


def programme_get(*, user: AnyUser, slug: str) -> Programme | None:
    return programme_list(user=user).filter(slug=slug).first()


def event_list(*, user: AnyUser, programme: Programme | None = None) -> models.QuerySet[Event]:
    """The events that count: every list, total, figure and export reads these; a withdrawn
    event is in none of them."""
    qs = visible_to(user, Event.objects.select_related("programme")).filter(withdrawn_at=None)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("-date_start", "title_en")


def withdrawn_events(*, user: AnyUser, programme: Programme) -> models.QuerySet[Event]:
    """A programme's withdrawn events, for its managers (who keep them) only."""
    from partnership.programmes.services import can_manage

    if not can_manage(user, programme):
        return Event.objects.none()
    qs = visible_to(user, programme.events.exclude(withdrawn_at=None))
    return qs.select_related("withdrawn_by").order_by("-withdrawn_at")


def event_get(*, user: AnyUser, programme: Programme, pk: int) -> Event | None:
    """One event of the programme: a current one for whoever sees it, a withdrawn one only
    for the programme's managers."""
    from partnership.programmes.services import can_manage

    event = visible_to(user, programme.events.filter(pk=pk)).first()
    if event is not None and event.withdrawn and not can_manage(user, programme):
        return None
    return event


def event_participation(*, event: Event) -> models.QuerySet[Participation]:
    """An event's table (seen by whoever sees the event: counts, no names)."""
    return event.participation.select_related("organization").order_by(
        "organization__name_en", "service", "sex", "rank_group"
    )


def institution_list(*, user: AnyUser, programme: Programme) -> models.QuerySet[Institution]:
    return visible_to(user, programme.institutions.all())


def participation_by_year(
    *, user: AnyUser, programme: Programme, nation: str = "UA"
) -> list[dict[str, Any]]:
    """People of one nation (its institutions included) counted per year of the programme's
    events, with the change on the year before ("tripled in 2014" is a factor of 3.0)."""
    events = event_list(user=user, programme=programme)
    rows = (
        Participation.objects.filter(event__in=events, organization__country_code=nation)
        .annotate(year=ExtractYear("event__date_start"))
        .values("year")
        .annotate(people=Sum("count"), generated=Count("pk", filter=Q(event__demo=True)))
        .order_by("year")
    )
    out = []
    previous: dict[str, Any] | None = None
    for row in rows:
        # A count or factor made of generated events is a demo value, and says so.
        demo = bool(row["generated"])
        factor: float | None = None
        if previous:
            factor = round(row["people"] / previous["people"], 2)
        out.append(
            {
                "year": row["year"],
                "people": row["people"],
                "factor": factor,
                "demo": demo,
                "factor_demo": demo or bool(previous and previous["demo"]),
            }
        )
        previous = out[-1]
    return out


def participation_breakdown(*, user: AnyUser, programme: Programme) -> dict[str, dict[str, int]]:
    """Totals by civilian/military, by sex and by rank group, keyed by their display labels."""
    events = event_list(user=user, programme=programme)
    base = Participation.objects.filter(event__in=events)
    labels = {"service": Service, "sex": Sex, "rank_group": RankGroup}
    return {
        dimension: {
            str(choices(row[dimension]).label): row["people"]
            for row in base.values(dimension).annotate(people=Sum("count")).order_by(dimension)
        }
        for dimension, choices in labels.items()
    }


def grant_list(*, user: AnyUser) -> models.QuerySet[Grant]:
    """Grants as the user may see them. A withdrawn application leaves the review queue and
    every list but its keepers': the applicant's and the programme's managers'."""
    qs = visible_to(user, Grant.objects.select_related("beneficiary", "programme"))
    if not isinstance(user, User) or not user.is_authenticated:
        return qs.filter(withdrawn_at=None)
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(withdrawn_at=None)
        | Q(applicant=user)
        | Q(programme__in=Programme.objects.filter(managers=user))
    )


def grants_by_beneficiary(*, user: AnyUser, topic: str = "") -> list[dict[str, Any]]:
    """Awarded SPS funding per beneficiary country, largest first: the factsheet's "Ukraine is
    the largest beneficiary" is the first row, computed from the grants; `topic` counts the
    grants of one topic only."""
    totals: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"grants": 0, "eur": Decimal(0), "demo": False}
    )
    awarded = grant_list(user=user).filter(
        status__in=[GrantStatus.AWARDED, GrantStatus.COMPLETED], withdrawn_at=None
    )
    if topic:
        awarded = awarded.filter(topic=topic)
    for grant in awarded:
        entry = totals[grant.beneficiary.name]
        entry["grants"] += 1
        entry["eur"] += grant.awarded_eur or Decimal(0)
        entry["demo"] = entry["demo"] or grant.demo
    rows = [{"beneficiary": name, **values} for name, values in totals.items()]
    return sorted(rows, key=lambda r: (-r["eur"], r["beneficiary"]))


def goal_list(*, user: AnyUser) -> models.QuerySet[PartnershipGoal]:
    """Goals with `visible_assessments` (their PARP assessments by year), `visible_measures`
    (the ANP measures that serve them) and `visible_projects` (the trust-fund projects), each
    as the user may see them."""
    from partnership.trustfunds.models import Project

    # ANP measures name the goals they serve; `anp` depends on `programmes`, never the reverse
    # (the import contract in pyproject.toml), so the measures are reached through their own
    # relation rather than by importing the ANP's models.
    relation: Any = PartnershipGoal._meta.get_field("anp_measures")
    assessments = visible_to(user, GoalAssessment.objects.order_by("year"))
    measures = visible_to(
        user,
        relation.related_model.objects.select_related("programme").order_by(
            "-programme__year", "code"
        ),
    )
    projects = visible_to(user, Project.objects.order_by("slug"))
    return visible_to(user, PartnershipGoal.objects.all()).prefetch_related(
        models.Prefetch("assessments", queryset=assessments, to_attr="visible_assessments"),
        models.Prefetch("anp_measures", queryset=measures, to_attr="visible_measures"),
        models.Prefetch("projects", queryset=projects, to_attr="visible_projects"),
    )


def assistance_list(*, user: AnyUser) -> models.QuerySet[Assistance]:
    return visible_to(user, Assistance.objects.prefetch_related("partners"))


def integrity_steps(*, user: AnyUser, programme: Programme) -> models.QuerySet[IntegrityStep]:
    return visible_to(user, programme.integrity_steps.prefetch_related("answers"))


def indicators_of(*, user: AnyUser, record: models.Model) -> list[dict[str, Any]]:
    """The record's result indicators the user may see, each with its measurements and the
    change between the last two periods (the PDP budget "doubled in 2014" is a factor of 2)."""
    from django.contrib.contenttypes.models import ContentType

    from partnership.core.models import Indicator

    kind = ContentType.objects.get_for_model(record)
    out = []
    for indicator in visible_to(
        user, Indicator.objects.filter(subject_type=kind, subject_id=record.pk)
    ).prefetch_related(standing_measurements()):
        values = list(indicator.measurements.all())
        factor = None
        if len(values) >= 2 and values[-2].actual:
            factor = round(float(values[-1].actual / values[-2].actual), 2)
        peak = max([float(v.actual) for v in values] + [float(indicator.target or 0), 1.0])
        demo = indicator.demo or any(v.demo for v in values[-2:])
        out.append(
            {
                "indicator": indicator,
                "values": values,
                "factor": factor,
                "peak": peak,
                "demo": indicator.demo or any(v.demo for v in values),
                "factor_demo": demo,
            }
        )
    return out


def survey_list(*, user: AnyUser) -> models.QuerySet[ParpSurvey]:
    return visible_to(user, ParpSurvey.objects.select_related("partner"))


def grant_reviews(*, user: AnyUser, grant: Grant) -> models.QuerySet[GrantReview]:
    """A grant's reviews, with their reviewers, scores and comments, for those who need them:
    the programme's managers and the people who may review it. Applicants and the public see
    the decision, never who scored what."""
    from partnership.programmes.services import can_review

    reviews = grant.reviews.select_related("reviewer").order_by("pk")
    if not isinstance(user, User) or not user.is_authenticated:
        return reviews.none()
    if user.is_superuser or can_review(user, grant):
        return reviews
    if grant.programme.managers.filter(pk=user.pk).exists():
        return reviews
    return reviews.none()
