"""Forms of the core pages."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Role


class FormRenderer(TemplatesSetting):
    """Every form of the site in one layout (settings.FORM_RENDERER): labels above their
    fields, an error summary at the top whose entries link to the fields, and each error under
    its field naming it (`aria-describedby` and `aria-invalid` are Django's own)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """A service's refusal shown on the form: on the field it names when the form has that
    field, otherwise above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name"))
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    password = forms.CharField(widget=forms.PasswordInput, label=_("Initial password"))
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, label=_("Roles")
    )
