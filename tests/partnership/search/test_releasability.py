"""Whoever searches never gets a hit they may not see, nor a count that counts one: for every
kind of record with a marking, each marking of the record and of the parent it is seen only
with, on SQLite and PostgreSQL alike (the ranked query filters by the index's marking
columns; `present` re-checks through the selector). Who sees which marking is written out
by hand here, not asked of the selector."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from partnership.core.models import Marking, User
from partnership.core.selectors import AnyUser
from partnership.search.registry import KINDS, Kind
from partnership.search.selectors import present, search

pytestmark = pytest.mark.django_db

MARKINGS: dict[str, tuple[str, str]] = {
    "public": (Marking.PUBLIC, ""),
    "partnership": (Marking.PARTNERSHIP, ""),
    "nato": (Marking.NATO, ""),
    "to Ukraine": (Marking.NATIONS, ",UA,"),
    "to the US": (Marking.NATIONS, ",US,"),
}
# DESIGN.md: PUBLIC everyone; PARTNERSHIP NATO, the Allies and the partner; NATO NATO and the
# Allies; NATIONS NATO and the nations named. ua-viewer is Ukraine's foreign ministry,
# ally-assessor the United States.
SEES: dict[str, set[str]] = {
    "anonymous": {"public"},
    "ua-viewer": {"public", "partnership", "to Ukraine"},
    "ally-assessor": {"public", "partnership", "nato", "to the US"},
    "nato-editor": set(MARKINGS),
}
MARKED = [kind for kind in KINDS if kind.releasable]


def _reader(name: str) -> AnyUser:
    return AnonymousUser() if name == "anonymous" else User.objects.get(username=name)


def _mark(record: Any, name: str) -> None:
    record.marking, record.releasable_to = MARKINGS[name]
    record.save()


def _count(page: Client, word: str, kind: str) -> tuple[str, int]:
    """The page's count line and how many hits it lists."""
    text = page.get("/en/framework/search/", {"q": word, "kind": kind}).content.decode()
    found = re.search(r'data-testid="count">([^<]*)<', text)
    assert found is not None
    return found.group(1), text.count('class="search-hit"')


def test_every_marked_kind_is_in_the_matrix() -> None:
    # Organizations are the one kind without a marking (the public organizations page).
    assert {k.key for k in KINDS} - {k.key for k in MARKED} == {"organization"}
    assert {k.key for k in MARKED if k.parent} == {"measure", "project", "grant", "event"}


@pytest.mark.parametrize("kind", MARKED, ids=lambda k: k.key)
def test_a_reader_gets_exactly_the_hits_they_may_see(
    kind: Kind, request: pytest.FixtureRequest
) -> None:
    if kind.key in ("standard", "supply_item"):
        call_command("load_logistics", "--demo", verbosity=0)
    # Given a record of the kind with a word of its own
    record = kind.model._default_manager.order_by("pk").first()
    assert record is not None, f"no {kind.key} in the data"
    word = "Zorvex" + kind.key.replace("_", "")
    setattr(record, f"{(kind.title + kind.text)[0]}_en", f"{word} review")
    record.save()
    parent = getattr(record, kind.parent) if kind.parent else None
    readers = {name: _reader(name) for name in SEES}
    partner = Client()
    partner.force_login(readers["ua-viewer"])  # type: ignore[arg-type]
    parent_markings = list(MARKINGS) if parent is not None else ["public"]
    for own, above in itertools.product(MARKINGS, parent_markings):
        # When the record, and then its parent (whose save must re-mark the record's
        # entry), are given these markings
        _mark(record, own)
        if parent is not None:
            _mark(parent, above)
        for name, reader in readers.items():
            seen = own in SEES[name] and above in SEES[name]
            expected = [record.pk] if seen else []
            # Then the ranked query itself returns it only to those who may see it
            hits = search(user=reader, query=word, kind=kind.key)
            assert [h.object_id for h in hits] == expected, (name, own, above)
            # and the selector's re-check agrees
            assert [h.record.pk for h in present(hits)] == expected, (name, own, above)
        # and the partner's page counts and lists exactly that
        count = "1 result" if own in SEES["ua-viewer"] and above in SEES["ua-viewer"] else ""
        assert _count(partner, word, kind.key) == (count or "0 results", 1 if count else 0), (
            own,
            above,
        )
