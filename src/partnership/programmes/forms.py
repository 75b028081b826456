"""Forms of the programmes: an event with its participation table; SPS applications and reviews."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.models import Marking, Organization, OrganizationKind
from partnership.core.partial_dates import validate_edtf
from partnership.programmes.models import EventKind, RankGroup, Recommendation, Service, Sex, Topic


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, label=_("Kind"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    date = forms.CharField(max_length=64, label=_("Date (EDTF)"), validators=[validate_edtf])
    place_en = forms.CharField(max_length=255, required=False, label=_("Place (English)"))
    participants_total = forms.IntegerField(min_value=0, label=_("Participants in all"))
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))


class CountForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), label=_("Organization")
    )
    # Initial values equal to the first option, so that an untouched extra row counts as empty.
    service = forms.ChoiceField(
        choices=Service.choices, initial=Service.choices[0][0], label=_("Civilian or military")
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.choices[0][0], label=_("Sex"))
    rank_group = forms.ChoiceField(
        choices=RankGroup.choices, initial=RankGroup.choices[0][0], label=_("Rank group")
    )
    count = forms.IntegerField(min_value=1, label=_("Count"))


CountFormSet = forms.formset_factory(CountForm, extra=3, max_num=50)


class GrantApplicationForm(forms.Form):
    title_en = forms.CharField(label=_("Title"), max_length=255)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    beneficiary = forms.ModelChoiceField(
        label=_("Beneficiary country"),
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.PARTNER, OrganizationKind.PARTNER_COUNTRY]
        ),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"), required=False,
        queryset=Organization.objects.exclude(kind__in=[OrganizationKind.ALLY]).order_by("name_en"),
    )  # fmt: skip
    ceiling_eur = forms.DecimalField(
        label=_("Amount requested (EUR)"), max_digits=12, decimal_places=2
    )
    period = forms.CharField(
        label=_("Project period (EDTF, e.g. 2027/2029)"), max_length=64, validators=[validate_edtf]
    )
    summary_en = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    marking = forms.ChoiceField(
        label=_("Releasability"), choices=Marking.choices, initial=Marking.PARTNERSHIP
    )


class GrantReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score (1-5)"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)]
    )
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
