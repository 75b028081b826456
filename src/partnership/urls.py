"""URLs: pages under /en/ and /uk/, the API and the admin outside them."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from partnership.api.api import api
from partnership.documents import views as documents

urlpatterns = [
    path("api/", api.urls),
    # /healthz and /metrics: for the reverse proxy, systemd and Prometheus, not for people.
    path("", include("partnership.production.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # A person's calendar for their calendar program: no session, the secret address is the key.
    path("calendar/<str:secret>.ics", documents.feed, name="calendar_feed"),
    # django-otp-webauthn's JSON endpoints for passkey registration and verification.
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("partnership.accounts.urls")),
    path("framework/", include("partnership.framework.urls")),
    path("organization/", include("partnership.core.urls")),
    path("operations/", include("partnership.operations.urls")),
    path("airpicture/", include("partnership.airpicture.urls")),
    path("programmes/", include("partnership.programmes.urls")),
    path("anp/", include("partnership.anp.urls")),
    path("trust-funds/", include("partnership.trustfunds.urls")),
    path("logistics/", include("partnership.logistics.urls")),
    path("documents/", include("partnership.documents.urls")),
    path("notifications/", include("partnership.notifications.urls")),
    path("prepared/", include("partnership.background.urls")),
    path("", include("partnership.public.urls")),
    prefix_default_language=True,
)
