"""`partnership prepare KIND --as-user U …`: a report or export made by the worker, or an
import it reads and saves, with a progress bar while it works; a prepared file is written to
--output when it is ready, an import's errors are listed as `file: row N, column: reason`."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from partnership.background import services
from partnership.background.models import IMPORT_KINDS, Job, JobKind, JobStatus
from partnership.background.storage import prepared_files
from partnership.core.exceptions import ApplicationError
from partnership.core.models import User

KINDS = {"nuc-report": JobKind.NUC_REPORT, "donor-report": JobKind.DONOR_REPORT,
         "iati-export": JobKind.IATI_EXPORT, "anp-import": JobKind.ANP_IMPORT,
         "iati-import": JobKind.IATI_IMPORT}  # fmt: skip


class Command(BaseCommand):
    help = "Prepare a report or export in the background, with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--as-user", required=True, help="what this person may see")
        parser.add_argument("--year", type=int, help="the ANP year (nuc-report)")
        parser.add_argument("--project", help="the project's key (donor-report)")
        parser.add_argument("--fund", help="the trust fund's key (iati-import)")
        parser.add_argument("--file", help="the workbook or IATI file to import")
        parser.add_argument("--check", action="store_true",
                            help="imports: only list the errors, save nothing")  # fmt: skip
        parser.add_argument("--language", choices=["en", "uk"], default="en")
        parser.add_argument("--output", "-o", help="where to write the file when ready")
        parser.add_argument("--here", action="store_true",
                            help="make it in this process instead of waiting for the worker")  # fmt: skip
        parser.add_argument("--no-wait", action="store_true", help="queue it and exit")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"No user “{options['as_user']}”.")
        params = {"language": options["language"], "year": options["year"],
                  "project": options["project"]}  # fmt: skip
        kind = KINDS[options["kind"]]
        try:
            with transaction.atomic():
                if kind in IMPORT_KINDS:
                    job = self._import(user, kind, options)
                else:
                    job = services.job_start(by=user, kind=kind, params=params)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"job {job.pk}: {JobKind(job.kind).label}")
        if options["no_wait"]:
            return
        if options["here"]:
            threading.Thread(target=services.job_run, kwargs={"job_id": job.pk}).start()
        job = self._follow(job, quiet=options["no_progress"])
        for e in job.errors:
            where = f"row {e['row']}, {e['column'] or '-'}: " if e["row"] else ""
            self.stderr.write(f"{options['file']}: {where}{e['message']}")
        if job.status != JobStatus.DONE:
            raise CommandError(job.error or str(JobStatus(job.status).label))
        if job.is_import:
            self.stdout.write(json.dumps(job.result, ensure_ascii=False))
            return
        if options["output"]:
            out = Path(options["output"])
            with prepared_files().open(job.file, "rb") as source:
                out.write_bytes(source.read())
            self.stdout.write(f"{out} ({out.stat().st_size:,} bytes)")
        else:
            self.stdout.write(prepared_files().path(job.file))

    def _import(self, user: User, kind: str, options: dict[str, Any]) -> Job:
        if not options["file"]:
            raise CommandError("--file is required to import.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file “{path}”.")
        params = {"year": options["year"], "fund": options["fund"], "check": options["check"]}
        with path.open("rb") as handle:
            return services.import_start(by=user, kind=kind, upload=File(handle, name=path.name),
                                         params=params)  # fmt: skip

    def _follow(self, job: Job, *, quiet: bool) -> Job:
        bar = tqdm(total=100, unit="%", disable=quiet, desc=str(JobKind(job.kind).label)[:40])
        try:
            while True:
                job.refresh_from_db()
                bar.update(job.progress - bar.n)
                if job.step:
                    bar.set_postfix_str(job.step_text[:40], refresh=False)
                if job.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED):
                    return job
                time.sleep(0.3)
        finally:
            bar.close()
