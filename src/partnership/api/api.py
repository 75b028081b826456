"""The API object, its routers and its single exception mapping."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from partnership.anp.api import router as anp_router
from partnership.background.api import router as background_router
from partnership.core.api import router as core_router
from partnership.core.exceptions import ApplicationError, PermissionDeniedError, input_errors
from partnership.core.middleware import bad_input_message
from partnership.documents.api import router as documents_router
from partnership.framework.api import router as framework_router
from partnership.logistics.api import router as logistics_router
from partnership.notifications.api import router as notifications_router
from partnership.operations.api import router as operations_router
from partnership.programmes.api import router as programmes_router
from partnership.trustfunds.api import router as trustfunds_router

api = NinjaAPI(
    title="Partnership API",
    version="1",
    description="The NATO-Ukraine partnership: organizations, bodies, meetings, decisions, "
    "action items, agreements and milestones. Every answer is filtered by the caller's "
    "releasability. Authenticate with `Authorization: Bearer <token>` "
    "(`partnership createtoken`).",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("", framework_router)
api.add_router("", operations_router)
api.add_router("", programmes_router)
api.add_router("", anp_router)
api.add_router("", trustfunds_router)
api.add_router("", logistics_router)
api.add_router("", documents_router)
api.add_router("", notifications_router)
api.add_router("", background_router)


@api.exception_handler(PermissionDeniedError)
def _forbidden(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return api.create_response(
        request, {"code": exc.code, "message": str(exc.message), "field": None}, status=403
    )


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(
        request, {"code": exc.code, "message": str(exc.message), "field": exc.field}, status=400
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Names each field at fault, in the caller's language."""
    errors = input_errors(exc.errors)
    first = errors[0] if errors else {"field": None, "message": _("Invalid request.")}
    return api.create_response(
        request,
        {"code": "invalid", "message": first["message"], "field": first["field"], "errors": errors},
        status=422,
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
@api.exception_handler(MultiPartParserError)
def _bad_input(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "invalid", "message": bad_input_message(exc), "field": None},
        status=400,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "unauthenticated",
            "message": _("Log in or send a valid API token."),
            "field": None,
        },
        status=401,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "not_found",
            "message": _("There is no such record, or you may not see it."),
            "field": None,
        },
        status=404,
    )
