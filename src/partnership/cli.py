"""`partnership …`: manage.py with the verbs people use (serve, demo, load-factsheet, createuser, export)."""

from __future__ import annotations

import os
import sys

# Verbs with dashes, as people type them, mapped to Django management commands.
ALIASES = {
    "serve": "serve",
    "load-factsheet": "load_factsheet",
    "createuser": "createuser",
    "createtoken": "createtoken",
    "export": "export",
    "demo": "demo",
    "demo-users": "demo_users",
    "framework": "framework",
}

USAGE = """usage: partnership VERB [options]

  demo              migrate, load the factsheet, create demo users, serve on :8000
  serve             serve the site (default 127.0.0.1:8000); --production: gunicorn
  load-factsheet    load the factsheet data file (idempotent)
  createuser        create a user in an organization with roles
  createtoken       create an API token for a user
  export            export records (JSON or CSV) as a given user may see them
  framework STEP    create, update, withdraw or restore bodies, meetings, decisions, action
                    items, agreements, milestones as a user; adopt, break-silence, status
  backup            a consistent copy of the live database (SQLite online backup, pg_dump)
  restore FILE      a backup into the empty database of DATABASE_URL
  worker            the background worker: tasks, deadline reminders, e-mails (serve starts one)
  prepare KIND      a report or export prepared in the background, with a progress bar

Any other verb is passed to Django's manage.py (migrate, check, shell, …).
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return
    if args[0] == "demo":
        # The demo runs on plain HTTP on loopback with development settings.
        os.environ.setdefault("DEBUG", "1")
    if args[0] == "serve" and "--production" in args:
        # Read by the settings, so set before they load: one JSON object a log line.
        os.environ.setdefault("LOG_FORMAT", "json")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    from django.core.management import execute_from_command_line

    verb = ALIASES.get(args[0], args[0])
    execute_from_command_line(["partnership", verb, *args[1:]])


if __name__ == "__main__":
    main()
