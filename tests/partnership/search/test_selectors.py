"""The search over every kind, in both languages, on SQLite and PostgreSQL alike: the same
tests run on both (`scripts/with-postgres.sh .venv/bin/pytest tests/partnership/search`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import translation

from partnership.anp.models import AnnualProgramme, Measure
from partnership.core.models import Marking, User
from partnership.framework.models import Agreement, Body, Meeting, MeetingLevel
from partnership.search.models import SearchEntry
from partnership.search.registry import BY_KEY, KINDS
from partnership.search.selectors import present, search
from partnership.search.text import WORD

pytestmark = pytest.mark.django_db


def nato() -> User:
    return User.objects.get(username="nato-editor")


def _meeting(**fields: Any) -> Meeting:
    body = Body.objects.filter(marking=Marking.PUBLIC).order_by("pk").first()
    return Meeting.objects.create(body=body, **fields)


def keys(hits: list[Any]) -> set[tuple[str, int]]:
    return {(h.kind.key, h.record.pk) for h in hits}


@pytest.fixture
def logistics() -> None:
    # Standards and items of supply come with the logistics load, which the session's data
    # does not run.
    call_command("load_logistics", "--demo", verbosity=0)


def _entry_in(kind: str, language: str) -> SearchEntry | None:
    return (
        SearchEntry.objects.filter(kind=kind)
        .exclude(**{f"title_{language}": "", f"text_{language}": ""})
        .order_by("object_id")
        .first()
    )


def _distinctive_words(text: str) -> str:
    """The longest words of a title: what a reader would type to find it."""
    found = sorted({w for w in WORD.findall(text) if w.isalpha()}, key=len, reverse=True)
    return " ".join(found[:3])


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
@pytest.mark.parametrize("language", ["en", "uk"])
def test_every_kind_is_found_by_the_words_of_its_title_in_either_language(
    kind: str, language: str, request: pytest.FixtureRequest
) -> None:
    if kind in ("standard", "supply_item"):
        request.getfixturevalue("logistics")
    # Given a record of the kind, with its entry in the index (and text in the language:
    # the demo's measures are in English only, so one is given a Ukrainian text and saved)
    entry = _entry_in(kind, language)
    if entry is None:
        spec = BY_KEY[kind]
        record = spec.model._default_manager.order_by("pk").first()
        assert record is not None, f"no {kind} in the data"
        setattr(record, f"{(spec.title + spec.text)[0]}_{language}", "Ґрунтовне оновлення Їжаків")
        record.save()
        entry = _entry_in(kind, language)
    assert entry is not None
    own = getattr(entry, f"title_{language}") or getattr(entry, f"text_{language}")
    # When NATO staff (who see every marking) search for its words
    with translation.override(language):
        hits = search(user=nato(), query=_distinctive_words(own), kind=kind, limit=200)
    # Then it is among the hits, with its kind's label and a page or none
    assert (kind, entry.object_id) in keys(hits)
    hit = next(h for h in hits if h.record.pk == entry.object_id)
    assert hit.kind_label == BY_KEY[kind].label and hit.title


def test_a_measure_is_found_by_its_code_before_anything_else() -> None:
    # Given the demo ANP's measures, whose codes are chapter.goal.number
    measure = Measure.objects.filter(code="1.1.21").first()
    assert measure is not None
    # When someone searches for the code
    hits = search(user=nato(), query="1.1.21")
    # Then the measures of that code come first, every year's, before any other hit
    codes = [h.code for h in hits]
    assert codes[0] == "1.1.21"
    found = {h.record.pk for h in hits if h.kind.key == "measure" and h.code == "1.1.21"}
    assert found == set(Measure.objects.filter(code="1.1.21").values_list("pk", flat=True))
    assert all(c == "1.1.21" for c in codes[: len(found)])


def test_landmines_finds_the_demilitarization_project() -> None:
    hits = search(user=AnonymousUser(), query="landmines")
    assert "project" in {h.kind.key for h in hits}


@pytest.mark.parametrize("query", ["хартія", "ХАРТІЯ", "Хартія", "харт"])
def test_cyrillic_is_found_whatever_its_case(query: str) -> None:
    # The charter's Ukrainian title is "Хартія про особливе партнерство …"; SQLite's own
    # LIKE folds ASCII only, the FTS5 index and PostgreSQL's configuration fold Cyrillic.
    hits = search(user=AnonymousUser(), query=query, kind="agreement")
    assert "charter-1997" in {h.record.slug for h in hits}


def test_latin_accents_do_not_matter() -> None:
    # Given a meeting in a city written with its accent
    meeting = _meeting(
        level=MeetingLevel.EXPERTS,
        title_en="Seminar in Montréal",
        title_uk="Семінар у Монреалі",
        date="2026-03-02",
        marking=Marking.PUBLIC,
    )
    # Then it is found without the accent, and in Ukrainian by a word's start
    assert (("meeting", meeting.pk)) in keys(search(user=AnonymousUser(), query="montreal"))
    assert ("meeting", meeting.pk) in keys(search(user=AnonymousUser(), query="МОНРЕАЛ"))


def test_a_hidden_record_is_never_found() -> None:
    # Given a NATO-only meeting with a word of its own
    meeting = _meeting(
        level=MeetingLevel.EXPERTS,
        title_en="Quorvath consultations",
        title_uk="Консультації Кворват",
        date="2026-03-02",
        marking=Marking.NATO,
    )
    for who in (AnonymousUser(), User.objects.get(username="ua-viewer")):
        # Then neither the public nor the partner finds it, in either language
        for query in ("Quorvath", "кворват"):
            assert search(user=who, query=query) == []
    # and NATO staff do
    assert keys(search(user=nato(), query="quorvath")) == {("meeting", meeting.pk)}


def test_a_record_is_hidden_with_its_hidden_parent() -> None:
    # Given a measure whose programme is re-marked for NATO only
    measure = Measure.objects.select_related("programme").first()
    assert measure is not None
    programme = measure.programme
    programme.marking = Marking.NATO
    programme.save()
    # Then the partner does not find it by its code, and NATO staff do
    ua = User.objects.get(username="ua-viewer")
    assert ("measure", measure.pk) not in keys(search(user=ua, query=measure.code, limit=500))
    assert ("measure", measure.pk) in keys(search(user=nato(), query=measure.code, limit=500))


def test_a_parent_re_marked_behind_the_index_hides_its_children_still() -> None:
    # Given a measure whose programme is re-marked for NATO only by a bulk update, which
    # sends no signals: the index still holds the programme's old marking
    measure = Measure.objects.select_related("programme").first()
    assert measure is not None
    AnnualProgramme.objects.filter(pk=measure.programme_id).update(marking=Marking.NATO)
    ua = User.objects.get(username="ua-viewer")
    # When the partner searches for its code
    hits = search(user=ua, query=measure.code, limit=500)
    # Then the page's re-check through the selector drops it: it is never shown
    assert ("measure", measure.pk) not in {(h.kind.key, h.object_id) for h in present(hits)}
    page = Client()
    page.force_login(ua)
    text = page.get("/en/framework/search/", {"q": measure.code, "kind": "measure"}).content
    assert f"/measures/{measure.pk}/".encode() not in text
    # and after a rebuild the index itself leaves it out
    call_command("search_rebuild", verbosity=0)
    hits = search(user=ua, query=measure.code, limit=500)
    assert ("measure", measure.pk) not in {(h.kind.key, h.object_id) for h in hits}


def test_a_hit_shows_no_hidden_parents_name() -> None:
    # Given a partnership meeting of a NATO-only body
    body = Body.objects.create(
        slug="search-sigma",
        kind="committee",
        name_en="Steering Group Sigmax",
        name_uk="Керівна група Сигмакс",
        marking=Marking.NATO,
    )
    meeting = Meeting.objects.create(
        body=body,
        level=MeetingLevel.EXPERTS,
        title_en="Sigmax joint review",
        title_uk="Спільний огляд",
        date="2026-11-02",
        marking=Marking.PARTNERSHIP,
    )
    ua = User.objects.get(username="ua-viewer")
    # When the partner searches for the body's name
    hits = search(user=ua, query="Sigmax")
    # Then the meeting is found by its own title, and nothing names the body
    assert keys(hits) == {("meeting", meeting.pk)}
    page = Client()
    page.force_login(ua)
    for language in ("en", "uk"):
        text = page.get(f"/{language}/framework/search/?q=Sigmax").content.decode()
        assert "Steering Group" not in text and "Керівна група" not in text
        assert "search-sigma" not in text
    # and searching for the body's Ukrainian name finds nothing
    assert search(user=ua, query="Сигмакс") == []


def test_the_index_follows_saves_and_deletes() -> None:
    # Given a public meeting
    meeting = _meeting(
        level=MeetingLevel.EXPERTS,
        title_en="Vellomar talks",
        date="2026-03-02",
        marking=Marking.PUBLIC,
    )
    assert keys(search(user=AnonymousUser(), query="vellomar")) == {("meeting", meeting.pk)}
    # When its title changes, the old word no longer finds it and the new one does
    meeting.title_en = "Trandolin talks"
    meeting.save()
    assert search(user=AnonymousUser(), query="vellomar") == []
    assert keys(search(user=AnonymousUser(), query="trandolin")) == {("meeting", meeting.pk)}
    # When it is deleted, nothing finds it
    meeting.delete()
    assert search(user=AnonymousUser(), query="trandolin") == []


def test_the_rebuild_command_puts_back_every_record() -> None:
    # Given an index that lost its entries (a bulk load sends no signals)
    before = SearchEntry.objects.count()
    SearchEntry.objects.all().delete()
    assert search(user=AnonymousUser(), query="charter") == []
    # When it is rebuilt
    call_command("search_rebuild", verbosity=0)
    # Then everything is found again
    assert SearchEntry.objects.count() == before
    assert {h.record.slug for h in search(user=AnonymousUser(), query="charter", kind="agreement")}


def test_too_short_or_wordless_queries_find_nothing() -> None:
    for query in ("", "a", "  ", "…", "%_", '"*'):
        assert search(user=nato(), query=query) == []


def test_query_syntax_is_taken_as_words() -> None:
    # FTS5 and tsquery operators typed by a reader are words, never syntax errors.
    for query in ('charter" OR "x', "charter & !x", "NEAR(charter x)", "charter:* | x", "'"):
        search(user=nato(), query=query)


def test_an_unknown_kind_finds_nothing() -> None:
    assert search(user=nato(), query="charter", kind="nonsense") == []


def test_the_postgresql_configuration_folds_case_and_accents() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's text search configuration")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('partnership_search', 'ХАРТІЯ Montréal Їжак')")
        (vector,) = cursor.fetchone()
    assert vector == "'montreal':2 'хартія':1 'їжак':3"


def test_the_agreement_list_has_its_entries() -> None:
    assert SearchEntry.objects.filter(kind="agreement").count() == Agreement.objects.count()


def test_a_hits_title_is_shown_whole_with_its_words_marked() -> None:
    hits = search(user=AnonymousUser(), query="landmines", kind="project")
    title = str(hits[0].title_marked)
    assert title.startswith(hits[0].title[:10]) and "<mark>landmines</mark>" in title


def test_a_hit_whose_record_is_deleted_or_hidden_after_the_search_is_dropped() -> None:
    # Given two partnership meetings found by a word of their own
    found = [
        _meeting(
            level=MeetingLevel.EXPERTS,
            title_en=f"Vyrhallen talks {n}",
            date="2026-03-02",
            marking=Marking.PARTNERSHIP,
        )
        for n in range(3)
    ]
    ua = User.objects.get(username="ua-viewer")
    hits = search(user=ua, query="vyrhallen")
    assert {h.object_id for h in hits} == {m.pk for m in found}
    # When, before the page is read, one is deleted and one re-marked for NATO only
    Meeting.objects.filter(pk=found[0].pk).delete()
    Meeting.objects.filter(pk=found[1].pk).update(marking=Marking.NATO)
    # Then the page keeps only the one still there and visible, readable in full
    shown = present(hits)
    assert [h.record.pk for h in shown] == [found[2].pk]
    assert "Vyrhallen" in str(shown[0].title_marked) and shown[0].url
    # and reading a dropped one's record is a LookupError, never a hidden record
    gone = next(h for h in hits if h.object_id == found[1].pk)
    with pytest.raises(LookupError):
        _ = gone.record


def test_a_withdrawn_record_leaves_the_search_and_comes_back_when_restored() -> None:
    from partnership.framework.services import record_restore, record_withdraw

    # Given a public meeting found by a word of its title
    meeting = _meeting(
        title_en="Quillwort consultations", title_uk="Консультації", date="2026-11-02"
    )
    assert ("meeting", meeting.pk) in keys(search(user=nato(), query="quillwort"))
    # When its keeper withdraws it
    record_withdraw(by=nato(), record=meeting, reason="Entered twice")
    # Then nobody finds it, its keeper included, and a rebuild does not bring it back
    assert search(user=nato(), query="quillwort") == []
    assert search(user=AnonymousUser(), query="quillwort") == []
    call_command("search_rebuild", verbosity=0)
    assert search(user=nato(), query="quillwort") == []
    # When it is restored, it is found again
    meeting.refresh_from_db()
    record_restore(by=nato(), record=meeting)
    assert ("meeting", meeting.pk) in keys(search(user=nato(), query="quillwort"))


def test_a_record_withdrawn_without_signals_is_not_shown() -> None:
    from django.utils import timezone

    # Given a meeting in the index, withdrawn by a bulk update that sends no signal
    meeting = _meeting(title_en="Bladderwort review", title_uk="Огляд", date="2026-11-03")
    Meeting.objects.filter(pk=meeting.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=nato(), withdrawal_reason="Wrong body"
    )
    # When it is searched for, then its entry is there but the record is not shown
    assert SearchEntry.objects.filter(kind="meeting", object_id=meeting.pk).exists()
    assert present(search(user=nato(), query="bladderwort")) == []
