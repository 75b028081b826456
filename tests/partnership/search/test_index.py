"""The index's marking columns: filled by the signals, by `search_rebuild` and, for entries
made before the columns were, by their migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from partnership.core.models import Marking
from partnership.documents.models import Document
from partnership.logistics.models import DestructionLot
from partnership.programmes.models import Grant, Programme
from partnership.search.models import SearchEntry
from partnership.search.registry import BY_KEY, KINDS, release_fields, released_parent
from partnership.trustfunds.models import Project

pytestmark = pytest.mark.django_db

COLUMNS = ("marking", "releasable_to", "parent_marking", "parent_releasable_to")


def _columns(kind: str, pk: int) -> dict[str, str]:
    entry = SearchEntry.objects.get(kind=kind, object_id=pk)
    return {name: getattr(entry, name) for name in COLUMNS}


def test_a_saved_record_and_a_re_marked_parent_set_the_entrys_markings() -> None:
    # Given a grant of a programme
    grant = Grant.objects.select_related("programme").order_by("pk").first()
    assert grant is not None
    # When the grant is marked for Ukraine only and saved
    grant.marking, grant.releasable_to = Marking.NATIONS, ",UA,"
    grant.save()
    # Then its entry carries that marking and its programme's
    programme = Programme.objects.get(pk=grant.programme_id)
    assert _columns("grant", grant.pk) == {
        "marking": "NATIONS",
        "releasable_to": ",UA,",
        "parent_marking": programme.marking,
        "parent_releasable_to": programme.releasable_to,
    }
    # When the programme is re-marked for NATO only
    programme.marking, programme.releasable_to = Marking.NATO, ""
    programme.save()
    # Then every one of its grants' entries follows, and its own entry too
    for pk in Grant.objects.filter(programme=programme).values_list("pk", flat=True):
        assert _columns("grant", pk)["parent_marking"] == "NATO"
    assert _columns("programme", programme.pk)["marking"] == "NATO"


def test_a_record_without_a_parent_and_an_organization_have_no_parent_condition() -> None:
    body = BY_KEY["body"].model._default_manager.order_by("pk").first()
    assert body is not None
    assert _columns("body", body.pk)["parent_marking"] == "PUBLIC"
    organization = BY_KEY["organization"].model._default_manager.order_by("pk").first()
    assert organization is not None
    assert _columns("organization", organization.pk) == {
        "marking": "PUBLIC",
        "releasable_to": "",
        "parent_marking": "PUBLIC",
        "parent_releasable_to": "",
    }


def test_the_rebuild_fills_the_markings_again() -> None:
    # Given entries whose markings were lost (every one NATO-only)
    project = Project.objects.select_related("fund").order_by("pk").first()
    assert project is not None
    SearchEntry.objects.update(marking=Marking.NATO, parent_marking=Marking.NATO)
    # When the index is rebuilt
    call_command("search_rebuild", verbosity=0)
    # Then each entry carries its record's and its parent's markings again
    assert _columns("project", project.pk) == release_fields(BY_KEY["project"], project)
    assert _columns("project", project.pk)["parent_marking"] == project.fund.marking


def test_the_migration_gives_existing_entries_their_records_markings() -> None:
    # Given entries made before the marking columns were (the columns' default: NATO only)
    SearchEntry.objects.update(marking=Marking.NATO, releasable_to="", parent_marking=Marking.NATO)
    migration = importlib.import_module(
        "partnership.search.migrations.0003_releasability_in_the_index"
    )
    # When the migration's data step runs
    migration.fill(apps, None)
    # Then the entries of every kind it knows carry what the index itself would write
    known = [k for k in KINDS if k.key in migration.KINDS or not k.releasable]
    assert len(known) >= 17  # the kinds searched when it was written
    for kind in known:
        records = kind.model._default_manager.order_by("pk")
        if kind.read_with:
            records = records.select_related(*kind.read_with)
        for record in records[:20]:
            assert _columns(kind.key, record.pk) == release_fields(kind, record), kind.key


@pytest.mark.parametrize("model", [DestructionLot, Document])
def test_a_kind_seen_with_more_than_one_parent_cannot_be_indexed(model: type) -> None:
    # A destruction lot is seen with its target, itself seen with its project; a document
    # with whichever of six records it belongs to: one parent's columns cannot hold that.
    with pytest.raises(ImproperlyConfigured, match="search index holds the marking of one"):
        released_parent(model)
