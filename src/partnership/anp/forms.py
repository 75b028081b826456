from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.anp.models import Rating, Status
from partnership.core.models import Marking, Organization, OrganizationKind


class MeasureFilterForm(forms.Form):
    chapter = forms.TypedChoiceField(
        label=_("Chapter"), required=False, coerce=int, empty_value=None,
        choices=[("", _("all"))] + [(n, str(n)) for n in range(1, 6)],
    )  # fmt: skip
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False,
        queryset=Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Status.choices]
    )
    deadline_from = forms.DateField(label=_("Deadline from"), required=False)
    deadline_to = forms.DateField(label=_("Deadline to"), required=False)
    marking = forms.ChoiceField(
        label=_("Marking"), required=False, choices=[("", _("all")), *Marking.choices]
    )
    q = forms.CharField(label=_("Text"), required=False, max_length=100)


class ReportForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress_en = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    progress_uk = forms.CharField(
        label=_("Progress (Ukrainian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_title = forms.CharField(label=_("Evidence: title"), required=False, max_length=255)
    evidence_url = forms.URLField(
        label=_("Evidence: link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, indicators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name,
                required=False, max_digits=16, decimal_places=2,
                help_text=_("Target %(target)s") % {"target": indicator.target},
            )  # fmt: skip

    def actuals(self) -> dict[int, Any]:
        return {
            i.pk: self.cleaned_data[f"actual_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"actual_{i.pk}") is not None
        }


class AssessmentForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, choices=Rating.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AmendmentForm(forms.Form):
    text_en = forms.CharField(
        label=_("Measure (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_uk = forms.CharField(
        label=_("Measure (Ukrainian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.CharField(label=_("Deadline (EDTF, e.g. 2015-35 for Q3 2015)"), max_length=64)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Workbook (XLSX)"))


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("New year"), min_value=2000, max_value=2100)
