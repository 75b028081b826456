"""`partnership worker`: runs the queued tasks (django-tasks' database worker) and, every tick,
the periodic jobs (deadline reminders, e-mail retries and digests, dead jobs, expired files)."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = "Run the background worker: tasks, and the periodic jobs every --tick seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=30.0, help="seconds between rounds")
        parser.add_argument("--interval", type=float, default=0.5,
                            help="seconds between looks at an empty queue")  # fmt: skip
        parser.add_argument("--stop-with-parent", action="store_true",
                            help="exit when the process that started it is gone (the site)")  # fmt: skip
        parser.add_argument("--once", action="store_true",
                            help="one round and every queued task, then exit")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        from partnership.background.periodic import tick

        # First a round: a job left by a worker killed before this one started is queued again
        # before anything else runs.
        tick()
        worker = Worker(
            queue_names=["default"], interval=options["interval"], batch=options["once"],
            backend_name="default", startup_delay=False, max_tasks=None,
            worker_id=get_random_string(32), excluded_queue_names=[],
        )  # fmt: skip
        if options["once"]:
            worker.run()
            return
        stop = threading.Event()

        parent = os.getppid()

        def rounds() -> None:
            last = time.monotonic()
            while not stop.wait(1.0):
                if options["stop_with_parent"] and os.getppid() != parent:
                    # The site that started it was killed without stopping it: stop as on
                    # SIGTERM (the task in hand finishes first).
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                if time.monotonic() - last >= options["tick"]:
                    tick()
                    last = time.monotonic()

        thread = threading.Thread(target=rounds, name="periodic", daemon=True)
        thread.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
