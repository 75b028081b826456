from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.anp.models import Goal, Rating, Status
from partnership.anp.services import IndicatorData
from partnership.core.forms import PartialDateField
from partnership.core.models import NATION_KINDS, Marking, Organization, OrganizationKind


def _agencies() -> Any:
    return Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION)


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


class ReportContentForm(forms.Form):
    """What a quarterly report says: its status, its progress in either language (or both:
    the service asks for one at least) and its indicators' values."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress_en = forms.CharField(
        label=_("Progress (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    progress_uk = forms.CharField(
        label=_("Progress (Ukrainian)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
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


class ReportForm(ReportContentForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    evidence_title = forms.CharField(label=_("Evidence: title"), required=False, max_length=255)
    evidence_url = forms.URLField(
        label=_("Evidence: link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["quarter", "status", "progress_en", "progress_uk"])


class ReportCorrectForm(ReportContentForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


# What withdrawing each says, on the confirmation box of the one withdrawal form (core.forms).
REPORT_WITHDRAW_CONFIRM = _(
    "I confirm the withdrawal; the report stays in the history, marked withdrawn, "
    "and no longer counts."
)
MEASURE_WITHDRAW_CONFIRM = _(
    "I confirm the withdrawal; the measure stays in the history but no longer counts."
)


class AssessmentForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, choices=Rating.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MeasureContentForm(forms.Form):
    """What a measure says and who does it by when: the fields a draft edit and an amendment
    share."""

    text_en = forms.CharField(
        label=_("Measure (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_uk = forms.CharField(
        label=_("Measure (Ukrainian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none())
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=_agencies())
    co_executors = forms.ModelMultipleChoiceField(
        label=_("Co-executors"), queryset=_agencies(), required=False
    )
    deadline = PartialDateField(label=_("Deadline"), plausible="plan")

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goals = Goal.objects.filter(chapter__programme=programme).select_related("chapter")
        self.fields["goal"].queryset = goals.order_by("chapter__number", "code")  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("text_en", "text_uk", "goal", "agency", "deadline")} | {
            "co_executors": list(d["co_executors"])
        }


class MeasureCreateForm(forms.Form):
    """A new measure of a draft: under an existing goal, or a new goal of the chapter."""

    chapter = forms.TypedChoiceField(
        label=_("Chapter"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)]
    )
    goal_code = forms.CharField(
        label=_("Goal code"), max_length=16,
        help_text=_("An existing goal's code, or a new one (then give its text below)."),
    )  # fmt: skip
    goal_en = forms.CharField(label=_("New goal (English)"), required=False)
    goal_uk = forms.CharField(label=_("New goal (Ukrainian)"), required=False)
    code = forms.CharField(label=_("Measure code"), max_length=20)
    text_en = forms.CharField(
        label=_("Measure (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_uk = forms.CharField(
        label=_("Measure (Ukrainian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=_agencies())
    co_executors = forms.ModelMultipleChoiceField(
        label=_("Co-executors"), queryset=_agencies(), required=False
    )
    deadline = PartialDateField(label=_("Deadline"), plausible="plan")
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS),
        required=False,
        label=_("Releasable to"),
        to_field_name="country_code",
    )


class IndicatorForm(forms.Form):
    # Which indicator a row is, so an amendment changes it in place (its reported values stay).
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name_en = forms.CharField(label=_("Indicator (English)"), max_length=255)
    name_uk = forms.CharField(label=_("Indicator (Ukrainian)"), max_length=255, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=16, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=2)

    def data_out(self) -> IndicatorData:
        d = self.cleaned_data
        return IndicatorData(
            name_en=d["name_en"], name_uk=d["name_uk"], unit=d["unit"],
            baseline=d["baseline"] if d["baseline"] is not None else Decimal(0), target=d["target"],
            id=d.get("id"),
        )  # fmt: skip


# Empty extra rows are left out (a formset's untouched extra form is valid and has no data);
# as many rows as needed: each save offers two more.
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, can_delete=True)


def indicator_rows(measure: Any) -> list[dict[str, Any]]:
    """A measure's indicators as the formset's initial rows."""
    return [
        {"id": i.pk, "name_en": i.name_en, "name_uk": i.name_uk, "unit": i.unit,
         "baseline": i.baseline, "target": i.target}
        for i in measure.indicators.order_by("pk")
    ]  # fmt: skip


def indicators_of(formset: Any) -> list[IndicatorData]:
    # An untouched extra row is not validated and has no cleaned data; an existing row the
    # user left as it was is validated and kept (dropping it would remove the indicator).
    return [f.data_out() for f in formset.forms if f.cleaned_data and not f.cleaned_data["DELETE"]]


class AmendmentForm(MeasureContentForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I confirm this amendment of an approved measure; it is recorded with my name.")
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm this step."))


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    file = forms.FileField(label=_("Workbook (XLSX)"))
    check = forms.BooleanField(
        label=_("Only check the workbook: list its errors and save nothing"), required=False
    )


class ProgrammeForm(forms.Form):
    """A new, empty programme year: its five chapters are made with it; goals and measures
    are added on its pages (or imported) while it is a draft."""

    year = forms.IntegerField(label=_("Year"))
    # No nations field: a programme year is released to the partnership or kept closer, never
    # "to named nations" (which would need them).
    marking = forms.ChoiceField(
        choices=[(v, label) for v, label in Marking.choices if v != Marking.NATIONS],
        label=_("Releasability"),
    )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("New year"))
