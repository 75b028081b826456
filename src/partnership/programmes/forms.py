"""Forms of the programmes: an event with its participation table; SPS applications and reviews."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.forms import PartialDateField
from partnership.core.models import Marking, Organization, OrganizationKind
from partnership.programmes.models import EventKind, RankGroup, Recommendation, Service, Sex, Topic


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, label=_("Kind"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    date = PartialDateField(label=_("Date"), plausible="plan")
    place_en = forms.CharField(max_length=255, required=False, label=_("Place (English)"))
    participants_total = forms.IntegerField(min_value=0, label=_("Participants in all"))
    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))


# Nothing is chosen before the user chooses: a pre-selected "civilian, women, junior" would be
# saved as if someone had counted it.
BLANK: list[tuple[str, object]] = [("", "—")]


class CountForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), label=_("Organization")
    )
    service = forms.ChoiceField(choices=[*BLANK, *Service.choices], label=_("Civilian or military"))
    sex = forms.ChoiceField(choices=[*BLANK, *Sex.choices], label=_("Sex"))
    rank_group = forms.ChoiceField(choices=[*BLANK, *RankGroup.choices], label=_("Rank group"))
    count = forms.IntegerField(min_value=1, label=_("Count"))


class BaseCountFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # django-stubs: generic
    def clean(self) -> None:
        """Two rows for the same group: the error goes on the second one, where it was typed
        (the service refuses them too, for the API)."""
        from partnership.programmes.services import MSG_DUPLICATE_ROW

        seen: set[tuple[object, ...]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form.errors:
                continue
            key = (data["organization"].pk, data["service"], data["sex"], data["rank_group"])
            if key in seen:
                form.add_error(
                    "organization",
                    MSG_DUPLICATE_ROW
                    % {
                        "organization": data["organization"].name,
                        "service": Service(data["service"]).label,
                        "sex": Sex(data["sex"]).label,
                        "rank": RankGroup(data["rank_group"]).label,
                    },
                )
            seen.add(key)


# Rows to add at a time ("More rows"), and the most one event's table takes.
MORE_ROWS = 5
MAX_ROWS = 200
CountFormSet = forms.formset_factory(
    CountForm, formset=BaseCountFormSet, extra=MORE_ROWS, max_num=MAX_ROWS, validate_max=True
)


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
    period = PartialDateField(label=_("Project period"), plausible="plan")
    summary_en = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    marking = forms.ChoiceField(
        label=_("Releasability"), choices=Marking.choices, initial=Marking.PARTNERSHIP
    )


class GrantReviewForm(forms.Form):
    # No score and no recommendation until the reviewer gives them.
    score = forms.TypedChoiceField(
        label=_("Score (1-5)"), coerce=int, choices=[*BLANK, *((n, str(n)) for n in range(1, 6))]
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[*BLANK, *Recommendation.choices]
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class GrantAwardForm(forms.Form):
    amount_eur = forms.DecimalField(
        label=_("Amount awarded (EUR)"), max_digits=12, decimal_places=2, min_value=0
    )
    confirm = forms.BooleanField(label=_("I confirm the award: it is not undone."), required=True)
