"""The form of a new agreement version; the area comes from the map as GeoJSON."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AgreementVersionForm(forms.Form):
    area = forms.CharField(widget=forms.HiddenInput, label=_("Area"))
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    min_ft = forms.IntegerField(label=_("Lowest altitude (ft)"), min_value=-1500)
    max_ft = forms.IntegerField(label=_("Highest altitude (ft)"), max_value=150000)
    remove_items = forms.CharField(label=_("Items removed"), required=False, max_length=255)
    update_period_s = forms.IntegerField(label=_("Update period (s)"), min_value=0, max_value=600)

    def clean_area(self) -> Any:
        try:
            return json.loads(self.cleaned_data["area"])
        except json.JSONDecodeError:
            raise forms.ValidationError(_("Draw the area on the map.")) from None
