"""`asde credentials`: the CA, the centres' certificates and the tokens, kept once made."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from asde.cli import main

NAMES = ["ca.pem", "ca.key", "nato.pem", "nato.key", "ukraine.pem", "ukraine.key",
         "nato-platform.token", "nato-monitor.token",
         "ukraine-platform.token", "ukraine-monitor.token"]  # fmt: skip


def test_credentials_are_made_once_and_kept(tmp_path: Path) -> None:
    directory = tmp_path / "var" / "asde"

    # when it runs in an empty place
    assert main(["credentials", "--dir", str(directory)]) == 0
    made = {name: (directory / name).read_bytes() for name in NAMES}

    # then every file is there; keys and tokens are the owner's alone
    for name in NAMES:
        mode = stat.S_IMODE((directory / name).stat().st_mode)
        secret = name.endswith((".key", ".token"))
        assert (mode & 0o077 == 0) if secret else True, (name, oct(mode))
    assert len({made[n] for n in NAMES if n.endswith(".token")}) == 4  # four different tokens
    # and when it runs again, nothing changes
    assert main(["credentials", "--dir", str(directory)]) == 0
    assert {name: (directory / name).read_bytes() for name in NAMES} == made


def test_a_missing_certificate_is_made_again_under_the_same_ca(tmp_path: Path) -> None:
    directory = tmp_path / "asde"
    main(["credentials", "--dir", str(directory)])
    ca = (directory / "ca.pem").read_bytes()
    (directory / "ukraine.pem").unlink()

    main(["credentials", "--dir", str(directory)])

    assert (directory / "ca.pem").read_bytes() == ca
    # the new certificate verifies against the CA, for both ends of a TLS 1.3 connection
    context = ssl.create_default_context(cafile=str(directory / "ca.pem"))
    context.load_cert_chain(directory / "ukraine.pem", directory / "ukraine.key")
    certificate = x509.load_pem_x509_certificate((directory / "ukraine.pem").read_bytes())
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "ukraine"
    assert certificate.issuer == x509.load_pem_x509_certificate(ca).subject
