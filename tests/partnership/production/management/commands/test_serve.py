"""`partnership serve`: Django's server, sending each write at once for the live map's stream."""

import socket

from django.core.servers.basehttp import WSGIRequestHandler

from partnership.production.management.commands.serve import LowLatencyWSGIServer


def test_every_accepted_connection_sends_without_waiting_for_acknowledgements() -> None:
    server = LowLatencyWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    try:
        with socket.create_connection(server.server_address[:2]):
            connection, _ = server.get_request()
            with connection:
                assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        server.server_close()
