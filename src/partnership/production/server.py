"""The production server: gunicorn running the platform's WSGI application, and its ASDE centres.

Why gunicorn with threads (gthread) and not an ASGI server: every view, the live map's event
relay included (`airpicture.views.map_events`, a synchronous `StreamingHttpResponse` over
httpx's synchronous stream), is synchronous. Under ASGI Django would run that iterator through
`sync_to_async` chunk by chunk, a thread hop per event, and warn about it; under gthread each
open map holds one thread of a worker, and the rest of the site goes on in the others.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

log = logging.getLogger(__name__)


def default_workers() -> int:
    # gunicorn's own rule of thumb: two per core and one more, so that one waiting on the
    # database never leaves a core idle.
    return 2 * (os.cpu_count() or 1) + 1


@dataclass
class ServerOptions:
    bind: str = "127.0.0.1:8000"
    workers: int = field(default_factory=default_workers)
    # Threads per worker: each open live map holds one for its event stream.
    threads: int = 8
    # A worker whose main loop is silent this long is stuck and replaced. With threads a long
    # request (a PDF, an open map's event stream) does not silence it; the proxy bounds those.
    timeout: int = 120
    # On SIGTERM or SIGHUP a worker finishes what it answers for at most this long.
    graceful_timeout: int = 30
    # A worker is replaced after about this many requests (memory never creeps up for good).
    max_requests: int = 5000
    asde_configs: Sequence[str] = ()
    # The background worker (`partnership worker`): tasks, deadline reminders, e-mails.
    worker: bool = True


def prepare_metrics(data_dir: Path) -> None:
    """Name (and empty) the folder where each worker writes its Prometheus figures.

    Emptied at each start, so that a previous run's counts are not added to this one's; set
    before anything imports prometheus_client, which picks its storage at import.
    """
    directory = data_dir / "prometheus"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def _json_logging() -> dict[str, Any]:
    # gunicorn's own messages (start, worker boots and exits, signals) as JSON lines too; its
    # access log stays off: the platform's middleware writes a richer line per request.
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }


_ASDE_MAIN = "import sys; sys.argv[0] = 'asde'; from asde.cli import run; run()"


class _Centres:
    """The ASDE centres started beside the site, stopped with it (gunicorn's master only)."""

    def __init__(self, configs: Sequence[str]) -> None:
        self.configs = configs
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        for config in self.configs:
            # `asde run` by this interpreter (the console script may not be on PATH here).
            command = [sys.executable, "-c", _ASDE_MAIN, "run", "--config", config]
            self.processes.append(subprocess.Popen(command))
            log.info("ASDE centre started: %s", config)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


_WORKER_MAIN = "from partnership.cli import main; main(['worker', '--stop-with-parent'])"


class BackgroundWorker:
    """`partnership worker` beside the site (gunicorn's master, or the demo's server), stopped
    with it: SIGTERM lets the task in hand finish (django-tasks' worker), then it exits."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not self.enabled:
            return
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER_MAIN])
        log.info("background worker started (pid %s)", self.process.pid)

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # A task that does not finish in a minute is retried by the next worker.
            process.kill()


class ProductionServer(BaseApplication):
    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.centres = _Centres(options.asde_configs)
        self.worker = BackgroundWorker(enabled=options.worker)
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        options = self.options
        centres = self.centres
        worker = self.worker
        settings: dict[str, Any] = {
            "bind": [options.bind],
            "workers": options.workers,
            "worker_class": "gthread",
            "threads": options.threads,
            "timeout": options.timeout,
            "graceful_timeout": options.graceful_timeout,
            "max_requests": options.max_requests,
            # Jitter: workers started together are not all replaced at the same moment.
            "max_requests_jitter": max(1, options.max_requests // 10),
            # Longer than a client's pause between requests, so that a client never sends into a
            # connection the server is closing (a reset); idle connections hold no thread.
            "keepalive": 30,
            "accesslog": None,
            "logconfig_dict": _json_logging(),
            # The reverse proxy on this machine says who the client is and that it used TLS.
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            "proc_name": "partnership",
            # No control socket in the home directory: systemd and signals drive the server.
            "control_socket_disable": True,
            "when_ready": lambda arbiter: _each(centres.start, worker.start),
            "on_exit": lambda arbiter: _each(worker.stop, centres.stop),
            "child_exit": _worker_exited,
            "post_worker_init": _worker_started,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from partnership.wsgi import application

        return application


def _each(*steps: Any) -> None:
    for step in steps:
        step()


def _worker_started(worker: Any) -> None:
    """When a worker starts: pay the PDF renderer's start-up beside the first requests, then freeze.

    WeasyPrint's first report in a process also imports it and sets up Pango, fonts and
    dictionaries (1-2 s: `benchmarks/bench_pdf.py`); paid here, no reader of a report waits for
    it, and a worker replaced after `max_requests` pays it again. In a thread of its own, so that
    the worker answers pages meanwhile (a reload does not hold requests for it). `gc.freeze()`
    then moves what the worker has loaded (Django, the apps, WeasyPrint: some 360,000 objects)
    out of the collector's way, so that a report's hundreds of thousands of short-lived boxes do
    not make it walk them all on every full collection.
    """
    thread = threading.Thread(target=_warm_up, name="pdf-warm-up", daemon=True)
    thread.start()


def _warm_up() -> None:
    from partnership.core import pdf

    try:
        pdf.warm_up()
    except Exception:
        # The site serves without PDFs (their pages show the error) rather than not at all.
        log.exception("the PDF renderer could not be warmed up")
    gc.collect()
    gc.freeze()


def _worker_exited(arbiter: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    # Its live gauges leave the sum; its counters stay counted.
    multiprocess.mark_process_dead(worker.pid)


def serve(options: ServerOptions) -> None:
    """Run until SIGTERM or SIGINT (graceful stop); SIGHUP restarts the workers gracefully."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        raise RuntimeError("prepare_metrics() first: the workers' figures need their folder")
    ProductionServer(options).run()
