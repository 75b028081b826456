"""The factsheet loader: every fact once, idempotent, traceable, and all-or-nothing."""

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from partnership.core import factsheet_file
from partnership.core.factsheet_file import FactsheetDataError, factsheet_load
from partnership.core.models import Figure, Membership, Organization
from partnership.framework.models import Agreement, Body, Meeting, Milestone
from partnership.operations.models import Contribution, Operation
from partnership.programmes.models import Assistance, Event, Institution, Programme
from partnership.public.models import FactsheetParagraph
from partnership.trustfunds.models import TrustFund

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "000_fac3e64f6ad963bc.txt"


def history_rows() -> int:
    return sum(
        model.history.count()
        for model in (Organization, Body, Agreement, Meeting, Milestone, Figure, FactsheetParagraph)
    )


def test_all_51_milestones_are_loaded_with_their_dates_as_written() -> None:
    milestones = list(Milestone.objects.order_by("number"))

    assert len(milestones) == 51
    for milestone in milestones:
        written = milestone.source_text.split(": ", 1)[0]
        assert milestone.partial_date.render("en") == written
        assert milestone.text_uk and milestone.text_uk != milestone.text_en


def test_the_figures_of_the_factsheet_are_loaded() -> None:
    figures = {f.key: f.value for f in Figure.objects.all()}

    assert figures["demilitarization-munitions-tons"] == 133000
    assert figures["demilitarization-small-arms"] == 1500000
    assert figures["demilitarization-manpads"] == 1000
    assert figures["demilitarization-cost-eur"] == 25000000
    assert figures["demilitarization-years"] == 12
    assert figures["landmines-destroyed-donetsk"] == 400000
    assert figures["deep-institutions"] == 8


def test_framework_facts_are_loaded() -> None:
    assert Body.objects.filter(kind="jwg").count() == 4
    assert set(Body.objects.filter(kind="office").values_list("slug", flat=True)) == {"nidc", "nlo"}
    assert Agreement.objects.get(slug="strategic-airlift").ratified == "2006-10"
    assert Agreement.objects.get(slug="declaration-2009").signed == "2009-08-21"
    article14 = Meeting.objects.get(slug="nuc-2014-03-02-article14")
    assert article14.requested_by.slug == "ua" and "Article 14" in article14.trigger_en
    embassy = Organization.objects.get(slug="lt-embassy-kyiv")
    assert embassy.kind == "embassy" and embassy.nation.country_code == "LT"
    assert Organization.objects.filter(kind="ally").count() == 32


@pytest.mark.skipif(not SEED.exists(), reason="the shared factsheet is not beside the repository")
def test_each_fact_points_at_the_factsheet_line_it_came_from() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for milestone in Milestone.objects.all():
        assert lines[milestone.source_line - 1].strip() == milestone.source_text
    for paragraph in FactsheetParagraph.objects.all():
        assert paragraph.text_en in lines[paragraph.source_line - 1]


def test_loading_twice_changes_nothing() -> None:
    before = history_rows()

    report = factsheet_load(path=settings.FACTSHEET_DATA)

    assert not report.changed
    assert history_rows() == before


def test_a_corrected_fact_is_updated_and_recorded_in_history(tmp_path: Path) -> None:
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    corrected = tmp_path / "factsheet.yaml"
    corrected.write_text(
        text.replace(
            "key: nspa\n  kind: nato_agency\n  abbreviation: NSPA",
            "key: nspa\n  kind: nato_agency\n  abbreviation: NSPA-X",
        ),
        encoding="utf-8",
    )

    report = factsheet_load(path=corrected)

    assert report.updated == {"organizations": 1}
    nspa = Organization.objects.get(slug="nspa")
    assert nspa.abbreviation == "NSPA-X"
    assert nspa.history.first().prev_record.abbreviation == "NSPA"


@pytest.mark.parametrize(
    ("change", "line_of", "reason"),
    [
        (("date: '1991'", "date: '1991-13'"), "date: '1991-13'", "is not an EDTF date"),
        (("theme: crisis", "theme: war"), "theme: war", "is not a valid theme"),
        (("  - charter-1997\n", "  - no-such-agreement\n"), None, "is not defined in this file"),
        (("kind: commission", "kind: [1, 2"), None, "while parsing a flow sequence (line "),
    ],
)
def test_a_malformed_file_stops_with_file_line_and_reason_and_changes_nothing(
    tmp_path: Path, change: tuple[str, str], line_of: str | None, reason: str
) -> None:
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    # Something earlier in the file differs too, to prove the earlier write is rolled back.
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "abbreviation: NSPA", "abbreviation: CHANGED", 1
        ),
        encoding="utf-8",
    )
    before = history_rows()

    with pytest.raises(FactsheetDataError) as info:
        factsheet_load(path=broken)

    assert info.value.path == str(broken)
    assert reason in info.value.reason
    assert info.value.line is not None
    if line_of is not None:
        lines = broken.read_text(encoding="utf-8").split("\n")
        # The reported line is the record's first line or the faulty line itself.
        assert any(line_of in lines[n - 1] for n in range(info.value.line, info.value.line + 12))
    assert Organization.objects.get(slug="nspa").abbreviation == "NSPA"
    assert history_rows() == before


def test_the_command_reports_the_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("organizations:\n  - key: x\n    kind: planet\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"broken.yaml:2: organization: “name” needs"):
        call_command("load_factsheet", "--file", str(broken), "--no-progress")


def test_a_text_cut_at_an_unquoted_comma_is_refused_where_it_is_cut(tmp_path: Path) -> None:
    # Given an inline mapping whose English text has an unquoted comma: YAML reads the text's
    # tail as a key of its own, and a loader that ignored it would keep "… nuclear" only.
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    quoted = (
        "  asset:\n    en: A platoon specialised in nuclear, biological and chemical threats\n"
        "    uk: Взвод, що спеціалізується на ядерних, біологічних і хімічних загрозах\n"
    )
    assert quoted in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace(
            quoted,
            "  asset: {en: A platoon specialised in nuclear, biological and chemical threats,"
            " uk: Взвод}\n",
            1,
        ),
        encoding="utf-8",
    )

    # When it is loaded
    with pytest.raises(FactsheetDataError) as info:
        factsheet_load(path=broken)

    # Then the loader names the stray key and its line, and nothing is saved
    assert "“biological and chemical threats” is not a field" in info.value.reason
    line = broken.read_text(encoding="utf-8").split("\n")[info.value.line - 1]
    assert "biological and chemical threats" in line


def test_no_inline_text_of_the_data_file_was_cut() -> None:
    assert Contribution.objects.get(source_key="nrf-cbrn-2011").asset_en == (
        "A platoon specialised in nuclear, biological and chemical threats"
    )
    resolute = Contribution.objects.get(source_key="resolute-support-2015")
    assert "train, advise and assist" in resolute.asset_en
    assert Event.objects.get(source_key="defence-industry-conference-2014").place_en == (
        "Kielce, Poland"
    )
    assert Contribution.objects.get(source_key="kfor-engineers-2015").asset_uk.endswith(
        "Багатонаціональна тактична група «Схід»"
    )
    assert Assistance.objects.get(source_key="mobile-rescue-centre-poland-2010").description_uk == (
        "Мобільний рятувальний центр, направлений до Польщі після повені"
    )


def test_a_fact_not_in_the_factsheet_is_refused_without_its_source(tmp_path: Path) -> None:
    # Given a membership (the factsheet names no Ally) whose source is left out
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    record = "- member: fi\n  group: nato\n  since: '2023-04-04'\n"
    start = text.index(record) + len(record)
    end = text.index("\n", start) + 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(text[:start] + text[end:], encoding="utf-8")

    # When it is loaded, then the loader refuses it at its line
    with pytest.raises(FactsheetDataError) as info:
        factsheet_load(path=broken)
    assert "needs its “source”" in info.value.reason
    assert broken.read_text(encoding="utf-8").split("\n")[info.value.line - 1] == "- member: fi"


def test_memberships_are_dated_and_say_where_they_come_from() -> None:
    finland = Membership.objects.get(member__slug="fi", group__slug="nato")

    assert finland.since == "2023-04-04" and finland.source_line is None
    assert "nato.int" in finland.source_text
    assert Membership.objects.filter(group__slug="nato").count() == 32


def test_a_ukrainian_text_against_the_glossary_is_refused(tmp_path: Path) -> None:
    # Given the NUC's Ukrainian name written with the English acronym
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    assert "    uk: Комісія Україна – НАТО\n" in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace(
            "    uk: Комісія Україна – НАТО\n", "    uk: Комісія Україна – НАТО (NUC)\n", 1
        ),
        encoding="utf-8",
    )

    # When it is loaded, then the loader names the acronym and the glossary's form
    with pytest.raises(FactsheetDataError) as info:
        factsheet_load(path=broken)
    assert "“NUC” in a Ukrainian text: the glossary writes it “КУН”" in info.value.reason


# What a record's short values are checked against: the words of the factsheet line it cites.
STOPWORDS = {"the", "and", "for", "with", "its", "from", "between"}
TRACED = [
    (Body, ["name_en"], ["established"]),
    (Agreement, ["title_en"], ["signed", "ratified", "in_force"]),
    (Meeting, ["place_en"], ["date"]),
    (Operation, ["name_en"], ["period"]),
    (Contribution, ["asset_en"], ["period"]),
    (Programme, ["name_en"], ["started"]),
    (Institution, ["city_en"], []),
    (Event, ["place_en"], ["date"]),
    (Figure, ["written_en"], []),
    (TrustFund, ["name_en"], ["established"]),
    (Assistance, ["description_en"], ["date"]),
]


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return [w for w in re.findall(r"[a-z0-9']+", text) if len(w) > 2 and w not in STOPWORDS]


@pytest.mark.skipif(not SEED.exists(), reason="the shared factsheet is not beside the repository")
def test_every_value_a_record_cites_a_line_for_is_in_that_line() -> None:
    """A record citing a factsheet line states only what that line says; what it adds from
    elsewhere names its `source`. A heading just above the line (the factsheet's bullet titles,
    "Defence Education Enhancement Programme (DEEP)") belongs to it; a milestone that names
    the record dates it too ("June 2004: Ukraine signs a Strategic Airlift Agreement")."""
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").split("\n")]
    wrong = []
    for model, texts, dates in TRACED:
        for record in model.objects.exclude(source_line=None):
            if record.source_text and not isinstance(record, Figure):
                continue  # it says where what the line does not state comes from
            n = record.source_line
            heading = lines[n - 2] if n > 1 and not lines[n - 2].endswith((".", ":")) else ""
            context = f"{heading} {lines[n - 1]}".lower().replace("’", "'")
            if isinstance(record, Agreement):
                context += " ".join(m.source_text for m in record.milestone_set.all())
            for field in texts:
                value = getattr(record, field)
                if isinstance(record, TrustFund):
                    value = value.replace("Trust Fund", "")  # the kind of record (line 30's)
                missing = [w for w in _words(value) if w not in context]
                if missing:
                    wrong.append(f"{model.__name__} {record.pk} {field}={value!r}: {missing}")
            for field in dates:
                years = set(re.findall(r"\d{4}", getattr(record, field)))
                missing = [year for year in years if year not in context]
                if missing:
                    wrong.append(f"{model.__name__} {record.pk} {field}: {missing}")
    assert wrong == []


# Each app loads its own sections of the file (its `factsheet.py`), registered with the parser.
LOADED_BY = {
    "organizations": "partnership.core.factsheet",
    "memberships": "partnership.core.factsheet",
    "figures": "partnership.core.factsheet",
    "bodies": "partnership.framework.factsheet",
    "agreements": "partnership.framework.factsheet",
    "meetings": "partnership.framework.factsheet",
    "milestones": "partnership.framework.factsheet",
    "sections": "partnership.public.factsheet",
    "operations": "partnership.operations.factsheet",
    "contributions": "partnership.operations.factsheet",
    "programmes": "partnership.programmes.factsheet",
    "institutions": "partnership.programmes.factsheet",
    "events": "partnership.programmes.factsheet",
    "assistance": "partnership.programmes.factsheet",
    "trust_funds": "partnership.trustfunds.factsheet",
}

INSTITUTION = """institutions:
- key: test-academy
  programme: deep
  name:
    en: Test Academy
    uk: Тестова академія
  city:
    en: Kyiv
    uk: Київ
"""


def test_each_app_registers_the_loader_of_its_own_sections() -> None:
    # When the installed apps' loaders are gathered
    sections = factsheet_file.factsheet_sections()

    # Then each section of the file is loaded by the app that owns its records
    assert {s.name: s.load.__module__ for s in sections} == LOADED_BY


def test_each_app_loader_is_run_on_its_own_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the data file with an institution added (the factsheet names none), and every
    # registered loader watched
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    assert "institutions: []\n" in text
    path = tmp_path / "factsheet.yaml"
    path.write_text(text.replace("institutions: []\n", INSTITUTION, 1), encoding="utf-8")
    calls: dict[str, int] = {}
    for name, section in dict(factsheet_file._REGISTERED).items():

        def watched(r: Any, index: Any, report: Any, _name: str = name, _load: Any = section.load):
            calls[_name] = calls.get(_name, 0) + 1
            _load(r, index, report)

        monkeypatch.setitem(factsheet_file._REGISTERED, name, replace(section, load=watched))

    # When it is loaded
    report = factsheet_load(path=path)

    # Then each app's loader ran once per record of its section, and wrote what was new
    document = factsheet_file.read_file(path)
    assert calls == {name: len(document[name]) for name in LOADED_BY}
    assert report.created == {"institutions": 1} and not report.updated
    assert Institution.objects.get(source_key="test-academy").programme.slug == "deep"


def test_a_section_is_loaded_after_those_it_refers_to_in_any_order_of_the_file(
    tmp_path: Path,
) -> None:
    # Given the data file with its milestones and meetings written before the organizations,
    # bodies and agreements they refer to
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=[a-z_]+:)", text)
    first = [b for b in blocks if b.startswith(("milestones:", "meetings:"))]
    assert len(first) == 2
    path = tmp_path / "factsheet.yaml"
    path.write_text("".join(first + [b for b in blocks if b not in first]), encoding="utf-8")

    # When it is loaded
    report = factsheet_load(path=path)

    # Then every reference is found and nothing differs from the file in its own order
    assert not report.changed


def test_a_section_no_app_loads_is_refused_at_its_line(tmp_path: Path) -> None:
    # Given a data file with a misspelt section name
    text = settings.FACTSHEET_DATA.read_text(encoding="utf-8")
    path = tmp_path / "factsheet.yaml"
    path.write_text(text + "milestone:\n- number: 52\n", encoding="utf-8")

    # When it is loaded
    with pytest.raises(FactsheetDataError) as info:
        factsheet_load(path=path)

    # Then the loader names the section and its line rather than dropping its records
    assert "“milestone” is not a section of the factsheet" in info.value.reason
    assert info.value.line == len(text.split("\n"))


def test_two_apps_cannot_load_the_same_section(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the registered loaders
    monkeypatch.setattr(factsheet_file, "_REGISTERED", dict(factsheet_file._REGISTERED))

    def another_bodies_loader(r: Any, index: Any, report: Any) -> None:
        raise AssertionError("never run")

    # When a second loader registers for "bodies", then it is refused naming both
    with pytest.raises(ImproperlyConfigured, match=r"'bodies' is loaded by both"):
        factsheet_file.factsheet_section("bodies", what="body")(another_bodies_loader)


def test_a_loader_that_needs_a_section_no_app_loads_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a loader that refers to a section nobody registers
    monkeypatch.setattr(factsheet_file, "_REGISTERED", dict(factsheet_file._REGISTERED))

    @factsheet_file.factsheet_section("exercises", what="exercise", needs=("ranges",))
    def exercises(r: Any, index: Any, report: Any) -> None:
        raise AssertionError("never run")

    # When the loaders are gathered, then the missing section is named
    with pytest.raises(ImproperlyConfigured, match=r"'exercises' .* needs 'ranges'"):
        factsheet_file.factsheet_sections()
