"""Test settings: the production settings, with plain HTTP for test servers and fast hashing."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("PARTNERSHIP_TESTING", "1")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
# Production requires a second factor above viewer; the tests of that turn it on themselves
# (tests/partnership/accounts), the others log in as the demo does.
os.environ.setdefault("MFA_REQUIRED", "0")
# The Playwright sync API runs an event loop in the test thread; the ORM calls made by tests
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from partnership.settings import *  # noqa: F403

# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files through the finders without a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
# Staged uploads go to a throwaway folder, not the working directory's var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnership-test-media-"))
# ... removed when the process that made it ends, so that runs leave nothing in /tmp.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
