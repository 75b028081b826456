"""Where prepared files are kept: written whole or not at all, outside any public URL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PreparedFiles(FileSystemStorage):
    """A file is written beside its name and renamed when complete: a worker killed while it
    writes leaves a `.partial-` file that no job points at (removed by `files_expire`), never a
    half file under a job's name. No base URL: files go out only through the download view."""

    def __init__(self) -> None:
        super().__init__(location=Path(settings.MEDIA_ROOT) / "prepared", base_url=None)

    def _save(self, name: str, content: Any) -> str:
        full = Path(self.path(name))
        full.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=full.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, full)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        return name


def prepared_files() -> PreparedFiles:
    return PreparedFiles()
