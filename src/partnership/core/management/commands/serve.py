"""Serves the site (Django's server on loopback; production runs partnership.wsgi under a WSGI server)."""

import socket
from typing import Any

from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandParser
from django.core.servers.basehttp import WSGIServer


class LowLatencyWSGIServer(WSGIServer):
    """Django's server, sending every write at once (TCP_NODELAY).

    The live map's event stream is many small writes; with Nagle's algorithm each waited for
    the browser's delayed acknowledgement, which added about 40 ms to the stream's p99
    (benchmarks/bench_map_stream.py). A production WSGI server needs the same on its connections.
    """

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(BaseCommand):
    help = "Serve the site on ADDRESS (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # Whichever runserver the installed apps provide (staticfiles' or Django's), with the
        # server above.
        base = type(load_command_class(get_commands()["runserver"], "runserver"))
        runserver = type("Runserver", (base,), {"server_cls": LowLatencyWSGIServer})()
        call_command(runserver, options["address"], use_reloader=False)
