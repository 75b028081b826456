"""Samples, once a second for SECONDS: the machine's CPU, the server's CPU, database connections.

`python sampler.py SERVER_PID SECONDS OUT.json` (DATABASE_URL: the database whose connections
are counted). The server's CPU is its master's and workers' user + system time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _machine() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _tree_cpu(root: int) -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parts = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry.name), int(parts[1])
        if pid == root or ppid == root:
            total += (int(parts[11]) + int(parts[12])) / TICK
    return total


def main() -> None:
    import psycopg

    root, seconds, out = int(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
    url = os.environ["DATABASE_URL"]
    connections: list[int] = []
    busy0, all0 = _machine()
    cpu0, started = _tree_cpu(root), time.monotonic()
    with psycopg.connect(url, autocommit=True) as db:
        while time.monotonic() - started < seconds:
            row = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).fetchone()
            connections.append(int(row[0]) if row else 0)
            time.sleep(1)
    busy1, all1 = _machine()
    wall = time.monotonic() - started
    out.write_text(json.dumps({
        "machine_cpu_percent": round(100 * (busy1 - busy0) / max(1, all1 - all0), 1),
        "server_cores": round((_tree_cpu(root) - cpu0) / wall, 2),
        "db_connections_max": max(connections, default=0),
        "db_connections_median": sorted(connections)[len(connections) // 2] if connections else 0,
        "load_average": os.getloadavg(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
