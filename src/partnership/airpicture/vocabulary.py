"""The words of the live map in the person's language: ASDE's rule, severity and state names."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from asde.alerts import RenegadeLevel, Rule, Severity


def rules() -> dict[str, str]:
    names = {
        Rule.SQUAWK_7500: _("Code 7500: unlawful interference"),
        Rule.SQUAWK_7600: _("Code 7600: radio failure"),
        Rule.SQUAWK_7700: _("Code 7700: emergency"),
        Rule.EMERGENCY_STATUS: _("Emergency declared"),
        Rule.CODE_CHANGE: _("Mode 3/A code changed"),
        Rule.TRANSPONDER_LOST: _("Transponder lost"),
        Rule.BORDER_APPROACH: _("Approaching the border"),
        Rule.BORDER_CROSSING: _("Border crossed"),
        Rule.RESTRICTED_AREA: _("Restricted area entered"),
        Rule.ROUTE_DEVIATION: _("Route deviation"),
        Rule.UNUSUAL_DESCENT: _("Unusual descent"),
        Rule.RENEGADE: _("Renegade"),
    }
    assert set(names) == set(Rule), "every ASDE rule has a name on the map"
    return {str(rule): str(name) for rule, name in names.items()}


def severities() -> dict[str, str]:
    names = {
        Severity.INFO: pgettext("alert severity", "info"),
        Severity.LOW: pgettext("alert severity", "low"),
        Severity.MEDIUM: pgettext("alert severity", "medium"),
        Severity.HIGH: pgettext("alert severity", "high"),
        Severity.CRITICAL: pgettext("alert severity", "critical"),
    }
    assert set(names) == set(Severity)
    return {severity.name.lower(): str(name) for severity, name in names.items()}


def levels() -> dict[str, str]:
    names = {
        RenegadeLevel.NONE: pgettext("renegade level", "none"),
        RenegadeLevel.SUSPECTED: pgettext("renegade level", "suspected"),
        RenegadeLevel.PROBABLE: pgettext("renegade level", "probable"),
        RenegadeLevel.CONFIRMED: pgettext("renegade level", "confirmed"),
    }
    assert set(names) == set(RenegadeLevel)
    return {level.name.lower(): str(name) for level, name in names.items()}


def pictures(centre: str) -> dict[str, str]:
    """What the two pictures of a centre are, in the words of the side that operates it."""
    if centre == "nato":
        return {"own": _("NATO picture"), "partner": _("Received from Ukraine")}
    if centre == "ukraine":
        return {"own": _("Ukraine's picture"), "partner": _("Released by NATO")}
    return {"own": _("Own picture"), "partner": _("Received from the partner")}


def words() -> dict[str, object]:
    """Everything the map's script writes, so that it carries no language of its own."""
    return {
        "rules": rules(),
        "severities": severities(),
        "levels": levels(),
        "roles": {"air_operations": _("air operations")},
        "history": {
            "raised": _("raised"),
            "acknowledged": _("acknowledged by %(who)s"),
            "escalated": _("escalated to %(level)s by %(who)s"),
            "cleared": _("ended"),
        },
        "centre": {
            "connecting": _("Connecting to your air operations centre…"),
            "connected": _("Connected to your air operations centre."),
            "centre_unreachable": _("Your air operations centre is unreachable; retrying."),
            "centre_credential": _(
                "The platform has no credential for your air operations centre; "
                "ask the administrator."
            ),
            "centre_refused": _("Your air operations centre refused the platform's credential."),
        },
        "link": {
            "up": _("Partner link up, active connection: %(name)s"),
            "down": _("Partner link down: no connection"),
            "connections": _("Connections open: %(names)s"),
            "none": _("none"),
            "waiting": _("%(count)s updates awaiting acknowledgement"),
            "rtt": _("round trip p50 %(ms)s ms"),
            "buffer_full": _("Send buffer full"),
        },
        "alert": {
            "active": _("active"),
            "cleared": _("ended"),
            "own": _("raised by this centre"),
            "partner": _("received from the partner"),
            "acknowledge": _("Acknowledge"),
            "escalate": _("Escalate to %(level)s"),
            "track": _("track %(number)s"),
            "none": _("No alerts."),
            "failed": _("The action failed: %(reason)s"),
            "done_ack": _("Alert acknowledged."),
            "done_escalate": _("Track escalated."),
        },
        "tracks": {"count": _("%(shown)s of %(total)s tracks")},
        # What the centre saw, by rule (the keys are those of the alert's `evidence`).
        "evidence": {
            str(Rule.CODE_CHANGE): _("code %(from)s → %(to)s"),
            str(Rule.TRANSPONDER_LOST): _("secondary radar silent for %(secondary_age_s)s s"),
            str(Rule.BORDER_CROSSING): _("into %(into)s from %(from)s"),
            str(Rule.BORDER_APPROACH): _("reaches %(country)s in %(time_to_crossing_s)s s"),
            str(Rule.RESTRICTED_AREA): _("area %(area)s"),
            str(Rule.ROUTE_DEVIATION): _(
                "%(off_route_nm)s NM off the filed route (corridor %(corridor_nm)s NM)"
            ),
            str(Rule.UNUSUAL_DESCENT): _(
                "%(vertical_rate_fpm)s ft/min, %(distance_nm)s NM from %(site)s"
            ),
            str(Rule.RENEGADE): _("indicators: %(indicators)s"),
        },
        "outside": _("outside"),
    }
