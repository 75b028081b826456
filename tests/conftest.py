"""Test settings: production settings, but plain HTTP for the test servers and no real secret."""

import os

os.environ.setdefault("PARTNERSHIP_TESTING", "1")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
# The Playwright sync API runs an event loop in the test thread; Django's ORM calls from the
# live-server fixtures and from the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
