"""A document's bytes: type by content (libmagic), name sanitised, and the preview image."""

from __future__ import annotations

import io
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.files import upload_check_size

MSG_EMPTY = _("The file is empty.")
MSG_TYPE_REFUSED = _(
    "The file “%(name)s” is %(found)s by its content; a document may be %(allowed)s."
)
MSG_EXTENSION_MISMATCH = _(
    "The file “%(name)s” is %(found)s by its content, but its name ends in “%(extension)s”; "
    "name it %(expected)s."
)


@dataclass(frozen=True)
class FileType:
    label: str
    extensions: tuple[str, ...]
    preview: str  # "pdf", "image" or ""


# What a document may be, by the MIME type libmagic reads from its bytes. Office files are zip
# archives; libmagic tells them apart by their first member.
ALLOWED: dict[str, FileType] = {
    "application/pdf": FileType("PDF", (".pdf",), "pdf"),
    "image/png": FileType("PNG", (".png",), "image"),
    "image/jpeg": FileType("JPEG", (".jpg", ".jpeg"), "image"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileType(
        "Word (DOCX)", (".docx",), ""
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileType(
        "Excel (XLSX)", (".xlsx",), ""
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": FileType(
        "PowerPoint (PPTX)", (".pptx",), ""
    ),
    "application/vnd.oasis.opendocument.text": FileType("OpenDocument text (ODT)", (".odt",), ""),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "OpenDocument spreadsheet (ODS)", (".ods",), ""
    ),
    "text/plain": FileType("plain text", (".txt",), ""),
}
# Names people know for what libmagic found, when it is refused.
FOUND_LABELS = {
    "text/html": "HTML",
    "application/x-dosexec": _("a Windows program"),
    "application/x-executable": _("a program"),
    "application/x-pie-executable": _("a program"),
    "application/x-sharedlib": _("a program library"),
    "application/x-shellscript": _("a shell script"),
    "text/x-shellscript": _("a shell script"),
    "image/svg+xml": "SVG",
    "application/zip": _("a zip archive"),
    "application/octet-stream": _("of no known type"),
}
SNIFF_BYTES = 8192
NAME_MAX = 120
PREVIEW_WIDTH = 480
# A picture larger than this (pixels) is not decoded for a preview (a decompression bomb).
PREVIEW_MAX_PIXELS = 60_000_000


def sanitised_name(name: str) -> str:
    """The uploader's file name as it may be shown and sent back: no directories, no control
    or shell characters, at most NAME_MAX characters with its extension kept."""
    base = os.path.basename(name.replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    try:
        clean = get_valid_filename(base)
    except Exception:  # Django refuses a name that is only dots ("..") or empty
        clean = ""
    clean = clean.lstrip(".") or "document"
    stem, extension = os.path.splitext(clean)
    extension = extension.lower()[:10]
    return stem[: NAME_MAX - len(extension)] + extension


def detect(upload: Any) -> str:
    """The MIME type of an upload by its first bytes, whatever its name or declared type."""
    import magic

    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return str(magic.from_buffer(head, mime=True))


def upload_check(upload: Any) -> tuple[str, str]:
    """Refuses a file too large, empty, of a type a document may not be, or whose name says
    another type than its content; returns its sanitised name and its type."""
    upload_check_size(upload, kind="document")
    if not upload.size:
        raise ApplicationError(MSG_EMPTY, field="file", code="empty")
    name = sanitised_name(upload.name or "")
    found = detect(upload)
    allowed = ALLOWED.get(found)
    if allowed is None:
        raise ApplicationError(
            MSG_TYPE_REFUSED
            % {
                "name": name,
                "found": FOUND_LABELS.get(found, found),
                "allowed": ", ".join(t.label for t in ALLOWED.values()),
            },
            field="file",
            code="type_refused",
        )
    extension = os.path.splitext(name)[1]
    if extension not in allowed.extensions:
        raise ApplicationError(
            MSG_EXTENSION_MISMATCH
            % {
                "name": name,
                "found": allowed.label,
                "extension": extension or "—",
                "expected": " / ".join(f"*{e}" for e in allowed.extensions),
            },
            field="file",
            code="extension_mismatch",
        )
    return name, found


def preview_png(data: bytes, content_type: str) -> bytes | None:
    """A PNG of the first page of a PDF or of a picture, PREVIEW_WIDTH wide at most; None when
    the type has no preview or the file cannot be drawn (it is still downloadable)."""
    from PIL import Image

    kind = ALLOWED[content_type].preview if content_type in ALLOWED else ""
    try:
        if kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(data)
            try:
                page = pdf[0]
                width = page.get_width() or 1
                image = page.render(scale=min(2.0, PREVIEW_WIDTH / width)).to_pil()
            finally:
                pdf.close()
        elif kind == "image":
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > PREVIEW_MAX_PIXELS:
                return None
            image.load()
        else:
            return None
    except Exception:  # a damaged file: no preview, the download still works
        return None
    image = image.convert("RGB")
    image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
