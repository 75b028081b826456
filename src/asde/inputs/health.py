"""What each input did: reports taken, reports refused by reason, errors by kind, connections.

Counted where it happens (a feed, the centre's time check), read in `/status`; a log line names
the input and the reason, at most once a minute per input and reason (a feed of garbage must
not fill the disk), with how many were skipped meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("asde")

LOG_EVERY_S = 60.0


@dataclass
class InputHealth:
    name: str
    reports: int = 0  # taken into the picture (or the input stream)
    refused: Counter[str] = field(default_factory=Counter)  # by reason: future, too_old
    errors: Counter[str] = field(default_factory=Counter)  # by kind: overlong_line, not_sbs ...
    connections: int = 0  # connections made (a TCP input)
    connected: bool = False
    last_error: str | None = None
    _logged: dict[str, tuple[float, int]] = field(default_factory=dict, repr=False)

    def refuse(self, reason: str, detail: str) -> None:
        self.refused[reason] += 1
        self._log(f"refused:{reason}", f"report refused ({reason}): {detail}",
                  self.refused[reason])  # fmt: skip

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.last_error = f"{kind}: {detail}"
        self._log(kind, f"{kind}: {detail}", self.errors[kind])

    def _log(self, key: str, message: str, total: int) -> None:
        now = time.monotonic()
        last = self._logged.get(key)
        if last is not None and now - last[0] < LOG_EVERY_S:
            return
        skipped = total - 1 - (last[1] if last else 0)
        tail = f" ({skipped} more since the last such line)" if skipped > 0 else ""
        log.warning("input %s: %s%s", self.name, message, tail)
        self._logged[key] = (now, total)

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports, "refused": dict(self.refused), "errors": dict(self.errors),
            "connections": self.connections, "connected": self.connected,
            "last_error": self.last_error,
        }  # fmt: skip
