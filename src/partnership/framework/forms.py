"""Forms of the framework pages; they only parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.forms import PartialDateField
from partnership.core.models import NATION_KINDS, Marking, Organization
from partnership.framework.models import (
    ActionStatus,
    AgreementKind,
    Body,
    BodyKind,
    Decision,
    Meeting,
    MeetingLevel,
    Theme,
)
from partnership.framework.selectors import LINKABLE


def _partial_date(label: Any, *, required: bool = True, plan: bool = True) -> forms.CharField:
    """A date as people write it in either language, kept as EDTF; "plan": 1991 to ten
    years ahead (a body may be older: the North Atlantic Council dates from 1949)."""
    return PartialDateField(label=label, required=required, plausible="plan" if plan else None)


def _organizations(label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Organization.objects.order_by("name_en"), required=False, label=label
    )


class MarkedForm(forms.Form):
    """The releasability every record of the framework carries; the form starts at the
    author's `marking_default`, never at PUBLIC."""

    marking = forms.ChoiceField(choices=Marking.choices, label=_("Releasability"))
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS),
        required=False,
        label=_("Releasable to"),
        to_field_name="country_code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The record's own fields first; its releasability last, as on every detail page.
        self.order_fields([n for n in self.fields if n not in ("marking", "nations")])

    def marking_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"marking": data["marking"], "nations": [n.country_code for n in data["nations"]]}


class BodyForm(MarkedForm):
    kind = forms.ChoiceField(choices=BodyKind.choices, label=_("Kind"))
    name_en = forms.CharField(max_length=255, label=_("Name (English)"))
    name_uk = forms.CharField(max_length=255, required=False, label=_("Name (Ukrainian)"))
    abbreviation = forms.CharField(max_length=32, required=False, label=_("Abbreviation"))
    description_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description (English)")
    )
    description_uk = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Description (Ukrainian)"),
    )
    established = _partial_date(_("Established"), required=False, plan=False)
    parent = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label=_("Under the auspices of")
    )
    chair_en = forms.CharField(max_length=255, required=False, label=_("Chair (English)"))
    chair_uk = forms.CharField(max_length=255, required=False, label=_("Chair (Ukrainian)"))
    members = _organizations(_("Members"))
    field_order = ["kind", "name_en", "name_uk", "abbreviation"]

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = bodies  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [n for n in self.fields if n not in ("marking", "nations")]
        return {**{n: data[n] for n in names}, **self.marking_values()}


class MeetingForm(MarkedForm):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label=_("Body"))
    level = forms.ChoiceField(choices=MeetingLevel.choices, label=_("Level"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    date = _partial_date(_("Date"))
    place_en = forms.CharField(max_length=255, required=False, label=_("Place (English)"))
    place_uk = forms.CharField(max_length=255, required=False, label=_("Place (Ukrainian)"))
    participants = _organizations(_("Participants"))
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Agenda (English)"),
        help_text=_("One agenda item per line."),
    )
    agenda_uk = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Agenda (Ukrainian)"),
        help_text=_("The same items in Ukrainian, on the same lines."),
    )
    field_order = ["body", "level", "title_en", "title_uk", "date", "place_en", "place_uk"]

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class DecisionForm(MarkedForm):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("Meeting")
    )
    reference = forms.CharField(
        max_length=32,
        required=False,
        label=_("Reference"),
        help_text=_("A council paper's reference, such as C-M(2014)0042."),
    )
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    text_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Text (English)")
    )
    text_uk = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Text (Ukrainian)")
    )
    silence_deadline = forms.DateTimeField(
        required=False,
        label=_("Silence procedure ends"),
        help_text=_(
            "Leave empty for a draft. With a date and time the decision is under silence "
            "procedure until then."
        ),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    action_sheet_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Action sheet (English)")
    )
    action_sheet_uk = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Action sheet (Ukrainian)"),
    )
    field_order = ["meeting", "reference", "title_en", "title_uk", "text_en", "text_uk"]

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [n for n in self.fields if n not in ("marking", "nations")]
        return {**{n: data[n] for n in names}, **self.marking_values()}


LINK_KINDS = [("", _("None")), *((kind, label) for kind, (_f, label) in LINKABLE.items())]


class ActionItemForm(MarkedForm):
    title_en = forms.CharField(max_length=255, label=_("Action (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Action (Ukrainian)"))
    owner = forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name_en"), label=_("Owner")
    )
    deadline = forms.DateField(
        required=False,
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("Meeting")
    )
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(), required=False, label=_("Decision")
    )
    linked_kind = forms.ChoiceField(
        choices=LINK_KINDS, required=False, label=_("Linked record: kind")
    )
    linked_key = forms.CharField(
        max_length=80,
        required=False,
        label=_("Linked record: number or key"),
        help_text=_("As in the record's address: a measure's number, a project's key."),
    )

    def __init__(self, *args: Any, meetings: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))


class AgreementForm(MarkedForm):
    kind = forms.ChoiceField(choices=AgreementKind.choices, label=_("Kind"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, required=False, label=_("Title (Ukrainian)"))
    covers_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("What it covers (English)"),
    )
    covers_uk = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("What it covers (Ukrainian)"),
    )
    parties = _organizations(_("Parties"))
    signed = _partial_date(_("Signed"), required=False)
    ratified = _partial_date(_("Ratified"), required=False)
    in_force = _partial_date(_("Entered into force"), required=False)
    field_order = ["kind", "title_en", "title_uk", "covers_en", "covers_uk", "parties"]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [n for n in self.fields if n not in ("marking", "nations")]
        return {**{n: data[n] for n in names}, **self.marking_values()}


class MilestoneForm(MarkedForm):
    date = _partial_date(_("Date"))
    text_en = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Text (English)"))
    text_uk = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Text (Ukrainian)"))
    theme = forms.ChoiceField(choices=Theme.choices, label=_("Theme"))
    bodies = forms.ModelMultipleChoiceField(
        queryset=Body.objects.none(), required=False, label=_("Bodies")
    )
    meetings = forms.ModelMultipleChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("Meetings")
    )
    agreements = forms.ModelMultipleChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("Agreements")
    )
    organizations = _organizations(_("Organizations"))
    field_order = ["date", "text_en", "text_uk", "theme"]

    def __init__(
        self, *args: Any, bodies: Any, meetings: Any, agreements: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["meetings"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [n for n in self.fields if n not in ("marking", "nations")]
        return {**{n: data[n] for n in names}, **self.marking_values()}


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class WithdrawnFilterForm(forms.Form):
    """The withdrawn records' filters: one kind of record, and text in its name or reason."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Contains"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from partnership.framework.selectors import withdrawn_kinds

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *withdrawn_kinds()]  # type: ignore[attr-defined]
