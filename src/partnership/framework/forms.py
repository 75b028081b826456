"""Forms of the framework pages; they only parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.models import NATION_KINDS, Marking, Organization
from partnership.core.partial_dates import validate_edtf
from partnership.framework.models import Body, MeetingLevel


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label=_("Body"))
    level = forms.ChoiceField(choices=MeetingLevel.choices, label=_("Level"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    date = forms.CharField(
        max_length=64,
        label=_("Date (EDTF)"),
        help_text=_("For example 2014-09-04, 2014-09-04/2014-09-05, 2004-23 (autumn) or 1997."),
        validators=[validate_edtf],
    )
    place_en = forms.CharField(max_length=255, required=False, label=_("Place (English)"))
    place_uk = forms.CharField(max_length=255, required=False, label=_("Place (Ukrainian)"))
    participants = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.all(), required=False, label=_("Participants")
    )
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Agenda"),
        help_text=_("One agenda item per line."),
    )
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS),
        required=False,
        label=_("Releasable to"),
        to_field_name="country_code",
    )

    def __init__(self, *args: object, bodies: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
