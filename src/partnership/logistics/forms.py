"""Forms of the logistics pages; the services check the rules, the forms only the types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.forms import PartialDateField
from partnership.core.models import NATION_KINDS, Marking, Organization
from partnership.logistics.models import (
    AdoptionStatus,
    Location,
    MovementKind,
    StandardArea,
    StandardKind,
)


class RequestForm(forms.Form):
    name_en = forms.CharField(max_length=255, label=_("Name (English)"))
    name_uk = forms.CharField(max_length=255, required=False, label=_("Name (Ukrainian)"))
    ncage = forms.CharField(max_length=12, label=_("Supplier's NCAGE code"))
    supplier_name = forms.CharField(
        max_length=255, required=False, label=_("Supplier's name (if new)")
    )
    reference = forms.CharField(max_length=64, label=_("Manufacturer's reference number"))
    supply_class = forms.CharField(max_length=8, label=_("Proposed supply class (4 digits)"))
    unit_of_issue = forms.CharField(max_length=8, initial="EA", label=_("Unit of issue"))
    tracked_singly = forms.BooleanField(required=False, label=_("Tracked by serial number"))


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class MovementForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, v) for k, v in MovementKind.choices if k != MovementKind.REVERSAL],
        label=_("Kind"),
    )
    nsn = forms.CharField(max_length=20, label=_("NATO Stock Number"))
    quantity = forms.CharField(max_length=20, label=_("Quantity"))
    from_location = forms.ModelChoiceField(
        queryset=Location.objects.none(), required=False, label=_("From")
    )
    to_location = forms.ModelChoiceField(
        queryset=Location.objects.none(), required=False, label=_("To")
    )
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    serial = forms.CharField(max_length=64, required=False, label=_("Serial number"))
    authority = forms.CharField(
        max_length=200, required=False, label=_("Authority (order or act; a disposal needs one)")
    )
    note = forms.CharField(max_length=300, required=False, label=_("Note"))

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_location", "to_location"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = places


class LotForm(forms.Form):
    lot_number = forms.CharField(max_length=40, label=_("Lot number"))
    quantity = forms.CharField(max_length=20, label=_("Quantity destroyed"))
    period = forms.CharField(
        max_length=64, label=_("Period (EDTF: 2014, 2014-05, 2014-05-01/2014-05-20)")
    )
    site = forms.CharField(max_length=200, required=False, label=_("Site"))
    marking = forms.ChoiceField(
        choices=[(m, label) for m, label in Marking.choices if m != Marking.NATIONS],
        initial=Marking.PARTNERSHIP,
        label=_("Releasability"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (XLSX)"))


class StandardForm(forms.Form):
    number = forms.CharField(max_length=40, label=_("Number"))
    kind = forms.ChoiceField(choices=StandardKind.choices, label=_("Kind"))
    edition = forms.CharField(max_length=20, required=False, label=_("Edition"))
    title_en = forms.CharField(max_length=400, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=400, required=False, label=_("Title (Ukrainian)"))
    custodian = forms.CharField(max_length=200, required=False, label=_("NATO body responsible"))
    area = forms.ChoiceField(choices=StandardArea.choices, label=_("Area"))
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS), required=False,
        label=_("Releasable to"), to_field_name="country_code",
    )  # fmt: skip


class AdoptionForm(forms.Form):
    """Where a nation stands with a standard, and what serves its adoption. The link choices
    are only records the editor may see (the service checks it again)."""

    status = forms.ChoiceField(choices=AdoptionStatus.choices, label=_("Status"))
    studied = PartialDateField(required=False, label=_("Studied"), plausible="plan")
    ratified = PartialDateField(required=False, label=_("Ratified"), plausible="plan")
    implemented = PartialDateField(required=False, label=_("Implemented"), plausible="plan")
    reservations = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reservations")
    )
    national_document = forms.CharField(
        max_length=300, required=False, label=_("National document implementing it")
    )
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS), required=False,
        label=_("Releasable to"), to_field_name="country_code",
    )  # fmt: skip
    measures = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("ANP measures")
    )
    partnership_goals = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Partnership Goals")
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Trust-fund projects")
    )

    def __init__(self, *args: Any, links: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in links.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
