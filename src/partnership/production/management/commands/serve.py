"""Serves the site: Django's server on loopback, or `--production`: gunicorn (see production/server.py)."""

import signal
import socket
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import WSGIServer
from django.utils.translation import gettext_lazy as _

MSG_WORKERS = _("--workers and --threads must be at least 1.")
MSG_NO_CENTRE_CONFIG = _("No such ASDE centre configuration: %(file)s")


class LowLatencyWSGIServer(WSGIServer):
    """Django's server, sending every write at once (TCP_NODELAY).

    The live map's event stream is many small writes; with Nagle's algorithm each waited for
    the browser's delayed acknowledgement, which added about 40 ms to the stream's p99
    (benchmarks/bench_map_stream.py). Gunicorn (`--production`) sets it on its own sockets.
    """

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(BaseCommand):
    help = "Serve the site on ADDRESS (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        from partnership.production.server import default_workers

        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--production", action="store_true",
            help="gunicorn (gthread workers), JSON logs, Prometheus figures; SIGTERM stops "
            "gracefully, SIGHUP restarts the workers without dropping requests",
        )  # fmt: skip
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--timeout", type=int, default=120)
        parser.add_argument("--graceful-timeout", type=int, default=30)
        parser.add_argument(
            "--no-worker", action="store_true",
            help="do not start the background worker (`partnership worker`) beside the site",
        )  # fmt: skip
        parser.add_argument(
            "--asde", action="append", default=[], metavar="CENTRE.yaml",
            help="also run this ASDE centre (`asde run --config`), stopped with the site",
        )  # fmt: skip

    def execute(self, *args: Any, **options: Any) -> str | None:
        if options.get("production"):
            from partnership.production.server import prepare_metrics

            # Before the system checks, which import the URLs and with them prometheus_client:
            # it picks its multiprocess storage at import, from this variable.
            prepare_metrics(Path(settings.DATA_DIR))
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["production"]:
            # Whichever runserver the installed apps provide (staticfiles' or Django's), with
            # the server above.
            base = type(load_command_class(get_commands()["runserver"], "runserver"))
            runserver = type("Runserver", (base,), {"server_cls": LowLatencyWSGIServer})()
            from partnership.production.server import BackgroundWorker

            worker = BackgroundWorker(enabled=not options["no_worker"])
            worker.start()
            # SIGTERM (systemd, kill) ends the server as Ctrl+C does, so the worker is stopped.
            signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
            try:
                call_command(runserver, options["address"], use_reloader=False)
            finally:
                worker.stop()
            return
        from partnership.production.server import ServerOptions, serve

        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError(str(MSG_WORKERS))
        for config in options["asde"]:
            if not Path(config).is_file():
                raise CommandError(MSG_NO_CENTRE_CONFIG % {"file": config})
        serve(
            ServerOptions(
                bind=options["address"],
                workers=options["workers"],
                threads=options["threads"],
                timeout=options["timeout"],
                graceful_timeout=options["graceful_timeout"],
                asde_configs=options["asde"],
                worker=not options["no_worker"],
            )
        )
