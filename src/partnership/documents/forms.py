"""Forms of the document and calendar pages; they only parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.core.models import NATION_KINDS, Marking, Organization
from partnership.documents.models import DocumentKind


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Kind"))
    title_en = forms.CharField(max_length=255, label=_("Title (English)"))
    title_uk = forms.CharField(max_length=255, label=_("Title (Ukrainian)"))
    file = forms.FileField(label=_("File"))
    marking = forms.ChoiceField(
        choices=Marking.choices,
        label=_("Releasability"),
        help_text=_("No wider than the marking of the record it is attached to."),
    )
    nations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind__in=NATION_KINDS),
        required=False,
        label=_("Releasable to"),
        to_field_name="country_code",
    )

    def __init__(self, *args: object, kinds: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, DocumentKind(k).label) for k in kinds]


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: withdraw this document. It will no longer be offered to anyone."),
        required=True,
    )
