"""The platform's client of an ASDE centre: its HTTP API, read server-side with the platform's token."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CentreSettings:
    """One entry of `ASDE_CENTRES`: where the centre answers and who operates it."""

    key: str
    url: str
    token_file: Path
    organizations: frozenset[str]


@dataclass(frozen=True)
class Actor:
    """The person an action is done for, as the centre records it (`X-ASDE-Actor`)."""

    name: str
    organization: str
    role: str

    def header(self) -> str:
        # ASCII JSON: a header value is Latin-1 on the wire; Cyrillic names travel escaped.
        return json.dumps({"name": self.name, "organization": self.organization, "role": self.role})


class CentreError(Exception):
    """The centre could not answer the platform's request."""


class CentreUnreachable(CentreError):
    """No answer: the centre is down, or too slow, or its address is wrong."""


class CentreCredentialMissing(CentreError):
    """The platform has no token for the centre (the file named in `ASDE_CENTRES` is missing)."""


class CentreRefused(CentreError):
    """The centre answered with an error status; `reason` is its own (English) explanation."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason


def configured_centres() -> list[CentreSettings]:
    """`ASDE_CENTRES` read and checked; a malformed entry names itself and what is wrong."""
    centres = []
    for key, entry in settings.ASDE_CENTRES.items():
        if not isinstance(entry, Mapping) or not {"url", "token_file"} <= entry.keys():
            raise ImproperlyConfigured(f"ASDE_CENTRES[{key!r}] needs 'url' and 'token_file'")
        organizations = entry.get("organizations", [])
        if isinstance(organizations, str):
            raise ImproperlyConfigured(f"ASDE_CENTRES[{key!r}]['organizations'] is a list of keys")
        centres.append(
            CentreSettings(
                key=key,
                url=str(entry["url"]).rstrip("/"),
                token_file=Path(str(entry["token_file"])),
                organizations=frozenset(o.strip() for o in organizations if o.strip()),
            )
        )
    return centres


_clients: dict[float, httpx.Client] = {}
_clients_lock = threading.Lock()


def _http() -> httpx.Client:
    """One pooled client per process (per timeout setting), shared by the request threads."""
    timeout = float(settings.ASDE_TIMEOUT_S)
    with _clients_lock:
        client = _clients.get(timeout)
        if client is None:
            # Each open map holds one connection for its event stream: room for many.
            client = httpx.Client(
                timeout=httpx.Timeout(timeout),
                limits=httpx.Limits(max_connections=500, max_keepalive_connections=20),
                follow_redirects=False,
                trust_env=False,  # a proxy from the environment must never see the token
                # Shared by every operator's requests: it keeps no cookie a centre might set,
                # so nothing of one person's request rides along on another's.
                cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            )
            _clients[timeout] = client
        return client


class CentreClient:
    """Reads and acts on one centre with the platform's bearer token."""

    def __init__(self, centre: CentreSettings) -> None:
        self.centre = centre

    def _headers(self, actor: Actor | None = None) -> dict[str, str]:
        try:
            token = self.centre.token_file.read_text().strip()
        except OSError as error:
            log.error("no token for centre %s: %s", self.centre.key, error)
            raise CentreCredentialMissing(str(self.centre.token_file)) from None
        if not token:
            log.error("the token file of centre %s is empty", self.centre.key)
            raise CentreCredentialMissing(str(self.centre.token_file))
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if actor is not None:
            headers["X-ASDE-Actor"] = actor.header()
        return headers

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            try:
                reason = str(response.json().get("error", response.text))
            except (ValueError, AttributeError):
                reason = response.text
            log.warning(
                "centre %s refused %s %s: %d %s", self.centre.key, response.request.method,
                response.request.url.path, response.status_code, reason[:200],
            )  # fmt: skip
            raise CentreRefused(response.status_code, reason[:500])
        try:
            return response.json()
        except ValueError:
            raise CentreRefused(response.status_code, "not JSON") from None

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        headers = self._headers()
        try:
            response = _http().get(self.centre.url + path, params=params, headers=headers)
        except httpx.HTTPError as error:
            log.warning("centre %s unreachable: %s", self.centre.key, error)
            raise CentreUnreachable(str(error)) from None
        return self._answer(response)

    def post_json(self, path: str, body: Mapping[str, Any], *, actor: Actor) -> Any:
        headers = self._headers(actor)
        try:
            response = _http().post(self.centre.url + path, json=body, headers=headers)
        except httpx.HTTPError as error:
            log.warning("centre %s unreachable: %s", self.centre.key, error)
            raise CentreUnreachable(str(error)) from None
        return self._answer(response)

    def events(self, *, idle_s: float) -> Iterator[bytes]:
        """The centre's server-sent events, chunk by chunk as they arrive, unchanged.

        Raises CentreUnreachable or CentreRefused before the first chunk; a stream that breaks
        or stays silent for `idle_s` later simply ends (the browser's EventSource reconnects,
        and the centre starts every stream with a snapshot, so nothing is missed for long).
        """
        headers = self._headers()
        headers["Accept"] = "text/event-stream"
        timeout = httpx.Timeout(float(settings.ASDE_TIMEOUT_S), read=idle_s)
        try:
            with _http().stream(
                "GET", self.centre.url + "/events", headers=headers, timeout=timeout
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    self._answer(response)
                try:
                    yield from response.iter_raw()
                except httpx.HTTPError as error:
                    log.info("event stream of centre %s ended: %s", self.centre.key, error)
        except httpx.HTTPError as error:
            log.warning("centre %s unreachable: %s", self.centre.key, error)
            raise CentreUnreachable(str(error)) from None
