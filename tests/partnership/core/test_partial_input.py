"""Dates as people type them, in either language, read to the EDTF the records keep; what
the pages show reads back to the same value; impossible dates are refused naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import PartialDateField
from partnership.core.partial_input import (
    check_plausible,
    parse_partial,
    plan_limit,
    shown_partial,
)

WRITTEN = [
    ("Q3 2015", "2015-35"),
    ("III квартал 2015", "2015-35"),
    ("IV квартал 2026", "2026-36"),
    ("3 кв. 2015", "2015-35"),
    ("by end 2015", "2015"),
    ("до кінця 2015", "2015"),
    ("June 2015", "2015-06"),
    ("червень 2015", "2015-06"),
    ("у червні 2015 року", "2015-06"),
    ("12 June 2015", "2015-06-12"),
    ("Dec. 15, 2026", "2026-12-15"),
    ("12 червня 2015", "2015-06-12"),
    ("12.06.2015", "2015-06-12"),
    ("2015-06-12", "2015-06-12"),
    ("4-5 September 2014", "2014-09-04/2014-09-05"),
    ("4–5 вересня 2014", "2014-09-04/2014-09-05"),
    ("March-April 2014", "2014-03/2014-04"),
    ("Березень 2005–грудень 2011", "2005-03/2011-12"),
    ("2002-2003", "2002/2003"),
    ("since January 2015", "2015-01/.."),
    ("з січня 2015", "2015-01/.."),
    ("until March 2015", "../2015-03"),
    ("April and June 2014", "{2014-04,2014-06}"),
    ("Перше півріччя 2016", "2016-40"),
    ("Winter 2027", "2027-24"),
    ("c. 2008", "2008~"),
    ("2027-24", "2027-24"),
]


@pytest.mark.parametrize(("written", "stored"), WRITTEN)
def test_a_date_as_people_write_it_is_stored_as_edtf(written: str, stored: str) -> None:
    assert parse_partial(written) == stored


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize(("written", "stored"), WRITTEN)
def test_what_the_pages_show_reads_back_to_the_same_value(
    written: str, stored: str, language: str
) -> None:
    # Given a stored date shown in a language
    shown = shown_partial(stored, language)

    # When a person types what they see back into a form
    # Then it is the same date
    assert parse_partial(shown) == stored


@pytest.mark.parametrize("reversed_", ["2029/2027", "10-9 December 2026", "2015/2014"])
def test_an_interval_that_ends_before_it_starts_is_refused(reversed_: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        parse_partial(reversed_)
    assert "ends before it starts" in refusal.value.messages[0]


def test_an_unreadable_date_is_refused_in_the_readers_language() -> None:
    with translation.override("uk"):
        with pytest.raises(ValidationError) as refusal:
            parse_partial("next Tuesday")
        assert "не є датою" in refusal.value.messages[0]


def test_plans_are_refused_before_1991_and_beyond_ten_years() -> None:
    next_year = dt.date.today().year + 1
    check_plausible(str(next_year), field="deadline", kind="plan")
    for value in ("1066", str(dt.date.today().year + 11)):
        with pytest.raises(ApplicationError) as refusal:
            check_plausible(value, field="deadline", kind="plan", label="Deadline")
        assert refusal.value.field == "deadline" and "Deadline" in str(refusal.value.message)


def test_ten_years_ahead_runs_to_the_end_of_that_year() -> None:
    # Given the last year a plan may reach
    last = dt.date.today().year + 10
    assert plan_limit() == dt.date(last, 12, 31)
    # When a date ends on its last day it is plausible, the day after it is not, and what
    # may predate 1991 has the same upper limit
    check_plausible(f"{last}-12-31", field="deadline", kind="plan")
    check_plausible("1949", field="established", kind="plan", since_1991=False)
    for since_1991 in (True, False):
        with pytest.raises(ApplicationError) as refusal:
            check_plausible(
                f"{last + 1}-01-01", field="established", kind="plan", since_1991=since_1991
            )
        assert f"after {last}" in str(refusal.value.message)


def test_money_that_moved_is_refused_in_the_future() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    check_plausible(dt.date.today().isoformat(), field="date", kind="past")
    with pytest.raises(ApplicationError) as refusal:
        check_plausible(tomorrow, field="date", kind="past")
    assert refusal.value.field == "date"


def test_the_form_field_cleans_to_edtf_and_shows_what_can_be_typed_back() -> None:
    field = PartialDateField(label="Deadline", plausible="plan")

    assert field.clean("III квартал 2026") == "2026-35"
    with translation.override("uk"):
        assert field.prepare_value("2026-35") == "III квартал 2026"
    assert field.prepare_value("not yet a date") == "not yet a date"
    with pytest.raises(ValidationError) as refusal:
        field.clean("3026")
    assert "Deadline" in refusal.value.messages[0]
