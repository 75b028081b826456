"""The site's one form layout (`core.forms.FormRenderer`): labels above fields, an error summary
at the top linking to the fields, each error under its field naming it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.forms import PartialDateField, PersonForm, add_service_error, refusal_message
from partnership.core.models import User


def rendered(form: forms.Form) -> str:
    with translation.override("en"):
        return str(form)


def test_an_invalid_form_opens_with_a_summary_linking_to_each_field() -> None:
    # Given a form sent without its required fields
    html = rendered(PersonForm(data={}))
    # then its top is a summary whose entries name the field and link to its input
    summary = html[: html.index('<div class="field')]
    assert "data-error-summary" in summary
    assert '<a href="#id_username">User name: This field is required.</a>' in summary
    assert '<a href="#id_password">Initial password: This field is required.</a>' in summary


def test_each_error_is_under_its_field_and_names_it() -> None:
    # Given the same invalid form
    html = rendered(PersonForm(data={}))
    field = re.search(r'<div class="field field-error[^"]*">(.*?)</div>', html, re.S)
    assert field is not None
    block = field.group(1)
    # then the label comes first, the input next, the error last, naming the field
    label, widget = block.index('<label for="id_username"'), block.index('<input type="text"')
    error = block.index('id="id_username_error"')
    assert label < widget < error
    assert "User name:</span> This field is required." in block
    # and the input points at its error and says it is invalid, for assistive technology
    assert 'aria-invalid="true"' in block
    assert 'aria-describedby="id_username_error"' in block


def test_a_valid_or_unbound_form_has_no_summary() -> None:
    # Given a form not yet sent, when rendered, there is nothing to correct
    html = rendered(PersonForm())
    assert "data-error-summary" not in html
    assert "field-error" not in html
    assert '<label for="id_username">' in html


def test_choices_are_grouped_in_a_fieldset_named_by_the_legend() -> None:
    # Given a form with a set of check boxes sent without a choice
    html = rendered(PersonForm(data={"username": "someone", "password": "x"}))
    # then the roles are a fieldset whose legend names them, described by their error
    assert re.search(
        r'<fieldset aria-describedby="id_roles_error">\s*<legend>Roles:</legend>', html
    )
    assert '<a href="#id_roles">Roles: This field is required.</a>' in html


@pytest.mark.django_db
def test_a_ukrainian_page_summarises_the_errors_in_ukrainian() -> None:
    # Given an editor who sends the new-meeting form with only a title on the Ukrainian site
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    page = client.post("/uk/framework/meetings/new/", {"title_en": "Review"})
    text = page.content.decode()
    # then the page says nothing was saved, in Ukrainian, and lists the fields by their
    # Ukrainian labels, each linked to its field
    assert page.status_code == 400  # the framework's form pages answer a refused form with 400
    assert "нічого не збережено" in text
    summary = text[text.index("data-error-summary") : text.index('<div class="field')]
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary)
    assert links
    assert all(f'id="{target}"' in text for target, _ in links)
    assert not any("This field is required" in name for _, name in links)


class PlanForm(forms.Form):
    deadline = PartialDateField(label=_("Deadline"), plausible="plan")


@pytest.mark.parametrize(("language", "label"), [("en", "Deadline"), ("uk", "Строк")])
def test_an_error_that_names_its_field_reads_once(language: str, label: str) -> None:
    # Given a plan three hundred years ahead, which the date check refuses naming the field
    with translation.override(language):
        html = str(PlanForm(data={"deadline": "3026"}))
    # then the summary and the error under the field name it once, in the page's language
    assert f"{label}: 3026" in html
    assert f"{label}: {label}" not in html
    # and an error that does not name its field is still prefixed with the field's name
    with translation.override(language):
        html = str(PlanForm(data={"deadline": "nonsense"}))
    assert html.count(f'<span class="field-errors-name">{label}:</span>') == 1


# Pages that answer a refusal of permission on their own, each with why (app, view).
OWN_REFUSAL_ANSWERS = {
    # The live map's own translated 403 page, with the reason and what to do about it.
    ("airpicture", "live_map"),
}
# The map's calls to the operator's centre answer JSON with the refusal's code.
OWN_REFUSAL_CALLS = {"_refusal"}


def _handler_passes_permission_on(handler: ast.ExceptHandler) -> bool:
    """Whether an `except ApplicationError` body lets a refusal of permission through: it
    raises, or reads the error only through `add_service_error` / `refusal_message`, or hands
    it to the page's own refusal answer."""
    calls = {
        n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
        for n in ast.walk(handler)
        if isinstance(n, ast.Call)
    }
    reads_message = any(
        isinstance(n, ast.Attribute) and n.attr == "message" for n in ast.walk(handler)
    )
    raises = any(isinstance(n, ast.Raise) for n in handler.body)
    own = bool(calls & OWN_REFUSAL_CALLS)
    passes = raises or bool(calls & {"add_service_error", "refusal_message"}) or own
    return passes and not (reads_message and not raises and not own)


def _swallowing(handlers: list[ast.ExceptHandler]) -> list[ast.ExceptHandler]:
    """The handlers of ApplicationError not preceded by one of PermissionDeniedError that
    keep a refusal of permission from the 403 page."""
    out = []
    for handler in handlers:
        names = {
            getattr(n, "id", getattr(n, "attr", ""))
            for n in ast.walk(handler.type or ast.Name(id=""))
        }
        if "PermissionDeniedError" in names:
            return out
        if "ApplicationError" in names and not _handler_passes_permission_on(handler):
            out.append(handler)
    return out


def test_every_page_lets_a_refusal_of_permission_reach_the_403_page() -> None:
    # Given every app's views module
    import partnership

    root = Path(partnership.__file__).parent
    swallowed = []
    for path in sorted(root.glob("*/views.py")):
        app = path.parent.name
        views = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)]
        for view in views:
            if (app, view.name) in OWN_REFUSAL_ANSWERS:
                continue
            for node in ast.walk(view):
                if isinstance(node, ast.Try):
                    swallowed += [f"{app}/views.py:{h.lineno}" for h in _swallowing(node.handlers)]
    # then no handler of ApplicationError turns a refusal of permission into a message
    assert swallowed == []


def test_refusal_message_raises_a_refusal_of_permission_and_returns_other_errors() -> None:
    form = PlanForm(data={"deadline": "2020"})
    assert form.is_valid()
    with pytest.raises(PermissionDeniedError):
        add_service_error(form, PermissionDeniedError("Only an approver may approve."))
    add_service_error(form, ApplicationError("Give another date.", field="deadline"))
    assert form.errors == {"deadline": ["Give another date."]}
    assert refusal_message(ApplicationError("Not now.")) == "Not now."
