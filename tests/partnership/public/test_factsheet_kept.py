"""The public's factsheet is drawn once per language and kept until the next write to the
database (PostgreSQL's WAL position, `public.views._data_version`): a change shows at once,
a record re-marked away from the public leaves it at once, and a signed-in reader's factsheet
is always their own.

These tests commit (the kept drawing is used outside a transaction only), so they run on
PostgreSQL with the database copied back from the run's template before and after each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnership.core.models import Marking, User
from partnership.framework.models import Body, Milestone
from tests import databases

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    # The WAL position is the server's: other test processes' writes move it too. Alone, in
    # the serial run, a read between two writes is not redrawn by someone else's.
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _demo(demo_template: databases.Template) -> Iterator[None]:
    databases.restore(demo_template)
    yield
    databases.restore(demo_template)


def _link(body: Body) -> str:
    """The body's line in the factsheet's list of bodies (its name is in the prose too)."""
    with translation.override("en"):
        return f'<a href="{reverse("framework:body", args=[body.slug])}">'


def _article(page: str) -> str:
    """The factsheet itself, without the header (whose CSRF token is new on every page)."""
    return page[page.index('<article class="factsheet">') : page.index("</article>")]


def _read_kept(client: Client, url: str) -> tuple[str, int]:
    """The page once it is served kept: a write by anyone between two reads (autovacuum, a
    checkpoint) redraws it, which is right; the next quiet read serves it kept."""
    for _ in range(20):
        page, queries = _read(client, url)
        if queries == 1:
            break
    return page, queries


def _read(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_public_reads_the_kept_factsheet_until_a_record_changes(language: str) -> None:
    public = Client()
    drawn, _ = _read(public, f"/{language}/")
    kept, queries = _read_kept(public, f"/{language}/")
    assert _article(kept) == _article(drawn) and queries == 1  # the data version, nothing else

    milestone = Milestone.objects.get(number=36)
    milestone.text_en = milestone.text_uk = "A memorandum is signed (corrected)."
    milestone.save()
    after, queries = _read(public, f"/{language}/")

    assert "(corrected)" in after and "(corrected)" not in drawn
    assert queries > 1


def test_a_body_re_marked_nato_leaves_the_public_factsheet_at_once() -> None:
    public = Client()
    body = Body.objects.filter(marking=Marking.PUBLIC, withdrawn_at=None).order_by("pk").first()
    assert body is not None
    assert _link(body) in _read(public, "/en/")[0]
    assert _link(body) in _read(public, "/en/")[0]  # kept

    # Written past the models' signals: the kept drawing does not rely on them.
    Body.objects.filter(pk=body.pk).update(marking=Marking.NATO)

    assert _link(body) not in _read(public, "/en/")[0]
    staff = Client()
    staff.force_login(User.objects.get(username="nato-editor"))
    assert _link(body) in _read(staff, "/en/")[0]
    assert _link(body) not in _read(public, "/en/")[0]


def test_a_signed_in_reader_is_never_given_the_publics_drawing() -> None:
    body = Body.objects.filter(marking=Marking.PUBLIC, withdrawn_at=None).order_by("pk").first()
    assert body is not None
    Body.objects.filter(pk=body.pk).update(marking=Marking.NATO)
    public = Client()
    _read(public, "/en/")
    _read(public, "/en/")  # kept for the public

    staff = Client()
    staff.force_login(User.objects.get(username="nato-editor"))
    page, queries = _read(staff, "/en/")

    assert _link(body) in page and queries > 1
