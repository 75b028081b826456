"""Writes of the framework: meetings, decisions and action items, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, Role, Side, User
from partnership.core.selectors import can_see
from partnership.core.services import full_clean_or_error, marking_apply
from partnership.framework.models import (
    ActionItem,
    ActionStatus,
    Body,
    BodyKind,
    Decision,
    DecisionStatus,
    Meeting,
)
from partnership.notifications import events

MSG_EDITORS_ONLY = _("Only editors may do this.")
MSG_APPROVERS_ONLY = _("Only approvers may adopt a decision.")
MSG_NUC_APPROVERS_ONLY = _(
    "A decision of a NATO body (the NUC, its working groups, a council paper) is adopted only "
    "by an approver of NATO."
)
MSG_NOT_FOUND = _("There is no such record, or you may not see it.")
MSG_SILENCE_IN_PAST = _("The silence procedure must end in the future.")
MSG_SILENCE_NOT_OVER = _("The silence procedure is still running until %(deadline)s.")
MSG_ALLIES_ONLY = _("Only Allies may break silence.")
MSG_NOT_UNDER_SILENCE = _("This decision is not under silence procedure.")


def _require_role(user: User, *roles: str, message: object = MSG_EDITORS_ONLY) -> None:
    if not user.is_authenticated or not user.has_role(*roles):
        raise PermissionDeniedError(message)


# The permission rules of the framework, one predicate each: services check them, and pages
# and API ask the same ones (which buttons to show), never a role of their own.


def can_edit(user: object) -> bool:
    """Editors write meetings, decisions and action items."""
    return isinstance(user, User) and user.is_active and user.has_role(Role.EDITOR)


def can_adopt(user: object, decision: Decision) -> bool:
    """A decision of a national commission is adopted by that nation's approvers; any other
    (the NUC's, a working group's, a council paper without a meeting) by NATO's approvers."""
    if not (isinstance(user, User) and user.is_active and user.has_role(Role.APPROVER)):
        return False
    if user.is_superuser:
        return True
    org = user.organization
    if org is None or not can_see(user, decision):
        return False
    body = decision.meeting.body if decision.meeting_id else None  # type: ignore[union-attr]
    if body is not None and body.kind == BodyKind.NATIONAL_COMMISSION:
        nation = org.nation
        own = {org.pk, nation.pk if nation is not None else org.pk}
        return body.members.filter(pk__in=own).exists()
    return org.side == Side.NATO


def can_break_silence(user: object) -> bool:
    """An Ally (or NATO staff on its behalf) objects before a silence procedure ends."""
    if not isinstance(user, User) or not user.is_active:
        return False
    org = user.organization
    return user.is_superuser or (org is not None and org.side in (Side.ALLY, Side.NATO))


def can_set_status(user: object, item: ActionItem) -> bool:
    """Editors, or the owner organization's people, move an action item along."""
    return isinstance(user, User) and (can_edit(user) or user.organization_id == item.owner_id)


@transaction.atomic
def meeting_create(
    *,
    by: User,
    body: Body,
    level: str,
    title_en: str,
    title_uk: str = "",
    date: str,
    place_en: str = "",
    place_uk: str = "",
    marking: str,
    nations: Iterable[str] = (),
    participants: Iterable[Organization] = (),
    agenda: Iterable[str] = (),
) -> Meeting:
    if not can_edit(by):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)
    if not can_see(by, body):
        raise ApplicationError(MSG_NOT_FOUND, field="body")
    meeting = Meeting(
        body=body,
        level=level,
        title_en=title_en,
        title_uk=title_uk,
        date=date,
        place_en=place_en,
        place_uk=place_uk,
    )
    marking_apply(record=meeting, marking=marking, nations=nations)
    full_clean_or_error(meeting, exclude=["slug"])
    meeting.save()
    meeting.participants.set(list(participants))
    for position, title in enumerate((a for a in agenda if a.strip()), start=1):
        meeting.agenda_items.create(position=position, title_en=title.strip())
    return meeting


@transaction.atomic
def decision_create(
    *,
    by: User,
    meeting: Meeting | None,
    reference: str,
    title_en: str,
    text_en: str = "",
    marking: str,
    nations: Iterable[str] = (),
    silence_deadline: dt.datetime | None = None,
) -> Decision:
    """A draft decision; with a silence deadline it goes under silence procedure at once."""
    if not can_edit(by):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)
    if meeting is not None and not can_see(by, meeting):
        raise ApplicationError(MSG_NOT_FOUND, field="meeting")
    status = DecisionStatus.DRAFT
    if silence_deadline is not None:
        if silence_deadline <= timezone.now():
            raise ApplicationError(MSG_SILENCE_IN_PAST, field="silence_deadline")
        status = DecisionStatus.UNDER_SILENCE
    decision = Decision(
        meeting=meeting,
        reference=reference,
        title_en=title_en,
        text_en=text_en,
        status=status,
        silence_deadline=silence_deadline,
    )
    marking_apply(record=decision, marking=marking, nations=nations)
    full_clean_or_error(decision)
    decision.save()
    if status == DecisionStatus.UNDER_SILENCE:
        events.announce(events.silence_opened, decision)
    return decision


@transaction.atomic
def decision_break_silence(*, by: User, decision: Decision) -> Decision:
    """An Ally (or NATO staff on its behalf) objects before the silence procedure ends."""
    if not can_break_silence(by):
        raise PermissionDeniedError(MSG_ALLIES_ONLY)
    if not can_see(by, decision):
        raise ApplicationError(MSG_NOT_FOUND)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.UNDER_SILENCE:
        raise ApplicationError(MSG_NOT_UNDER_SILENCE, field="status")
    decision.status = DecisionStatus.SILENCE_BROKEN
    decision.save(update_fields=["status"])
    events.announce(events.silence_broken, decision)
    return decision


@transaction.atomic
def decision_adopt(*, by: User, decision: Decision) -> Decision:
    """Adopts a draft, or a decision whose silence procedure ended unbroken."""
    _require_role(by, Role.APPROVER, message=MSG_APPROVERS_ONLY)
    if not can_see(by, decision):
        raise ApplicationError(MSG_NOT_FOUND)
    if not can_adopt(by, decision):
        raise PermissionDeniedError(MSG_NUC_APPROVERS_ONLY)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    deadline = decision.silence_deadline
    if decision.status == DecisionStatus.UNDER_SILENCE and deadline and deadline > timezone.now():
        raise ApplicationError(MSG_SILENCE_NOT_OVER % {"deadline": deadline}, field="status")
    decision.status = DecisionStatus.ADOPTED
    decision.save(update_fields=["status"])
    return decision


@transaction.atomic
def action_item_create(
    *,
    by: User,
    title_en: str,
    owner: Organization,
    deadline: dt.date | None,
    marking: str,
    nations: Iterable[str] = (),
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    linked: models.Model | None = None,
) -> ActionItem:
    if not can_edit(by):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)
    for name, record in (("meeting", meeting), ("decision", decision)):
        if record is not None and not can_see(by, record):
            raise ApplicationError(MSG_NOT_FOUND, field=name)
    item = ActionItem(
        title_en=title_en, owner=owner, deadline=deadline, meeting=meeting, decision=decision
    )
    if linked is not None:
        item.linked = linked
    marking_apply(record=item, marking=marking, nations=nations)
    full_clean_or_error(item)
    item.save()
    events.announce(events.action_assigned, item)
    return item


@transaction.atomic
def action_item_set_status(*, by: User, item: ActionItem, status: str) -> ActionItem:
    """Editors, or the owner organization's people, move an action item along."""
    if not can_see(by, item):
        raise ApplicationError(MSG_NOT_FOUND)
    if not can_set_status(by, item):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)
    if status not in ActionStatus.values:
        raise ApplicationError(
            _("“%(value)s” is not a status.") % {"value": status}, field="status"
        )
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.status = status
    item.save(update_fields=["status"])
    return item


@transaction.atomic
def action_items_bulk_set_status(
    *, by: User, items: Iterable[ActionItem], status: str
) -> list[ActionItem]:
    """Moves several action items at once; each change is kept in history like a single one."""
    from simple_history.utils import bulk_update_with_history

    if not can_edit(by):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)
    if status not in ActionStatus.values:
        raise ApplicationError(
            _("“%(value)s” is not a status.") % {"value": status}, field="status"
        )
    ids = [item.pk for item in items]
    # Lock in a fixed order so that two bulk updates cannot deadlock.
    locked = list(ActionItem.objects.filter(pk__in=ids).order_by("pk").select_for_update())
    if len(locked) != len(set(ids)) or not all(can_see(by, item) for item in locked):
        raise ApplicationError(MSG_NOT_FOUND)
    for item in locked:
        item.status = status
    bulk_update_with_history(
        locked, ActionItem, ["status"], default_user=by, default_change_reason="bulk status change"
    )
    return locked
