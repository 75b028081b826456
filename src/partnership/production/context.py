"""The request being answered, for every log line written while it is (not only the request's own)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

# Each gunicorn thread answers one request at a time; a ContextVar is per thread (and per task).
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to a record written during a request, so that an error joins its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True
