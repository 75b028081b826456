"""The printed-report reader finds what it is there to find: a header word cut without a
hyphen, a table running into the margin, a header missing; and passes a proper hyphenation."""

from weasyprint import HTML

from tests.partnership.printed import header_problems, table_headers

PAGE = """<!doctype html><html lang="uk"><head><style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "DejaVu Sans"; font-size: 10pt; }}
table {{ table-layout: fixed; border-collapse: collapse; }}
th {{ width: {width}; {style} }}
</style></head><body><table style="width: {table}"><tr><th>Розділ</th><th>прострочено</th>
<th>Оцінка союзників</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table></body></html>"""


def pdf(*, width: str = "22mm", style: str = "", table: str = "100%") -> bytes:
    return bytes(HTML(string=PAGE.format(width=width, style=style, table=table)).write_pdf())


def test_the_headers_are_read_from_the_html_each_once() -> None:
    html = PAGE.format(width="1mm", style="", table="1mm") + "<table><tr><th> Розділ </th></tr>"
    assert table_headers(html) == ["Розділ", "прострочено", "Оцінка союзників"]


def test_a_header_cut_anywhere_is_found_with_where_it_was_cut() -> None:
    # Given a column too narrow for "прострочено", whose header may break anywhere
    printed = pdf(width="14mm", style="overflow-wrap: anywhere; hyphens: manual", table="42mm")
    # When it is read back, then the cut is named, with where the word was cut
    problems = header_problems(printed, ["прострочено"])
    assert len(problems) == 1 and "cut without a hyphen" in problems[0], problems
    assert "прост|рочен|о" in problems[0]


def test_a_header_hyphenated_by_its_language_passes() -> None:
    # Given the same narrow column, hyphenated by the Ukrainian dictionary
    printed = pdf(width="14mm", style="overflow-wrap: anywhere; hyphens: auto", table="42mm")
    # Then each header reads whole or hyphenated
    assert header_problems(printed, ["Розділ", "прострочено", "Оцінка союзників"]) == []


def test_a_table_wider_than_the_page_runs_into_the_margin_and_is_found() -> None:
    printed = pdf(width="70mm", table="210mm")
    problems = header_problems(printed, ["Оцінка союзників"])
    assert problems and all("outside the margins" in p for p in problems), problems


def test_a_header_missing_from_the_pdf_is_found() -> None:
    assert header_problems(pdf(), ["Рекомендації"]) == [
        "'Рекомендації' is not in the report's text"
    ]
