"""A centre's configuration: credentials and TLS files are refused at load, with the file
and the reason, never at the first connection or request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from asde.config import ConfigError, ServiceConfig
from asde.credentials import issue, new_ca, write_certificate, write_key
from tests.asde.test_service import configs


def demo(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    configs(tmp_path)  # writes nato.yaml with free ports and credentials in tmp_path/asde
    path = tmp_path / "nato.yaml"
    return path, yaml.safe_load(path.read_text())


def refused(path: Path, data: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as error:
        ServiceConfig.load(path)
    return str(error.value)


def test_a_missing_certificate_file_is_named(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    data["tls"]["certificate"] = str(tmp_path / "nowhere.pem")

    message = refused(path, data)

    assert "tls: certificate" in message and "nowhere.pem" in message
    assert "No such file" in message


def test_a_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    (tmp_path / "asde" / "nato.key").chmod(0o644)

    assert "nato.key: readable by others (mode 644)" in refused(path, data)


def test_a_certificate_with_another_key_is_refused(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    data["tls"]["key"] = str(tmp_path / "asde" / "ukraine.key")

    message = refused(path, data)

    assert "nato.pem" in message and "ukraine.key" in message


def test_an_expired_certificate_is_refused_at_start(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    ca, ca_key = new_ca()
    old, old_key = issue(ca, ca_key, "nato", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                         days=30)  # fmt: skip
    write_certificate(tmp_path / "old.pem", old)
    write_key(tmp_path / "old.key", old_key)
    data["tls"] = {"certificate": str(tmp_path / "old.pem"), "key": str(tmp_path / "old.key")}

    assert "old.pem: the certificate expired on 2020-01-31" in refused(path, data)


def test_a_token_file_missing_or_too_short_is_named(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    short = tmp_path / "short.token"
    short.write_text("abc\n")
    short.chmod(0o600)
    data["http"]["clients"][1]["token_file"] = str(short)

    assert "short.token must be at least 20 characters" in refused(path, data)

    data["http"]["clients"][1]["token_file"] = str(tmp_path / "gone.token")
    assert "clients[1]: token_file" in refused(path, data)


def test_a_token_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, data = demo(tmp_path)
    data["http"]["clients"][1] = {"name": "monitor", "token_env": "ASDE_TEST_MONITOR",
                                  "permissions": ["read"]}  # fmt: skip

    assert "ASDE_TEST_MONITOR is not set" in refused(path, data)

    monkeypatch.setenv("ASDE_TEST_MONITOR", "m" * 32)
    config = ServiceConfig.load(path)
    assert {c.name: c.token for c in config.http_clients}["monitor"] == "m" * 32


def test_no_clients_unknown_permissions_and_cors_are_refused(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    clients = data["http"].pop("clients")
    assert "http: clients: at least one client" in refused(path, data)

    data["http"]["clients"] = [{**clients[1], "permissions": ["read", "admin"]}]
    assert "permissions: unknown ['admin']" in refused(path, data)

    data["http"]["clients"] = clients
    data["http"]["allow_origin"] = "*"
    assert "allow_origin: the API sends no CORS headers" in refused(path, data)


def test_links_without_tls_need_saying_so(tmp_path: Path) -> None:
    path, data = demo(tmp_path)
    del data["partner"]["tls"]

    assert "partner: tls (ca, and subject or certificate) are needed" in refused(path, data)

    data["partner"]["plaintext"] = True
    path.write_text(yaml.safe_dump(data))
    assert ServiceConfig.load(path).link_credentials is None
