"""Writes of the framework: bodies, meetings, decisions, action items, agreements and
milestones, each in one transaction; "delete" is a withdrawal that keeps the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, Releasable, Role, Side, User, Withdrawable
from partnership.core.partial_dates import PartialDate
from partnership.core.partial_input import check_plausible, parse_partial
from partnership.core.selectors import can_see
from partnership.core.services import full_clean_or_error, marking_apply
from partnership.framework.models import (
    ActionItem,
    ActionStatus,
    Agreement,
    Body,
    BodyKind,
    Decision,
    DecisionStatus,
    Meeting,
    Milestone,
)
from partnership.notifications import events

MSG_EDITORS_ONLY = _("Only editors may do this.")
MSG_STATUS_EDITORS_OR_OWNER = _(
    "Only editors, or the people of the organization that owns the action item, may change "
    "its status."
)
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
MSG_SILENCE_OVER = _("The silence procedure ended on %(deadline)s; it can no longer be broken.")
MSG_ALREADY_ADOPTED = _("This decision is already adopted.")
MSG_ADOPTED_IS_FIXED = _(
    "An adopted decision keeps its reference, title, text and meeting; only its action sheet "
    "may still change."
)
MSG_NOT_A_STATUS = _("“%(value)s” is not a status.")
MSG_DATE_IN_FUTURE = _("%(field)s: the date is in the future.")
MSG_RATIFIED_BEFORE_SIGNED = _("Ratified: the agreement cannot be ratified before it is signed.")
MSG_IN_FORCE_BEFORE_SIGNED = _(
    "Entered into force: the agreement cannot enter into force before it is signed."
)
MSG_DUPLICATE_MEETING = _(
    "Title (English): this body already has a meeting with this title on this date."
)
MSG_DUPLICATE_DECISION = _("Reference: another decision has the reference “%(reference)s”.")
MSG_DUPLICATE_KEY = _("Key: “%(key)s” is already the key of another record.")
MSG_DUPLICATE_NUMBER = _("Number: milestone %(number)s already exists.")
MSG_NO_KEY = _("Key: give a key, or a name in English to make one from.")
MSG_OWN_PARENT = _("Under the auspices of: a body cannot be under its own auspices.")
MSG_UKRAINIAN_AGENDA_LONGER = _(
    "Agenda (Ukrainian): there are more items in Ukrainian than in English; give each item "
    "in English on the same line."
)
MSG_WITHDRAW_REASON = _("Reason: say why the record is withdrawn.")
MSG_ALREADY_WITHDRAWN = _("This record is already withdrawn.")
MSG_NOT_WITHDRAWN = _("This record is not withdrawn.")
MSG_WITHDRAWN = _("This record is withdrawn; restore it first.")
MSG_POINTS_AT_WITHDRAWN = _("“%(record)s” is withdrawn; restore it or choose another.")
MSG_LINK_NOT_FOUND = _("Linked record: there is no such record, or you may not see it.")


def _require_role(user: User, *roles: str, message: object = MSG_EDITORS_ONLY) -> None:
    if not user.is_authenticated or not user.has_role(*roles):
        raise PermissionDeniedError(message)


# The permission rules of the framework, one predicate per write: services check them, and
# pages and API ask the same ones (which buttons to show), never a role of their own.


def can_edit(user: object) -> bool:
    """Editors create the framework's records: bodies, meetings, decisions, action items,
    agreements and milestones."""
    return isinstance(user, User) and user.is_active and user.has_role(Role.EDITOR)


def can_keep(user: object, record: Releasable) -> bool:
    """Editors who see a record edit, withdraw and restore it (and see it when withdrawn)."""
    return isinstance(user, User) and can_edit(user) and can_see(user, record)


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
    """Editors, or the owner organization's people, move an action item along: one at a
    time or several at once, through the page or the API alike."""
    return (
        isinstance(user, User)
        and user.is_active
        and (can_edit(user) or user.organization_id == item.owner_id)
    )


# ---- rules shared by the writes ------------------------------------------------------------


def _partial(value: str, *, field: str, label: object, since_1991: bool = True) -> str:
    """A partial date as people write it ("Q3 2015", "червень 2015", EDTF) read by the one
    parser, as the EDTF to keep: an ordered interval, from 1991 and at most ten years ahead
    (`check_plausible`'s "plan"; meetings and plans are dated ahead, nothing further)."""
    if not value:
        return ""
    try:
        edtf = parse_partial(value)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field=field) from exc
    check_plausible(edtf, field=field, kind="plan", label=label, since_1991=since_1991)
    return edtf


def _check_day(value: dt.date | None, *, field: str, label: object) -> None:
    if value is not None:
        check_plausible(value.isoformat(), field=field, kind="plan", label=label)


def _require_visible(by: User, record: Releasable | None, field: str) -> None:
    """A record pointed at: one the author sees, and not withdrawn."""
    if record is not None and not can_see(by, record):
        raise ApplicationError(MSG_NOT_FOUND, field=field)
    if isinstance(record, Withdrawable) and record.withdrawn:
        raise ApplicationError(MSG_POINTS_AT_WITHDRAWN % {"record": record}, field=field)


def _require_keeper(by: User, record: Releasable) -> None:
    if not can_see(by, record):
        raise ApplicationError(MSG_NOT_FOUND)
    if not can_keep(by, record):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)


def _require_current(record: Withdrawable) -> None:
    if record.withdrawn:
        raise ApplicationError(MSG_WITHDRAWN)


def _locked(record: models.Model) -> Any:
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def _key(slug: str, name: str, model: type[models.Model], *, exclude: int | None = None) -> str:
    key = slugify(slug or name)[:80].strip("-")
    if not key:
        raise ApplicationError(MSG_NO_KEY, field="slug")
    taken = model._default_manager.filter(slug=key)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ApplicationError(MSG_DUPLICATE_KEY % {"key": key}, field="slug")
    return key


def _save(record: models.Model, *, exclude: Sequence[str] = ()) -> None:
    full_clean_or_error(record, exclude=list(exclude))
    record.save()


R = TypeVar("R", bound=Releasable)
# A kind's own step of a write: (the record, who writes, the service's arguments).
Step = Callable[[Any, User, dict[str, Any]], None]


def _no_links(record: Any, by: User, values: dict[str, Any]) -> None:
    return None


def _require_creator(by: User) -> None:
    if not can_edit(by):
        raise PermissionDeniedError(MSG_EDITORS_ONLY)


def _editable(by: User, record: R) -> R:
    """An update's record: one `by` keeps, locked for the write, and not withdrawn."""
    _require_keeper(by, record)
    locked: R = _locked(record)
    _require_current(locked)  # type: ignore[arg-type]
    return locked


def _write(
    record: R,
    by: User,
    values: dict[str, Any],
    *,
    fill: Step,
    links: Step = _no_links,
    exclude: Sequence[str] = (),
) -> R:
    """Every create and update of the framework's records in one order: the kind's own fields
    and rules, the marking, one validation and save, then the links (they need the saved
    record). A refusal anywhere leaves nothing saved (the services are atomic)."""
    fill(record, by, values)
    marking_apply(record=record, marking=values["marking"], nations=values["nations"])
    _save(record, exclude=exclude)
    links(record, by, values)
    return record


# ---- bodies --------------------------------------------------------------------------------


def _body_fill(body: Body, by: User, values: dict[str, Any]) -> None:
    parent = values.get("parent")
    _require_visible(by, parent, "parent")
    if parent is not None and body.pk is not None and parent.pk == body.pk:
        raise ApplicationError(MSG_OWN_PARENT, field="parent")
    established = values.get("established", "")
    # A body may be older than the relationship (the North Atlantic Council, 1949): only the
    # interval's order and the far future are refused.
    values["established"] = _partial(
        established, field="established", label=_("Established"), since_1991=False
    )
    for name in (
        "kind",
        "name_en",
        "name_uk",
        "abbreviation",
        "description_en",
        "description_uk",
        "established",
        "parent",
        "chair_en",
        "chair_uk",
    ):
        if name in values:
            setattr(body, name, values[name])


def _body_links(body: Body, by: User, values: dict[str, Any]) -> None:
    body.members.set(list(values["members"]))


@transaction.atomic
def body_create(
    *,
    by: User,
    kind: str,
    name_en: str,
    slug: str = "",
    name_uk: str = "",
    abbreviation: str = "",
    description_en: str = "",
    description_uk: str = "",
    established: str = "",
    parent: Body | None = None,
    chair_en: str = "",
    chair_uk: str = "",
    members: Iterable[Organization] = (),
    marking: str,
    nations: Iterable[str] = (),
) -> Body:
    _require_creator(by)
    body = Body(slug=_key(slug, abbreviation or name_en, Body))
    return _write(body, by, dict(locals()), fill=_body_fill, links=_body_links)


@transaction.atomic
def body_update(
    *,
    by: User,
    body: Body,
    kind: str,
    name_en: str,
    name_uk: str = "",
    abbreviation: str = "",
    description_en: str = "",
    description_uk: str = "",
    established: str = "",
    parent: Body | None = None,
    chair_en: str = "",
    chair_uk: str = "",
    members: Iterable[Organization] = (),
    marking: str,
    nations: Iterable[str] = (),
) -> Body:
    """The key (slug) stays: pages, API clients and the factsheet loader know the body by it."""
    values = dict(locals())
    return _write(_editable(by, body), by, values, fill=_body_fill, links=_body_links)


# ---- meetings and their agenda ----------------------------------------------------------------


AgendaLine = str | tuple[str, str]


def _agenda_pairs(agenda: Iterable[AgendaLine]) -> list[tuple[str, str]]:
    pairs = []
    for line in agenda:
        en, uk = (line, "") if isinstance(line, str) else line
        if en.strip() or uk.strip():
            pairs.append((en.strip(), uk.strip()))
    if any(not en for en, _uk in pairs):
        raise ApplicationError(MSG_UKRAINIAN_AGENDA_LONGER, field="agenda_uk")
    return pairs


def agenda_from_lines(english: str, ukrainian: str) -> list[tuple[str, str]]:
    """The agenda as a page writes it: one item a line in each language, line N with line N."""
    en = [line.strip() for line in english.splitlines() if line.strip()]
    uk = [line.strip() for line in ukrainian.splitlines() if line.strip()]
    if len(uk) > len(en):
        raise ApplicationError(MSG_UKRAINIAN_AGENDA_LONGER, field="agenda_uk")
    return [(title, uk[n] if n < len(uk) else "") for n, title in enumerate(en)]


def _agenda_set(meeting: Meeting, pairs: list[tuple[str, str]]) -> None:
    """Item N keeps its row (and history) when its text changes; items beyond the new end go."""
    existing = {a.position: a for a in meeting.agenda_items.all()}
    for position, (en, uk) in enumerate(pairs, start=1):
        item = existing.pop(position, None)
        if item is None:
            meeting.agenda_items.create(position=position, title_en=en, title_uk=uk)
        elif (item.title_en, item.title_uk) != (en, uk):
            item.title_en, item.title_uk = en, uk
            item.save(update_fields=["title_en", "title_uk"])
    for item in existing.values():
        item.delete()  # its history keeps it


MEETING_FIELDS = (
    "body",
    "level",
    "title_en",
    "title_uk",
    "date",
    "place_en",
    "place_uk",
    "trigger_en",
    "trigger_uk",
    "requested_by",
)


def _meeting_fill(meeting: Meeting, by: User, values: dict[str, Any]) -> None:
    _require_visible(by, values["body"], "body")
    values["date"] = _partial(values["date"], field="date", label=_("Date"))
    for name in MEETING_FIELDS:
        if name in values:
            setattr(meeting, name, values[name])
    duplicate = Meeting.objects.filter(
        body=values["body"],
        date=values["date"],
        title_en=values["title_en"].strip(),
        withdrawn_at__isnull=True,
    ).exclude(pk=meeting.pk)
    if duplicate.exists():
        raise ApplicationError(MSG_DUPLICATE_MEETING, field="title_en")


def _meeting_links(meeting: Meeting, by: User, values: dict[str, Any]) -> None:
    meeting.participants.set(list(values["participants"]))
    _agenda_set(meeting, _agenda_pairs(values["agenda"]))


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
    trigger_en: str = "",
    trigger_uk: str = "",
    requested_by: Organization | None = None,
    marking: str,
    nations: Iterable[str] = (),
    participants: Iterable[Organization] = (),
    agenda: Iterable[AgendaLine] = (),
) -> Meeting:
    _require_creator(by)
    values = dict(locals())
    return _write(Meeting(), by, values, fill=_meeting_fill, links=_meeting_links, exclude=["slug"])


@transaction.atomic
def meeting_update(
    *,
    by: User,
    meeting: Meeting,
    body: Body,
    level: str,
    title_en: str,
    title_uk: str = "",
    date: str,
    place_en: str = "",
    place_uk: str = "",
    trigger_en: str = "",
    trigger_uk: str = "",
    requested_by: Organization | None = None,
    marking: str,
    nations: Iterable[str] = (),
    participants: Iterable[Organization] = (),
    agenda: Iterable[AgendaLine] = (),
) -> Meeting:
    values = dict(locals())
    return _write(
        _editable(by, meeting),
        by,
        values,
        fill=_meeting_fill,
        links=_meeting_links,
        exclude=["slug"],
    )


# ---- decisions, the silence procedure and the action sheet ---------------------------------


def _decision_duplicate(reference: str, pk: int | None) -> None:
    others = Decision.objects.filter(reference=reference, withdrawn_at__isnull=True)
    if pk is not None:
        others = others.exclude(pk=pk)
    if reference and others.exists():
        raise ApplicationError(MSG_DUPLICATE_DECISION % {"reference": reference}, field="reference")


def _aware(deadline: dt.datetime | None) -> dt.datetime | None:
    """A time written without a zone (`--set`, an API client's "2026-12-20T12:00") is the
    site's local time, not an error when compared with now."""
    if deadline is not None and timezone.is_naive(deadline):
        return timezone.make_aware(deadline)
    return deadline


def _silence_deadline(deadline: dt.datetime | None) -> dt.datetime | None:
    deadline = _aware(deadline)
    if deadline is not None and deadline <= timezone.now():
        raise ApplicationError(MSG_SILENCE_IN_PAST, field="silence_deadline")
    return deadline


@transaction.atomic
def decision_create(
    *,
    by: User,
    meeting: Meeting | None,
    reference: str,
    title_en: str,
    title_uk: str = "",
    text_en: str = "",
    text_uk: str = "",
    action_sheet_en: str = "",
    action_sheet_uk: str = "",
    marking: str,
    nations: Iterable[str] = (),
    silence_deadline: dt.datetime | None = None,
) -> Decision:
    """A draft decision; with a silence deadline it goes under silence procedure at once."""
    _require_creator(by)
    _require_visible(by, meeting, "meeting")
    silence_deadline = _silence_deadline(silence_deadline)
    reference = reference.strip()
    _decision_duplicate(reference, None)
    decision = Decision(
        meeting=meeting,
        reference=reference,
        title_en=title_en,
        title_uk=title_uk,
        text_en=text_en,
        text_uk=text_uk,
        action_sheet_en=action_sheet_en,
        action_sheet_uk=action_sheet_uk,
        status=DecisionStatus.UNDER_SILENCE if silence_deadline else DecisionStatus.DRAFT,
        silence_deadline=silence_deadline,
    )
    marking_apply(record=decision, marking=marking, nations=nations)
    _save(decision)
    if decision.status == DecisionStatus.UNDER_SILENCE:
        events.announce(events.silence_opened, decision)
    return decision


@transaction.atomic
def decision_update(
    *,
    by: User,
    decision: Decision,
    meeting: Meeting | None,
    reference: str,
    title_en: str,
    title_uk: str = "",
    text_en: str = "",
    text_uk: str = "",
    action_sheet_en: str = "",
    action_sheet_uk: str = "",
    marking: str,
    nations: Iterable[str] = (),
    silence_deadline: dt.datetime | None = None,
) -> Decision:
    """Edits a decision. A new silence deadline puts a draft (or a decision whose silence was
    broken, redrafted) under silence procedure; once adopted, only the action sheet changes."""
    _require_keeper(by, decision)
    _require_visible(by, meeting, "meeting")
    decision = _locked(decision)
    _require_current(decision)
    reference = reference.strip()
    if decision.status == DecisionStatus.ADOPTED:
        fixed = (decision.meeting_id, decision.reference, decision.title_en, decision.text_en)
        asked = (meeting.pk if meeting else None, reference, title_en, text_en)
        if fixed != asked or (decision.title_uk, decision.text_uk) != (title_uk, text_uk):
            raise ApplicationError(MSG_ADOPTED_IS_FIXED, field="title_en")
    elif _aware(silence_deadline) != decision.silence_deadline:
        decision.silence_deadline = _silence_deadline(silence_deadline)
        decision.status = DecisionStatus.UNDER_SILENCE if silence_deadline else DecisionStatus.DRAFT
    _decision_duplicate(reference, decision.pk)
    decision.meeting = meeting
    decision.reference = reference
    decision.title_en, decision.title_uk = title_en, title_uk
    decision.text_en, decision.text_uk = text_en, text_uk
    decision.action_sheet_en, decision.action_sheet_uk = action_sheet_en, action_sheet_uk
    marking_apply(record=decision, marking=marking, nations=nations)
    _save(decision)
    return decision


@transaction.atomic
def decision_break_silence(*, by: User, decision: Decision) -> Decision:
    """An Ally (or NATO staff on its behalf) objects before the silence procedure ends; who,
    for which organization and when are kept on the decision."""
    if not can_break_silence(by):
        raise PermissionDeniedError(MSG_ALLIES_ONLY)
    if not can_see(by, decision):
        raise ApplicationError(MSG_NOT_FOUND)
    decision = _locked(decision)
    _require_current(decision)
    if decision.status != DecisionStatus.UNDER_SILENCE:
        raise ApplicationError(MSG_NOT_UNDER_SILENCE, field="status")
    deadline = decision.silence_deadline
    if deadline and deadline <= timezone.now():
        raise ApplicationError(MSG_SILENCE_OVER % {"deadline": deadline}, field="status")
    decision.status = DecisionStatus.SILENCE_BROKEN
    decision.silence_broken_by = by
    decision.silence_broken_for = by.organization
    decision.silence_broken_at = timezone.now()
    decision.save(
        update_fields=["status", "silence_broken_by", "silence_broken_for", "silence_broken_at"]
    )
    events.announce(events.silence_broken, decision)
    return decision


@transaction.atomic
def decision_adopt(*, by: User, decision: Decision) -> Decision:
    """Adopts a draft, or a decision whose silence procedure ended unbroken; who and when
    are kept on the decision."""
    _require_role(by, Role.APPROVER, message=MSG_APPROVERS_ONLY)
    if not can_see(by, decision):
        raise ApplicationError(MSG_NOT_FOUND)
    if not can_adopt(by, decision):
        raise PermissionDeniedError(MSG_NUC_APPROVERS_ONLY)
    decision = _locked(decision)
    _require_current(decision)
    if decision.status == DecisionStatus.ADOPTED:
        raise ApplicationError(MSG_ALREADY_ADOPTED, field="status")
    deadline = decision.silence_deadline
    if decision.status == DecisionStatus.UNDER_SILENCE and deadline and deadline > timezone.now():
        raise ApplicationError(MSG_SILENCE_NOT_OVER % {"deadline": deadline}, field="status")
    decision.status = DecisionStatus.ADOPTED
    decision.adopted_by = by
    decision.adopted_at = timezone.now()
    decision.save(update_fields=["status", "adopted_by", "adopted_at"])
    return decision


# ---- action items ----------------------------------------------------------------------------


def _action_fill(item: ActionItem, by: User, values: dict[str, Any]) -> None:
    for name in ("meeting", "decision"):
        _require_visible(by, values[name], name)
    linked = values["linked"]
    # A link the editor may not see may stay as it is (an editor elsewhere made it), not be made.
    unchanged = linked is not None and item.pk is not None and linked == item.linked
    if (
        linked is not None
        and not unchanged
        and (not isinstance(linked, Releasable) or not can_see(by, linked))
    ):
        raise ApplicationError(MSG_LINK_NOT_FOUND, field="linked")
    _check_day(values["deadline"], field="deadline", label=_("Deadline"))
    if values["status"] not in ActionStatus.values:
        raise ApplicationError(MSG_NOT_A_STATUS % {"value": values["status"]}, field="status")
    for name in ("title_en", "title_uk", "owner", "deadline", "status", "meeting", "decision"):
        setattr(item, name, values[name])
    if linked is None:
        item.linked_type, item.linked_id = None, None
    else:
        item.linked = linked


@transaction.atomic
def action_item_create(
    *,
    by: User,
    title_en: str,
    title_uk: str = "",
    owner: Organization,
    deadline: dt.date | None,
    status: str = ActionStatus.OPEN,
    marking: str,
    nations: Iterable[str] = (),
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    linked: models.Model | None = None,
) -> ActionItem:
    _require_creator(by)
    item = _write(ActionItem(), by, dict(locals()), fill=_action_fill)
    events.announce(events.action_assigned, item)
    return item


@transaction.atomic
def action_item_update(
    *,
    by: User,
    item: ActionItem,
    title_en: str,
    title_uk: str = "",
    owner: Organization,
    deadline: dt.date | None,
    status: str,
    marking: str,
    nations: Iterable[str] = (),
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    linked: models.Model | None = None,
) -> ActionItem:
    values = dict(locals())
    return _write(_editable(by, item), by, values, fill=_action_fill)


@transaction.atomic
def action_item_set_status(*, by: User, item: ActionItem, status: str) -> ActionItem:
    """Editors, or the owner organization's people, move an action item along."""
    return _set_status(by=by, items=[item], status=status, reason="status change")[0]


@transaction.atomic
def action_items_bulk_set_status(
    *, by: User, items: Iterable[ActionItem], status: str
) -> list[ActionItem]:
    """Moves one or several action items; each change is kept in history like a single one.
    The rule is the one for a single item (`can_set_status`), checked for every item."""
    return _set_status(by=by, items=items, status=status, reason="bulk status change")


def _set_status(
    *, by: User, items: Iterable[ActionItem], status: str, reason: str
) -> list[ActionItem]:
    from simple_history.utils import bulk_update_with_history

    ids = [item.pk for item in items]
    # Lock in a fixed order so that two bulk updates cannot deadlock.
    locked = list(ActionItem.objects.filter(pk__in=ids).order_by("pk").select_for_update())
    if not ids or len(locked) != len(set(ids)) or not all(can_see(by, i) for i in locked):
        raise ApplicationError(MSG_NOT_FOUND)
    if not all(can_set_status(by, item) for item in locked):
        raise PermissionDeniedError(MSG_STATUS_EDITORS_OR_OWNER)
    if status not in ActionStatus.values:
        raise ApplicationError(MSG_NOT_A_STATUS % {"value": status}, field="status")
    for item in locked:
        _require_current(item)
        item.status = status
    bulk_update_with_history(
        locked, ActionItem, ["status"], default_user=by, default_change_reason=reason
    )
    return locked


# ---- agreements ----------------------------------------------------------------------------


def _agreement_links(agreement: Agreement, by: User, values: dict[str, Any]) -> None:
    agreement.parties.set(list(values["parties"]))


def _agreement_fill(agreement: Agreement, by: User, values: dict[str, Any]) -> None:
    labels = {"signed": _("Signed"), "ratified": _("Ratified"), "in_force": _("Entered into force")}
    for name, label in labels.items():
        # Signature, ratification and entry into force have happened: none is in the future.
        values[name] = _partial(values[name], field=name, label=label)
        if values[name] and PartialDate.parse(values[name]).start > timezone.localdate():
            raise ApplicationError(MSG_DATE_IN_FUTURE % {"field": label}, field=name)
    if values["signed"]:
        signed = PartialDate.parse(values["signed"]).start
        for name, message in (
            ("ratified", MSG_RATIFIED_BEFORE_SIGNED),
            ("in_force", MSG_IN_FORCE_BEFORE_SIGNED),
        ):
            if values[name] and PartialDate.parse(values[name]).end < signed:
                raise ApplicationError(message, field=name)
    for name in ("kind", "title_en", "title_uk", "covers_en", "covers_uk", *labels):
        setattr(agreement, name, values[name])


@transaction.atomic
def agreement_create(
    *,
    by: User,
    kind: str,
    title_en: str,
    slug: str = "",
    title_uk: str = "",
    covers_en: str = "",
    covers_uk: str = "",
    parties: Iterable[Organization] = (),
    signed: str = "",
    ratified: str = "",
    in_force: str = "",
    marking: str,
    nations: Iterable[str] = (),
) -> Agreement:
    _require_creator(by)
    agreement = Agreement(slug=_key(slug, title_en, Agreement))
    return _write(agreement, by, dict(locals()), fill=_agreement_fill, links=_agreement_links)


@transaction.atomic
def agreement_update(
    *,
    by: User,
    agreement: Agreement,
    kind: str,
    title_en: str,
    title_uk: str = "",
    covers_en: str = "",
    covers_uk: str = "",
    parties: Iterable[Organization] = (),
    signed: str = "",
    ratified: str = "",
    in_force: str = "",
    marking: str,
    nations: Iterable[str] = (),
) -> Agreement:
    values = dict(locals())
    return _write(
        _editable(by, agreement), by, values, fill=_agreement_fill, links=_agreement_links
    )


# ---- milestones ----------------------------------------------------------------------------


def _milestone_fill(milestone: Milestone, by: User, values: dict[str, Any]) -> None:
    milestone.date = _partial(values["date"], field="date", label=_("Date"))
    for name in ("text_en", "text_uk", "theme"):
        setattr(milestone, name, values[name])


def _milestone_links(milestone: Milestone, by: User, values: dict[str, Any]) -> None:
    for name in ("bodies", "meetings", "agreements"):
        records = list(values[name])
        for record in records:
            _require_visible(by, record, name)
        getattr(milestone, name).set(records)
    milestone.organizations.set(list(values["organizations"]))


@transaction.atomic
def milestone_create(
    *,
    by: User,
    date: str,
    text_en: str,
    text_uk: str,
    theme: str,
    number: int | None = None,
    bodies: Iterable[Body] = (),
    meetings: Iterable[Meeting] = (),
    agreements: Iterable[Agreement] = (),
    organizations: Iterable[Organization] = (),
    marking: str,
    nations: Iterable[str] = (),
) -> Milestone:
    """A milestone; without a number it goes after the last one (the number orders milestones
    within a year)."""
    _require_creator(by)
    values = dict(locals())
    # The date is read before the number is taken (a wrong date is the first refusal).
    _partial(date, field="date", label=_("Date"))
    if number is None:
        number = (Milestone.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    elif Milestone.objects.filter(number=number).exists():
        raise ApplicationError(MSG_DUPLICATE_NUMBER % {"number": number}, field="number")
    return _write(
        Milestone(number=number), by, values, fill=_milestone_fill, links=_milestone_links
    )


@transaction.atomic
def milestone_update(
    *,
    by: User,
    milestone: Milestone,
    date: str,
    text_en: str,
    text_uk: str,
    theme: str,
    bodies: Iterable[Body] = (),
    meetings: Iterable[Meeting] = (),
    agreements: Iterable[Agreement] = (),
    organizations: Iterable[Organization] = (),
    marking: str,
    nations: Iterable[str] = (),
) -> Milestone:
    """The number stays: it is the milestone's place in the factsheet and its public address."""
    values = dict(locals())
    return _write(
        _editable(by, milestone), by, values, fill=_milestone_fill, links=_milestone_links
    )


# ---- withdrawal and restoration, for every kind of the framework's records -----------------


WithdrawableRecord = Body | Meeting | Decision | ActionItem | Agreement | Milestone


@transaction.atomic
def record_withdraw(*, by: User, record: WithdrawableRecord, reason: str) -> WithdrawableRecord:
    """ "Delete" of the framework: the record leaves lists and public pages but is kept, with
    who withdrew it, when and why; its history shows the step."""
    _require_keeper(by, record)
    if not reason.strip():
        raise ApplicationError(MSG_WITHDRAW_REASON, field="reason")
    record = _locked(record)
    if record.withdrawn:
        raise ApplicationError(MSG_ALREADY_WITHDRAWN)
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.withdrawal_reason = reason.strip()
    record._change_reason = reason.strip()  # type: ignore[union-attr]
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return record


@transaction.atomic
def record_restore(*, by: User, record: WithdrawableRecord) -> WithdrawableRecord:
    """Brings a withdrawn record back; the withdrawal stays in its history."""
    _require_keeper(by, record)
    record = _locked(record)
    if not record.withdrawn:
        raise ApplicationError(MSG_NOT_WITHDRAWN)
    if isinstance(record, Meeting):
        _meeting_fill(record, by, {n: getattr(record, n) for n in MEETING_FIELDS})
    if isinstance(record, Decision):
        _decision_duplicate(record.reference, record.pk)
    record.withdrawn_at, record.withdrawn_by, record.withdrawal_reason = None, None, ""
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return record
