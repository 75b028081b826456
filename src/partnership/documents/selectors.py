"""Reads: the documents a person may see, and the calendar of what concerns them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from partnership.anp.models import AnnualProgramme, Measure, QuarterlyReport, quarter_due
from partnership.core.models import User
from partnership.core.selectors import AnyUser, visible_to
from partnership.documents.models import CalendarFeed, Document, DocumentVersion
from partnership.documents.parents import parent_kind
from partnership.framework.models import (
    ActionItem,
    ActionStatus,
    Decision,
    DecisionStatus,
    Meeting,
)


def document_list(*, user: AnyUser, parent: models.Model) -> models.QuerySet[Document]:
    """The documents on a record the user may see, withdrawn ones left out."""
    kind = parent_kind(parent)
    documents = Document.objects.filter(**{kind: parent}, withdrawn_at__isnull=True)
    if kind == "measure":  # the measure's own, not its quarterly reports'
        documents = documents.filter(report__isnull=True)
    return visible_to(user, documents).prefetch_related("versions")


def documents_of_reports(
    *, user: AnyUser, reports: Sequence[QuarterlyReport]
) -> dict[int, list[Document]]:
    """`document_list` of each of these quarterly reports, by report id, in one query (a
    measure's page lists its reports, each with its documents)."""
    documents = visible_to(
        user, Document.objects.filter(report__in=[r.pk for r in reports], withdrawn_at__isnull=True)
    ).prefetch_related("versions")
    found: dict[int, list[Document]] = defaultdict(list)
    for document in documents:  # in the documents' order, as each report's own list
        assert document.report_id is not None
        found[document.report_id].append(document)
    return {r.pk: found.get(r.pk, []) for r in reports}


def documents_of_measure(
    *, user: AnyUser, measure: Measure, reports: Sequence[QuarterlyReport]
) -> tuple[list[Document], dict[int, list[Document]]]:
    """`document_list` of a measure and `documents_of_reports` of its reports (a measure's
    page shows both), in one query."""
    documents = visible_to(
        user,
        Document.objects.filter(
            Q(measure=measure, report__isnull=True) | Q(report__in=[r.pk for r in reports]),
            withdrawn_at__isnull=True,
        ),
    ).prefetch_related("versions")
    own: list[Document] = []
    found: dict[int, list[Document]] = defaultdict(list)
    for document in documents:  # in the documents' order, as each record's own list
        if document.report_id is None:
            own.append(document)
        else:
            found[document.report_id].append(document)
    return own, {r.pk: found.get(r.pk, []) for r in reports}


def document_get(*, user: AnyUser, pk: int) -> Document | None:
    """A document the user may see, with its parent (withdrawn ones are no longer offered)."""
    return visible_to(user, Document.objects.filter(pk=pk, withdrawn_at__isnull=True)).first()


def version_get(*, user: AnyUser, pk: int, number: int | None = None) -> DocumentVersion | None:
    """A version (the newest when `number` is None) of a document the user may see."""
    document = document_get(user=user, pk=pk)
    if document is None:
        return None
    versions = document.versions.all()
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number").first()


def feed_owner(*, secret: str) -> CalendarFeed | None:
    """The feed a secret address belongs to; None for an unknown or revoked one."""
    return (
        CalendarFeed.objects.select_related("user", "user__organization")
        .filter(digest=CalendarFeed.hash(secret), user__is_active=True)
        .first()
    )


# How far a calendar looks back and ahead: a calendar is for what is coming and what just was.
FEED_PAST = dt.timedelta(days=365)
FEED_AHEAD = dt.timedelta(days=3 * 365)
# A meeting dated more loosely than this ("2015", "Autumn 2004") is not a calendar event.
MEETING_SPAN_MAX = dt.timedelta(days=14)
PRODID = "-//NATO-Ukraine partnership//Partnership calendar//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(
    uid: str, summary: str, start: dt.date | dt.datetime, end: dt.date | None, url: str
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@partnership")
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("url", url)
    return event


def _meeting_event(meeting: Meeting, base_url: str) -> Event:
    assert meeting.date_start is not None and meeting.date_end is not None
    event = _event(
        f"meeting-{meeting.pk}",
        meeting.title,
        meeting.date_start,
        # All-day events end on the day after (RFC 5545, 3.6.1).
        meeting.date_end + dt.timedelta(days=1),
        base_url + reverse("framework:meeting", args=[meeting.pk]),
    )
    place = meeting.place_uk if translation.get_language() == "uk" else meeting.place_en
    if place or meeting.place_en:
        event.add("location", place or meeting.place_en)
    return event


def meeting_calendar(*, meeting: Meeting, base_url: str) -> bytes:
    """One meeting as an .ics file (the meeting's page offers it)."""
    calendar = _calendar(meeting.title)
    if meeting.date_start is not None and meeting.date_end is not None:
        calendar.add_component(_meeting_event(meeting, base_url))
    return bytes(calendar.to_ical())


def person_calendar(*, user: User, base_url: str, now: dt.datetime | None = None) -> bytes:
    """What concerns a person, as far as they may see it: meetings, the ends of silence
    procedures, their ANP quarterly reports' due dates and their organization's action items."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since, until = today - FEED_PAST, today + FEED_AHEAD
    calendar = _calendar(_("Partnership: %(name)s") % {"name": user.get_full_name() or user})
    meetings = visible_to(
        user,
        Meeting.objects.filter(
            date_start__isnull=False, date_end__gte=since, date_start__lte=until
        ),
    )
    for meeting in meetings:
        assert meeting.date_start is not None and meeting.date_end is not None
        if meeting.date_end - meeting.date_start <= MEETING_SPAN_MAX:
            calendar.add_component(_meeting_event(meeting, base_url))
    decisions = visible_to(
        user,
        Decision.objects.filter(
            status=DecisionStatus.UNDER_SILENCE,
            silence_deadline__gte=now - FEED_PAST,
            silence_deadline__lte=now + FEED_AHEAD,
        ),
    ).select_related("meeting")
    for decision in decisions:
        assert decision.silence_deadline is not None
        url = (
            reverse("framework:meeting", args=[decision.meeting_id]) if decision.meeting_id else ""
        )
        calendar.add_component(
            _event(
                f"silence-{decision.pk}",
                _("Silence procedure ends: %(decision)s") % {"decision": decision},
                decision.silence_deadline,
                None,
                base_url + (url or reverse("framework:meetings")),
            )
        )
    for programme in _reporting_programmes(user, since.year, until.year):
        for quarter in (1, 2, 3, 4):
            due = quarter_due(programme.year, quarter)
            if since <= due <= until:
                calendar.add_component(
                    _event(
                        f"anp-{programme.pk}-q{quarter}-user-{user.pk}",
                        _("ANP %(year)s: quarterly report Q%(quarter)s due")
                        % {"year": programme.year, "quarter": quarter},
                        due,
                        due + dt.timedelta(days=1),
                        base_url + reverse("anp:measures", args=[programme.year]),
                    )
                )
    if user.organization_id is not None:
        items = visible_to(
            user,
            ActionItem.objects.filter(
                owner_id=user.organization_id,
                deadline__isnull=False,
                deadline__gte=since,
                deadline__lte=until,
            ).exclude(status=ActionStatus.CANCELLED),
        ).select_related("meeting")
        for item in items:
            assert item.deadline is not None
            url = reverse("framework:action_items")
            summary = _("Action due: %(action)s") % {"action": item}
            if item.status == ActionStatus.DONE:
                summary = _("Action done: %(action)s") % {"action": item}
            calendar.add_component(
                _event(
                    f"action-{item.pk}",
                    summary,
                    item.deadline,
                    item.deadline + dt.timedelta(days=1),
                    base_url + url,
                )
            )
    return bytes(calendar.to_ical())


def _reporting_programmes(user: User, first: int, last: int) -> list[AnnualProgramme]:
    """The ANP years whose quarterly reports the person's agency owes (it has measures in
    them that the person may see)."""
    if user.organization_id is None:
        return []
    measures = visible_to(user, Measure.objects.filter(agency_id=user.organization_id))
    return list(
        visible_to(
            user,
            AnnualProgramme.objects.filter(
                pk__in=measures.values("programme_id"), year__gte=first, year__lte=last
            ),
        ).order_by("year")
    )
