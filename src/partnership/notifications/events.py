"""News of records as it happens: the services call these once their change is committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from partnership.core.models import Role, User, localized
from partnership.notifications.models import Kind
from partnership.notifications.recipients import (
    air_operations_of_both_sides,
    people,
    people_within,
)
from partnership.notifications.services import Message, notify


def announce(event: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Runs `event` after the caller's transaction commits: a rolled-back change tells no one."""
    transaction.on_commit(lambda: event(*args, **kwargs))


def path_of(name: str, *args: Any) -> str:
    """A page's path without its language prefix (the e-mail adds the recipient's)."""
    with translation.override("en"):
        return reverse(name, args=args).removeprefix("/en")


def _when(moment: Any) -> str:
    if hasattr(moment, "tzinfo"):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return formats.date_format(moment, "DATE_FORMAT")


def decision_path(decision: Any) -> str:
    if decision.meeting_id:
        return path_of("framework:meeting", decision.meeting_id)
    return (
        path_of("framework:search")
        + "?"
        + urlencode({"q": decision.reference or decision.title_en})
    )


def body_members_of(decision: Any) -> list[User]:
    """The members of the body whose meeting took the decision (the NUC when it has none)."""
    from partnership.framework.models import Body

    body = decision.meeting.body if decision.meeting_id else Body.objects.filter(slug="nuc").first()
    if body is None:
        return []
    return people_within(organizations=body.members.all())


def silence_opened(decision: Any) -> None:
    notify(
        kind=Kind.SILENCE_OPENED, recipients=body_members_of(decision), record=decision,
        occasion=decision.silence_deadline.isoformat(), path=decision_path(decision),
        message=lambda user: Message(
            _("Silence procedure on %(decision)s: objections until %(deadline)s")
            % {"decision": str(decision), "deadline": _when(decision.silence_deadline)}
        ),
    )  # fmt: skip


def silence_broken(decision: Any) -> None:
    notify(
        kind=Kind.SILENCE_BROKEN, recipients=body_members_of(decision), record=decision,
        occasion="broken", path=decision_path(decision),
        message=lambda user: Message(_("Silence broken on %(decision)s") % {"decision": str(decision)}),
    )  # fmt: skip


def action_assigned(item: Any) -> None:
    def message(user: User) -> Message:
        if item.deadline:
            return Message(
                _("Action item for %(owner)s: %(action)s, by %(deadline)s")
                % {
                    "owner": item.owner.name,
                    "action": localized(item, "title"),
                    "deadline": _when(item.deadline),
                }
            )
        return Message(
            _("Action item for %(owner)s: %(action)s")
            % {"owner": item.owner.name, "action": localized(item, "title")}
        )

    notify(
        kind=Kind.ACTION_ASSIGNED, recipients=people(organizations=[item.owner_id]), record=item,
        occasion="assigned", path=path_of("framework:action_items"), message=message,
    )  # fmt: skip


def _sps_reviewers(grant: Any) -> list[User]:
    """Who hears of an SPS application's review: the managers of its programme, who start
    the review (`notify` leaves out those who may not see the application)."""
    return list(grant.programme.managers.all())


def sps_application(grant: Any) -> None:
    notify(
        kind=Kind.SPS_REVIEW, recipients=_sps_reviewers(grant), record=grant,
        occasion="applied", path=path_of("programmes:grant", grant.reference),
        message=lambda user: Message(
            _("SPS application %(reference)s waits for review: %(title)s")
            % {"reference": grant.reference, "title": localized(grant, "title")}
        ),
    )  # fmt: skip


def sps_withdrawn(grant: Any) -> None:
    """The applicant withdrew the application: the people told it waits for review are told
    it no longer does (the same kind, so the same preference), with the applicant's reason."""
    notify(
        kind=Kind.SPS_REVIEW, recipients=_sps_reviewers(grant), record=grant,
        occasion="withdrawn", path=path_of("programmes:grant", grant.reference),
        message=lambda user: Message(
            _("SPS application %(reference)s was withdrawn and no longer waits for review: %(title)s")
            % {"reference": grant.reference, "title": localized(grant, "title")},
            _("Reason given by the applicant: %(reason)s") % {"reason": grant.withdrawal_reason},
        ),
    )  # fmt: skip


def _coordinators(programme: Any) -> list[User]:
    if programme.coordinator_id is None:
        return []
    return list(
        people(organizations=[programme.coordinator_id], roles=[Role.EDITOR, Role.APPROVER])
    )


def anp_submitted(programme: Any) -> None:
    notify(
        kind=Kind.ANP_SUBMITTED, recipients=_coordinators(programme), record=programme,
        occasion=programme.submitted_at.isoformat(), path=path_of("anp:dashboard", programme.year),
        message=lambda user: Message(
            _("%(programme)s was submitted for approval") % {"programme": str(programme)}
        ),
    )  # fmt: skip


def anp_approved(programme: Any) -> None:
    notify(
        kind=Kind.ANP_APPROVED, recipients=_coordinators(programme), record=programme,
        occasion=programme.approved_at.isoformat(), path=path_of("anp:dashboard", programme.year),
        message=lambda user: Message(_("%(programme)s was approved") % {"programme": str(programme)}),
    )  # fmt: skip


def anp_returned(programme: Any) -> None:
    notify(
        kind=Kind.ANP_RETURNED, recipients=_coordinators(programme), record=programme,
        occasion=timezone.now().isoformat(), path=path_of("anp:dashboard", programme.year),
        message=lambda user: Message(
            _("%(programme)s was returned for more drafting") % {"programme": str(programme)}
        ),
    )  # fmt: skip


def renegade_escalated(*, track: int, level: str, by: User) -> None:
    """To the air-operations staff of both centres: a track's renegade level went up."""
    from partnership.airpicture.vocabulary import levels

    notify(
        kind=Kind.RENEGADE, recipients=air_operations_of_both_sides(), record=None,
        occasion=f"{track}:{level}", path=path_of("airpicture:map"),
        message=lambda user: Message(
            _("Renegade alert: track %(track)s escalated to %(level)s by %(organization)s")
            % {"track": track, "level": levels().get(level, level),
               "organization": by.organization.name if by.organization else by.get_username()}
        ),
    )  # fmt: skip
