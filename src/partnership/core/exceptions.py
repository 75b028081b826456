"""The one error type services raise; views and the API turn it into a message or an HTTP answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class ApplicationError(Exception):
    """A request that cannot be carried out, with a translated message and, when known, the field."""

    def __init__(self, message: Any, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class PermissionDeniedError(ApplicationError):
    def __init__(self, message: Any, *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)


def input_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A schema's validation errors (pydantic's, as django-ninja passes them on) as one
    translated message per field at fault, in the active language: the API's 422 answer and
    the CLI's refusal say the same thing."""
    from django.utils.translation import gettext as _

    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        kind = error.get("type", "")
        if kind == "missing":
            message = _("This field is required.")
        elif kind in ("json_invalid", "model_attributes_type"):
            message = _("The request body is not valid JSON.")
        else:
            message = _("This value is not valid: %(detail)s") % {"detail": error.get("msg", "")}
        found.append({"field": ".".join(location) or None, "message": message})
    return found
