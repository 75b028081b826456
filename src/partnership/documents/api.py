"""API of documents: list a record's documents, attach, add a version, withdraw, download."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from partnership.core.auth import READ, WRITE
from partnership.documents import selectors, services
from partnership.documents.models import Document
from partnership.documents.parents import parent_get

router = Router(tags=["documents"])


class VersionOut(Schema):
    number: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download: str

    @staticmethod
    def resolve_download(obj: Any) -> str:
        return f"/api/documents/{obj.document_id}/versions/{obj.number}/file"


class DocumentOut(Schema):
    id: int
    parent: str
    parent_id: int | None
    kind: str
    title: str
    title_en: str
    title_uk: str
    marking: str
    releasable_to: list[str]
    page: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_parent(obj: Document) -> str:
        return obj.parent_kind

    @staticmethod
    def resolve_parent_id(obj: Document) -> int | None:
        kind = obj.parent_kind
        return int(getattr(obj, f"{kind}_id")) if kind else None

    @staticmethod
    def resolve_releasable_to(obj: Document) -> list[str]:
        return obj.releasable_codes

    @staticmethod
    def resolve_page(obj: Document) -> str:
        return reverse("documents:document", args=[obj.pk])

    @staticmethod
    def resolve_versions(obj: Document) -> list[Any]:
        return list(obj.versions.all())


def _parent(request: HttpRequest, kind: str, pk: int) -> Any:
    parent = parent_get(user=request.user, kind=kind, pk=pk)
    if parent is None:
        raise Http404
    return parent


def _document(request: HttpRequest, pk: int) -> Document:
    document = selectors.document_get(user=request.user, pk=pk)
    if document is None:
        raise Http404
    return document


@router.get("/documents", response=list[DocumentOut], auth=READ)
def documents(request: HttpRequest, parent: str, parent_id: int) -> Any:
    """The documents on one record (`parent`: meeting, decision, agreement, report, measure,
    grant or project) that the caller may see."""
    return selectors.document_list(user=request.user, parent=_parent(request, parent, parent_id))


@router.get("/documents/{pk}", response=DocumentOut, auth=READ)
def document(request: HttpRequest, pk: int) -> Any:
    return _document(request, pk)


@router.post("/documents", response={201: DocumentOut}, auth=WRITE)
def document_attach(
    request: HttpRequest,
    file: File[UploadedFile],
    parent: Form[str],
    parent_id: Form[int],
    kind: Form[str],
    title_en: Form[str],
    title_uk: Form[str],
    marking: Form[str] = "",
    releasable_to: Form[list[str]] = [],  # noqa: B006 (ninja copies a form's default)
) -> Any:
    """Attaches a file (multipart form) to a record; the marking defaults to the record's and
    may not be wider. The type is read from the content, not from the name."""
    record = _parent(request, parent, parent_id)
    if not marking:
        within = services.marking_parent(record)
        marking, releasable_to = within.marking, within.releasable_codes
    created = services.document_attach(
        by=request.user,  # type: ignore[arg-type]
        parent=record,
        kind=kind,
        title_en=title_en,
        title_uk=title_uk,
        marking=marking,
        nations=releasable_to,
        upload=file,
    )
    return Status(201, created)


@router.post("/documents/{pk}/versions", response={201: VersionOut}, auth=WRITE)
def version_add(request: HttpRequest, pk: int, file: File[UploadedFile]) -> Any:
    """A new version (the earlier ones are kept)."""
    version = services.document_add_version(
        by=request.user,  # type: ignore[arg-type]
        document=_document(request, pk),
        upload=file,
    )
    return Status(201, version)


@router.post("/documents/{pk}/withdraw", response=DocumentOut, auth=WRITE)
def document_withdraw(request: HttpRequest, pk: int, confirm: Form[bool] = False) -> Any:
    """Withdraws a document for good (send `confirm=true`); it is kept, no longer offered."""
    if not confirm:
        raise services.ApplicationError(services.MSG_CONFIRM, field="confirm")
    return services.document_withdraw(
        by=request.user,  # type: ignore[arg-type]
        document=_document(request, pk),
    )


@router.get("/documents/{pk}/versions/{number}/file", auth=READ)
def version_file(request: HttpRequest, pk: int, number: int) -> Any:
    version = selectors.version_get(user=request.user, pk=pk, number=number)
    if version is None:
        raise Http404
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
