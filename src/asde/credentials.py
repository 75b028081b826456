"""`asde credentials --dir DIR`: a throwaway CA, the demo centres' certificates and keys for
the links' mutual TLS, and one bearer token per HTTP client. For a demo and tests: a real
deployment takes its certificates from its own PKI and names them in the centre's YAML.

It keeps what exists (run it again and nothing changes); what is missing is made, signed by
the CA in DIR. Keys and tokens are written mode 600, and never belong in the repository.

    DIR/ca.pem  ca.key                       the CA (its key signs what is missing later)
    DIR/nato.pem  nato.key                   NATO's centre, common name "nato"
    DIR/ukraine.pem  ukraine.key             Ukraine's centre, common name "ukraine"
    DIR/nato-platform.token  ukraine-platform.token     read, act, delegate
    DIR/nato-monitor.token   ukraine-monitor.token      read only
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CENTRES = ("nato", "ukraine")
CLIENTS = ("platform", "monitor")

Key = ec.EllipticCurvePrivateKey


def new_key() -> Key:
    # P-256: what TLS 1.3 stacks all speak, and fast to make and to handshake with.
    return ec.generate_private_key(ec.SECP256R1())


def new_ca(common_name: str = "ASDE demo CA", *, days: int = 730) -> tuple[x509.Certificate, Key]:
    key = new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def issue(
    ca: x509.Certificate,
    ca_key: Key,
    common_name: str,
    *,
    not_before: dt.datetime | None = None,
    days: int = 730,
) -> tuple[x509.Certificate, Key]:
    """A centre's certificate: it both listens and dials on its links, so it serves as TLS
    server and as client; loopback and its name are in the subject alternative names."""
    key = new_key()
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName(common_name),
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return certificate, key


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    """Written whole or not at all; a secret is mode 600 from the moment it exists."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write_certificate(path: Path, certificate: x509.Certificate) -> None:
    _write(path, certificate.public_bytes(serialization.Encoding.PEM), secret=False)


def write_key(path: Path, key: Key) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(path, data, secret=True)


def load_ca(directory: Path) -> tuple[x509.Certificate, Key]:
    """The CA `write_credentials` made in `directory` (to sign what is missing)."""
    ca = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())
    loaded = serialization.load_pem_private_key((directory / "ca.key").read_bytes(), None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{directory / 'ca.key'}: not an EC private key")
    return ca, loaded


def write_credentials(
    directory: Path, centres: Iterable[str] = CENTRES, clients: Iterable[str] = CLIENTS
) -> list[Path]:
    """What is missing of the CA, the centres' certificates and keys and the tokens, made;
    the paths written, in order (an empty list when everything was there)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    ca_pem, ca_key_pem = directory / "ca.pem", directory / "ca.key"
    if ca_pem.exists() and ca_key_pem.exists():
        ca, ca_key = load_ca(directory)
    else:
        ca, ca_key = new_ca()
        write_key(ca_key_pem, ca_key)
        write_certificate(ca_pem, ca)
        written += [ca_key_pem, ca_pem]
    centres = tuple(centres)
    for centre in centres:
        pem, key_path = directory / f"{centre}.pem", directory / f"{centre}.key"
        if pem.exists() and key_path.exists():
            continue
        certificate, key = issue(ca, ca_key, centre)
        write_key(key_path, key)
        write_certificate(pem, certificate)
        written += [key_path, pem]
    for centre in centres:
        for client in clients:
            token = directory / f"{centre}-{client}.token"
            if not token.exists():
                _write(token, (secrets.token_urlsafe(32) + "\n").encode(), secret=True)
                written.append(token)
    return written
