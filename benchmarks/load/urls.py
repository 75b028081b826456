"""The site's URLs and the bare view: 50 measures, one query, the base template; no selector."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from partnership.anp.models import Measure
from partnership.urls import urlpatterns as site

_BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>{% for m in rows %}<tr><td>{{ m.code }}'
    "</td><td>{{ m.text_en }}</td><td>{{ m.status }}</td></tr>{% endfor %}</table>"
    "{% endblock %}"
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = Measure.objects.filter(programme__year=2025).order_by("code")[:50]
    return HttpResponse(_BARE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *site]
