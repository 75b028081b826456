"""A record's history as a person reads it: who changed what and when, in the page's language.

The history library keeps raw column values (`[{'meeting': 15, 'organization': 2}]`, `",LT,"`,
`"2014-09-04/2014-09-05"`); here each becomes what the record's own page would show: the
field's translated verbose name, a choice by its label, a partial date as written, a number
grouped by the language, a linked record by its name through the one releasability rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.core import selectors
from partnership.core.formatting import number
from partnership.core.models import NATION_KINDS, Organization, Releasable, localized
from partnership.core.partial_dates import PartialDateField
from partnership.core.partial_input import shown_partial

# What kind of step a version records, in the site's own words (the library's are not ours).
CHANGE_KINDS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    date: dt.datetime
    kind: str
    who: str | None  # None where the reader may not see who acted, "" for the system
    reason: str
    changes: list[Change] = field(default_factory=list)
    earlier_restricted: bool = False


def record_history(
    user: selectors.AnyUser, record: models.Model, *, limit: int = 50
) -> list[Entry]:
    """The record's versions the user may see, newest first, each with its changes.

    History by version: a version is shown only to those who may see that version's marking,
    and a change only where both its sides are visible, so a record re-marked PUBLIC does not
    show the public what it said while it was NATO-only."""
    show_who = selectors.can_see_who_acted(user)
    versions: models.QuerySet[Any] = record.history.all()  # type: ignore[attr-defined]
    rows = list(versions.select_related("history_user").order_by("-history_date")[: limit + 1])
    allowed = set(
        selectors.history_for(user, record)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    entries = []
    for newer, older in zip(rows[:limit], [*rows[1:], None], strict=False):
        if newer.pk not in allowed:
            continue
        earlier_restricted = older is not None and older.pk not in allowed
        changes = []
        if older is not None and not earlier_restricted:
            changes = _changes(user, record, newer.diff_against(older).changes, (older, newer))
        entries.append(
            Entry(
                date=newer.history_date,
                kind=str(CHANGE_KINDS.get(newer.history_type, newer.history_type)),
                who=(_person(newer.history_user) or "") if show_who else None,
                reason=newer.history_change_reason or "",
                changes=changes,
                earlier_restricted=earlier_restricted,
            )
        )
    return entries


def _generic_links(record: models.Model) -> dict[str, str]:
    """A record's generic links (an action item's linked record) as {id field: type field}."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    return {
        f.fk_field: f.ct_field for f in record._meta.private_fields
        if isinstance(f, GenericForeignKey)
    }  # fmt: skip


def _generic_value(user: selectors.AnyUser, version: Any, id_field: str, type_field: str) -> str:
    """A generic link in one version, through the one rule: the record's name or the
    placeholder, never the bare id of a record the reader may not see."""
    from django.contrib.contenttypes.models import ContentType

    type_id, pk = getattr(version, f"{type_field}_id", None), getattr(version, id_field, None)
    if type_id is None or pk in (None, ""):
        return ""
    model = ContentType.objects.get_for_id(type_id).model_class()
    if model is None:
        return _("a deleted record")
    return _linked_record(user, model, pk)


def _changes(
    user: selectors.AnyUser, record: models.Model, raw: list[Any], versions: tuple[Any, Any]
) -> list[Change]:
    found = []
    generic = _generic_links(record)
    for change in raw:
        if change.field in generic.values():
            continue  # shown with its id field, as the record it names
        if change.field in generic:
            old, new = (
                _generic_value(user, version, change.field, generic[change.field])
                for version in versions
            )
            if old != new:
                found.append(Change(label=str(_("Linked record")), old=old, new=new))
            continue
        model_field: Any = record._meta.get_field(change.field)
        # Computed columns (a partial date's sort bounds, a project's running totals) follow
        # from the fields people change; showing them would repeat each change in raw form.
        if not getattr(model_field, "editable", True):
            continue
        old = displayed(user, model_field, change.old)
        new = displayed(user, model_field, change.new)
        if old == new:
            continue  # e.g. only a record the reader may not see joined a list
        found.append(Change(label=field_label(type(record), change.field), old=old, new=new))
    return found


def field_label(model: type[models.Model], name: str) -> str:
    """A field's translated verbose name as a label; an unknown name is shown as it is."""
    try:
        model_field: Any = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if not hasattr(model_field, "verbose_name"):  # a reverse relation: its records' name
        return capfirst(str(model_field.related_model._meta.verbose_name_plural))
    return capfirst(str(model_field.verbose_name))


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def displayed(user: selectors.AnyUser, model_field: Any, value: Any) -> str:
    """One stored value as the record's page shows it ("" for none)."""
    if value is None or value == "" or value == []:
        return ""
    if model_field.many_to_many:
        return _linked_records(user, model_field, value)
    if model_field.is_relation:
        return _linked_record(user, model_field.related_model, value)
    if isinstance(model_field, PartialDateField):
        try:
            return shown_partial(value)
        except ValidationError:
            return str(value)  # a version saved before the value was checked stays as kept
    if model_field.name == "releasable_to":
        return _nations(value)
    if model_field.choices:
        labels = {str(k): str(v) for k, v in model_field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField) and isinstance(value, dt.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField) and isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(model_field, models.DecimalField):
        return number(Decimal(value), min(model_field.decimal_places or 0, 2))
    if isinstance(model_field, models.IntegerField | models.FloatField):
        return number(value, None if isinstance(model_field, models.FloatField) else 0)
    return str(value)


def _name(record: models.Model) -> str:
    for attr in ("name", "title"):
        if hasattr(record, f"{attr}_en"):
            return localized(record, attr)
    return str(record)


def _linked_record(user: selectors.AnyUser, related: Any, pk: Any) -> str:
    found = related._default_manager.filter(pk=pk).first()
    if found is None:
        return _("a deleted record")
    seen = selectors.shown(user, found)
    return str(seen) if isinstance(seen, selectors.Restricted) else _name(found)


def _linked_records(user: selectors.AnyUser, model_field: Any, rows: list[dict[str, Any]]) -> str:
    """A to-many link's rows (`{'meeting': 15, 'organization': 2}`) as the linked names; those
    the reader may not see are left out, as on the record's page (a placeholder for each
    would tell how many hidden records there are)."""
    target = model_field.m2m_reverse_field_name()
    ids = [row.get(target) for row in rows]
    records = list(model_field.related_model._default_manager.filter(pk__in=ids))
    if issubclass(model_field.related_model, Releasable):
        records = selectors.shown_all(user, records)
    return ", ".join(sorted((_name(r) for r in records), key=str.casefold))


def _nations(codes: str) -> str:
    wanted = [code for code in codes.split(",") if code]
    names = Organization.objects.filter(kind__in=NATION_KINDS, country_code__in=wanted)
    return ", ".join(sorted((n.name for n in names), key=str.casefold)) or ", ".join(wanted)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Outside a request (a CLI verb), the person whose changes the history records: what
    django-simple-history's middleware sets for a page or an API call."""
    from simple_history.models import HistoricalRecords

    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
