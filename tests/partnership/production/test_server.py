"""`partnership serve --production`: gunicorn restarts and stops without dropping a request."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.partnership.production.conftest import PARTNERSHIP, ROOT, production_env, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture
def server(sqlite_copy: Path, tmp_path: Path) -> Iterator[Server]:
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*PARTNERSHIP, "serve", "--production", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--graceful-timeout", "20"],
            env=production_env(tmp_path, f"sqlite:///{sqlite_copy}"), cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError("the server did not come up: " + log.read_text()[-2000:])
    yield Server(process, url, log)
    if process.poll() is None:
        process.kill()
        process.wait()


def _booted(server: Server) -> int:
    return sum("Booting worker" in line for line in server.lines())


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _hammer(url: str, stop: threading.Event, results: list[str]) -> None:
    # A new connection for each request, as many clients behind a proxy make.
    while not stop.is_set():
        for path in ("/en/", "/healthz", "/uk/timeline/"):
            try:
                results.append(str(httpx.get(url + path, timeout=30).status_code))
            except httpx.HTTPError as error:
                results.append(type(error).__name__)


def test_sighup_replaces_the_workers_while_requests_keep_coming(server: Server) -> None:
    # given four clients asking without pause
    stop = threading.Event()
    results: list[str] = []
    clients = [threading.Thread(target=_hammer, args=(server.url, stop, results)) for _ in range(4)]
    for client in clients:
        client.start()

    # when the workers are restarted twice (a deployment's new code, `systemctl reload`)
    time.sleep(2)
    for booted in (4, 6):  # 2 at start, 2 more at each restart
        server.process.send_signal(signal.SIGHUP)
        _wait_for(lambda n=booted: _booted(server) >= n)
        time.sleep(2)
    stop.set()
    for client in clients:
        client.join()

    # then every request was answered, and new workers did answer
    assert len(results) > 20
    assert set(results) == {"200"}, {r: results.count(r) for r in set(results)}
    assert _booted(server) == 6


@pytest.mark.serial  # its requests must be under way 0.3 s after they start: not beside workers
def test_sigterm_finishes_the_requests_under_way_then_stops(server: Server) -> None:
    # given requests under way
    results: list[str] = []

    def ask() -> None:
        try:
            results.append(str(httpx.get(server.url + "/uk/", timeout=30).status_code))
        except httpx.HTTPError as error:
            results.append(type(error).__name__)

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    time.sleep(0.3)

    # when systemd stops the service
    server.process.send_signal(signal.SIGTERM)
    for asker in askers:
        asker.join()

    # then they were answered, and the server left cleanly
    assert results == ["200"] * 4
    assert server.process.wait(timeout=30) == 0
    # and new connections are no longer taken
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz", timeout=2)


def test_its_log_is_json_lines_with_the_request_fields(server: Server) -> None:
    httpx.get(server.url + "/en/", headers={"X-Request-ID": "proxy-req-00042"}, timeout=30)
    httpx.get(server.url + "/metrics", headers={"X-Request-ID": "scrape-00000042"}, timeout=30)
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)

    records = [json.loads(line) for line in server.lines() if line.startswith("{")]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    (request,) = [
        r for r in records
        if r.get("request_id") == "proxy-req-00042" and r["logger"] == "partnership.requests"
    ]  # fmt: skip
    assert request["status"] == 200 and request["user"] == "-" and request["path"] == "/en/"
    assert request["duration_ms"] > 0 and request["view"] == "public:factsheet"
    # gunicorn's own lines too (start, workers), not only the platform's
    assert any(r["logger"] == "gunicorn.error" for r in records)
    # and a line written while a request was answered (no token for a centre) carries its id
    (no_token,) = [r for r in records if "no token for centre nato" in r["message"]]
    assert no_token["request_id"] == "scrape-00000042" and no_token["level"] == "ERROR"


def test_an_asde_configuration_that_is_not_there_is_named(tmp_path: Path) -> None:
    done = run_cli(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")(
        "serve", "--production", "--asde", str(tmp_path / "nato.yaml"), check=False
    )

    assert done.returncode == 1
    assert f"No such ASDE centre configuration: {tmp_path / 'nato.yaml'}" in done.stderr


def _centre_config(folder: Path, http_port: int, link_port: int) -> Path:
    agreements = ROOT / "src" / "asde" / "data" / "agreements"
    token = folder / "platform.token"
    token.write_text("centre-test-token-0123456789\n")
    token.chmod(0o600)
    config = folder / "centre.yaml"
    config.write_text(
        "centre: {name: test centre, sac: 25, sic: 1}\n"
        f"http: {{host: 127.0.0.1, port: {http_port}, clients: "
        f"[{{name: platform, token_file: {token}, permissions: [read]}}]}}\n"
        f"state_file: {folder / 'state.json'}\n"
        "inputs: []\n"
        f"partner: {{name: UA, plaintext: true, agreements: [{agreements / 'nato-ua-v1-2008.yaml'}],"
        f" listen: [{{name: via-test, port: {link_port}}}]}}\n"
    )
    return config


def test_a_configured_asde_centre_runs_beside_the_site_and_stops_with_it(
    sqlite_copy: Path, tmp_path: Path
) -> None:
    # given a centre's configuration
    centre_port, site_port = _free_port(), _free_port()
    config = _centre_config(tmp_path, centre_port, _free_port())
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*PARTNERSHIP, "serve", "--production", f"127.0.0.1:{site_port}", "--workers", "1",
             "--asde", str(config)],
            env=production_env(tmp_path, f"sqlite:///{sqlite_copy}"), cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        # when the site is up, so is the centre
        def up(port: int) -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait_for(lambda: up(site_port) and up(centre_port), seconds=90)

        # and when the site stops, the centre stops with it
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=40) == 0
        assert not up(centre_port)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
