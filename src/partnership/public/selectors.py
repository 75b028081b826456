"""Reads for the public factsheet. Its prose is public by nature; records go through visible_to."""

from django.db import models

from partnership.public.models import FactsheetSection


def section_list() -> models.QuerySet[FactsheetSection]:
    return FactsheetSection.objects.prefetch_related("paragraphs").order_by("position")
