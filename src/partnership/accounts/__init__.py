"""Accounts: second factors (TOTP, passkeys, recovery codes), login lockout, request limits."""
