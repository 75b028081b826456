"""The releasability prober: hidden canary records behind visible ones, looked for everywhere.

Independent of the code under test: it does not call the selector to decide what is hidden.
It seeds, for every relation between releasable records (and from every child record to its
releasable parent), a hidden *canary* target under each marking, pointed at from a visible
PUBLIC source; children of a hidden parent are canaries too; records whose earlier version was
hidden and which were then re-marked PUBLIC carry canary text only in their history. Then, for
every identity, it requests every page, every API GET of the OpenAPI schema, the CLI export,
search, PDFs and IATI XML, and fails where a canary's text or id appears to an identity that
may not see the canary's marking (written out by hand below).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.text import slugify

from partnership.core.models import Releasable, User
from partnership.core.partial_dates import PartialDateField

pytestmark = pytest.mark.django_db

# Canary markings, and who may see each: written by hand, not asked of the selector.
MARKINGS = {
    "partnership": ("PARTNERSHIP", ""),
    "nato": ("NATO", ""),
    "lt-only": ("NATIONS", ",LT,"),
}
MAY_SEE: dict[str, set[str]] = {
    "anonymous": set(),
    "ge-viewer": set(),  # another partner country
    "ua-viewer": {"partnership"},
    "ua-reporter": {"partnership"},
    "ua-ses-reporter": {"partnership"},
    "ua-coordinator": {"partnership"},
    "ua-approver": {"partnership"},
    "ua-airops": {"partnership"},
    "ca-donor": {"partnership", "nato"},
    "us-lead": {"partnership", "nato"},
    "ally-assessor": {"partnership", "nato"},
    "lt-viewer": {"partnership", "nato", "lt-only"},
    # NATO's own staff see every marking: nothing can leak to them.
}
# Pages are read in Ukrainian too by these (a reference shown through a `_uk` field).
IN_UKRAINIAN = {"anonymous", "ua-viewer", "ca-donor"}
TOKEN = "qzcanary"
FIRST_ID = 7_340_001  # canary ids are unusual numbers, so that an id in a page is found too
# Fields that are codes, numbers or choices: not given canary text.
KEEP = {"marking", "releasable_to", "source_text", "url", "currency", "country_code"}


@dataclass
class Seed:
    canaries: dict[str, str] = field(default_factory=dict)  # token or id -> marking name
    kinds: set[tuple[str, str]] = field(default_factory=set)  # (model label, marking) seeded
    records: dict[str, list[models.Model]] = field(default_factory=dict)  # model label -> visible
    relations: list[str] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(FIRST_ID))

    def visible(self, model: type[models.Model]) -> list[Any]:
        return self.records.get(model._meta.label, [])


def _is_releasable(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, Releasable)


def _parent_field(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    """A plain child's releasable parent: the foreign key that deletes it with the parent."""
    for f in model._meta.concrete_fields:
        if (
            isinstance(f, models.ForeignKey)
            and _is_releasable(f.related_model)
            and f.remote_field.on_delete is models.CASCADE
        ):
            return f
    return None


def _parents(model: type[models.Model]) -> set[str]:
    if _is_releasable(model):
        return set(getattr(model, "released_with", ()))
    parent = _parent_field(model)
    return {parent.name} if parent else set()


def _unique_together(model: type[models.Model]) -> set[str]:
    names: set[str] = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    for fields in model._meta.unique_together:
        names.update(fields)
    return names


def _owns_parent(model: type[models.Model]) -> bool:
    """Whether a unique key of the model holds a releasable parent (then that is fresh)."""
    return any(
        isinstance(f, models.ForeignKey) and _is_releasable(f.related_model)
        for f in model._meta.concrete_fields
        if f.name in _unique_together(model)
    )


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in KEEP
        and not isinstance(f, PartialDateField)
        and "period" not in f.name
        and not f.validators[1:]  # a reference with a format of its own keeps its template's
        and getattr(f, "editable", True) is not False
        and (f.max_length or 100) >= 9
    ]


class Seeder:
    def __init__(self) -> None:
        self.seed = Seed()
        self.carriers: dict[str, models.Model] = {}

    def _template(self, model: type[models.Model]) -> models.Model:
        """The model's first row; for a kind the demo data has none of, one made of plain
        values (a choice's first option, today, one)."""
        found = model._default_manager.order_by("pk").first()
        if found is not None:
            return found
        made = model()
        for f in model._meta.concrete_fields:
            if f.primary_key or f.has_default() or f.null:
                continue
            if isinstance(f, models.ForeignKey):
                related = f.related_model
                assert isinstance(related, type)
                if not _is_releasable(related):
                    parent = self._template(related)
                    if parent.pk is None:  # a kind with no row yet either (a bureau)
                        parent.save()
                    setattr(made, f.name, parent)
            elif isinstance(f, models.JSONField):
                setattr(made, f.attname, {})
            elif f.choices:
                setattr(made, f.attname, f.choices[0][0])
            elif isinstance(f, models.DateTimeField):
                setattr(made, f.attname, timezone.now())
            elif isinstance(f, models.DateField):
                setattr(made, f.attname, timezone.now().date())
            elif isinstance(f, models.IntegerField | models.DecimalField):
                setattr(made, f.attname, 1)
            elif isinstance(f, models.CharField | models.TextField):
                dated = "date" in f.name or isinstance(f, PartialDateField)
                setattr(made, f.attname, "2026" if dated else "x")
        return made

    def _fresh(self, model: type[models.Model], *, text: str, marking: str = "PUBLIC") -> Any:
        """A copy of the model's first row under a new id, with text, unique keys and marking
        of its own, and its releasable parents replaced by PUBLIC carriers."""
        template = self._template(model)
        obj = model()
        pk = next(self.seed.ids)
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            setattr(obj, f.attname, getattr(template, f.attname))
        obj.pk = pk
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if isinstance(f, models.ForeignKey) and _is_releasable(f.related_model):
                # A parent that is part of a unique key is a carrier of this record's own.
                setattr(obj, f.name, None if f.null else self.carrier(f.related_model))
            elif f.name in ("slug", "source_key") or isinstance(f, models.SlugField):
                setattr(obj, f.attname, slugify(f"{text}-{pk}")[: f.max_length])
            elif f in _text_fields(model):
                # A short code gets the id alone, which the prober looks for as well.
                value = f"{text} {pk}"
                setattr(obj, f.attname, value if len(value) <= (f.max_length or 999) else f"QZ{pk}")
            elif isinstance(f, models.IntegerField) and (
                f.unique or (f.name in _unique_together(model) and not _owns_parent(model))
            ):
                setattr(obj, f.attname, 2100 + pk % 7000)  # a year the calendar still has
        if isinstance(obj, Releasable):
            obj.marking, obj.releasable_to = MARKINGS.get(marking, (marking, ""))
        self._save_unique(obj)
        return obj

    def _save_unique(self, obj: Any) -> None:
        """Saves; where a unique key is taken, gives the record releasable parents of its own
        (a goal's assessment per year), then tries the other rows of its plain foreign keys
        (an organization, a chapter)."""
        model = type(obj)
        parents = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey)
            and f.name in _unique_together(model)
            and _is_releasable(f.related_model)
            and getattr(obj, f.attname) is not None
        ]
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            for f in parents:
                setattr(obj, f.name, self.carrier(f.related_model, own=True))  # type: ignore[arg-type]
        keys = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey)
            and f.name in _unique_together(model)
            and not _is_releasable(f.related_model)
        ]
        choices = itertools.product(
            *[f.related_model._default_manager.order_by("pk")[:60] for f in keys]  # type: ignore[union-attr]
        )
        while True:
            try:
                with transaction.atomic():
                    obj.save()
                return
            except IntegrityError:
                values = next(choices)
                for f, value in zip(keys, values, strict=True):
                    setattr(obj, f.name, value)

    def carrier(self, model: type[models.Model], *, own: bool = False) -> models.Model:
        """One PUBLIC record of the model, for others to hang from."""
        label = model._meta.label
        if own:
            made = self._fresh(model, text="Prober carrier")
            self.seed.records.setdefault(label, []).append(made)
            return made
        if label not in self.carriers:
            self.carriers[label] = self._fresh(model, text="Prober carrier")
            self.seed.records.setdefault(label, []).append(self.carriers[label])
        return self.carriers[label]

    def canary(self, model: type[models.Model], marking: str) -> models.Model:
        record = self._fresh(model, text=f"{TOKEN}{marking.replace('-', '')}", marking=marking)
        pk = record.pk
        self.seed.kinds.add((model._meta.label, marking))
        self.seed.canaries[f"{TOKEN}{marking.replace('-', '')} {pk}".lower()] = marking
        self.seed.canaries[slugify(f"{TOKEN}{marking.replace('-', '')}-{pk}")] = marking
        self.seed.canaries[str(pk)] = marking
        return record

    def relation(self, source: type[models.Model], f: models.Field[Any, Any]) -> None:
        target = f.related_model
        assert isinstance(target, type)
        child = f.name in _parents(source)
        self.seed.relations.append(f"{source._meta.label}.{f.name}")
        for marking in MARKINGS:
            hidden = self.canary(target, marking)
            if child:
                # A child of a hidden parent is hidden with it: its own text is a canary.
                record = self._fresh(source, text=f"{TOKEN}{marking.replace('-', '')}")
                self.seed.canaries[f"{TOKEN}{marking.replace('-', '')} {record.pk}"] = marking
                self.seed.canaries[str(record.pk)] = marking
            else:
                record = self._fresh(source, text="Prober source")
                self.seed.records.setdefault(source._meta.label, []).append(record)
            if f.many_to_many:
                getattr(record, f.name).add(hidden)
            else:
                setattr(record, f.name, hidden)
                record.save()

    def generic(self) -> None:
        """An action item serves a hidden measure; an indicator counts for a hidden project."""
        from django.contrib.contenttypes.models import ContentType

        from partnership.anp.models import Measure
        from partnership.framework.models import ActionItem
        from partnership.trustfunds.models import Project

        for marking in MARKINGS:
            item = self._fresh(ActionItem, text="Prober source")
            item.linked = self.canary(Measure, marking)
            item.save()
            self.seed.records.setdefault(ActionItem._meta.label, []).append(item)
            hidden = self.canary(Project, marking)
            from partnership.core.models import Indicator

            indicator = self._fresh(Indicator, text=f"{TOKEN}{marking.replace('-', '')}")
            indicator.subject_type = ContentType.objects.get_for_model(Project)
            indicator.subject_id = hidden.pk
            indicator.save()

    def history(self, model: type[models.Model]) -> None:
        """A record first written under a stricter marking, then re-marked PUBLIC and reworded:
        its earlier wording is a canary of the earlier marking."""
        for marking in MARKINGS:
            record = self.canary(model, marking)
            canary_pk = record.pk
            for f in _text_fields(model):
                value = f"Prober re-marked {canary_pk}"
                setattr(record, f.attname, value if len(value) <= (f.max_length or 999) else "")
                if f.unique or f.name in _unique_together(model):
                    setattr(record, f.attname, f"RM{canary_pk}")
            for f in model._meta.concrete_fields:
                if isinstance(f, models.SlugField) or f.name in ("slug", "source_key"):
                    setattr(record, f.attname, f"prober-remarked-{canary_pk}")
            assert isinstance(record, Releasable)
            record.marking, record.releasable_to = "PUBLIC", ""
            record.save()
            # The id is the record's own now, and public.
            self.seed.canaries.pop(str(canary_pk))
            self.seed.records.setdefault(model._meta.label, []).append(record)


def relations() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every foreign key and many-to-many link to a releasable record, from a releasable
    record or from a plain child of one."""
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or model._meta.app_label == "airpicture":
            continue
        if not (_is_releasable(model) or _parent_field(model) is not None):
            continue
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if f.is_relation and _is_releasable(f.related_model) and f.related_model is not model:
                found.append((model, f))
    return found


HISTORY_MODELS = (
    "framework.Milestone",
    "framework.Meeting",
    "framework.Body",
    "framework.Agreement",
    "operations.Operation",
    "programmes.Programme",
    "anp.Measure",
)


def _releasable_labels() -> list[str]:
    return [
        m._meta.label
        for m in apps.get_models()
        if _is_releasable(m)
        and not m.__name__.startswith("Historical")
        and m._meta.app_label != "airpicture"
    ]


@pytest.fixture
def seed() -> Seed:
    seeder = Seeder()
    for label in _releasable_labels():
        for marking in MARKINGS:
            seeder.canary(apps.get_model(label), marking)
    for model, f in relations():
        seeder.relation(model, f)
    seeder.generic()
    for label in HISTORY_MODELS:
        seeder.history(apps.get_model(label))
    _number_new_jobs_past_the_canaries()
    return seeder.seed


def _number_new_jobs_past_the_canaries() -> None:
    """A print link followed by a reader makes a job. SQLite numbers a table's next row after
    its highest, here a seeded job's canary id: the new job's id (in its page's address) would
    be the next canary id, another record's. A row far past them, removed, moves the count on
    (PostgreSQL's sequence never followed the seeded ids)."""
    from partnership.background.models import Job

    far = Job(pk=FIRST_ID * 2, kind="nuc_report", requested_by=User.objects.order_by("pk")[0])
    far.save()
    far.delete()


# ---- what is requested -------------------------------------------------------------------


def _key(record: Any, *names: str) -> Any:
    for name in names:
        value = getattr(record, name, None)
        if value not in (None, ""):
            return value
    return record.pk


def page_arguments(seed: Seed) -> dict[str, Callable[[], list[dict[str, Any]]]]:
    """How to fill each page's arguments from the visible seeded records; a page missing
    here fails the prober, so that a new page is probed too."""
    from django.contrib.contenttypes.models import ContentType

    from partnership.anp.models import AnnualProgramme, Measure, QuarterlyReport
    from partnership.background.models import Job
    from partnership.core.models import Measurement
    from partnership.documents.models import Document
    from partnership.framework.models import (
        ActionItem,
        Agreement,
        Body,
        Decision,
        Meeting,
        Milestone,
    )
    from partnership.logistics.models import CodificationRequest, Standard, SupplyItem
    from partnership.operations.models import Operation
    from partnership.programmes.models import Event, Grant, Programme
    from partnership.trustfunds.models import ExchangeRate, Project, Transaction, TrustFund

    def each(
        model: Any, name: str, *attrs: str, **extra: Any
    ) -> Callable[[], list[dict[str, Any]]]:
        return lambda: [{name: _key(r, *attrs), **extra} for r in seed.visible(model)]

    years = lambda **extra: [  # noqa: E731
        {"year": p.year, **extra} for p in seed.visible(AnnualProgramme)
    ]
    chapters = lambda **extra: [  # noqa: E731
        {"year": p.year, "number": 1, **extra} for p in seed.visible(AnnualProgramme)
    ]
    return {
        "framework:body": each(Body, "slug", "slug"),
        "framework:meeting": each(Meeting, "pk"),
        "framework:agreement": each(Agreement, "slug", "slug"),
        "framework:body_edit": each(Body, "slug", "slug"),
        "framework:meeting_edit": each(Meeting, "pk"),
        "framework:agreement_edit": each(Agreement, "slug", "slug"),
        "framework:decision": each(Decision, "pk"),
        "framework:decision_edit": each(Decision, "pk"),
        "framework:decision_adopt": each(Decision, "pk"),
        "framework:decision_break_silence": each(Decision, "pk"),
        "framework:action_item": each(ActionItem, "pk"),
        "framework:action_item_edit": each(ActionItem, "pk"),
        "framework:milestone_edit": each(Milestone, "number", "number"),
        # One withdrawal page for every kind of the framework's records.
        "framework:withdraw": lambda: [
            {"kind": kind, "key": _key(r, *attrs)}
            for kind, model, attrs in (
                ("body", Body, ("slug",)),
                ("meeting", Meeting, ()),
                ("decision", Decision, ()),
                ("action-item", ActionItem, ()),
                ("agreement", Agreement, ("slug",)),
                ("milestone", Milestone, ("number",)),
            )
            for r in seed.visible(model)
        ],
        "public:milestone": each(Milestone, "number", "number"),
        "operations:detail": each(Operation, "slug", "slug"),
        "programmes:detail": each(Programme, "slug", "slug"),
        "programmes:grants": each(Programme, "slug", "slug"),
        "programmes:grant": each(Grant, "reference", "reference"),
        "programmes:grant_edit": each(Grant, "reference", "reference"),
        "programmes:grant_withdraw": each(Grant, "reference", "reference"),
        # An event's pages, a few per programme (they are all alike).
        **{
            name: lambda: [{"slug": e.programme.slug, "pk": e.pk} for e in seed.visible(Event)[:6]]
            for name in ("programmes:event", "programmes:event_edit", "programmes:event_withdraw")
        },
        "anp:dashboard": lambda: years(),
        "anp:measures": lambda: years(),
        "anp:chapter": lambda: chapters(),
        "anp:report": lambda: years(fmt="html") + years(fmt="pdf")[:2],
        "anp:export": lambda: years(kind="measures"),
        "anp:measure": each(Measure, "pk"),
        "trustfunds:project": each(Project, "slug", "slug"),
        "trustfunds:donor_report": lambda: [
            {"slug": p.slug, "fmt": fmt} for p in seed.visible(Project) for fmt in ("html", "pdf")
        ][:12],
        "trustfunds:iati_project": each(Project, "slug", "slug"),
        "trustfunds:fund": each(TrustFund, "slug", "slug"),
        # The fund report's PDF is its HTML printed; the project's and the ANP's PDFs are read.
        "trustfunds:fund_report": each(TrustFund, "slug", "slug", fmt="html"),
        "trustfunds:fund_status": each(TrustFund, "slug", "slug"),
        "anp:assess": lambda: chapters(),
        "anp:copy": lambda: years(),
        "anp:report_create": each(Measure, "pk"),
        "anp:amend": each(Measure, "pk"),
        "anp:measure_create": lambda: years(),
        "anp:measure_edit": each(Measure, "pk"),
        "anp:measure_withdraw": each(Measure, "pk"),
        "anp:report_correct": each(QuarterlyReport, "pk"),
        "anp:report_withdraw": each(QuarterlyReport, "pk"),
        # The confirmation pages of the steps that ask for one (submit is a POST only).
        "anp:transition": lambda: years(action="approve") + years(action="return"),
        "programmes:event_create": each(Programme, "slug", "slug"),
        "programmes:grant_apply": each(Programme, "slug", "slug"),
        "trustfunds:transaction_create": each(Project, "slug", "slug"),
        "trustfunds:measurement_create": each(Project, "slug", "slug"),
        "trustfunds:measurement_withdraw": lambda: [
            {"slug": p.slug, "pk": m.pk}
            for p in Project.objects.order_by("pk")[:3]
            for m in Measurement.objects.filter(
                indicator__subject_type=ContentType.objects.get_for_model(Project),
                indicator__subject_id=p.pk,
            ).order_by("pk")[:1]
        ],
        "trustfunds:rate_edit": lambda: [
            {"pk": pk}
            for pk in ExchangeRate.objects.order_by("pk").values_list("pk", flat=True)[:2]
        ],
        "trustfunds:transaction_void": lambda: [
            {"slug": t.project.slug, "pk": t.pk}
            for t in Transaction.objects.select_related("project").order_by("pk")[:3]
        ],
        "logistics:standard": each(Standard, "pk"),
        "logistics:standard_edit": each(Standard, "pk"),
        "logistics:adoption_edit": each(Standard, "pk", nation="ua"),
        "logistics:item": each(SupplyItem, "nsn", "nsn"),
        "logistics:request": each(CodificationRequest, "number", "number"),
        "documents:attach": lambda: [
            {"kind": kind, "pk": r.pk}
            for kind, model in (
                ("meeting", Meeting),
                ("agreement", Agreement),
                ("measure", Measure),
                ("grant", Grant),
                ("project", Project),
            )
            for r in seed.visible(model)
        ],
        "documents:document": each(Document, "pk"),
        "documents:version_add": each(Document, "pk"),
        "documents:withdraw": each(Document, "pk"),
        "documents:download": each(Document, "pk"),
        "documents:download_version": each(Document, "pk", number=1),
        "documents:preview": each(Document, "pk", number=1),
        "documents:meeting_ics": each(Meeting, "pk"),
        # Prepared files: each identity's own (the prober's seeded ones belong to someone).
        "background:job": each(Job, "pk"),
        "background:status": each(Job, "pk"),
        "background:download": each(Job, "pk"),
    }


# Actions without a page of their own (a POST that redirects); every form is read, for its
# choice lists.
NOT_PAGES = {
    "framework:action_item_status",
    "framework:restore",
    "trustfunds:rate_create",
    "accounts:reset",
    "logistics:request_action",
    "logistics:movement_reverse",
    "logistics:lot_create",
    # Read by calendar programs with a person's secret address, not with a session; what it
    # holds for its person is checked in tests/partnership/documents/test_calendars.py.
    "calendar_feed",
    "notifications:read",
    "notifications:read_all",
    "background:retry",
}


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        namespace = getattr(p, "namespace", None) or ""
        if isinstance(p, URLResolver):
            if namespace in ("admin", "airpicture") or "api" in str(p.pattern):
                continue
            yield from _patterns(p, f"{namespace}:" if namespace else prefix)
        elif p.name:
            yield f"{prefix}{p.name}", p


def page_urls(seed: Seed) -> list[str]:
    from django.urls import reverse
    from django.utils import translation

    fill = page_arguments(seed)
    urls = []
    with translation.override("en"):
        for name, pattern in _patterns(get_resolver()):
            if name in NOT_PAGES:
                continue
            if not pattern.pattern.converters:
                urls.append(reverse(name))
                continue
            assert name in fill, f"the prober does not know how to fill the page {name}"
            urls += [reverse(name, kwargs=kwargs) for kwargs in fill[name]()]
    return urls


def api_arguments(seed: Seed) -> dict[str, list[dict[str, Any]]]:
    from partnership.anp.models import AnnualProgramme, Measure
    from partnership.background.models import Job
    from partnership.documents.models import Document
    from partnership.framework.models import (
        ActionItem,
        Agreement,
        Body,
        Decision,
        Meeting,
        Milestone,
    )
    from partnership.logistics.models import CodificationRequest, SupplyItem
    from partnership.operations.models import Operation
    from partnership.programmes.models import Event, Programme
    from partnership.trustfunds.models import Project, TrustFund

    def each(model: Any, name: str, *attrs: str) -> list[dict[str, Any]]:
        return [{name: _key(r, *attrs)} for r in seed.visible(model)]

    years = [{"year": p.year} for p in seed.visible(AnnualProgramme)]
    projects = each(Project, "slug", "slug")
    programmes = each(Programme, "slug", "slug")
    items = each(SupplyItem, "nsn", "nsn")
    return {
        "/api/milestones/{number}": each(Milestone, "number", "number"),
        "/api/bodies/{slug}": each(Body, "slug", "slug"),
        "/api/meetings/{pk}": each(Meeting, "pk"),
        "/api/action-items/{pk}": each(ActionItem, "pk"),
        "/api/decisions/{pk}": each(Decision, "pk"),
        "/api/agreements/{slug}": each(Agreement, "slug", "slug"),
        "/api/anp/{year}": years,
        "/api/anp/{year}/summary": years,
        "/api/anp/{year}/measures": years,
        "/api/anp/{year}/assessments": years,
        "/api/anp/{year}/report": years[:2],
        "/api/anp/{year}/export": years,
        "/api/anp/measures/{pk}": each(Measure, "pk"),
        "/api/anp/measures/{pk}/reports": each(Measure, "pk"),
        "/api/operations/{slug}/contributions": each(Operation, "slug", "slug"),
        "/api/programmes/{slug}/participation-by-year": programmes,
        "/api/programmes/{slug}/events": programmes,
        "/api/programmes/{slug}/events/{pk}": [
            {"slug": e.programme.slug, "pk": e.pk} for e in seed.visible(Event)[:6]
        ],
        "/api/programmes/{slug}/integrity-steps": programmes,
        "/api/trust-funds/projects/{slug}": projects,
        "/api/trust-funds/projects/{slug}/transactions": projects,
        "/api/trust-funds/projects/{slug}/results": projects,
        "/api/trust-funds/projects/{slug}/donor-report": projects[:4],
        "/api/trust-funds/projects/{slug}/agreements": projects,
        "/api/trust-funds/{slug}/donor-report": each(TrustFund, "slug", "slug")[:4],
        "/api/logistics/items/{nsn}": items,
        "/api/logistics/items/{nsn}/stock": items,
        "/api/logistics/items/{nsn}/movements": items,
        "/api/logistics/requests/{number}": each(CodificationRequest, "number", "number"),
        "/api/documents/{pk}": each(Document, "pk"),
        "/api/jobs/{pk}": each(Job, "pk"),
        "/api/jobs/{pk}/file": each(Job, "pk"),
        "/api/documents/{pk}/versions/{number}/file": [
            {**d, "number": 1} for d in each(Document, "pk")
        ],
    }


def api_urls(client: Client, seed: Seed) -> list[str]:
    schema = client.get("/api/openapi.json").json()
    fill = api_arguments(seed)
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.startswith("/api/air"):
            continue
        params = [p for p in operations["get"].get("parameters", []) if p["in"] == "path"]
        query = {
            p["name"]: "qz"
            for p in operations["get"].get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }
        if path.endswith(("/report", "/donor-report")):
            # The PDFs are read through the pages; the API's reports are read as HTML.
            query["format"] = "html"
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        if not params:
            urls.append(path + suffix)
            continue
        assert path in fill, f"the prober does not know how to fill the API path {path}"
        for kwargs in fill[path]:
            url = path
            for name, value in kwargs.items():
                url = url.replace("{" + name + "}", str(value))
            urls.append(url + suffix)
    return urls


# ---- looking -----------------------------------------------------------------------------


def _text(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body[:2] == b"PK":  # a workbook
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8", "replace")


ID = re.compile(r"(?<!\d)734\d{4}(?!\d)")


def leaks(text: str, seed: Seed, may_see: set[str]) -> list[str]:
    lowered = re.sub(r"\s+", " ", text.lower())
    found = [
        f"{canary!r} ({marking})"
        for canary, marking in seed.canaries.items()
        if not canary.isdigit() and marking not in may_see and canary in lowered
    ]
    if TOKEN in lowered and not found:
        # A canary's text cut short (a truncated title) still names its marking.
        for marking in MARKINGS:
            if marking not in may_see and f"{TOKEN}{marking.replace('-', '')}" in lowered:
                found.append(f"{TOKEN}{marking} (cut short)")
    for number in set(ID.findall(text)):
        if seed.canaries.get(number, None) not in (None, *may_see):
            found.append(f"id {number} ({seed.canaries[number]})")
    return found


def client_for(who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(User.objects.get(username=who))
    return client


def probe_as(who: str, seed: Seed) -> tuple[dict[str, list[str]], set[str]]:
    """Everything one identity can read: what leaked where, and which markings it saw."""
    client = client_for(who)
    may_see = MAY_SEE[who]
    findings: dict[str, list[str]] = {}
    seen: set[str] = set()

    def probe(url: str, response: Any) -> None:
        if response.status_code >= 500:
            findings[url] = [f"HTTP {response.status_code}"]
        elif response.status_code == 200:
            text = _text(response)
            found = leaks(text, seed, may_see)
            if found:
                findings[url] = found
            seen.update(m for m in may_see if f"{TOKEN}{m.replace('-', '')}" in text.lower())

    for url in page_urls(seed):
        answer = client.get(url)
        probe(url, answer)
        if answer.status_code == 303 and "/prepared/" in answer["Location"]:
            # A print link sends the reader to their job: the worker makes the file, and what
            # it holds is probed as the page's once was.
            from tests.partnership.background.jobs import run_queued

            run_queued()
            state = client.get(answer["Location"] + "status/").json()
            if state["download"]:
                probe(url, client.get(state["download"]))
            else:
                findings[url] = [f"the print was not made: {state['status']} {state['error']}"]
        if who in IN_UKRAINIAN and url.startswith("/en/") and not url.endswith((".pdf", ".xlsx")):
            uk = "/uk/" + url[4:]
            probe(uk, client.get(uk))
    for url in api_urls(client, seed):
        probe(url, client.get(url))
    for query in (TOKEN, "Prober source", "Prober re-marked", "Prober carrier"):
        for url in (f"/en/framework/search/?q={query}", f"/api/search?q={query}"):
            probe(url, client.get(url))
    if who != "anonymous":
        for kind in ("milestones", "meetings", "agreements", "bodies", "action-items"):
            out = io.StringIO()
            call_command("export", kind, "--as", who, stdout=out)
            found = leaks(out.getvalue(), seed, may_see)
            if found:
                findings[f"partnership export {kind}"] = found
    return findings, seen


def test_no_hidden_record_shows_through_a_visible_one(seed: Seed) -> None:
    """One seeding for all identities (seeding is a third of the time); the failure lists
    every identity's leaks."""
    report = []
    for who in MAY_SEE:
        findings, seen = probe_as(who, seed)
        report += [
            f"{who} {url}: {', '.join(found[:4])}" for url, found in sorted(findings.items())
        ]
        # The prober looks where the canaries are: those the identity may see, it does see.
        if seen != MAY_SEE[who]:
            report.append(f"{who} saw no canary of {sorted(MAY_SEE[who] - seen)}")
    assert not report, "hidden records show:\n" + "\n".join(report)


def test_the_prober_seeds_every_kind_and_the_relations_of_the_issue(seed: Seed) -> None:
    """Every releasable kind has hidden canaries of every marking, and the relations the
    issue names are among those probed."""
    seeded = {label for label, _marking in seed.kinds}
    assert seeded >= {label for label in _releasable_labels()}
    assert {marking for _label, marking in seed.kinds} == set(MARKINGS)
    for relation in (
        "framework.Meeting.body",
        "framework.Decision.meeting",
        "framework.ActionItem.meeting",
        "trustfunds.ProjectAgreement.agreement",
        "trustfunds.Project.fund",
        "trustfunds.Transaction.project",
        "anp.Measure.programme",
        "anp.Measure.decisions",
        "anp.Measure.partnership_goals",
        "anp.Measure.projects",
    ):
        assert relation in seed.relations, relation
