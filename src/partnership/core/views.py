"""Pages of the core: an organization's administrators manage its people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import PersonForm, add_service_error
from partnership.core.models import User
from partnership.core.selectors import people_of
from partnership.core.services import (
    MSG_NOT_PEOPLE_ADMINISTRATOR,
    can_manage_people,
    user_create,
)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    admin = request.user
    if not isinstance(admin, User) or admin.organization is None:
        raise PermissionDenied
    if not can_manage_people(admin, admin.organization):
        raise PermissionDenied(str(MSG_NOT_PEOPLE_ADMINISTRATOR))
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = user_create(
                by=admin,
                username=data["username"],
                password=data["password"],
                organization=admin.organization,
                roles=data["roles"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s can now log in.") % {"name": person.username})
            return redirect("core:people")
    return render(
        request,
        "core/people.html",
        {"people": people_of(organization=admin.organization), "form": form},
    )
