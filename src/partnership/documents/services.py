"""Writes: attach a document, add a version, withdraw it; a person's calendar address."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import User
from partnership.core.services import marking_clean, marking_within
from partnership.documents import files
from partnership.documents.models import CalendarFeed, Document, DocumentKind, DocumentVersion
from partnership.documents.parents import PARENTS, marking_parent, may_attach, parent_kind

MSG_MAY_NOT_ATTACH = _("You may not attach documents to this record.")
MSG_WIDER_THAN_PARENT = _(
    "A document may not be released more widely than the record it is attached to (%(parent)s)."
)
MSG_KIND_NOT_FOR_PARENT = _("A %(parent)s takes these kinds of document: %(kinds)s.")
MSG_TITLE_REQUIRED = _("Give the document a title in English and in Ukrainian.")
MSG_WITHDRAWN = _("This document has been withdrawn.")
MSG_CONFIRM = _("Confirm that the document is to be withdrawn: this cannot be undone.")
MSG_NO_FEED = _("You have no calendar address to revoke.")


def _check_may_attach(by: User, record: models.Model) -> None:
    if not may_attach(by, record):
        raise PermissionDeniedError(MSG_MAY_NOT_ATTACH)


def _store(*, document: Document, number: int, by: User, upload: Any) -> DocumentVersion:
    name, content_type = files.upload_check(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    version = DocumentVersion(
        document=document,
        number=number,
        filename=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    # Saved through the default storage under a random name (models.version_path).
    version.file.save(name, upload, save=False)
    try:
        version.save()
    except Exception:
        # No file without its row: the bytes go if the version cannot be recorded.
        version.file.storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def document_attach(
    *,
    by: User,
    parent: models.Model,
    kind: str,
    title_en: str,
    title_uk: str,
    marking: str,
    nations: Iterable[str] = (),
    upload: Any,
) -> Document:
    """A new document on a record, with its first version; its marking no wider than the
    record's. Nothing is saved if any of it is refused (the file included)."""
    _check_may_attach(by, parent)
    key = parent_kind(parent)
    allowed = PARENTS[key].kinds
    if kind not in allowed:
        raise ApplicationError(
            MSG_KIND_NOT_FOR_PARENT
            % {
                "parent": parent._meta.verbose_name,
                "kinds": ", ".join(str(DocumentKind(k).label) for k in allowed),
            },
            field="kind",
        )
    if not title_en.strip() or not title_uk.strip():
        raise ApplicationError(
            MSG_TITLE_REQUIRED, field="title_en" if not title_en.strip() else "title_uk"
        )
    marking, codes = marking_clean(marking=marking, nations=nations)
    codes_list = [c for c in codes.split(",") if c]
    within = marking_parent(parent)
    if marking_within(marking=marking, nations=codes_list, parent=within) != (
        marking,
        sorted(codes_list),
    ):
        raise ApplicationError(
            MSG_WIDER_THAN_PARENT % {"parent": within.marking_label}, field="marking"
        )
    document = Document(
        kind=kind,
        title_en=title_en.strip(),
        title_uk=title_uk.strip(),
        marking=marking,
        releasable_to=codes,
        created_by=by,
        **{key: parent},
    )
    if key == "report":
        document.measure_id = parent.measure_id  # type: ignore[attr-defined]
    document.full_clean()
    document.save()
    _store(document=document, number=1, by=by, upload=upload)
    return document


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def document_add_version(*, by: User, document: Document, upload: Any) -> DocumentVersion:
    """The next version of a document, a file of its own; earlier versions stay."""
    document = _locked(document)  # two uploads at once get numbers one after the other
    _check_may_attach(by, document.parent)
    if document.withdrawn_at is not None:
        raise ApplicationError(MSG_WITHDRAWN, field="file")
    last = document.versions.aggregate(n=models.Max("number"))["n"] or 0
    return _store(document=document, number=last + 1, by=by, upload=upload)


@transaction.atomic
def document_withdraw(*, by: User, document: Document) -> Document:
    """No longer offered to anyone; kept, with its versions, for the record."""
    document = _locked(document)
    _check_may_attach(by, document.parent)
    if document.withdrawn_at is not None:
        raise ApplicationError(MSG_WITHDRAWN)
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = by
    document.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return document


@transaction.atomic
def version_preview_make(*, version: DocumentVersion) -> bool:
    """Draws a version's preview once and keeps it; whether it has one."""
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.preview:
        return True
    with version.file.open("rb") as handle:
        png = files.preview_png(handle.read(), version.content_type)
    if png is None:
        return False
    version.preview.save(f"{version.file.name}-preview.png", ContentFile(png), save=False)
    version.save(update_fields=["preview"])
    return True


@transaction.atomic
def calendar_feed_issue(*, person: User) -> str:
    """A new secret calendar address for the person (the old one stops working); the secret
    is returned once and only its hash kept."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=person).delete()
    CalendarFeed.objects.create(
        user=person, digest=CalendarFeed.hash(raw), language=(get_language() or "en")[:2]
    )
    return raw


@transaction.atomic
def calendar_feed_revoke(*, person: User) -> None:
    deleted, _rows = CalendarFeed.objects.filter(user=person).delete()
    if not deleted:
        raise ApplicationError(MSG_NO_FEED)
