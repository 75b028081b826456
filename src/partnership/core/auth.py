"""Who is calling the API: a bearer token (programs) or the browser session (people)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from partnership.core.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(digest=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


def anyone(request: HttpRequest) -> Any:
    """Reads are open to everyone; what they return is decided by the releasability selector."""
    return request.user


token_auth = TokenAuth()
READ = [token_auth, anyone]
WRITE = [token_auth, django_auth]


def reader(context: Any) -> Any:
    """The caller an API schema is resolved for (its `context`), to pass references through
    `core.selectors.shown_key`; without a request it is read as the public would."""
    from django.contrib.auth.models import AnonymousUser

    request = (context or {}).get("request")
    return getattr(request, "user", None) or AnonymousUser()
