"""What the worker does every tick besides tasks: deadlines, e-mails, dead jobs, old files."""

from __future__ import annotations

import logging

from django.db import close_old_connections

log = logging.getLogger(__name__)


def tick() -> dict[str, int]:
    """One round; each part is idempotent, so a round run twice changes nothing more."""
    from partnership.background import services as background
    from partnership.notifications import deadlines
    from partnership.notifications import services as notifications

    close_old_connections()
    done: dict[str, int] = {}
    for name, step in (
        ("reaped", background.jobs_reap),
        ("reminders", deadlines.deadlines_evaluate),
        ("emails", notifications.deliver_pending),
        ("digests", notifications.send_digests),
        ("expired", background.files_expire),
    ):
        try:
            done[name] = step()
        except Exception:  # one part failing (a bad record) must not stop the others
            log.exception("periodic step %s failed", name)
            done[name] = -1
    close_old_connections()
    return done
