"""The parity test: every write through its page and through the API, as every identity.

For each write the page and the API must agree with each other and with the one `can_*`
predicate the service checks: the write happens through both or through neither. What
"happens" is read from the database, not from the answer, so a page that says "saved" and
saves nothing (or the reverse) fails too. Each attempt is undone before the next.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.airpicture import services as airpicture
from partnership.airpicture.models import ExchangeAgreement
from partnership.anp import services as anp
from partnership.anp.models import (
    AnnualProgramme,
    Assessment,
    Measure,
    ProgrammeStatus,
    QuarterlyReport,
)
from partnership.background.models import Job, JobStatus
from partnership.core import services as core
from partnership.core.models import Indicator, Marking, Measurement, Organization, User
from partnership.core.selectors import can_see
from partnership.documents import services as documents
from partnership.documents.models import Document
from partnership.documents.parents import may_attach
from partnership.framework import services as framework
from partnership.framework.models import (
    ActionItem,
    Agreement,
    Body,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingLevel,
    Milestone,
)
from partnership.logistics import services as logistics
from partnership.logistics.models import (
    CodificationBureau,
    CodificationRequest,
    DestructionLot,
    DestructionTarget,
    Location,
    Movement,
    MovementKind,
    RequestStatus,
    Standard,
    StandardAdoption,
    SupplyItem,
)
from partnership.notifications import services as notifications
from partnership.notifications.models import Channel, Notification, Preference
from partnership.notifications.models import Kind as NotificationKind
from partnership.programmes import services as programmes
from partnership.programmes.models import (
    Event,
    EventKind,
    Grant,
    GrantReview,
    GrantStatus,
    Programme,
    RankGroup,
    Topic,
)
from partnership.trustfunds import iati
from partnership.trustfunds import services as trustfunds
from partnership.trustfunds.models import ExchangeRate, FundStatus, Project, Transaction, TrustFund
from tests.partnership.anp.test_spreadsheets import GOOD, workbook
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db

IDENTITIES = [
    "anonymous",
    "nato-editor",
    "nato-approver",
    "nato-admin",
    "ally-assessor",
    "lt-viewer",
    "ua-reporter",
    "ua-viewer",
    "ua-coordinator",
    "ua-approver",
    "ua-ses-reporter",
    "us-lead",
    "ca-donor",
    "ge-viewer",
    "nato-airops",
    "ua-airops",
    "superuser",
]
PROJECT = "demo-medical-rehabilitation-1"
FUND = "medical-rehabilitation"
# A year no demo programme has, within the plan range (1991 to ten years ahead).
PARITY_YEAR = timezone.localdate().year + 8
RATE_DAY = dt.date(2016, 2, 3)
PARITY_IATI = "XI-PARTNERSHIP-parity-import"
IMPORT_YEAR = 2036


@dataclass
class Write:
    """One write: how the page and the API ask for it, how to tell it happened, and the
    predicate that says who may."""

    page: Callable[[Client, dict[str, Any]], Any] | None
    api: Callable[[Client, dict[str, Any]], Any] | None
    happened: Callable[[dict[str, Any]], bool]
    allowed: Callable[[Any, dict[str, Any]], bool]


def _json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _in_state(w: dict[str, Any], status: str) -> bool:
    """The measure's year put in the state the write needs (inside the attempt, which is
    undone): drafting to submit or add measures, submitted to approve, approved to amend."""
    AnnualProgramme.objects.filter(pk=w["measure"].programme_id).update(status=status)
    return True


def _drafted(w: dict[str, Any]) -> bool:
    return _in_state(w, ProgrammeStatus.DRAFT)


def _grant_in(w: dict[str, Any], status: str) -> bool:
    Grant.objects.filter(pk=w["grant"].pk).update(status=status)
    return True


def _fund_in(status: str) -> bool:
    TrustFund.objects.filter(slug=FUND).update(status=status)
    return True


def _then_the_worker(response: Any) -> Any:
    """An import is saved by the worker: the queued jobs run here, inside the attempt."""
    run_queued()
    return response


def _programme_status(w: dict[str, Any]) -> str:
    return AnnualProgramme.objects.get(pk=w["measure"].programme_id).status


def _grant_status(w: dict[str, Any]) -> str:
    return Grant.objects.get(pk=w["grant"].pk).status


# An area along the border, closed, as the drawing map sends it.
_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]]],
}
# An indicator formset with no rows: the measure pages' forms carry one.
_NO_INDICATORS = {"indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"}


def _measure_page(w: dict[str, Any]) -> dict[str, Any]:
    """The new-measure page's form, filled as a coordinator would."""
    return {
        "chapter": 1, "goal_code": "1.1", "code": "PARITY-1", "text_en": "Parity measure",
        "agency": w["measure"].agency_id, "deadline": "Q3 2026", "marking": Marking.PARTNERSHIP,
        **_NO_INDICATORS,
    }  # fmt: skip


_MEASURE_API = {
    "chapter": 1,
    "goal_code": "1.1",
    "code": "PARITY-1",
    "text_en": "Parity measure",
    "agency": "ua-mod",
    "deadline": "2026-35",
    "marking": Marking.PARTNERSHIP,
}
_REVIEW = {"score": 4, "recommendation": "award", "comment": "Parity review"}
_DECISION = {
    "amount_eur": "1000",
    "confirm": "on",
    "note": "Parity note",
    "outputs_en": "Parity outputs",
}
_GRANT_API = {
    "title_en": "Parity grant",
    "topic": Topic.values[0],
    "beneficiary": "ua",
    "ceiling_eur": "50000",
    "period": "2027/2028",
    "summary_en": "Parity summary",
    "marking": Marking.PUBLIC,
}


_BODY = {"kind": "commission", "name_en": "NATO-Ukraine Commission", "chair_en": "Parity chair"}
_MEETING_EDIT = {
    "level": MeetingLevel.AMBASSADORS,
    "title_en": "Parity meeting edited",
    "date": "2026-11-02",
    "marking": Marking.PARTNERSHIP,
}
_AGREEMENT = {"kind": "charter", "title_en": "Parity charter", "covers_en": "Parity covers"}
_MILESTONE = {
    "date": "2026-07",
    "text_en": "Parity milestone",
    "text_uk": "Віха",
    "theme": "political",
    "marking": Marking.PUBLIC,
}


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("parity.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


_DOCUMENT = {
    "kind": "paper",
    "title_en": "Parity document",
    "title_uk": "Документ паритету",
    "marking": Marking.PARTNERSHIP,
}


WRITES: dict[str, Write] = {
    "IATI import": Write(
        page=lambda c, w: _then_the_worker(
            c.post(
                "/en/trust-funds/iati/import/",
                {"fund": w["fund"].pk, "file": SimpleUploadedFile("a.xml", w["iati"])},
            )
        ),
        api=lambda c, w: _then_the_worker(
            c.post(
                f"/api/trust-funds/{FUND}/iati", {"file": SimpleUploadedFile("a.xml", w["iati"])}
            )
        ),
        happened=lambda w: Project.objects.filter(iati_identifier=PARITY_IATI).exists(),
        allowed=lambda u, w: trustfunds.can_import_into(u, w["fund"]),
    ),
    "person create": Write(
        page=lambda c, w: c.post(
            "/en/organization/people/",
            {"username": "parity-person", "password": "a-long-passphrase-1", "roles": ["viewer"]},
        ),
        api=None,  # through the page (an administrator's own organization) and the command line
        happened=lambda w: User.objects.filter(username="parity-person").exists(),
        # The page adds to the administrator's own organization: a superuser of none has
        # nowhere to add (the admin site and the command line are theirs).
        allowed=lambda u, w: (
            isinstance(u, User)
            and u.organization is not None
            and core.can_manage_people(u, u.organization)
        ),
    ),
    "second factor reset": Write(
        page=lambda c, w: c.post(f"/en/accounts/second-factor/reset/{w['lost'].user_id}/"),
        api=None,  # through the page and the command line (mfa_reset)
        happened=lambda w: not TOTPDevice.objects.filter(pk=w["lost"].pk).exists(),
        allowed=lambda u, w: core.can_manage_people(u, w["lost"].user.organization),
    ),
    "exchange agreement approve": Write(
        page=lambda c, w: c.post(f"/en/airpicture/agreements/{w['band'].pk}/approve/"),
        api=None,  # through the page only
        happened=lambda w: (
            ExchangeAgreement.objects.filter(pk=w["band"].pk)
            .exclude(approved_by_sender=None, approved_by_partner=None)
            .exists()
        ),
        allowed=lambda u, w: airpicture.can_approve_agreement(u, w["band"]),
    ),
    "exchange agreement new version": Write(
        page=lambda c, w: c.post(
            f"/en/airpicture/agreements/{w['band'].pk}/new-version/",
            {
                "area": json.dumps(_SQUARE),
                "valid_from": "2026-12-01",
                "min_ft": 0,
                "max_ft": 30000,
                "remove_items": "",
                "update_period_s": 4,
            },
        ),
        api=None,  # through the page only
        happened=lambda w: ExchangeAgreement.objects.filter(name="Parity band").count() == 2,
        allowed=lambda u, w: airpicture.can_draw_version(u, w["band"]),
    ),
    "fund approval": Write(
        page=lambda c, w: c.post(f"/en/trust-funds/{FUND}/status/", {"status": "approved"}),
        api=lambda c, w: _json(c, f"/api/trust-funds/{FUND}/status", {"status": "approved"}),
        happened=lambda w: TrustFund.objects.get(slug=FUND).status == FundStatus.APPROVED,
        allowed=lambda u, w: trustfunds.can_advance(u, w["fund"], FundStatus.APPROVED),
    ),
    "ANP programme submission": Write(
        page=lambda c, w: _drafted(w) and c.post(f"/en/anp/{w['measure'].programme.year}/submit/"),
        api=lambda c, w: (
            _drafted(w) and c.post(f"/api/anp/{w['measure'].programme.year}/transitions/submit")
        ),
        happened=lambda w: (
            AnnualProgramme.objects.get(pk=w["measure"].programme_id).status
            == ProgrammeStatus.SUBMITTED
        ),
        allowed=lambda u, w: (
            can_see(u, w["measure"].programme) and anp.can_edit(u, w["measure"].programme)
        ),
    ),
    "ANP measure create": Write(
        page=lambda c, w: (
            _drafted(w)
            and c.post(f"/en/anp/{w['measure'].programme.year}/measures/new/", _measure_page(w))
        ),
        api=lambda c, w: (
            _drafted(w)
            and _json(c, f"/api/anp/{w['measure'].programme.year}/measures", _MEASURE_API)
        ),
        happened=lambda w: Measure.objects.filter(code="PARITY-1").exists(),
        allowed=lambda u, w: (
            can_see(u, w["measure"].programme) and anp.can_edit(u, w["measure"].programme)
        ),
    ),
    "ANP measure update": Write(
        page=lambda c, w: (
            _drafted(w)
            and c.post(
                f"/en/anp/measures/{w['measure'].pk}/edit/",
                {
                    "text_en": "Parity edited",
                    "goal": w["measure"].goal_id,
                    "agency": w["measure"].agency_id,
                    "deadline": "Q3 2026",
                    **_NO_INDICATORS,
                },
            )
        ),
        api=lambda c, w: (
            _drafted(w)
            and c.patch(
                f"/api/anp/measures/{w['measure'].pk}",
                {"text_en": "Parity edited"},
                content_type="application/json",
            )
        ),
        happened=lambda w: Measure.objects.filter(text_en="Parity edited").exists(),
        allowed=lambda u, w: can_see(u, w["measure"]) and anp.can_edit(u, w["measure"].programme),
    ),
    "ANP measure withdraw": Write(
        page=lambda c, w: (
            _drafted(w)
            and c.post(
                f"/en/anp/measures/{w['measure'].pk}/withdraw/",
                {"reason": "Parity withdrawal", "confirm": "on"},
            )
        ),
        api=lambda c, w: (
            _drafted(w)
            and _json(
                c, f"/api/anp/measures/{w['measure'].pk}/withdraw", {"reason": "Parity withdrawal"}
            )
        ),
        happened=lambda w: Measure.objects.filter(withdrawal_reason="Parity withdrawal").exists(),
        allowed=lambda u, w: can_see(u, w["measure"]) and anp.can_edit(u, w["measure"].programme),
    ),
    "ANP workbook import": Write(
        page=lambda c, w: _then_the_worker(
            c.post(
                "/en/anp/import/",
                {"year": IMPORT_YEAR, "file": SimpleUploadedFile("anp.xlsx", w["workbook"])},
            )
        ),
        api=lambda c, w: _then_the_worker(
            c.post(
                f"/api/anp/{IMPORT_YEAR}/import",
                {"file": SimpleUploadedFile("anp.xlsx", w["workbook"])},
            )
        ),
        happened=lambda w: Measure.objects.filter(programme__year=IMPORT_YEAR).exists(),
        allowed=lambda u, w: anp.can_coordinate(u),
    ),
    "ANP measure links": Write(
        page=None,  # through the API only
        api=lambda c, w: c.put(
            f"/api/anp/measures/{w['measure'].pk}/links",
            {"projects": [PROJECT]},
            content_type="application/json",
        ),
        happened=lambda w: w["measure"].projects.filter(slug=PROJECT).exists(),
        allowed=lambda u, w: (
            can_see(u, w["measure"])
            and can_see(u, w["project"])
            and anp.can_edit(u, w["measure"].programme)
        ),
    ),
    "ANP measure amend": Write(
        page=lambda c, w: (
            _in_state(w, ProgrammeStatus.APPROVED)
            and c.post(
                f"/en/anp/measures/{w['measure'].pk}/amend/",
                {
                    "text_en": "Parity amended",
                    "goal": w["measure"].goal_id,
                    "deadline": "2026-35",
                    "agency": w["measure"].agency_id,
                    "reason": "Parity reason",
                    "confirm": "on",
                },
            )
        ),
        api=lambda c, w: (
            _in_state(w, ProgrammeStatus.APPROVED)
            and _json(
                c,
                f"/api/anp/measures/{w['measure'].pk}/amendments",
                {"text_en": "Parity amended", "reason": "Parity reason"},
            )
        ),
        happened=lambda w: Measure.objects.filter(text_en="Parity amended").exists(),
        allowed=lambda u, w: (
            can_see(u, w["measure"]) and anp.can_approve(u, w["measure"].programme)
        ),
    ),
    "ANP programme approve": Write(
        page=lambda c, w: (
            _in_state(w, ProgrammeStatus.SUBMITTED)
            and c.post(f"/en/anp/{w['measure'].programme.year}/approve/", {"confirm": "on"})
        ),
        api=lambda c, w: (
            _in_state(w, ProgrammeStatus.SUBMITTED)
            and c.post(f"/api/anp/{w['measure'].programme.year}/transitions/approve")
        ),
        happened=lambda w: _programme_status(w) == ProgrammeStatus.APPROVED,
        allowed=lambda u, w: anp.can_approve(u, w["measure"].programme),
    ),
    "ANP programme return": Write(
        page=lambda c, w: (
            _in_state(w, ProgrammeStatus.SUBMITTED)
            and c.post(f"/en/anp/{w['measure'].programme.year}/return/", {"confirm": "on"})
        ),
        api=lambda c, w: (
            _in_state(w, ProgrammeStatus.SUBMITTED)
            and c.post(f"/api/anp/{w['measure'].programme.year}/transitions/return")
        ),
        happened=lambda w: _programme_status(w) == ProgrammeStatus.DRAFT,
        allowed=lambda u, w: anp.can_approve(u, w["measure"].programme),
    ),
    "grant review": Write(
        page=lambda c, w: (
            _grant_in(w, GrantStatus.UNDER_REVIEW)
            and c.post(
                f"/en/programmes/grants/{w['grant'].reference}/",
                {"action": "review", **_REVIEW},
            )
        ),
        api=lambda c, w: (
            _grant_in(w, GrantStatus.UNDER_REVIEW)
            and _json(c, f"/api/grants/{w['grant'].reference}/reviews", _REVIEW)
        ),
        happened=lambda w: GrantReview.objects.filter(comment="Parity review").exists(),
        allowed=lambda u, w: can_see(u, w["grant"]) and programmes.can_review(u, w["grant"]),
    ),
    **{
        f"grant decision: {action}": Write(
            page=lambda c, w, action=action, before=before: (
                _grant_in(w, before)
                and c.post(
                    f"/en/programmes/grants/{w['grant'].reference}/",
                    {"action": action, **_DECISION},
                )
            ),
            api=lambda c, w, action=action, before=before: (
                _grant_in(w, before)
                and _json(
                    c,
                    f"/api/grants/{w['grant'].reference}/decision",
                    {"action": action, **_DECISION},
                )
            ),
            happened=lambda w, after=after: _grant_status(w) == after,
            allowed=lambda u, w: (
                can_see(u, w["grant"]) and programmes.can_manage(u, w["grant"].programme)
            ),
        )
        for action, before, after in (
            ("start_review", GrantStatus.APPLIED, GrantStatus.UNDER_REVIEW),
            ("award", GrantStatus.UNDER_REVIEW, GrantStatus.AWARDED),
            ("reject", GrantStatus.UNDER_REVIEW, GrantStatus.REJECTED),
            ("complete", GrantStatus.AWARDED, GrantStatus.COMPLETED),
        )
    },
    "document attach": Write(
        page=lambda c, w: c.post(
            f"/en/documents/attach/meeting/{w['meeting'].pk}/", {**_DOCUMENT, "file": _pdf()}
        ),
        api=lambda c, w: c.post(
            "/api/documents",
            {**_DOCUMENT, "parent": "meeting", "parent_id": w["meeting"].pk, "file": _pdf()},
        ),
        happened=lambda w: Document.objects.filter(title_en="Parity document").exists(),
        allowed=lambda u, w: can_see(u, w["meeting"]) and may_attach(u, w["meeting"]),
    ),
    "document new version": Write(
        page=lambda c, w: c.post(
            f"/en/documents/{w['document'].pk}/new-version/", {"file": _pdf()}
        ),
        api=lambda c, w: c.post(f"/api/documents/{w['document'].pk}/versions", {"file": _pdf()}),
        happened=lambda w: w["document"].versions.count() == 2,
        allowed=lambda u, w: can_see(u, w["document"]) and may_attach(u, w["meeting"]),
    ),
    "document withdraw": Write(
        page=lambda c, w: c.post(f"/en/documents/{w['document'].pk}/withdraw/", {"confirm": "on"}),
        api=lambda c, w: c.post(f"/api/documents/{w['document'].pk}/withdraw", {"confirm": "true"}),
        happened=lambda w: Document.objects.get(pk=w["document"].pk).withdrawn_at is not None,
        allowed=lambda u, w: can_see(u, w["document"]) and may_attach(u, w["meeting"]),
    ),
    "project agreement record": Write(
        page=None,  # through the API only
        api=lambda c, w: _json(
            c,
            f"/api/trust-funds/projects/{PROJECT}/agreements",
            {"kind": "financial", "parties": ["ca"], "signed": "2016-01-05"},
        ),
        happened=lambda w: w["project"].agreements.filter(signed="2016-01-05").exists(),
        allowed=lambda u, w: trustfunds.can_record(u, w["project"]),
    ),
    **{
        f"fund step: {after}": Write(
            page=lambda c, w, before=before, after=after: (
                _fund_in(before)
                and c.post(f"/en/trust-funds/{FUND}/status/", {"status": after, "confirm": "on"})
            ),
            api=lambda c, w, before=before, after=after: (
                _fund_in(before)
                and _json(c, f"/api/trust-funds/{FUND}/status", {"status": after, "confirm": True})
            ),
            happened=lambda w, after=after: TrustFund.objects.get(slug=FUND).status == after,
            allowed=lambda u, w, after=after: trustfunds.can_advance(u, w["fund"], after),
        )
        for before, after in (
            (FundStatus.APPROVED, FundStatus.IMPLEMENTATION),
            (FundStatus.IMPLEMENTATION, FundStatus.CLOSED),
        )
    },
}


# ---- the writes of one shape, as a table ---------------------------------------------------
# Most writes take the same three routes: the page posts a form to its URL, the API sends JSON
# to its own, and (the framework's) the CLI runs a `partnership framework` subcommand. Those
# are the rows below, one per write service: (service, page, API, CLI), and how to tell the
# write happened and who may make it. URLs are `str.format` templates over the world
# (`{w[meeting].pk}`); a form or body is a dict, or a function of the world when it names its
# records. Writes of other shapes (a state set first, a file, a worker, one route only) are
# written out in WRITES above.

Data = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


def _filled(data: Data, w: dict[str, Any]) -> dict[str, Any]:
    return data(w) if callable(data) else data


def _sets(values: dict[str, Any]) -> list[str]:
    return [arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]


@dataclass(frozen=True)
class Routed:
    """One row: the service, its write's name, its page (URL, form), its API (method, URL,
    JSON body or None for none), its CLI arguments (None: no CLI route)."""

    service: str
    name: str
    page: tuple[str, Data]
    api: tuple[str, str, Data | None]
    cli: Callable[[dict[str, Any]], list[str]] | None
    happened: Callable[[dict[str, Any]], bool]
    allowed: Callable[[Any, dict[str, Any]], bool]

    def write(self) -> Write:
        url, form = self.page
        method, endpoint, body = self.api

        def page(c: Client, w: dict[str, Any]) -> Any:
            return c.post(url.format(w=w), _filled(form, w))

        def api(c: Client, w: dict[str, Any]) -> Any:
            call = getattr(c, method)
            if body is None:
                return call(endpoint.format(w=w))
            return call(endpoint.format(w=w), _filled(body, w), content_type="application/json")

        return Write(page=page, api=api, happened=self.happened, allowed=self.allowed)


_CONFIRMED = {"confirm": "on"}
_PARITY_COURSE = {
    "title_en": "Parity course", "date": "2026-10", "participants_total": 12,
    "marking": Marking.PUBLIC,
}  # fmt: skip
_CORRECTED_COURSE = {**_PARITY_COURSE, "title_en": "Parity course corrected"}


def _count_rows(w: dict[str, Any], *rows: tuple[str, str, int]) -> dict[str, Any]:
    """The event page's participation table: one row per (service, sex, count), all of ca."""
    table: dict[str, Any] = {"count-TOTAL_FORMS": len(rows), "count-INITIAL_FORMS": 0}
    for i, (service, sex, count) in enumerate(rows):
        table.update({
            f"count-{i}-organization": w["ca"].pk, f"count-{i}-service": service,
            f"count-{i}-sex": sex, f"count-{i}-rank_group": w["rank_group"],
            f"count-{i}-count": count,
        })  # fmt: skip
    return table


def _participation(w: dict[str, Any], *rows: tuple[str, str, int]) -> list[dict[str, Any]]:
    """The same table as the API takes it."""
    return [
        {"organization": "ca", "service": service, "sex": sex, "rank_group": w["rank_group"],
         "count": count}
        for service, sex, count in rows
    ]  # fmt: skip


_ONE_ROW = (("civilian", "female", 12),)
_TWO_ROWS = (("civilian", "female", 7), ("military", "male", 5))
_MEETING = {"level": MeetingLevel.EXPERTS, "title_en": "Parity meeting", "date": "2026-11-02",
            "marking": Marking.PUBLIC}  # fmt: skip
_PLEDGE = {"kind": "pledge", "date": "2016-01-05", "currency": "EUR", "amount": "1000",
           "description": "Parity pledge"}  # fmt: skip
_RESULT = {"period": "2016", "actual": "7", "note": "Parity"}
_REPORT = {"quarter": 2, "status": "on_track", "progress_en": "Parity progress"}
_CORRECTION = {"status": "at_risk", "progress_uk": "Виправлено паритетом", "reason": "Parity fix"}
_PARITY_WITHDRAWAL = {"reason": "Parity", "confirm": True}

ROUTED: tuple[Routed, ...] = (
    # ---- framework: page, API and CLI
    Routed(
        "framework.meeting_create", "meeting create",
        page=("/en/framework/meetings/new/", lambda w: {**_MEETING, "body": w["body"].pk}),
        api=("post", "/api/meetings", lambda w: {**_MEETING, "body": w["body"].slug}),
        cli=lambda w: ["create", "meeting", *_sets({"body": w["body"].slug, **_MEETING})],
        happened=lambda w: Meeting.objects.filter(title_en="Parity meeting").exists(),
        allowed=lambda u, w: framework.can_edit(u) and can_see(u, w["body"]),
    ),
    Routed(
        "framework.action_items_bulk_set_status", "action items: status of several",
        page=("/en/framework/action-items/",
              lambda w: {"items": [w["item"].pk], "new_status": "done"}),
        api=("post", "/api/action-items/bulk-status",
             lambda w: {"ids": [w["item"].pk], "status": "done"}),
        # The world has one action item: named twice, the status goes through the bulk service.
        cli=lambda w: ["status", str(w["item"].pk), str(w["item"].pk), "--to", "done"],
        happened=lambda w: ActionItem.objects.get(pk=w["item"].pk).status == "done",
        allowed=lambda u, w: can_see(u, w["item"]) and framework.can_set_status(u, w["item"]),
    ),
    Routed(
        "framework.action_item_set_status", "action item: status of one",
        page=("/en/framework/action-items/{w[item].pk}/status/", {"status": "done"}),
        api=("patch", "/api/action-items/{w[item].pk}", {"status": "done"}),
        cli=lambda w: ["status", str(w["item"].pk), "--to", "done"],
        happened=lambda w: ActionItem.objects.get(pk=w["item"].pk).status == "done",
        allowed=lambda u, w: can_see(u, w["item"]) and framework.can_set_status(u, w["item"]),
    ),
    Routed(
        "framework.decision_adopt", "decision adopt",
        page=("/en/framework/decisions/{w[decision].pk}/adopt/", _CONFIRMED),
        api=("post", "/api/decisions/{w[decision].pk}/adopt", None),
        cli=lambda w: ["adopt", str(w["decision"].pk), "--yes"],
        happened=lambda w: (
            Decision.objects.get(pk=w["decision"].pk).status == DecisionStatus.ADOPTED
        ),
        allowed=lambda u, w: can_see(u, w["decision"]) and framework.can_adopt(u, w["decision"]),
    ),
    Routed(
        "framework.decision_break_silence", "decision: break silence",
        page=("/en/framework/decisions/{w[silence].pk}/break-silence/", _CONFIRMED),
        api=("post", "/api/decisions/{w[silence].pk}/break-silence", None),
        cli=lambda w: ["break-silence", str(w["silence"].pk), "--yes"],
        happened=lambda w: (
            Decision.objects.get(pk=w["silence"].pk).status == DecisionStatus.SILENCE_BROKEN
        ),
        allowed=lambda u, w: can_see(u, w["silence"]) and framework.can_break_silence(u),
    ),
    Routed(
        "framework.decision_create", "decision create",
        page=("/en/framework/decisions/new/",
              lambda w: {"title_en": "Parity decision", "meeting": w["meeting"].pk,
                         "marking": "PUBLIC"}),
        api=("post", "/api/decisions",
             lambda w: {"title_en": "Parity decision", "meeting": w["meeting"].pk,
                        "marking": "PUBLIC"}),
        cli=lambda w: ["create", "decision", *_sets({
            "title_en": "Parity decision", "meeting": w["meeting"].pk, "marking": Marking.PUBLIC,
        })],
        happened=lambda w: Decision.objects.filter(title_en="Parity decision").exists(),
        allowed=lambda u, w: framework.can_edit(u) and can_see(u, w["meeting"]),
    ),
    Routed(
        "framework.decision_update", "decision edit",
        page=("/en/framework/decisions/{w[decision].pk}/edit/",
              {"title_en": "Parity decision edited", "marking": Marking.PARTNERSHIP}),
        api=("put", "/api/decisions/{w[decision].pk}",
             {"title_en": "Parity decision edited", "marking": "PARTNERSHIP"}),
        cli=lambda w: [
            "update", "decision", str(w["decision"].pk),
            *_sets({"title_en": "Parity decision edited"}),
        ],
        happened=lambda w: Decision.objects.filter(title_en="Parity decision edited").exists(),
        allowed=lambda u, w: framework.can_keep(u, w["decision"]),
    ),
    Routed(
        "framework.action_item_create", "action item create",
        page=("/en/framework/action-items/new/",
              lambda w: {"title_en": "Parity new action", "owner": w["ua_mod"].pk,
                         "status": "open", "marking": Marking.PUBLIC}),
        api=("post", "/api/action-items",
             {"title_en": "Parity new action", "owner": "ua-mod", "marking": Marking.PUBLIC}),
        cli=lambda w: ["create", "action-item", *_sets({
            "title_en": "Parity new action", "owner": "ua-mod", "marking": Marking.PUBLIC,
        })],
        happened=lambda w: ActionItem.objects.filter(title_en="Parity new action").exists(),
        allowed=lambda u, w: framework.can_edit(u),
    ),
    Routed(
        "framework.action_item_update", "action item edit",
        page=("/en/framework/action-items/{w[item].pk}/edit/",
              lambda w: {"title_en": "Parity action edited", "owner": w["ua_mod"].pk,
                         "status": "open", "marking": Marking.PUBLIC}),
        api=("put", "/api/action-items/{w[item].pk}",
             {"title_en": "Parity action edited", "owner": "ua-mod", "marking": "PUBLIC"}),
        cli=lambda w: [
            "update", "action-item", str(w["item"].pk),
            *_sets({"title_en": "Parity action edited"}),
        ],
        happened=lambda w: ActionItem.objects.filter(title_en="Parity action edited").exists(),
        allowed=lambda u, w: framework.can_keep(u, w["item"]),
    ),
    Routed(
        "framework.body_create", "body create",
        page=("/en/framework/bodies/new/",
              {"kind": "jwg", "name_en": "Parity group", "marking": Marking.PUBLIC}),
        api=("post", "/api/bodies", {"kind": "jwg", "name_en": "Parity group", "marking": "PUBLIC"}),
        cli=lambda w: ["create", "body", *_sets({
            "kind": "jwg", "name_en": "Parity group", "marking": Marking.PUBLIC,
        })],
        happened=lambda w: Body.objects.filter(name_en="Parity group").exists(),
        allowed=lambda u, w: framework.can_edit(u),
    ),
    Routed(
        "framework.body_update", "body edit",
        page=("/en/framework/bodies/{w[body].slug}/edit/",
              lambda w: {**_BODY, "marking": w["body"].marking}),
        api=("put", "/api/bodies/{w[body].slug}", lambda w: {**_BODY, "marking": w["body"].marking}),
        cli=lambda w: ["update", "body", w["body"].slug, *_sets({"chair_en": "Parity chair"})],
        happened=lambda w: Body.objects.get(pk=w["body"].pk).chair_en == "Parity chair",
        allowed=lambda u, w: framework.can_keep(u, w["body"]),
    ),
    Routed(
        "framework.meeting_update", "meeting edit",
        page=("/en/framework/meetings/{w[meeting].pk}/edit/",
              lambda w: {**_MEETING_EDIT, "body": w["body"].pk}),
        api=("put", "/api/meetings/{w[meeting].pk}",
             lambda w: {**_MEETING_EDIT, "body": w["body"].slug}),
        cli=lambda w: [
            "update", "meeting", str(w["meeting"].pk),
            *_sets({"title_en": "Parity meeting edited"}),
        ],
        happened=lambda w: Meeting.objects.filter(title_en="Parity meeting edited").exists(),
        allowed=lambda u, w: framework.can_keep(u, w["meeting"]),
    ),
    Routed(
        "framework.agreement_create", "agreement create",
        page=("/en/framework/agreements/new/",
              {"kind": "mou", "title_en": "Parity memorandum", "marking": Marking.PUBLIC}),
        api=("post", "/api/agreements",
             {"kind": "mou", "title_en": "Parity memorandum", "marking": "PUBLIC"}),
        cli=lambda w: ["create", "agreement", *_sets({
            "kind": "mou", "title_en": "Parity memorandum", "marking": Marking.PUBLIC,
        })],
        happened=lambda w: Agreement.objects.filter(title_en="Parity memorandum").exists(),
        allowed=lambda u, w: framework.can_edit(u),
    ),
    Routed(
        "framework.agreement_update", "agreement edit",
        page=("/en/framework/agreements/{w[agreement].slug}/edit/",
              {**_AGREEMENT, "marking": Marking.PUBLIC}),
        api=("put", "/api/agreements/{w[agreement].slug}", {**_AGREEMENT, "marking": "PUBLIC"}),
        cli=lambda w: [
            "update", "agreement", w["agreement"].slug, *_sets({"covers_en": "Parity covers"})
        ],
        happened=lambda w: Agreement.objects.filter(covers_en="Parity covers").exists(),
        allowed=lambda u, w: framework.can_keep(u, w["agreement"]),
    ),
    Routed(
        "framework.milestone_create", "milestone create",
        page=("/en/framework/milestones/new/", _MILESTONE),
        api=("post", "/api/milestones", _MILESTONE),
        cli=lambda w: ["create", "milestone", *_sets(_MILESTONE)],
        happened=lambda w: Milestone.objects.filter(text_en="Parity milestone").exists(),
        allowed=lambda u, w: framework.can_edit(u),
    ),
    Routed(
        "framework.milestone_update", "milestone edit",
        page=("/en/framework/milestones/{w[milestone].number}/edit/", _MILESTONE),
        api=("put", "/api/milestones/{w[milestone].number}", _MILESTONE),
        cli=lambda w: ["update", "milestone", str(w["milestone"].number), *_sets(_MILESTONE)],
        happened=lambda w: Milestone.objects.filter(text_en="Parity milestone").exists(),
        allowed=lambda u, w: framework.can_keep(u, w["milestone"]),
    ),
    Routed(
        "framework.record_withdraw", "record withdraw",
        page=("/en/framework/meeting/{w[meeting].pk}/withdraw/", {"reason": "Parity", **_CONFIRMED}),
        api=("post", "/api/meetings/{w[meeting].pk}/withdraw", {"reason": "Parity"}),
        cli=lambda w: ["withdraw", "meeting", str(w["meeting"].pk), "--reason", "Parity", "--yes"],
        happened=lambda w: Meeting.objects.get(pk=w["meeting"].pk).withdrawn_at is not None,
        allowed=lambda u, w: framework.can_keep(u, w["meeting"]),
    ),
    Routed(
        "framework.record_restore", "record restore",
        page=("/en/framework/meeting/{w[withdrawn].pk}/restore/", {}),
        api=("post", "/api/meetings/{w[withdrawn].pk}/restore", None),
        cli=lambda w: ["restore", "meeting", str(w["withdrawn"].pk)],
        happened=lambda w: Meeting.objects.get(pk=w["withdrawn"].pk).withdrawn_at is None,
        allowed=lambda u, w: framework.can_keep(u, w["withdrawn"]),
    ),
    # ---- trust funds: page and API
    Routed(
        "trustfunds.transaction_record", "transaction record",
        page=(f"/en/trust-funds/projects/{PROJECT}/record/",
              lambda w: {**_PLEDGE, "organization": w["ca"].pk}),
        api=("post", f"/api/trust-funds/projects/{PROJECT}/transactions",
             {**_PLEDGE, "organization": "ca"}),
        cli=None,
        happened=lambda w: Transaction.objects.filter(description="Parity pledge").exists(),
        allowed=lambda u, w: trustfunds.can_record(u, w["project"]),
    ),
    Routed(
        "trustfunds.transaction_void", "transaction void",
        page=(f"/en/trust-funds/projects/{PROJECT}/transactions/{{w[pledge].pk}}/void/",
              {"reason": "Parity void", **_CONFIRMED}),
        api=("post", "/api/trust-funds/transactions/{w[pledge].pk}/void", {"reason": "Parity void"}),
        cli=None,
        happened=lambda w: Transaction.objects.filter(reverses=w["pledge"]).exists(),
        allowed=lambda u, w: trustfunds.can_record(u, w["project"]),
    ),
    Routed(
        "trustfunds.measurement_record", "result record",
        page=(f"/en/trust-funds/projects/{PROJECT}/results/new/",
              lambda w: {"indicator": w["indicator"].pk, **_RESULT}),
        api=("post", f"/api/trust-funds/projects/{PROJECT}/results",
             lambda w: {"indicator": w["indicator"].pk, **_RESULT}),
        cli=None,
        happened=lambda w: w["indicator"].measurements.filter(note="Parity").exists(),
        allowed=lambda u, w: trustfunds.can_record(u, w["project"]),
    ),
    Routed(
        "trustfunds.measurement_withdraw", "result withdraw",
        page=(f"/en/trust-funds/projects/{PROJECT}/results/{{w[measurement].pk}}/withdraw/",
              {"reason": "Parity withdrawal", **_CONFIRMED}),
        api=("post", f"/api/trust-funds/projects/{PROJECT}/results/{{w[measurement].pk}}/withdraw",
             {"reason": "Parity withdrawal"}),
        cli=None,
        happened=lambda w: Measurement.objects.filter(
            withdrawal_reason="Parity withdrawal"
        ).exists(),
        allowed=lambda u, w: trustfunds.can_record(u, w["project"]),
    ),
    Routed(
        "trustfunds.rate_record", "exchange rate record",
        page=(f"/en/trust-funds/projects/{PROJECT}/rate/",
              {"rate-currency": "USD", "rate-date": RATE_DAY.isoformat(),
               "rate-eur_per_unit": "5.0", "rate": "1"}),
        api=("post", "/api/trust-funds/rates",
             {"currency": "USD", "date": RATE_DAY.isoformat(), "eur_per_unit": "5.0"}),
        cli=None,
        happened=lambda w: ExchangeRate.objects.filter(
            currency="USD", date=RATE_DAY, eur_per_unit=Decimal(5)
        ).exists(),
        allowed=lambda u, w: trustfunds.can_record_rates(u),
    ),
    # ---- the ANP: page and API
    Routed(
        "anp.report_submit", "ANP quarterly report",
        page=("/en/anp/measures/{w[measure].pk}/report/", _REPORT),
        api=("post", "/api/anp/measures/{w[measure].pk}/reports", _REPORT),
        cli=None,
        happened=lambda w: QuarterlyReport.objects.filter(progress_en="Parity progress").exists(),
        allowed=lambda u, w: can_see(u, w["measure"]) and anp.can_report(u, w["measure"]),
    ),
    Routed(
        "anp.report_correct", "ANP quarterly report correct",
        page=("/en/anp/reports/{w[report].pk}/correct/", _CORRECTION),
        api=("patch", "/api/anp/reports/{w[report].pk}", _CORRECTION),
        cli=None,
        happened=lambda w: QuarterlyReport.objects.filter(correction_reason="Parity fix").exists(),
        allowed=lambda u, w: anp.can_change_report(u, w["report"]),
    ),
    Routed(
        "anp.report_withdraw", "ANP quarterly report withdraw",
        page=("/en/anp/reports/{w[report].pk}/withdraw/",
              {"reason": "Parity report withdrawal", **_CONFIRMED}),
        api=("post", "/api/anp/reports/{w[report].pk}/withdraw",
             {"reason": "Parity report withdrawal"}),
        cli=None,
        happened=lambda w: QuarterlyReport.objects.filter(
            withdrawal_reason="Parity report withdrawal"
        ).exists(),
        allowed=lambda u, w: anp.can_change_report(u, w["report"]),
    ),
    Routed(
        "anp.assessment_record", "ANP Allied assessment",
        page=("/en/anp/{w[measure].programme.year}/chapters/{w[measure].chapter.number}/assess/",
              {"rating": 3, "comment": "Parity assessment", "recommendations": ""}),
        api=("post",
             "/api/anp/{w[measure].programme.year}/chapters/{w[measure].chapter.number}/assessments",
             {"rating": 3, "comment": "Parity assessment"}),
        cli=None,
        happened=lambda w: Assessment.objects.filter(comment="Parity assessment").exists(),
        allowed=lambda u, w: can_see(u, w["measure"].programme) and anp.can_assess(u),
    ),
    Routed(
        "anp.programme_create", "ANP programme create",
        page=("/en/anp/new/", {"year": str(PARITY_YEAR), "marking": "PARTNERSHIP"}),
        api=("post", "/api/anp", {"year": PARITY_YEAR}),
        cli=None,
        happened=lambda w: AnnualProgramme.objects.filter(year=PARITY_YEAR).exists(),
        allowed=lambda u, w: anp.can_coordinate(u),
    ),
    Routed(
        "anp.programme_copy", "ANP programme copy",
        page=("/en/anp/{w[measure].programme.year}/copy/", {"year": PARITY_YEAR + 1}),
        api=("post", "/api/anp/{w[measure].programme.year}/copy-to", {"year": PARITY_YEAR + 1}),
        cli=None,
        happened=lambda w: AnnualProgramme.objects.filter(year=PARITY_YEAR + 1).exists(),
        allowed=lambda u, w: (
            can_see(u, w["measure"].programme) and anp.can_edit(u, w["measure"].programme)
        ),
    ),
    # ---- the programmes: page and API
    Routed(
        "programmes.event_record", "programme event record",
        page=("/en/programmes/{w[programme].slug}/events/new/",
              lambda w: {"kind": w["event_kind"], **_PARITY_COURSE,
                         **_count_rows(w, *_ONE_ROW)}),
        api=("post", "/api/programmes/{w[programme].slug}/events",
             lambda w: {"kind": w["event_kind"], **_PARITY_COURSE,
                        "participation": _participation(w, *_ONE_ROW)}),
        cli=None,
        happened=lambda w: Event.objects.filter(title_en="Parity course").exists(),
        allowed=lambda u, w: (
            can_see(u, w["programme"]) and programmes.can_manage(u, w["programme"])
        ),
    ),
    Routed(
        "programmes.event_update", "programme event update",
        page=("/en/programmes/{w[programme].slug}/events/{w[event].pk}/edit/",
              lambda w: {"kind": w["event_kind"], **_CORRECTED_COURSE,
                         **_count_rows(w, *_TWO_ROWS)}),
        api=("put", "/api/programmes/{w[programme].slug}/events/{w[event].pk}",
             lambda w: {"kind": w["event_kind"], **_CORRECTED_COURSE,
                        "participation": _participation(w, *_TWO_ROWS)}),
        cli=None,
        happened=lambda w: (
            Event.objects.get(pk=w["event"].pk).title_en == "Parity course corrected"
        ),
        allowed=lambda u, w: (
            can_see(u, w["programme"]) and programmes.can_manage(u, w["programme"])
        ),
    ),
    Routed(
        "programmes.event_withdraw", "programme event withdraw",
        page=("/en/programmes/{w[programme].slug}/events/{w[event].pk}/withdraw/",
              {"reason": "Parity", **_CONFIRMED}),
        api=("post", "/api/programmes/{w[programme].slug}/events/{w[event].pk}/withdraw",
             _PARITY_WITHDRAWAL),
        cli=None,
        happened=lambda w: Event.objects.get(pk=w["event"].pk).withdrawn,
        allowed=lambda u, w: (
            can_see(u, w["programme"]) and programmes.can_manage(u, w["programme"])
        ),
    ),
    Routed(
        "programmes.grant_apply", "grant apply",
        page=("/en/programmes/{w[grant].programme.slug}/grants/apply/",
              lambda w: {**_GRANT_API, "beneficiary": w["ua"].pk}),
        api=("post", "/api/grants",
             lambda w: {**_GRANT_API, "programme": w["grant"].programme.slug}),
        cli=None,
        happened=lambda w: Grant.objects.filter(title_en="Parity grant").exists(),
        allowed=lambda u, w: can_see(u, w["grant"].programme) and programmes.can_apply(u),
    ),
    Routed(
        "programmes.grant_update", "grant application update",
        page=("/en/programmes/grants/{w[application].reference}/edit/",
              lambda w: {**_GRANT_API, "title_en": "Parity application corrected",
                         "beneficiary": w["ua"].pk}),
        api=("put", "/api/grants/{w[application].reference}",
             {**_GRANT_API, "title_en": "Parity application corrected"}),
        cli=None,
        happened=lambda w: (
            Grant.objects.get(pk=w["application"].pk).title_en == "Parity application corrected"
        ),
        allowed=lambda u, w: programmes.can_amend_application(u, w["application"]),
    ),
    Routed(
        "programmes.grant_withdraw", "grant application withdraw",
        page=("/en/programmes/grants/{w[application].reference}/withdraw/",
              {"reason": "Parity", **_CONFIRMED}),
        api=("post", "/api/grants/{w[application].reference}/withdraw", _PARITY_WITHDRAWAL),
        cli=None,
        happened=lambda w: Grant.objects.get(pk=w["application"].pk).withdrawn,
        allowed=lambda u, w: programmes.can_amend_application(u, w["application"]),
    ),
)  # fmt: skip
WRITES.update({row.name: row.write() for row in ROUTED})


# ---- logistics: its data and people are loaded for its writes only (load_logistics) -------
LOGISTICS_IDENTITIES = ["ua-logistician", "ua-codifier"]
_REQUEST = {
    "name_en": "Parity lamp", "ncage": "U1L22", "supplier_name": "Demo Lamps",
    "reference": "PARITY-REF-1", "supply_class": "6230",
}  # fmt: skip
_STANDARD = {
    "number": "STANAG 9901", "kind": "stanag", "title_en": "Parity standard",
    "area": "logistics", "marking": Marking.PUBLIC,
}  # fmt: skip
_ADOPTION = {
    "status": "studied", "studied": "2025", "national_document": "Parity order",
    "marking": Marking.PARTNERSHIP,
}  # fmt: skip
_LOT = {"lot_number": "PARITY-LOT", "quantity": "10", "period": "2016-05", "site": "Parity",
        "marking": Marking.PARTNERSHIP}  # fmt: skip


def logistics_world(w: dict[str, Any]) -> None:
    """The records the logistics writes act on, added to the world."""
    call_command("load_logistics", "--demo", verbosity=0)
    bureau = CodificationBureau.objects.get(organization__slug="ua-ncb")
    submitter = User.objects.get(username="ua-logistician")
    received = logistics.codification_request_submit(
        by=submitter, bureau=bureau,
        data=logistics.RequestData(**{**_REQUEST, "reference": "PARITY-REF-0"}),
    )  # fmt: skip
    item = SupplyItem.objects.filter(tracked_singly=False).order_by("pk").first()
    depot = Location.objects.order_by("pk").first()
    assert item is not None and depot is not None
    receipt = logistics.movement_record(
        by=submitter, item=item,
        data=logistics.MovementData(
            kind=MovementKind.RECEIPT, quantity="5", occurred_on=dt.date(2026, 1, 5),
            to_location=depot, note="Parity receipt",
        ),
    )  # fmt: skip
    w.update(
        standard=Standard.objects.order_by("pk").first(),
        bureau=bureau,
        received=received,
        supply_item=item,
        depot=depot,
        receipt=receipt,
        target=DestructionTarget.objects.order_by("pk").first(),
    )


def _request_in(w: dict[str, Any], status: str) -> bool:
    CodificationRequest.objects.filter(pk=w["received"].pk).update(status=status)
    return True


def _request_status(w: dict[str, Any]) -> str:
    return CodificationRequest.objects.get(pk=w["received"].pk).status


def _standards_import(c: Client, w: dict[str, Any]) -> Any:
    from tests.partnership.logistics.test_views import _workbook

    upload = _workbook([["STANAG 9902", "STANAG", "1", "Parity import", "Logistics", "", ""]])
    preview = c.post("/en/logistics/standards/import/", {"file": upload})
    try:
        digest = preview.context["digest"]
    except (KeyError, TypeError):
        return preview
    return c.post("/en/logistics/standards/import/", {"confirm": "1", "digest": digest})


LOGISTICS_WRITES: dict[str, Write] = {
    "logistics standard create": Write(
        page=lambda c, w: c.post("/en/logistics/standards/new/", _STANDARD),
        api=lambda c, w: _json(c, "/api/logistics/standards", _STANDARD),
        happened=lambda w: Standard.objects.filter(number="STANAG 9901").exists(),
        allowed=lambda u, w: logistics.can_edit(u),
    ),
    "logistics standard update": Write(
        page=lambda c, w: c.post(
            f"/en/logistics/standards/{w['standard'].pk}/edit/",
            {**_STANDARD, "number": w["standard"].number, "edition": w["standard"].edition},
        ),
        api=lambda c, w: c.put(
            f"/api/logistics/standards/{w['standard'].pk}",
            {**_STANDARD, "number": w["standard"].number, "edition": w["standard"].edition},
            content_type="application/json",
        ),
        happened=lambda w: Standard.objects.get(pk=w["standard"].pk).title_en == "Parity standard",
        allowed=lambda u, w: can_see(u, w["standard"]) and logistics.can_edit(u),
    ),
    "logistics adoption set": Write(
        page=lambda c, w: c.post(
            f"/en/logistics/standards/{w['standard'].pk}/adoption/ua/", _ADOPTION
        ),
        api=lambda c, w: c.put(
            f"/api/logistics/standards/{w['standard'].pk}/adoptions/ua",
            {**_ADOPTION, "releasable_to": []},
            content_type="application/json",
        ),
        happened=lambda w: StandardAdoption.objects.filter(
            standard=w["standard"], national_document="Parity order"
        ).exists(),
        allowed=lambda u, w: can_see(u, w["standard"]) and logistics.can_edit(u),
    ),
    "logistics standards import": Write(
        page=_standards_import,
        api=None,  # a workbook is uploaded through the page or the CLI (standards_import)
        happened=lambda w: Standard.objects.filter(number="STANAG 9902").exists(),
        allowed=lambda u, w: logistics.can_edit(u),
    ),
    "logistics request submit": Write(
        page=lambda c, w: c.post(
            "/en/logistics/requests/new/", {**_REQUEST, "unit_of_issue": "EA"}
        ),
        api=lambda c, w: _json(
            c, "/api/logistics/requests", {**_REQUEST, "bureau": w["bureau"].code}
        ),
        happened=lambda w: CodificationRequest.objects.filter(reference="PARITY-REF-1").exists(),
        allowed=lambda u, w: logistics.can_request_codification(u),
    ),
    **{
        f"logistics request {action}": Write(
            page=lambda c, w, action=action, before=before: (
                _request_in(w, before)
                and c.post(
                    f"/en/logistics/requests/{w['received'].number}/{action}/",
                    {"rejection_reason": "Parity reason"},
                )
            ),
            api=lambda c, w, action=action, before=before: (
                _request_in(w, before)
                and _json(
                    c,
                    f"/api/logistics/requests/{w['received'].number}/{action}",
                    {"reason": "Parity reason"},
                )
            ),
            happened=lambda w, after=after: _request_status(w) == after,
            allowed=lambda u, w: can_see(u, w["received"]) and logistics.can_codify(u, w["bureau"]),
        )
        for action, before, after in (
            ("research", RequestStatus.RECEIVED, RequestStatus.RESEARCHED),
            ("codify", RequestStatus.RESEARCHED, RequestStatus.CODIFIED),
            ("reject", RequestStatus.RECEIVED, RequestStatus.REJECTED),
        )
    },
    "logistics movement record": Write(
        page=lambda c, w: c.post(
            "/en/logistics/movements/new/",
            {
                "kind": MovementKind.RECEIPT,
                "nsn": w["supply_item"].nsn,
                "quantity": "3",
                "to_location": w["depot"].pk,
                "occurred_on": "2026-02-01",
                "note": "Parity in",
            },
        ),
        api=lambda c, w: _json(
            c,
            "/api/logistics/movements",
            {
                "kind": MovementKind.RECEIPT,
                "nsn": w["supply_item"].nsn,
                "quantity": "3",
                "to_location": w["depot"].code,
                "occurred_on": "2026-02-01",
                "note": "Parity in",
            },
        ),
        happened=lambda w: Movement.objects.filter(note="Parity in").exists(),
        allowed=lambda u, w: (
            can_see(u, w["supply_item"]) and can_see(u, w["depot"]) and logistics.can_edit(u)
        ),
    ),
    "logistics movement reverse": Write(
        page=lambda c, w: c.post(f"/en/logistics/movements/{w['receipt'].pk}/reverse/"),
        api=lambda c, w: _json(c, f"/api/logistics/movements/{w['receipt'].pk}/reversal", {}),
        happened=lambda w: Movement.objects.filter(reverses=w["receipt"]).exists(),
        allowed=lambda u, w: can_see(u, w["receipt"]) and logistics.can_edit(u),
    ),
    "logistics lot record": Write(
        page=lambda c, w: c.post(f"/en/logistics/destruction/{w['target'].pk}/lots/new/", _LOT),
        api=lambda c, w: _json(
            c, f"/api/logistics/destruction/{w['target'].pk}/lots", {**_LOT, "quantity": 10}
        ),
        happened=lambda w: DestructionLot.objects.filter(lot_number="PARITY-LOT").exists(),
        allowed=lambda u, w: can_see(u, w["target"]) and logistics.can_record_lots(u),
    ),
}
WRITES.update(LOGISTICS_WRITES)


def _me(c: Client) -> User | None:
    """The person the client is logged in as (None: anonymous)."""
    return User.objects.filter(pk=c.session.get("_auth_user_id")).first()


def _own_notice(c: Client) -> int:
    me = _me(c)
    notice = Notification.objects.filter(recipient=me, subject_en="Parity notice").first()
    return notice.pk if notice else 0


def _own_failed_job(c: Client) -> int:
    job = Job.objects.filter(requested_by=_me(c), status=JobStatus.FAILED).first()
    return job.pk if job else 0


_PREFERENCES = {"language": "uk", **dict.fromkeys(NotificationKind.values, Channel.IMMEDIATE),
                NotificationKind.RENEGADE: Channel.OFF}  # fmt: skip


def _muted(w: dict[str, Any]) -> bool:
    return Preference.objects.filter(kind=NotificationKind.RENEGADE, channel=Channel.OFF).exists()


def _signed_in(u: Any, w: dict[str, Any]) -> bool:
    """A person's own notices, choices and files: anyone signed in, for their own rows only."""
    return bool(u.is_authenticated)


PERSONAL_WRITES: dict[str, Write] = {
    "notification read": Write(
        page=lambda c, w: c.post(f"/en/notifications/{_own_notice(c)}/read/"),
        api=lambda c, w: c.post(f"/api/notifications/{_own_notice(c)}/read"),
        happened=lambda w: Notification.objects.filter(read_at__isnull=False).exists(),
        allowed=_signed_in,
    ),
    "notifications: all read": Write(
        page=lambda c, w: c.post("/en/notifications/read-all/"),
        api=lambda c, w: c.post("/api/notifications/read-all"),
        happened=lambda w: Notification.objects.filter(read_at__isnull=False).exists(),
        allowed=_signed_in,
    ),
    "notification preferences": Write(
        page=lambda c, w: c.post("/en/notifications/settings/", _PREFERENCES),
        api=lambda c, w: c.put(
            "/api/notifications/preferences",
            {"language": "uk", "channels": {NotificationKind.RENEGADE: Channel.OFF}},
            content_type="application/json",
        ),
        happened=_muted,
        allowed=_signed_in,
    ),
    "prepared file start": Write(
        page=lambda c, w: c.post("/en/prepared/", {"kind": "iati_export", "language": "en"}),
        api=lambda c, w: _json(c, "/api/jobs", {"kind": "iati_export", "language": "en"}),
        happened=lambda w: Job.objects.filter(kind="iati_export", status=JobStatus.QUEUED).exists(),
        allowed=_signed_in,
    ),
    "prepared file retry": Write(
        page=lambda c, w: c.post(f"/en/prepared/{_own_failed_job(c)}/retry/"),
        api=lambda c, w: c.post(f"/api/jobs/{_own_failed_job(c)}/retry"),
        happened=lambda w: Job.objects.filter(status=JobStatus.QUEUED).exists(),
        allowed=_signed_in,
    ),
}
WRITES.update(PERSONAL_WRITES)


def personal_world() -> None:
    """Each identity's own notice and own failed file, for the personal writes."""
    for who in IDENTITIES[1:]:
        user = _identity(who)
        notifications.notify(
            kind=NotificationKind.RENEGADE, recipients=[user], record=None, occasion="parity",
            message=lambda u: notifications.Message("Parity notice"),
        )  # fmt: skip
        Job.objects.create(kind="iati_export", requested_by=user, status=JobStatus.FAILED,
                           marking=Marking.PUBLIC, error="Parity failure")  # fmt: skip


# Each write service (a function of a `services.py` that takes `by`) and the writes above that
# call it through its routes; or why none does.
THROUGH = {
    "accounts.second_factor_reset": ["second factor reset"],
    "airpicture.agreement_approve": ["exchange agreement approve"],
    "airpicture.agreement_new_version": ["exchange agreement new version"],
    "background.import_start": ["ANP workbook import", "IATI import"],
    "background.job_retry": ["prepared file retry"],
    "background.job_start": ["prepared file start"],
    "notifications.notification_mark_read": ["notification read"],
    "notifications.notifications_mark_all_read": ["notifications: all read"],
    "notifications.preferences_set": ["notification preferences"],
    "anp.measure_amend": ["ANP measure amend"],
    "anp.measure_create": ["ANP measure create"],
    "anp.measure_links_set": ["ANP measure links"],
    "anp.measure_update": ["ANP measure update"],
    "anp.measure_withdraw": ["ANP measure withdraw"],
    "anp.measures_import": ["ANP workbook import"],
    "anp.programme_approve": ["ANP programme approve"],
    "anp.programme_return": ["ANP programme return"],
    "anp.programme_submit": ["ANP programme submission"],
    "core.role_grant": ["person create"],  # the People page grants the roles it is given
    "core.user_create": ["person create"],
    "documents.document_add_version": ["document new version"],
    "documents.document_attach": ["document attach"],
    "documents.document_withdraw": ["document withdraw"],
    "logistics.codification_request_codify": ["logistics request codify"],
    "logistics.codification_request_reject": ["logistics request reject"],
    "logistics.codification_request_research": ["logistics request research"],
    "logistics.codification_request_submit": ["logistics request submit"],
    "logistics.destruction_lot_record": ["logistics lot record"],
    "logistics.movement_record": ["logistics movement record"],
    "logistics.movement_reverse": ["logistics movement reverse"],
    "logistics.standard_adoption_set": ["logistics adoption set"],
    "logistics.standard_create": ["logistics standard create"],
    "logistics.standard_update": ["logistics standard update"],
    "logistics.standards_import": ["logistics standards import"],
    "programmes.grant_award": ["grant decision: award"],
    "programmes.grant_complete": ["grant decision: complete"],
    "programmes.grant_reject": ["grant decision: reject"],
    "programmes.grant_review_record": ["grant review"],
    "programmes.grant_review_start": ["grant decision: start_review"],
    "trustfunds.agreement_record": ["project agreement record"],
    "trustfunds.fund_status_advance": [
        "fund approval",
        "fund step: implementation",
        "fund step: closed",
    ],
    "trustfunds.project_import": ["IATI import"],
}
THROUGH.update({row.service: [row.name] for row in ROUTED})
# Each write service of the framework and the `partnership framework` subcommand (step, and
# kind where the step takes one) that calls it: the third route of issue 15's "the same for
# page, API and CLI" (tests/partnership/framework/test_cli.py runs each).
CLI = {
    "framework.action_item_create": "create action-item",
    "framework.action_item_update": "update action-item",
    "framework.agreement_create": "create agreement",
    "framework.agreement_update": "update agreement",
    "framework.body_create": "create body",
    "framework.body_update": "update body",
    "framework.decision_create": "create decision",
    "framework.decision_update": "update decision",
    "framework.meeting_create": "create meeting",
    "framework.meeting_update": "update meeting",
    "framework.milestone_create": "create milestone",
    "framework.milestone_update": "update milestone",
    "framework.record_restore": "restore",
    "framework.record_withdraw": "withdraw",
    "framework.action_item_set_status": "status",  # one action item
    "framework.action_items_bulk_set_status": "status",  # several
    "framework.decision_adopt": "adopt",
    "framework.decision_break_silence": "break-silence",
}
WITHOUT_ROUTE_HERE = {
    # Asked of the operator's own air operations centre over its API: the centre decides,
    # and there is no centre in this test (tests/partnership/airpicture cover them).
    "airpicture.alert_acknowledge": "through the live map, to a running centre",
    "airpicture.track_escalate": "through the live map, to a running centre",
    "logistics.item_reference_add": "the loader and the CLI add suppliers' references",
}


def test_every_write_service_is_called_through_its_routes_here() -> None:
    """A new write service (one taking `by`) fails this until the parity test calls it."""
    import importlib
    import inspect
    import pkgutil

    import partnership

    found = set()
    for app in pkgutil.iter_modules(partnership.__path__):
        try:
            module = importlib.import_module(f"partnership.{app.name}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and "by" in inspect.signature(function).parameters
            ):
                found.add(f"{app.name}.{name}")
    assert found == set(THROUGH) | set(WITHOUT_ROUTE_HERE)
    assert {w for names in THROUGH.values() for w in names} == set(WRITES)


# The framework's writes above as `partnership framework` arguments (the acting user is added
# per identity): the CLI is held to the same predicate as page and API. An update sets only
# what its check reads; the CLI keeps the other fields.
CLI_WRITES = {row.name: row.cli for row in ROUTED if row.cli is not None}


def test_every_framework_write_names_its_cli_subcommand_and_the_cli_has_it() -> None:
    """A new framework service fails this until `partnership framework` offers it."""
    import argparse

    from partnership.framework.management.commands.framework import Command

    assert set(CLI) == {name for name in THROUGH if name.startswith("framework.")}
    parser = Command().create_parser("partnership", "framework")
    steps = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for service, words in CLI.items():
        step, *kind = words.split()
        assert step in steps.choices, (service, step)
        if kind:
            kinds = next(a for a in steps.choices[step]._actions if a.dest == "kind")
            assert kind[0] in kinds.choices, (service, kind)
    # And each of the writes that call a framework service is made through the CLI below.
    assert {w for name in CLI for w in THROUGH[name]} == set(CLI_WRITES)


@pytest.fixture
def world() -> dict[str, Any]:
    """What the writes act on: visible to everyone, so that a refusal is the permission's."""
    nuc = Body.objects.get(slug="nuc")
    meeting = Meeting.objects.create(
        body=nuc,
        level=MeetingLevel.AMBASSADORS,
        title_en="Parity NUC meeting",
        date="2026-11-02",
        marking=Marking.PARTNERSHIP,
    )
    decision = Decision.objects.create(
        meeting=meeting, title_en="Parity NUC decision", marking=Marking.PARTNERSHIP
    )
    item = ActionItem.objects.create(
        title_en="Parity action",
        owner=Organization.objects.get(slug="ua-mod"),
        marking=Marking.PUBLIC,
    )
    withdrawn = Meeting.objects.create(
        body=nuc,
        level=MeetingLevel.EXPERTS,
        title_en="Parity withdrawn meeting",
        date="2026-11-03",
        marking=Marking.PARTNERSHIP,
        withdrawn_at=timezone.now(),
        withdrawn_by=User.objects.get(username="nato-editor"),
        withdrawal_reason="Parity",
    )
    silence = Decision.objects.create(
        title_en="Parity paper under silence",
        marking=Marking.PARTNERSHIP,
        status=DecisionStatus.UNDER_SILENCE,
        silence_deadline=timezone.now() + dt.timedelta(days=2),
    )
    project = Project.objects.get(slug=PROJECT)
    nato = User.objects.get(username="nato-editor")
    iati_file = (
        iati.export(user=nato, projects=[project])
        .decode()
        .replace(f"XI-PARTNERSHIP-{PROJECT}", PARITY_IATI)
        .encode()
    )
    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.PROPOSED)
    programme = Programme.objects.filter(managers__isnull=False).order_by("pk").first()
    assert programme is not None
    ua = Organization.objects.get(slug="ua")
    grant = Grant.objects.create(
        programme=programme,
        reference="SPS-PARITY-0001",
        title_en="Parity grant under way",
        topic=Topic.values[0],
        beneficiary=ua,
        ceiling_eur=Decimal(50000),
        period="2027/2028",
        summary_en="Parity",
        applicant=User.objects.get(username="ua-coordinator"),
        status=GrantStatus.APPLIED,
        marking=Marking.PUBLIC,
    )
    # An application nobody has reviewed yet, which its applicant may still correct.
    application = Grant.objects.create(
        programme=programme,
        reference="SPS-PARITY-0002",
        title_en="Parity application",
        topic=Topic.values[0],
        beneficiary=ua,
        ceiling_eur=Decimal(50000),
        period="2027/2028",
        summary_en="Parity",
        applicant=User.objects.get(username="ua-coordinator"),
        status=GrantStatus.APPLIED,
        marking=Marking.PUBLIC,
    )
    event = Event.objects.create(
        programme=programme, kind=EventKind.values[0], title_en="Parity recorded course",
        date="2026-09", participants_total=3, marking=Marking.PUBLIC,
    )  # fmt: skip
    event.participation.create(
        organization=Organization.objects.get(slug="ca"), service="civilian", sex="female",
        rank_group=RankGroup.values[0], count=3,
    )  # fmt: skip
    # A positive review by someone else, so that an award is possible.
    GrantReview.objects.create(
        grant=grant,
        reviewer=User.objects.get(username="ally-assessor"),
        score=5,
        recommendation="award",
        comment="Earlier review",
    )
    # The authenticator of someone at NATO who lost their phone (not one of the identities,
    # whose pages would then ask them for a code).
    lost = TOTPDevice.objects.create(
        user=User.objects.create(
            username="parity-lost", organization=Organization.objects.get(slug="nato-is")
        ),
        name="parity phone",
        confirmed=True,
    )
    band = ExchangeAgreement.objects.create(
        sender=Organization.objects.get(slug="nato"),
        partner=Organization.objects.get(slug="ua"),
        version=90,  # after the demo's versions of the NATO–Ukraine agreement
        name="Parity band",
        valid_from="2026-12-01",
        area=_SQUARE,
        marking=Marking.PARTNERSHIP,
    )
    # A public pledge to void and a public indicator to measure, in the parity project.
    pledge = trustfunds.transaction_record(
        by=None, project=project, kind="pledge", date=dt.date(2016, 1, 5),
        organization=Organization.objects.get(slug="ca"), currency="EUR", amount=Decimal(100),
        marking=Marking.PUBLIC,
    )  # fmt: skip
    indicator = Indicator.objects.create(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk,
        name_en="Parity indicator", unit="units", marking=Marking.PUBLIC,
    )  # fmt: skip
    measurement = Measurement.objects.create(indicator=indicator, period="2015", actual=3)
    document = documents.document_attach(
        by=nato,
        parent=meeting,
        kind="agenda",
        title_en="Parity agenda",
        title_uk="Порядок денний паритету",
        marking=Marking.PARTNERSHIP,
        upload=_pdf(),
    )
    made = {
        "pledge": pledge,
        "indicator": indicator,
        "measurement": measurement,
        "document": document,
        "workbook": workbook(GOOD),
        "band": band,
        "lost": lost,
        "grant": grant,
        "application": application,
        "event": event,
        "ua": ua,
        "meeting": meeting,
        "withdrawn": withdrawn,
        "ua_mod": Organization.objects.get(slug="ua-mod"),
        "agreement": Agreement.objects.filter(marking=Marking.PUBLIC).order_by("pk").first(),
        "milestone": Milestone.objects.filter(marking=Marking.PUBLIC).order_by("pk").first(),
        "silence": silence,
        "iati": iati_file,
        "body": nuc,
        "decision": decision,
        "item": item,
        "project": Project.objects.get(slug=PROJECT),
        "fund": TrustFund.objects.get(slug=FUND),
        "ca": Organization.objects.get(slug="ca"),
        "programme": programme,
        "event_kind": EventKind.values[0],
        "rank_group": RankGroup.values[0],
        # A measure of the Ukrainian defence ministry, whose reporter reports on it.
        "measure": Measure.objects.select_related("programme", "chapter")
        .filter(agency__slug="ua-mod", marking=Marking.PARTNERSHIP)
        .order_by("pk")
        .first(),
    }
    # A report of that measure its agency may still correct or withdraw: no Ally has
    # assessed the measure or its chapter yet.
    measure = made["measure"]
    assert isinstance(measure, Measure)
    Assessment.objects.filter(
        programme_id=measure.programme_id, chapter_id=measure.chapter_id
    ).filter(Q(measure=measure) | Q(measure__isnull=True)).delete()
    made["report"] = QuarterlyReport.objects.update_or_create(
        measure=measure, year=measure.programme.year, quarter=1,
        defaults={"status": "on_track", "progress_en": "Parity report",
                  "submitted_by": User.objects.get(username="ua-reporter"),
                  "submitted_at": timezone.now()},
    )[0]  # fmt: skip
    assert None not in made.values(), "the demo data holds what the writes act on"
    return made


def _identity(who: str) -> Any:
    if who == "anonymous":
        return AnonymousUser()
    if who == "superuser":
        return User.objects.get_or_create(
            username="parity-root", defaults={"is_superuser": True, "is_staff": True}
        )[0]
    return User.objects.get(username=who)


def _attempt(who: str, write: Write, call: Callable[[Client, dict[str, Any]], Any], w: Any) -> bool:
    """Whether the write happened; undone afterwards whatever the answer."""
    client = Client(raise_request_exception=False)
    user = _identity(who)
    if user.is_authenticated:
        client.force_login(user)
    with transaction.atomic():
        response = call(client, w)
        assert response.status_code < 500, (who, response.status_code)
        happened = write.happened(w)
        transaction.set_rollback(True)
    return happened


def _attempt_cli(who: str, write: Write, args: list[str], w: Any) -> bool | None:
    """Whether the write happened through `partnership framework` as `who` (None for the
    anonymous caller: the CLI always acts as someone); undone afterwards."""
    user = _identity(who)
    if not user.is_authenticated:
        return None
    with transaction.atomic():
        try:
            call_command("framework", *args, "--as", user.username, stdout=io.StringIO())
        except CommandError as refusal:
            # Refused or not found; bad input only where a record the arguments name is one
            # `who` may not see (the API's 400 on that field): they are right for everyone.
            assert refusal.returncode in (3, 4) or str(framework.MSG_NOT_FOUND) in str(refusal), (
                who,
                str(refusal),
            )
        happened = write.happened(w)
        transaction.set_rollback(True)
    return happened


@pytest.mark.parametrize("name", list(WRITES))
def test_page_api_and_predicate_agree_for_every_identity(name: str, world: Any) -> None:
    write = WRITES[name]
    identities = IDENTITIES
    if name in LOGISTICS_WRITES:
        logistics_world(world)
        identities = IDENTITIES + LOGISTICS_IDENTITIES
    if name in PERSONAL_WRITES:
        personal_world()
    outcomes = {}
    for who in identities:
        user = _identity(who)
        expected = bool(write.allowed(user, world))
        through_api = _attempt(who, write, write.api, world) if write.api else None
        through_page = _attempt(who, write, write.page, world) if write.page else None
        cli = CLI_WRITES.get(name)
        through_cli = _attempt_cli(who, write, cli(world), world) if cli else None
        outcomes[who] = (expected, through_page, through_api, through_cli)
    # A write with one route only (None for the others) is held to the predicate there.
    disagreements = {w: o for w, o in outcomes.items() if len(set(o) - {None}) > 1}
    assert not disagreements, f"{name}: (predicate, page, API, CLI) differ: {disagreements}"
    # The write is possible for someone and refused to someone: the test can fail both ways.
    assert {o[0] for o in outcomes.values()} == {True, False}, outcomes


def test_rates_are_recorded_only_by_the_nato_finance_side() -> None:
    """The issue's case: a Ukrainian coordinator (an editor) no longer sets the global rates,
    nor a lead nation's editor; NATO staff editors do."""
    assert not trustfunds.can_record_rates(User.objects.get(username="ua-coordinator"))
    assert not trustfunds.can_record_rates(User.objects.get(username="us-lead"))
    assert trustfunds.can_record_rates(User.objects.get(username="nato-editor"))


def test_a_nuc_decision_is_adopted_only_by_nato_approvers(world: Any) -> None:
    decision = world["decision"]
    assert not framework.can_adopt(User.objects.get(username="ua-approver"), decision)
    assert framework.can_adopt(User.objects.get(username="nato-approver"), decision)
    with pytest.raises(framework.PermissionDeniedError):
        framework.decision_adopt(by=User.objects.get(username="ua-approver"), decision=decision)
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT
