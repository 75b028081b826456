"""Keeping the search index up to date: on every save and delete, and rebuilt on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from partnership.search.models import SearchEntry
from partnership.search.registry import BY_MODEL, BY_PARENT, KINDS, Kind, entry_fields

BATCH = 1000


def index_record(record: models.Model) -> None:
    """The record's entry, written again from its current text."""
    kind = BY_MODEL[type(record)]
    if not kind.searched(record):
        SearchEntry.objects.filter(kind=kind.key, object_id=record.pk).delete()
        return
    SearchEntry.objects.update_or_create(
        kind=kind.key, object_id=record.pk, defaults=entry_fields(kind, record)
    )


def index_records(kind: Kind, records: Iterable[Any]) -> int:
    """Entries for many records of one kind (after a bulk load, which sends no signals)."""
    count = 0
    batch: list[Any] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            count += _write(kind, batch)
            batch = []
    if batch:
        count += _write(kind, batch)
    return count


@transaction.atomic
def _write(kind: Kind, records: list[Any]) -> int:
    SearchEntry.objects.filter(kind=kind.key, object_id__in=[r.pk for r in records]).delete()
    searched = [r for r in records if kind.searched(r)]
    SearchEntry.objects.bulk_create(
        SearchEntry(kind=kind.key, object_id=r.pk, **entry_fields(kind, r)) for r in searched
    )
    return len(searched)


def rebuild(progress: Callable[[Kind, int], None] | None = None) -> int:
    """The whole index from the records, kind by kind; what no record backs is dropped."""
    total = 0
    for kind in KINDS:
        records = kind.model._default_manager.order_by("pk")
        if kind.read_with:
            records = records.select_related(*kind.read_with)
        SearchEntry.objects.filter(kind=kind.key).exclude(
            object_id__in=kind.current(kind.model._default_manager.all()).values("pk")
        ).delete()
        count = index_records(kind, records.iterator(chunk_size=BATCH))
        total += count
        if progress is not None:
            progress(kind, count)
    return total


def _saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    if raw:
        return  # loaddata: the records' relations may not be there yet; rebuild afterwards
    index_record(instance)


def _parent_saved(sender: type[models.Model], instance: Any, raw: bool = False, **_: Any) -> None:
    """A parent re-marked re-marks its children's entries: a measure is found only where its
    programme may be seen. One UPDATE per kind; the words (and FTS5's index) stay as they are."""
    if raw:
        return
    for kind, path in BY_PARENT.get(sender, ()):
        children = kind.model._default_manager.filter(**{path: instance.pk}).values("pk")
        SearchEntry.objects.filter(kind=kind.key, object_id__in=children).exclude(
            parent_marking=instance.marking, parent_releasable_to=instance.releasable_to
        ).update(parent_marking=instance.marking, parent_releasable_to=instance.releasable_to)


def _deleted(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    SearchEntry.objects.filter(kind=BY_MODEL[sender].key, object_id=instance.pk).delete()


def connect_signals() -> None:
    for kind in KINDS:
        uid = f"search-index-{kind.key}"
        post_save.connect(_saved, sender=kind.model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=kind.model, dispatch_uid=uid)
    for parent in BY_PARENT:
        post_save.connect(
            _parent_saved, sender=parent, dispatch_uid=f"search-index-parent-{parent._meta.label}"
        )
