"""Documents go through Django's storage API: any configured backend holds them, and the S3
backend is chosen by the environment alone, with no credentials in the settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import override_settings

from partnership.core.models import Marking
from tests.partnership.core.test_selectors import client_for
from tests.partnership.documents.test_documents import attach, meeting, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db


def test_a_document_lives_wherever_the_default_storage_is() -> None:
    # Given the default storage is Django's in-memory one instead of the filesystem
    before = stored_files()
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        }
    ):
        # When a document is attached and downloaded
        data = pdf_bytes("blue")
        document = attach(meeting(Marking.PUBLIC), data)
        name = document.versions.get().file.name
        assert type(default_storage._wrapped).__name__ == "InMemoryStorage"
        assert default_storage.exists(name)
        answer = client_for("nato-editor").get(f"/en/documents/{document.pk}/download/")
        # Then the bytes come back from that storage, and nothing touched the filesystem
        assert b"".join(answer.streaming_content) == data
        assert stored_files() == before
        assert not (Path(settings.MEDIA_ROOT) / name).exists()


def _storage_settings(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_", "AWS_"))}
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "partnership.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_object_storage_is_chosen_by_the_environment_without_credentials() -> None:
    assert _storage_settings({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = _storage_settings(
        {
            "STORAGE_S3_BUCKET": "partnership-documents",
            "STORAGE_S3_ENDPOINT_URL": "https://minio.example.org",
            "STORAGE_S3_PREFIX": "prod",
        }
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert isinstance(options, dict)
    assert options["bucket_name"] == "partnership-documents"
    assert options["endpoint_url"] == "https://minio.example.org"
    assert options["location"] == "prod"
    # Private objects, signed URLs only; no key in the settings (boto3 reads its environment)
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
    assert not {"access_key", "secret_key", "security_token"} & set(options)
