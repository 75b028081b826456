"""Reads for the public factsheet. Its prose is public by nature; records go through visible_to."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db import models

from partnership.public.models import FactsheetSection


def section_list() -> models.QuerySet[FactsheetSection]:
    return FactsheetSection.objects.prefetch_related("paragraphs").order_by("position")


def factsheet_date() -> dt.date:
    """The date the factsheet speaks of (its “Last updated”), from the data file's `source`."""
    return _updated(str(settings.FACTSHEET_DATA))


@functools.lru_cache(maxsize=4)
def _updated(path: str) -> dt.date:
    from pathlib import Path

    from partnership.core.factsheet_file import read_file

    source = read_file(Path(path)).get("source") or {}
    return dt.date.fromisoformat(str(source.get("updated")))
