"""Partial dates: parsed with the EDTF library, sorted by their bounds, written as the factsheet does."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from partnership.core.partial_dates import PartialDate, Precision


@pytest.mark.parametrize(
    ("edtf", "english", "ukrainian", "precision", "start", "end"),
    [
        ("1997", "1997", "1997", Precision.YEAR, "1997-01-01", "1997-12-31"),
        ("1997-05", "May 1997", "Травень 1997", Precision.MONTH, "1997-05-01", "1997-05-31"),
        ("2014-03-02", "2 March 2014", "2 березня 2014", Precision.DAY, "2014-03-02", "2014-03-02"),
        ("2004-23", "Autumn 2004", "Осінь 2004", Precision.SEASON, "2004-09-01", "2004-11-30"),
        ("2015-35", "Q3 2015", "III квартал 2015", Precision.SEASON, "2015-07-01", "2015-09-30"),
        (
            "2014-09-04/2014-09-05",
            "4-5 September 2014",
            "4–5 вересня 2014",
            Precision.INTERVAL,
            "2014-09-04",
            "2014-09-05",
        ),
        ("2002/2003", "2002-2003", "2002–2003", Precision.INTERVAL, "2002-01-01", "2003-12-31"),
        (
            "2005-03/2011-12",
            "March 2005-December 2011",
            "Березень 2005–грудень 2011",
            Precision.INTERVAL,
            "2005-03-01",
            "2011-12-31",
        ),
        (
            "{2014-04,2014-06}",
            "April and June 2014",
            "Квітень і червень 2014",
            Precision.SET,
            "2014-04-01",
            "2014-06-30",
        ),
        (
            "2008-12~",
            "c. December 2008",
            "бл. грудня 2008",
            Precision.MONTH,
            "2008-12-01",
            "2008-12-31",
        ),
    ],
)
def test_partial_date_is_written_as_the_factsheet_writes_it(
    edtf: str, english: str, ukrainian: str, precision: str, start: str, end: str
) -> None:
    date = PartialDate.parse(edtf)

    assert date.render("en") == english
    assert date.render("uk") == ukrainian
    assert date.precision == precision
    assert (date.start, date.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize("bad", ["", "Autumn 2004", "2014-13", "2014-02-30", "199", "{2014-04"])
def test_bad_partial_date_is_rejected_with_its_value(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        PartialDate.parse(bad)

    assert info.value.code == "invalid_edtf"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_parses_to_itself(day: dt.date) -> None:
    date = PartialDate.parse(day.isoformat())

    assert date.start == date.end == day
    assert date.render("en").endswith(str(day.year))
