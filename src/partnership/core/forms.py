"""Forms of the core pages, and the form fields every app's forms share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Role
from partnership.core.partial_dates import PartialDate
from partnership.core.partial_input import check_plausible, parse_partial, shown_partial

if TYPE_CHECKING:  # a stubs-only alias: a label is a string or a lazy translation
    from django_stubs_ext import StrOrPromise

PARTIAL_DATE_HELP = _("For example: 2015, Q3 2015, June 2015, 12 June 2015, 4-5 September 2014.")


class PartialDateField(forms.CharField):
    """A date as people write it ("Q3 2015", "III квартал 2015", "червень 2015") that cleans
    to the EDTF the record keeps, and shows a stored value the way the pages write it, so that
    what is shown can be typed back. `plausible` ("plan" or "past") adds the range check the
    services make (`check_plausible`), so that the form names the field before the service."""

    def __init__(self, *args: Any, plausible: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        super().__init__(*args, **kwargs)
        self.plausible = plausible

    def prepare_value(self, value: Any) -> Any:
        # A stored EDTF is shown as written; what the person typed (valid or not) stays as typed.
        if value and isinstance(value, str):
            try:
                return shown_partial(PartialDate.parse(value).edtf)
            except ValidationError:
                return value
        return value

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        edtf = parse_partial(text)
        if self.plausible:
            try:
                check_plausible(edtf, field="", kind=self.plausible, label=self.label)
            except ApplicationError as exc:
                raise ValidationError(str(exc.message), code="implausible_date") from exc
        return edtf


class FormRenderer(TemplatesSetting):
    """Every form of the site in one layout (settings.FORM_RENDERER): labels above their
    fields, an error summary at the top whose entries link to the fields, and each error under
    its field naming it (`aria-describedby` and `aria-invalid` are Django's own)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def refusal_message(exc: ApplicationError) -> str:
    """A service's refusal as the text a page shows (a flash message, a form's error). A
    refusal of permission is not shown there: it is raised again, so that every app's pages
    answer it alike, with the translated 403 page and the service's reason
    (`core.middleware.PermissionErrorMiddleware`). Views catching `ApplicationError` call this
    (or `add_service_error`) instead of reading `exc.message`."""
    if isinstance(exc, PermissionDeniedError):
        raise exc
    return str(exc.message)


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """A service's refusal shown on the form: on the field it names when the form has that
    field, otherwise above the form; a refusal of permission is the 403 page instead."""
    form.add_error(exc.field if exc.field in form.fields else None, refusal_message(exc))


class WithdrawForm(forms.Form):
    """Every withdrawal's form: why (kept with the record and its history), and an explicit
    confirmation in the same form, checked on the server (not a script's dialog). `confirm`,
    when given, is the box's label saying what withdrawing that kind of record means."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=_("Reason"),
        help_text=_("Kept with the record and its history."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: withdraw this record."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )

    def __init__(self, *args: Any, confirm: StrOrPromise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if confirm is not None:
            self.fields["confirm"].label = confirm


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name"))
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    password = forms.CharField(widget=forms.PasswordInput, label=_("Initial password"))
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, label=_("Roles")
    )
