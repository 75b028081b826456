from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.forms import PartialDateField
from partnership.core.models import Indicator, Organization
from partnership.trustfunds.models import Kind, Phase, TrustFund


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    organization = forms.ModelChoiceField(
        label=_("Donor or receiver"), queryset=Organization.objects.order_by("name_en")
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=0)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    confirm_above_pledge = forms.BooleanField(
        label=_("A commitment above the donor's pledge is intended (it is flagged on the project)"),
        required=False,
    )

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["phase"].queryset = Phase.objects.filter(project=project)  # type: ignore[attr-defined]


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    eur_per_unit = forms.DecimalField(label=_("EUR per unit"), max_digits=18, decimal_places=8)
    source = forms.CharField(label=_("Source"), max_length=100, required=False)


class IatiImportForm(forms.Form):
    # The funds come from `selectors.funds_to_import_into`: those the user sees and may
    # record money in; none by default, so that a form built without them offers nothing.
    fund = forms.ModelChoiceField(label=_("Trust fund"), queryset=TrustFund.objects.none())
    file = forms.FileField(label=_("IATI activities file (XML)"))
    check = forms.BooleanField(
        label=_("Only check the file: list its errors and save nothing"), required=False
    )

    def __init__(self, *args: Any, funds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds  # type: ignore[attr-defined]


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it voided?"), max_length=255)
    confirm = forms.BooleanField(
        label=_("I confirm: a reversing entry cancels this transaction; it is not undone."),
        required=True,
    )


# What withdrawing a result says, on the box of the one withdrawal form (core.forms).
MEASUREMENT_WITHDRAW_CONFIRM = _(
    "I confirm: the result no longer counts; it stays in the history with my name."
)


class FundCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the fund is closed with what it still holds."), required=True
    )


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period = PartialDateField(label=_("Period"), plausible="past")
    actual = forms.DecimalField(label=_("Actual value"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, indicators: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicators is not None:
            self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
