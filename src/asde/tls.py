"""Mutual TLS on the partner links: TLS 1.3 contexts from the centre's files, and the check
that the peer is the partner the configuration names.

Both sides present a certificate and verify the other's against the partner's CA. Host names
are not what identifies a centre (links often run to addresses); the partner's certificate
is: its common name must be the configured subject, or it must be exactly the pinned
certificate.
"""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from asde.config import ConfigError, LinkTls

# Long enough for a slow line, short enough that a stranger holding the port open costs little.
HANDSHAKE_TIMEOUT_S = 5.0


def _context(tls: LinkTls, purpose: ssl._SSLMethod) -> ssl.SSLContext:
    context = ssl.SSLContext(purpose)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    try:
        context.load_cert_chain(tls.certificate, tls.key)
    except (ssl.SSLError, OSError) as error:
        raise ConfigError(
            f"tls: certificate {tls.certificate} with key {tls.key}: {_reason(error)}"
        ) from None
    try:
        context.load_verify_locations(cafile=tls.ca)
    except (ssl.SSLError, OSError) as error:
        raise ConfigError(f"partner: tls: ca {tls.ca}: {_reason(error)}") from None
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _reason(error: Exception) -> str:
    if isinstance(error, ssl.SSLError) and error.reason:
        return f"{error.reason} (not a PEM certificate/key pair that belong together?)"
    return str(error)


def server_context(tls: LinkTls) -> ssl.SSLContext:
    """For the side that listens: it asks the dialling partner for its certificate."""
    return _context(tls, ssl.PROTOCOL_TLS_SERVER)


def client_context(tls: LinkTls) -> ssl.SSLContext:
    """For the side that dials. The host name is not checked: `peer_refusal` checks who the
    partner is by its certificate."""
    context = _context(tls, ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _load(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as error:
        raise ConfigError(f"tls: {path}: not a PEM certificate ({error})") from None


def _current(path: Path) -> x509.Certificate:
    certificate = _load(path)
    now = dt.datetime.now(dt.UTC)
    if certificate.not_valid_after_utc < now:
        raise ConfigError(
            f"tls: {path}: the certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}"
        )
    if certificate.not_valid_before_utc > now:
        raise ConfigError(
            f"tls: {path}: the certificate is valid only from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
        )
    return certificate


@dataclass(frozen=True)
class LinkCredentials:
    """What a centre's links need for mutual TLS, loaded and checked once, at start."""

    server: ssl.SSLContext
    client: ssl.SSLContext
    subject: str | None
    pinned_der: bytes | None

    @classmethod
    def load(cls, tls: LinkTls) -> LinkCredentials:
        """Every file loads and fits, or ConfigError names the file and the reason: a wrong
        file is refused at start, not at the first connection. So is an expired certificate."""
        _current(tls.certificate)
        pinned = _current(tls.pinned).public_bytes(Encoding.DER) if tls.pinned else None
        return cls(server_context(tls), client_context(tls), tls.subject, pinned)

    def refusal(self, der: bytes | None) -> str | None:
        """Why the verified peer certificate (DER) is not the partner's; None when it is."""
        if der is None:
            return "no certificate"
        if self.pinned_der is not None:
            return None if der == self.pinned_der else "not the partner's certificate (pinned)"
        certificate = x509.load_der_x509_certificate(der)
        names = [a.value for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if self.subject not in names:
            shown = ", ".join(map(str, names)) or "none"
            return f"common name {shown}, not the partner's {self.subject!r}"
        return None
