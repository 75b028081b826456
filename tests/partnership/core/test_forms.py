"""The site's one form layout (`core.forms.FormRenderer`): labels above fields, an error summary
at the top linking to the fields, each error under its field naming it."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from partnership.core.forms import PersonForm
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
