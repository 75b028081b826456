"""How passwords are stored: Argon2id with the parameters OWASP's Password Storage Cheat Sheet
gives as its first recommendation (19 MiB of memory, 2 passes, 1 lane).

Why not Django's default, PBKDF2-SHA256 with 1,000,000 iterations: PBKDF2 costs an attacker
with graphics cards or dedicated hardware little more than it costs the server, while
Argon2id's memory makes each guess expensive there too. The cheat sheet names Argon2id first
and PBKDF2 for FIPS-140 settings only. At these parameters a hash takes about 40 ms of one
core against PBKDF2's 280-320 ms (`benchmarks/bench_password_hash.py`), so that a login no
longer holds a server thread for a third of a second. Django's own hasher with its defaults
(100 MiB, 8 lanes) costs as much as PBKDF2 here and more memory per concurrent login.

Stored PBKDF2 hashes stay valid (settings.PASSWORD_HASHERS lists Django's after this one) and
are rewritten as Argon2id at their owner's next successful login (Django's `must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # Same algorithm name and encoding as Django's: a hash carries its own parameters, so
    # either class verifies it, and one made with other parameters is upgraded at login.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
