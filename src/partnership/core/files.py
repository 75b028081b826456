"""Files people send and get: size limits, guarded XLSX and XML reading, uploads staged between
two steps, and exported text cells that stay text (no formula injection)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError

MSG_TOO_LARGE = _("The file is larger than %(limit)s MB, the most a %(kind)s file may be.")
MSG_NOT_XLSX = _("The file is not an XLSX workbook.")
MSG_XLSX_TOO_BIG_UNPACKED = _(
    "The workbook unpacks to more than %(limit)s MB; a workbook of measures is far smaller."
)
MSG_XLSX_TOO_MANY_ROWS = _("The sheet “%(sheet)s” has more than %(max)s rows.")
MSG_XLSX_TOO_MANY_COLUMNS = _("The sheet “%(sheet)s” has more than %(max)s columns.")
MSG_XML_DOCTYPE = _(
    "The file declares a DOCTYPE (a DTD or entities); IATI files have none, and such "
    "declarations are refused."
)
MSG_XML_MALFORMED = _("The file is not well-formed XML: %(error)s")
MSG_STAGED_GONE = _("The uploaded file is no longer there; upload it again.")

KIND_LABELS = {
    "xlsx": _("workbook (XLSX)"),
    "iati": _("IATI (XML)"),
    "document": _("document"),
}
# Text that a spreadsheet program would run as a formula, or that starts one (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STAGING_DIR = "staged"
STAGED_FOR = dt.timedelta(hours=6)


def upload_check_size(upload: Any, *, kind: str) -> None:
    """Refuses a file above its kind's limit from its size alone, before it is read."""
    limit = settings.UPLOAD_MAX_BYTES[kind]
    if upload.size is None or upload.size > limit:
        raise ApplicationError(
            MSG_TOO_LARGE % {"limit": limit // (1024 * 1024), "kind": KIND_LABELS[kind]},
            field="file",
            code="too_large",
        )


def xlsx_check(stream: IO[bytes]) -> None:
    """Refuses a workbook that unpacks to too much, from the zip directory alone: a zip bomb is
    refused without inflating one byte. Python's zipfile stops each member at its declared size,
    so the directory cannot lie its way past this."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ApplicationError(MSG_NOT_XLSX, field="file", code="not_xlsx") from exc
    total = sum(info.file_size for info in archive.infolist())
    limit = settings.XLSX_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise ApplicationError(
            MSG_XLSX_TOO_BIG_UNPACKED % {"limit": limit // (1024 * 1024)},
            field="file",
            code="too_large",
        )
    stream.seek(0)


def xlsx_first_sheet(data: bytes) -> Any:
    """A workbook's first sheet (openpyxl, read-only) once the workbook has passed every
    check, what it unpacks to and then the sheet's extent, before any cell is read. Any
    problem is an ApplicationError naming it, for the import's row-0 error."""
    from openpyxl import load_workbook

    stream = io.BytesIO(data)
    xlsx_check(stream)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML errors … for a bad file
        raise ApplicationError(MSG_NOT_XLSX, field="file") from exc
    if not book.worksheets:
        raise ApplicationError(MSG_NOT_XLSX, field="file")
    sheet = book.worksheets[0]
    xlsx_sheet_check(sheet)
    return sheet


def xlsx_sheet_check(sheet: Any) -> None:
    """A sheet's declared extent (openpyxl reads it from the sheet's dimension element)."""
    if (sheet.max_row or 0) > settings.XLSX_MAX_ROWS:
        raise ApplicationError(
            MSG_XLSX_TOO_MANY_ROWS % {"sheet": sheet.title, "max": settings.XLSX_MAX_ROWS},
            field="file",
        )
    if (sheet.max_column or 0) > settings.XLSX_MAX_COLUMNS:
        raise ApplicationError(
            MSG_XLSX_TOO_MANY_COLUMNS % {"sheet": sheet.title, "max": settings.XLSX_MAX_COLUMNS},
            field="file",
        )


def xml_parse(data: bytes) -> Any:
    """An lxml document from untrusted bytes: no DTD, no entities, no network, no huge trees.
    A DOCTYPE is refused outright (not silently ignored), so the sender learns why."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ApplicationError(
            MSG_XML_MALFORMED % {"error": exc}, field="file", code="malformed"
        ) from exc
    docinfo = document.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ApplicationError(MSG_XML_DOCTYPE, field="file", code="doctype")
    return document


def staged_save(upload: Any, *, kind: str) -> str:
    """Keeps an upload in storage between preview and confirmation (never in the session);
    returns its name. Files older than STAGED_FOR are removed on the way."""
    staged_sweep()
    name = f"{STAGING_DIR}/{kind}-{secrets.token_urlsafe(16)}"
    upload.seek(0)
    return str(default_storage.save(name, ContentFile(upload.read())))


def staged_read(name: str) -> bytes:
    if not name.startswith(f"{STAGING_DIR}/") or ".." in name or not default_storage.exists(name):
        raise ApplicationError(MSG_STAGED_GONE, field="file", code="staged_gone")
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def staged_delete(name: str) -> None:
    if name.startswith(f"{STAGING_DIR}/") and ".." not in name and default_storage.exists(name):
        default_storage.delete(name)


def staged_sweep() -> None:
    """Removes staged files whose preview was never confirmed."""
    try:
        _dirs, files = default_storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - STAGED_FOR
    for filename in files:
        name = f"{STAGING_DIR}/{filename}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)


def text_cell(value: Any) -> Any:
    """CSV: text that would start a formula gets a leading apostrophe (OWASP's advice), which
    spreadsheet programs show as text; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sheet_append(sheet: Any, row: Iterable[Any]) -> None:
    """Appends a row to an openpyxl sheet with every text cell stored as text: openpyxl would
    store "=…" as a formula, and a quote prefix keeps any such text a text when edited.

    The cells are made before they are appended: finding the appended row afterwards
    (`sheet.max_row` scans every cell) made a sheet of n rows cost n² (a minute for 10,000)."""
    from openpyxl.cell import Cell

    cells = []
    for value in row:
        cell = Cell(sheet, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)


def write_only_row(sheet: Any, row: Iterable[Any]) -> None:
    """`sheet_append` for a write-only sheet (large exports: rows are streamed, not kept):
    the same guard, text that would start a formula stored as text with a quote prefix."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)
