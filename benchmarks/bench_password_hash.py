"""What a login's password check costs: the stored hash of each hasher, verified side by side.

Run: `.venv/bin/python benchmarks/bench_password_hash.py [--rounds 15]`. Each round verifies
the demo password once against a hash made by each hasher, in turn, so that the machine's load
falls on all alike; it prints the median and the ratio to Django's default (PBKDF2-SHA256,
1,000,000 iterations). A login (`accounts/login/`, POST) verifies one hash.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
os.environ.setdefault("SECRET_KEY", "bench-password-hash-" + "x" * 40)
django.setup()

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
)

from partnership.accounts.hashers import Argon2idPasswordHasher  # noqa: E402

PASSWORD = "partnership-demo-2026"
HASHERS = {
    "PBKDF2-SHA256, 1,000,000 iterations (Django's default)": PBKDF2PasswordHasher(),
    "Argon2id, Django's defaults (100 MiB, 2 passes, 8 lanes)": Argon2PasswordHasher(),
    "Argon2id, OWASP (19 MiB, 2 passes, 1 lane): the platform's": Argon2idPasswordHasher(),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    encoded = {name: h.encode(PASSWORD, h.salt()) for name, h in HASHERS.items()}
    times: dict[str, list[float]] = {name: [] for name in HASHERS}
    for _ in range(rounds):
        for name, hasher in HASHERS.items():
            start = time.perf_counter()
            assert hasher.verify(PASSWORD, encoded[name])
            times[name].append((time.perf_counter() - start) * 1000)
    base = statistics.median(next(iter(times.values())))
    print(f"{'hasher':<62} {'median ms':>10} {'p90 ms':>8} {'÷ PBKDF2':>9}")
    for name, xs in times.items():
        med = statistics.median(xs)
        p90 = statistics.quantiles(xs, n=10)[-1]
        print(f"{name:<62} {med:>10.1f} {p90:>8.1f} {med / base:>9.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
