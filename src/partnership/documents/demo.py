"""Demo documents: a paper on an NUC meeting and the signed text of the 1997 Charter."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from partnership.core.models import Marking, User
from partnership.documents import services
from partnership.documents.models import Document, DocumentKind
from partnership.framework.models import Agreement, Meeting

PAPER_EN = "Demo: food-for-thought paper for the NUC"
CHARTER_EN = "Demo: signed text of the Charter (1997)"


def _pdf(title_en: str, title_uk: str, body_en: str, body_uk: str) -> bytes:
    """A small real PDF (WeasyPrint, as the reports are made), in both languages."""
    from weasyprint import HTML

    html = (
        "<html><body style='font-family: DejaVu Sans'>"
        f"<h1>{title_en}</h1><p>{body_en}</p><h1 lang='uk'>{title_uk}</h1>"
        f"<p lang='uk'>{body_uk}</p><p>DEMO — NOT AN OFFICIAL DOCUMENT</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def generate() -> None:
    """Idempotent: a demo document already there is left as it is."""
    editor = User.objects.get(username="nato-editor")
    meeting = (
        Meeting.objects.filter(body__slug="nuc", date_start=F("date_end"))
        .order_by("-date_start")
        .first()
    )
    if meeting is not None and not Document.objects.filter(title_en=PAPER_EN).exists():
        title_uk = "Демо: аналітична записка для Комісії Україна – НАТО"
        services.document_attach(
            by=editor,
            parent=meeting,
            kind=DocumentKind.PAPER,
            title_en=PAPER_EN,
            title_uk=title_uk,
            # Narrower than a public meeting: papers stay within the partnership.
            marking=Marking.PARTNERSHIP if meeting.marking == Marking.PUBLIC else meeting.marking,
            nations=meeting.releasable_codes,
            upload=SimpleUploadedFile(
                "nuc-food-for-thought.pdf",
                _pdf(
                    PAPER_EN,
                    title_uk,
                    f"For the meeting “{meeting.title_en}”: options for deepening cooperation.",
                    f"До засідання «{meeting.title_uk or meeting.title_en}»: варіанти "
                    "поглиблення співпраці.",
                ),
            ),
        )
    charter = Agreement.objects.filter(slug="charter-1997").first()
    if charter is not None and not Document.objects.filter(title_en=CHARTER_EN).exists():
        title_uk = "Демо: підписаний текст Хартії (1997)"
        services.document_attach(
            by=editor,
            parent=charter,
            kind=DocumentKind.SIGNED_TEXT,
            title_en=CHARTER_EN,
            title_uk=title_uk,
            marking=charter.marking,
            nations=charter.releasable_codes,
            upload=SimpleUploadedFile(
                "charter-1997-signed.pdf",
                _pdf(CHARTER_EN, title_uk, charter.title_en, charter.title_uk),
            ),
        )
