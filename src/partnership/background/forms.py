"""Asking for a file: which one, of which record, in which language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnership.background.models import IMPORT_KINDS, JobKind

# Imports start from their own pages, with the file they read; a fund's donor report (its
# period) and an ANP table from the fund's and the programme's pages, whose links they are.
FILE_KINDS = [(kind.value, kind.label) for kind in JobKind
              if kind not in (*IMPORT_KINDS, JobKind.FUND_REPORT, JobKind.ANP_EXPORT)]  # fmt: skip


class JobForm(forms.Form):
    kind = forms.ChoiceField(label=_("File"), choices=FILE_KINDS)
    year = forms.TypedChoiceField(
        label=_("ANP year (NUC report)"), coerce=int, required=False, choices=()
    )
    project = forms.ChoiceField(label=_("Project (donor report)"), required=False, choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, years: list[int], projects: list[tuple[str, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "–"), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", "–"), *projects]  # type: ignore[attr-defined]
