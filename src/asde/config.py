"""A centre's configuration: the YAML file of `asde run --config FILE`, checked at load.

centre: {name: NATO, sac: 25, sic: 1}
http: {host: 127.0.0.1, port: 8081}
state_file: var/asde-nato.json          # link state saved for a restart
inputs:
  - {type: scenario, file: renegade-lviv.yaml, speed: 20}
  - {type: replay, file: quickstart.json.gz, speed: 10}
  - {type: sbs, host: 127.0.0.1, port: 30003}
  - {type: asterix-udp, host: 127.0.0.1, port: 8600}
partner:
  name: UA
  agreements: [nato-ua-v1-2008.yaml, nato-ua-v2-2014.yaml]
  listen: [{name: via-hungary, port: 9101}, {name: via-turkey, port: 9102}]
  # or connect: [{name: via-hungary, host: 127.0.0.1, port: 9101}, ...]
send_period_s: 1.0
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from asde.agreements import Agreement, load_agreement
from asde.alerts import AlertSettings
from asde.convert import SystemId
from asde.sim import load_scenario

log = logging.getLogger("asde")


class ConfigError(ValueError):
    """Bad configuration: names the file, the key and the reason."""


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ConfigError(f"{where}: “{key}” is missing")
    return data[key]


PERMISSIONS = ("read", "act", "delegate")
# Shorter tokens can be guessed; `asde credentials` writes 43 characters (32 random bytes).
MIN_TOKEN_LENGTH = 20


@dataclass(frozen=True)
class HttpClient:
    """One caller of the HTTP API: its bearer token and what it may do. `delegate` lets it
    act for a person it names (X-ASDE-Actor); without it, it acts as itself."""

    name: str
    token: str = field(repr=False)
    permissions: frozenset[str]
    organization: str = ""
    role: str = ""


@dataclass(frozen=True)
class LinkTls:
    """Mutual TLS on the partner links: this centre's certificate and key, and what the
    partner must present: a certificate signed by `ca` with common name `subject`, or (when
    `pinned`) exactly that certificate."""

    certificate: Path
    key: Path
    ca: Path
    subject: str | None = None
    pinned: Path | None = None


def _file(base: Path, value: Any, where: str, *, secret: bool = False) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a file name")
    path = Path(value) if Path(value).is_absolute() else base / value
    try:
        info = path.stat()
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise ConfigError(f"{where}: {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{where}: {path}: not a regular file")
    if secret and info.st_mode & 0o077:
        raise ConfigError(
            f"{where}: {path}: readable by others (mode {stat.S_IMODE(info.st_mode):o}); "
            "a key or token must be mode 600"
        )
    return path


def _clients(http: dict[str, Any], base: Path, where: str) -> tuple[HttpClient, ...]:
    specs = http.get("clients")
    if not specs or not isinstance(specs, list):
        raise ConfigError(
            f"{where}: http: clients: at least one client (name, token_file or token_env, "
            "permissions) is needed: every endpoint but /healthz asks for a token"
        )
    clients, names, tokens = [], set(), set()
    for index, spec in enumerate(specs):
        at = f"{where}: http: clients[{index}]"
        if not isinstance(spec, dict):
            raise ConfigError(f"{at}: expected a mapping")
        name = str(_need(spec, "name", at))
        if name in names:
            raise ConfigError(f"{at}: the name {name!r} is used twice")
        names.add(name)
        if ("token_file" in spec) == ("token_env" in spec):
            raise ConfigError(f"{at}: give one of token_file or token_env")
        if "token_file" in spec:
            path = _file(base, spec["token_file"], f"{at}: token_file", secret=True)
            token = path.read_text(encoding="utf-8").strip()
            origin = str(path)
        else:
            variable = str(spec["token_env"])
            token = os.environ.get(variable, "").strip()
            origin = f"the environment variable {variable}"
            if not token:
                raise ConfigError(f"{at}: token_env: {variable} is not set")
        if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
            raise ConfigError(
                f"{at}: the token in {origin} must be at least {MIN_TOKEN_LENGTH} characters "
                "without spaces"
            )
        if token in tokens:
            raise ConfigError(f"{at}: the token in {origin} is another client's too")
        tokens.add(token)
        permissions = spec.get("permissions")
        if not isinstance(permissions, list) or not permissions:
            raise ConfigError(f"{at}: permissions: a list of {', '.join(PERMISSIONS)}")
        unknown = sorted(set(map(str, permissions)) - set(PERMISSIONS))
        if unknown:
            raise ConfigError(
                f"{at}: permissions: unknown {unknown} (known: {', '.join(PERMISSIONS)})"
            )
        clients.append(HttpClient(
            name=name, token=token, permissions=frozenset(map(str, permissions)),
            organization=str(spec.get("organization", "")), role=str(spec.get("role", "")),
        ))  # fmt: skip
    return tuple(clients)


def _link_tls(
    data: dict[str, Any], partner: dict[str, Any], base: Path, where: str
) -> LinkTls | None:
    wanted = partner.get("tls")
    if partner.get("plaintext") is True:
        if wanted:
            raise ConfigError(f"{where}: partner: give tls or plaintext: true, not both")
        log.warning("%s: the partner links run WITHOUT TLS (plaintext: true)", where)
        return None
    own = data.get("tls")
    if not isinstance(own, dict) or not isinstance(wanted, dict):
        raise ConfigError(
            f"{where}: the partner links run over mutual TLS: tls (certificate, key) and "
            "partner: tls (ca, and subject or certificate) are needed"
        )
    subject = wanted.get("subject")
    pinned = wanted.get("certificate")
    if not subject and not pinned:
        raise ConfigError(
            f"{where}: partner: tls: name the partner's subject (common name) or certificate"
        )
    return LinkTls(
        certificate=_file(base, _need(own, "certificate", f"{where}: tls"), f"{where}: tls: certificate"),
        key=_file(base, _need(own, "key", f"{where}: tls"), f"{where}: tls: key", secret=True),
        ca=_file(base, _need(wanted, "ca", f"{where}: partner: tls"), f"{where}: partner: tls: ca"),
        subject=str(subject) if subject else None,
        pinned=_file(base, pinned, f"{where}: partner: tls: certificate") if pinned else None,
    )  # fmt: skip


@dataclass
class ServiceConfig:
    name: str
    system: SystemId
    http_host: str
    http_port: int
    inputs: list[dict[str, Any]]
    partner: str
    agreements: list[Agreement]
    listen: list[dict[str, Any]]
    connect: list[dict[str, Any]]
    state_file: Path | None
    send_period_s: float
    alert_settings: AlertSettings = field(default_factory=AlertSettings)
    http_clients: tuple[HttpClient, ...] = ()
    link_tls: LinkTls | None = None
    # The TLS contexts, loaded from `link_tls` at load (None: plaintext links).
    link_credentials: Any = None
    # Heartbeats go every 0.25 s: a connection silent this long has failed.
    silence_s: float = 1.0
    nats_url: str | None = None
    # How long JetStream waits for a process to confirm a partner message before it hands the
    # message to another process (or to this one after a restart).
    nats_ack_wait_s: float = 30.0
    # What this process does: "ingest" reads the inputs, "picture" keeps the picture and the
    # partner link. With JetStream they may run in different processes (or sites): inputs go
    # through ASDE_INPUT, so a picture process that dies loses none of them.
    roles: tuple[str, ...] = ("ingest", "picture")

    @classmethod
    def load(cls, path: Path) -> ServiceConfig:
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: expected a mapping")
        base = path.parent
        centre = _need(data, "centre", where)
        partner = _need(data, "partner", where)
        http = data.get("http") or {}
        agreements = []
        for name in _need(partner, "agreements", f"{where}: partner"):
            agreements.append(
                load_agreement((base / name) if not Path(name).is_absolute() else Path(name))
            )
        inputs = list(data.get("inputs") or [])
        settings = AlertSettings()
        for spec in inputs:
            if spec.get("type") not in ("scenario", "replay", "sbs", "asterix-udp", "asterix-tcp"):
                raise ConfigError(f"{where}: inputs: unknown type {spec.get('type')!r}")
            if "file" in spec:
                spec["file"] = (
                    str(base / spec["file"])
                    if not Path(spec["file"]).is_absolute()
                    else spec["file"]
                )
            if "file" in spec and not Path(spec["file"]).exists():
                if spec.get("optional"):
                    log.warning("%s: inputs: %s is not there; that input is left out",
                                where, spec["file"])  # fmt: skip
                    spec["type"] = "none"
                    continue
                raise ConfigError(f"{where}: inputs: file: {spec['file']} does not exist")
            if spec["type"] == "scenario":
                settings = load_scenario(Path(spec["file"])).alert_settings
        try:
            system = SystemId(int(_need(centre, "sac", f"{where}: centre")),
                              int(_need(centre, "sic", f"{where}: centre")))  # fmt: skip
            port = int(http.get("port", 8081))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if "allow_origin" in http:
            raise ConfigError(
                f"{where}: http: allow_origin: the API sends no CORS headers; browsers read a "
                "centre through the platform"
            )
        clients = _clients(http, base, where)
        link_tls = _link_tls(data, partner, base, where)
        credentials = None
        if link_tls is not None:
            from asde.tls import LinkCredentials

            try:
                credentials = LinkCredentials.load(link_tls)
            except ConfigError as error:
                raise ConfigError(f"{where}: {error}") from None
        try:
            silence = float(partner.get("silence_s", 1.0))
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: partner: silence_s must be a number of seconds") from None
        if silence < 0.5:
            raise ConfigError(f"{where}: partner: silence_s must be at least 0.5 s (heartbeats "
                              "go every 0.25 s)")  # fmt: skip
        state = data.get("state_file")
        roles = tuple(data.get("roles") or ("ingest", "picture"))
        for role in roles:
            if role not in ("ingest", "picture"):
                raise ConfigError(f"{where}: roles: unknown role {role!r} (ingest, picture)")
        if set(roles) != {"ingest", "picture"} and not (data.get("nats") or {}).get("url"):
            raise ConfigError(
                f"{where}: roles: a process with only some roles needs nats.url (JetStream)"
            )
        return cls(
            name=str(centre.get("name", "ASDE")), system=system,
            http_host=str(http.get("host", "127.0.0.1")), http_port=port, inputs=inputs,
            partner=str(_need(partner, "name", f"{where}: partner")), agreements=agreements,
            listen=list(partner.get("listen") or []), connect=list(partner.get("connect") or []),
            state_file=(base / state) if state else None,
            send_period_s=float(data.get("send_period_s", 1.0)), alert_settings=settings,
            http_clients=clients, link_tls=link_tls, link_credentials=credentials,
            silence_s=silence,
            nats_url=(data.get("nats") or {}).get("url"),
            nats_ack_wait_s=float((data.get("nats") or {}).get("ack_wait_s", 30.0)),
            roles=roles,
        )  # fmt: skip
