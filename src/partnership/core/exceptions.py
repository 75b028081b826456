"""The one error type services raise; views and the API turn it into a message or an HTTP answer."""

from __future__ import annotations

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
