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
picture: {max_tracks: 20000, future_s: 5, max_age_s: 60}   # see PictureSettings, TimeWindow
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from asde.agreements import Agreement, load_agreement
from asde.alerts import AlertSettings
from asde.convert import SystemId
from asde.reports import TimeWindow
from asde.sim import load_scenario

log = logging.getLogger("asde")


class ConfigError(ValueError):
    """Bad configuration: names the file, the key and the reason."""


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ConfigError(f"{where}: “{key}” is missing")
    return data[key]


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
    allow_origin: str = "*"
    nats_url: str | None = None
    # How long JetStream waits for a process to confirm a partner message before it hands the
    # message to another process (or to this one after a restart).
    nats_ack_wait_s: float = 30.0
    # What this process does: "ingest" reads the inputs, "picture" keeps the picture and the
    # partner link. With JetStream they may run in different processes (or sites): inputs go
    # through ASDE_INPUT, so a picture process that dies loses none of them.
    roles: tuple[str, ...] = ("ingest", "picture")
    # The most tracks each picture holds (own and partner's); see PictureSettings.max_tracks.
    max_tracks: int = 20_000
    # The times the centre believes around its wall clock (picture.future_s, max_age_s).
    time_window: TimeWindow = field(default_factory=TimeWindow)

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
        picture = data.get("picture") or {}
        if not isinstance(picture, dict):
            raise ConfigError(f"{where}: picture: expected a mapping")
        max_tracks = picture.get("max_tracks", 20_000)
        if not isinstance(max_tracks, int) or not 1 <= max_tracks <= 65535:
            raise ConfigError(f"{where}: picture: max_tracks must be a whole number from 1 to "
                              f"65535 (CAT 062 track numbers), not {max_tracks!r}")  # fmt: skip
        try:
            window = TimeWindow(float(picture.get("future_s", 5.0)),
                                float(picture.get("max_age_s", 60.0)))  # fmt: skip
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: picture: future_s and max_age_s are seconds") from None
        if window.ahead_s < 0 or window.max_age_s <= 0:
            raise ConfigError(f"{where}: picture: future_s must be 0 or more, max_age_s more "
                              "than 0")  # fmt: skip
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
            allow_origin=str(http.get("allow_origin", "*")),
            nats_url=(data.get("nats") or {}).get("url"),
            nats_ack_wait_s=float((data.get("nats") or {}).get("ack_wait_s", 30.0)),
            roles=roles, max_tracks=max_tracks, time_window=window,
        )  # fmt: skip
