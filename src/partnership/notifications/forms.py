"""The preferences form: one choice per kind, and the language of the messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnership.notifications.models import Channel, Kind


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Channel.choices, widget=forms.RadioSelect
            )

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}


class NoticeFilterForm(forms.Form):
    """The list's filters: one kind of notice, and whether read."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    state = forms.ChoiceField(
        label=_("Read"),
        required=False,
        choices=[("", _("All")), ("unread", _("Unread")), ("read", _("Read"))],
    )

    def unread(self) -> bool | None:
        state = self.cleaned_data.get("state", "")
        return {"unread": True, "read": False}.get(state)
