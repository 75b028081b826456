"""The live map and the exchange agreements, for air-operations staff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partnership.airpicture import vocabulary
from partnership.airpicture.centres import CentreClient, CentreError
from partnership.airpicture.forms import AgreementVersionForm
from partnership.airpicture.models import ExchangeAgreement
from partnership.airpicture.selectors import (
    centre_alerts,
    centre_error,
    centre_event_stream,
    centre_links,
    centre_operated_by,
)
from partnership.airpicture.services import (
    ESCALATION_LEVELS,
    agreement_approve,
    agreement_export,
    agreement_new_version,
    alert_acknowledge,
    track_escalate,
)
from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error, refusal_message
from partnership.core.lists import DATE, Column, record_list
from partnership.core.models import Role, User
from partnership.core.selectors import shown_text, visible_to


def _air_operations(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.AIR_OPERATIONS):
        raise PermissionDenied
    return user


def _operator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _refusal(error: ApplicationError) -> JsonResponse:
    status = {
        "forbidden": 403, "not_air_operations": 403, "no_centre": 403, "not_own_track": 403,
        "centre_refused": 403, "no_such_alert": 404, "bad_level": 400,
        "centre_unreachable": 503, "centre_credential": 503,
    }.get(error.code, 400)  # fmt: skip
    return JsonResponse({"error": str(error.message), "code": error.code}, status=status)


@login_required
def live_map(request: HttpRequest) -> HttpResponse:
    """The operator's side of the air picture: their own centre's, read through the platform."""
    user = _operator(request)
    try:
        centre = centre_operated_by(user=user)
    except ApplicationError as exc:
        return render(request, "airpicture/refused.html", {"reason": exc.message}, status=403)
    return render(request, "airpicture/map.html", {
        "centre": centre,
        "pictures": vocabulary.pictures(centre.key),
        "words": json.dumps(vocabulary.words()),
        "levels": ESCALATION_LEVELS,
    })  # fmt: skip


@login_required
@require_GET
def map_alerts(request: HttpRequest) -> JsonResponse:
    try:
        alerts = centre_alerts(user=_operator(request))
    except ApplicationError as exc:
        return _refusal(exc)
    return JsonResponse({"alerts": alerts})


@login_required
@require_GET
def map_links(request: HttpRequest) -> JsonResponse:
    try:
        links = centre_links(user=_operator(request))
    except ApplicationError as exc:
        return _refusal(exc)
    return JsonResponse(links)


@login_required
@require_POST
def map_acknowledge(request: HttpRequest, number: int) -> JsonResponse:
    try:
        alert = alert_acknowledge(by=_operator(request), number=number)
    except ApplicationError as exc:
        return _refusal(exc)
    return JsonResponse(alert)


@login_required
@require_POST
def map_escalate(request: HttpRequest, track: int) -> JsonResponse:
    try:
        alert = track_escalate(
            by=_operator(request), track=track, level=request.POST.get("level", "")
        )
    except ApplicationError as exc:
        return _refusal(exc)
    return JsonResponse(alert)


def _centre_state(state: str, retry_ms: int) -> bytes:
    # An event of the platform's own (the centre never sends "centre"), so that the map can
    # say the centre is unreachable instead of spinning; `retry` paces the browser's reconnects.
    return f"retry: {retry_ms}\ndata: {json.dumps({'type': 'centre', 'state': state})}\n\n".encode()


def _relay(client: CentreClient) -> Iterator[bytes]:
    try:
        first = True
        for chunk in client.events(idle_s=float(settings.ASDE_STREAM_IDLE_S)):
            if first:
                yield _centre_state("connected", 2000)
                first = False
            yield chunk
    except CentreError as error:
        yield _centre_state(centre_error(error).code, 5000)


@never_cache
@login_required
@require_GET
def map_events(request: HttpRequest) -> HttpResponseBase:
    """The centre's server-sent events relayed to the browser as they come (see the README).

    Who may follow which centre is decided here, once, before streaming; the relay then passes
    the centre's events on unchanged: everything in the operator's own centre is their side.
    """
    try:
        client = centre_event_stream(user=_operator(request))
    except ApplicationError as exc:
        return _refusal(exc)
    response = StreamingHttpResponse(_relay(client), content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # a reverse proxy must not hold events back
    return response


@cache
def _borders() -> str:
    """Country borders for the map from the same data set as the alerts (simplified)."""
    from shapely.geometry import mapping

    from asde.geo import ISO_NUMERIC, borders

    wanted = set(ISO_NUMERIC.values())
    features = [
        {"type": "Feature", "properties": {"code": code, "name": country.name},
         "geometry": mapping(country.geometry.simplify(0.02))}
        for code, country in borders().items() if code in wanted
    ]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features})


@login_required
def borders_geojson(request: HttpRequest) -> HttpResponse:
    _air_operations(request)
    return HttpResponse(_borders(), content_type="application/geo+json")


def _approval(agreement: ExchangeAgreement) -> str:
    if agreement.approved:
        return _("by both sides")
    if agreement.approved_by_sender_id or agreement.approved_by_partner_id:
        return _("by one side")
    return _("not yet")


AGREEMENT_COLUMNS = (
    Column("name", gettext_lazy("Agreement"), lambda a, u: str(a), ("name", "version")),
    Column("sender", gettext_lazy("From"), lambda a, u: shown_text(u, a.sender), ("sender__name_en",)),
    Column(
        "partner", gettext_lazy("To"), lambda a, u: shown_text(u, a.partner), ("partner__name_en",)
    ),
    Column("valid_from", gettext_lazy("Valid from"), lambda a, u: a.valid_from, ("valid_from",), DATE),
    Column("valid_to", gettext_lazy("Valid to"), lambda a, u: a.valid_to, ("valid_to",), DATE),
    Column("approved", gettext_lazy("Approved"), lambda a, u: _approval(a)),
)  # fmt: skip


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = _air_operations(request)
    listing = record_list(
        request,
        visible_to(user, ExchangeAgreement.objects.select_related("sender", "partner")),
        columns=AGREEMENT_COLUMNS,
        default_sort="name",
        filename="exchange-agreements",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "airpicture/agreements.html",
        {"agreements": listing.page, "listing": listing, "trailing_cell": True},
    )


@login_required
def agreement_areas(request: HttpRequest) -> JsonResponse:
    user = _air_operations(request)
    agreements = visible_to(user, ExchangeAgreement.objects.all())
    return JsonResponse({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": str(a), "approved": a.approved}, "geometry": a.area}
        for a in agreements
    ]})  # fmt: skip


@login_required
@require_POST
def agreement_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _air_operations(request)
    agreement = visible_to(user, ExchangeAgreement.objects.all()).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    try:
        agreement_approve(by=user, agreement=agreement)
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("Your side's approval is recorded."))
    return redirect("airpicture:agreements")


@login_required
def agreement_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _air_operations(request)
    agreement = visible_to(user, ExchangeAgreement.objects.all()).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    response = HttpResponse(agreement_export(agreement), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="agreement-v{agreement.version}.yaml"'
    return response


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw the area of a new version on the map, starting from this version's area."""
    user = _air_operations(request)
    previous = visible_to(user, ExchangeAgreement.objects.all()).filter(pk=pk).first()
    if previous is None:
        raise Http404
    form = AgreementVersionForm(request.POST or None, initial={
        "area": json.dumps(previous.area), "min_ft": previous.min_ft, "max_ft": previous.max_ft,
        "remove_items": previous.remove_items, "update_period_s": previous.update_period_s,
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = agreement_new_version(
                by=user, previous=previous, area=data["area"], valid_from=data["valid_from"],
                valid_to=data["valid_to"], min_ft=data["min_ft"], max_ft=data["max_ft"],
                remove_items=data["remove_items"], update_period_s=data["update_period_s"],
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d is saved; it needs both sides' approval.")
                % {"version": created.version},
            )  # fmt: skip
            return redirect("airpicture:agreements")
    return render(request, "airpicture/agreement_edit.html", {"form": form, "previous": previous})
