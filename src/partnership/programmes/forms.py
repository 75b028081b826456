"""The event form of a programme manager: the event and its participation table."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.models import Marking, Organization
from partnership.core.partial_dates import validate_edtf
from partnership.programmes.models import EventKind, RankGroup, Service, Sex


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
