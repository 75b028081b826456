"""A list page's cells drawn without an include or a `reverse` each, and its filter's select
written without a template per option: the same bytes as Django's own templates wrote."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test import Client
from django.utils import translation

from partnership.core.filters import ModelChoiceFilter
from partnership.core.models import Marking, Organization, User
from partnership.framework.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db


def _render(text: str, **context: object) -> str:
    return engines["django"].from_string(text).render(context)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_rows_link_is_what_the_url_tag_writes(language: str) -> None:
    meetings = list(Meeting.objects.order_by("pk")[:3])
    with translation.override(language):
        ours = _render(
            "{% load partnership %}{% for m in rows %}{% row_url 'framework:meeting' m.pk %} "
            "{% endfor %}",
            rows=meetings,
        )
        django = _render(
            "{% for m in rows %}{% url 'framework:meeting' m.pk %} {% endfor %}", rows=meetings
        )
    assert ours == django and f"/{language}/" in ours


def test_a_records_marking_badge_is_what_the_include_wrote() -> None:
    nations = ActionItem.objects.filter(marking=Marking.NATIONS).first()
    records = [*ActionItem.objects.exclude(marking=Marking.NATIONS)[:3], nations]
    include = (
        '<span class="marking marking-{{ record.marking|lower }}" data-marking="{{ record.marking }}'
        '">{{ record.marking_label }}</span>\n'
    )
    for record in records:
        assert _render("{% load partnership %}{{ r|marking }}", r=record) == _render(
            include, record=record
        )


@pytest.mark.parametrize("value", [None, "ua", "no-such-organization"])
def test_a_filters_select_is_what_djangos_templates_write(value: str | None) -> None:
    """The filter's select of organizations, chosen or not, and the site's select.html (its
    options written in place), against Django's own widget templates."""
    field = ModelChoiceFilter(
        label="Owner", queryset=Organization.objects.order_by("name_en"), to_field_name="slug"
    ).field
    attrs = {"id": "id_owner"}
    django = forms.Select(choices=field.choices).render(
        "owner", value, attrs, renderer=DjangoTemplates()
    )
    site = forms.Select(choices=field.choices).render("owner", value, attrs)

    assert field.widget.render("owner", value, attrs) == django == site
    assert django.count("<option") == Organization.objects.count() + 1
    assert ('<option value="ua" selected>' in django) == (value == "ua")


def test_the_action_items_page_shows_the_owners_of_its_filter() -> None:
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    page = client.get("/en/framework/action-items/?owner=ua").content.decode()
    assert '<option value="ua" selected>' in page
