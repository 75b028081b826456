"""`{% attachments record %}`: a record's documents section, the same on every parent's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from partnership.documents.parents import may_attach, parent_kind
from partnership.documents.selectors import document_list

register = template.Library()


@register.inclusion_tag("documents/_attachments.html", takes_context=True)
def attachments(
    context: template.Context,
    record: Any,
    heading: bool = True,
    documents: list[Any] | None = None,
    can_attach: bool | None = None,
) -> dict[str, Any]:
    """`documents` and `can_attach`, when given, are what the page has already read for many
    records at once (`selectors.documents_of_reports`, `may_attach` of one of them): the same
    answers without two queries per record."""
    request = context.get("request")
    # A page rendered without a reader is read as the public would: never more.
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    return {
        "documents": list(document_list(user=user, parent=record))
        if documents is None
        else documents,
        "can_attach": may_attach(user, record) if can_attach is None else can_attach,
        "kind": parent_kind(record),
        "record": record,
        "heading": heading,
    }
