"""Prints a digest of each page a restored database must show the same: `python -m … DATABASE_URL`.

Run in a process of its own, so that the page is read from the database named in the
environment, not from the test database; the CSRF token (new at each request) is masked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys

PAGES = [
    (None, "/en/"),
    (None, "/uk/"),
    (None, "/en/timeline/"),
    (None, "/uk/timeline/"),
    (None, "/api/figures"),
    ("nato-editor", "/en/framework/meetings/"),
    ("nato-editor", "/en/framework/bodies/"),
    ("ua-viewer", "/uk/framework/agreements/"),
]
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnership.settings"
    import django

    django.setup()
    from django.test import Client

    from partnership.core.models import User

    digests = {}
    for username, url in PAGES:
        client = Client()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        response = client.get(url)
        body = _TOKEN.sub(b"", response.content)
        digests[f"{username or 'anonymous'} {url}"] = [
            response.status_code,
            len(body),
            hashlib.sha256(body).hexdigest(),
        ]
    json.dump(digests, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
