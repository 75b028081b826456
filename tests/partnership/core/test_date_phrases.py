"""Dates inside a sentence, in the case their preposition governs."""

import pytest
from django.template import Context, Template
from django.utils import translation

from partnership.core.date_phrases import date_phrase


@pytest.mark.parametrize(
    ("edtf", "role", "ukrainian", "english"),
    [
        ("1997", "in", "у 1997 році", "in 1997"),
        ("1997", "since", "з 1997 року", "since 1997"),
        ("1997-07", "since", "з липня 1997 року", "since July 1997"),
        ("2000-05", "in", "у травні 2000 року", "in May 2000"),
        ("2011-12", "until", "до грудня 2011 року", "until December 2011"),
        ("2014-03-02", "in", "2 березня 2014 року", "on 2 March 2014"),
        ("2014-03-02", "since", "з 2 березня 2014 року", "since 2 March 2014"),
        ("2004-23", "in", "восени 2004 року", "in autumn 2004"),
        ("2004-23", "since", "з осені 2004 року", "since autumn 2004"),
        ("2013-36", "in", "у IV кварталі 2013 року", "in Q4 2013"),
        ("{2014-04,2014-06}", "in", "у квітні та червні 2014 року", "in April and June 2014"),
        ("2014-09-04/2014-09-05", "in", "4–5 вересня 2014 року", "on 4-5 September 2014"),
        ("2002/2003", "in", "у 2002–2003 роках", "in 2002-2003"),
        ("2014-03/2014-04", "in", "у березні–квітні 2014 року", "in March-April 2014"),
        ("2015-01/..", "in", "з січня 2015 року", "since January 2015"),
        ("../2011-12", "in", "до грудня 2011 року", "until December 2011"),
        (
            "2005-03/2011-12",
            "in",
            "з березня 2005 року до грудня 2011 року",
            "from March 2005 to December 2011",
        ),
    ],
)
def test_a_date_reads_as_its_sentence_needs(
    edtf: str, role: str, ukrainian: str, english: str
) -> None:
    assert date_phrase(edtf, role, "uk") == ukrainian  # type: ignore[arg-type]
    assert date_phrase(edtf, role, "en") == english  # type: ignore[arg-type]


def test_no_date_gives_no_phrase() -> None:
    assert date_phrase("", "since", "uk") == ""


def test_the_filters_follow_the_pages_language() -> None:
    template = Template(
        "{% load date_phrases %}{{ d|date_in }} · {{ d|date_since }} · {{ d|date_until }}"
    )

    with translation.override("uk"):
        ukrainian = template.render(Context({"d": "1997-07"}))
    with translation.override("en"):
        english = template.render(Context({"d": "1997-07"}))

    assert ukrainian == "у липні 1997 року · з липня 1997 року · до липня 1997 року"
    assert english == "in July 1997 · since July 1997 · until July 1997"
