"""Settings read from the environment (12-factor): DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS."""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import csp.constants as csp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# Where the SQLite file and uploads live when nothing else is said: the working directory,
# so that an installed package never writes into site-packages.
DATA_DIR = Path(os.environ.get("PARTNERSHIP_DATA_DIR", Path.cwd() / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not _env_bool("PARTNERSHIP_TESTING", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development and tests only: a production deployment always sets SECRET_KEY.
    SECRET_KEY = "insecure-development-key-" + "x" * 40

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates, found by the project's template engine (FORM_RENDERER).
    "django.forms",
    "simple_history",
    "ninja",
    # Login throttling and lockout (failed attempts per user name and address).
    "axes",
    # Second factors: TOTP, recovery codes (static tokens) and WebAuthn passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "partnership.core",
    "partnership.framework",
    "partnership.airpicture",
    "partnership.operations",
    "partnership.programmes",
    "partnership.anp",
    "partnership.trustfunds",
    "partnership.logistics",
    "partnership.public",
    "partnership.search",
    "partnership.api",
    "partnership.accounts",
    "partnership.documents",
    # After every app it brings together: the demo, the export and the factsheet commands.
    "partnership.site",
]

MIDDLEWARE = [
    # Refuses an over-long body before anything reads it (CSRF reads POST bodies).
    "partnership.accounts.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "partnership.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Back + submit or a double click saves nothing twice (`{% form_once %}` in every form).
    "partnership.core.middleware.OneTimeFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # An id beyond 64 bits or a broken multipart body is a 400, not a server error.
    "partnership.core.middleware.BadInputMiddleware",
    # A service's PermissionDeniedError a view let through: the translated 403 with its reason.
    "partnership.core.middleware.PermissionErrorMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"

FORM_RENDERER = "partnership.core.forms.FormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The bell's unread count in the header.
                "partnership.notifications.context.unread",
            ],
            "builtins": ["partnership.core.templatetags.once"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'partnership.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes; the busy timeout makes another writer wait
    # for the lock instead of failing with "database is locked"; IMMEDIATE takes the write
    # lock when a transaction starts, since SQLite cannot wait to upgrade a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT_S", "30")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user name or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (accounts/hashers.py says why); Django's others verify older hashes.
PASSWORD_HASHERS = [
    "partnership.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "public:factsheet"
LOGOUT_REDIRECT_URL = "public:factsheet"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# One date style across the site, the partial dates' own ("15 December 2026", "15 грудня 2026").
FORMAT_MODULE_PATH = ["partnership.formats"]
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS: list = [PACKAGE_DIR / "static"]
# Front-end packages from the npm registry (installed by `npm ci`, never fetched at run time).
NODE_MODULES = Path(os.environ.get("NODE_MODULES", PACKAGE_DIR.parents[1] / "node_modules"))
if (NODE_MODULES / "leaflet" / "dist").exists():
    STATICFILES_DIRS.append(("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# Uploaded files (documents, staged imports): the local filesystem under MEDIA_ROOT, never
# served as media (no MEDIA_URL: documents go out only through their permission-checked
# views); S3-compatible object storage through django-storages when STORAGE_S3_BUCKET is set
# (the credentials come from the environment boto3 reads, never from this repository).
DEFAULT_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if os.environ.get("STORAGE_S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", ""),
            # Private objects: nothing in the bucket is readable by an unsigned URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        # No manifest: pages render before `collectstatic` has run (tests, first start).
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Serve the packaged static files straight from the apps as well as from STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# The factsheet data set shipped with the package (a person corrects facts here, not in code).
FACTSHEET_DATA = Path(os.environ.get("FACTSHEET_DATA", PACKAGE_DIR / "data" / "factsheet.yaml"))

# Login throttling (django-axes): the fifth failure for one user name, wherever the attempts
# come from, locks that name for a quarter of an hour; `partnership axes_reset_username NAME`
# lifts it early. A success clears the count. (Not per address: ministries log in from behind
# shared proxies, and one person's typos would lock out a whole office.)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lockout without the address can be dodged by rotating user agents or
# cookies; a lockout by user name takes neither into account, so it does not apply here.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind the reverse proxy the client's address is the last one it adds.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# A second factor (TOTP, passkey, or a recovery code) for every role above viewer. Production
# requires it; the demo (DEBUG=1) offers it, so that a newcomer logs in with the password.
MFA_REQUIRED = _env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "NATO-Ukraine partnership")
# django-otp's own throttling: each wrong code doubles the wait before the next try.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys are a second factor here, never a login on their own (the password is still checked
# and throttled first).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# A relying party is a host name, never an address: the first such allowed host by default
# ("localhost" for the demo, which browsers treat as a secure origin).
OTP_WEBAUTHN_RP_ID = os.environ.get(
    "WEBAUTHN_RP_ID",
    next((h for h in ALLOWED_HOSTS if h != "*" and not h.replace(".", "").isdigit()), ""),
)
OTP_WEBAUTHN_RP_NAME = os.environ.get("WEBAUTHN_RP_NAME", "NATO-Ukraine partnership")
# Where passkey ceremonies may come from: the site over HTTPS; the demo at http://localhost:8000
# (browsers allow passkeys on plain HTTP only there).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    o.strip() for o in os.environ.get("WEBAUTHN_ORIGINS", "").split(",") if o.strip()
] or (
    ["http://localhost:8000"]
    if DEBUG
    else [f"https://{h}" for h in ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
)

# Content-Security-Policy (django-csp): scripts and styles from this site only, no inline
# script anywhere; the printable reports allow their own inline style sheet (see their views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        # The live map reads the ASDE centres through the platform (same origin), never directly.
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

# Uploads: files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not memory; a body
# above REQUEST_MAX_BYTES is refused (413) before anything reads it; each kind of file has
# its own limit, checked before it is opened.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = {
    # An ANP year of about 450 measures is about 100 KB.
    "xlsx": int(os.environ.get("XLSX_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
    # A donor's whole IATI file; 36 MB of activities validates in about a second.
    "iati": int(os.environ.get("IATI_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))),
    # A document attached to a record: a scanned signed agreement or a meeting's papers.
    "document": int(os.environ.get("DOCUMENT_UPLOAD_MAX_BYTES", str(25 * 1024 * 1024))),
}
REQUEST_MAX_BYTES = max(UPLOAD_MAX_BYTES.values()) + 1024 * 1024
# What a workbook may hold once unpacked: a zip bomb is refused from its directory alone.
XLSX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
XLSX_MAX_ROWS = 20_000
XLSX_MAX_COLUMNS = 64

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production is served over TLS; HTTPS=0 is for the tests' plain-HTTP live server only.
if _env_bool("HTTPS", not DEBUG):
    # A reverse proxy terminating TLS sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 100

# The ASDE centres the live map reads, server-side: each centre's HTTP API (`asde run`), the file
# holding the platform's bearer token for it (written by `asde credentials --dir var/asde`), and
# the organizations (keys) whose air-operations staff operate it. Which centre a person sees is
# this configuration, never their choice; the browser never talks to a centre.
ASDE_CENTRES = {
    "nato": {
        "url": os.environ.get("ASDE_NATO_URL", "http://127.0.0.1:8081"),
        "token_file": os.environ.get(
            "ASDE_NATO_TOKEN_FILE", str(DATA_DIR / "asde" / "nato-platform.token")
        ),
        "organizations": os.environ.get("ASDE_NATO_ORGANIZATIONS", "nato-is").split(","),
    },
    "ukraine": {
        "url": os.environ.get("ASDE_UKRAINE_URL", "http://127.0.0.1:8082"),
        "token_file": os.environ.get(
            "ASDE_UKRAINE_TOKEN_FILE", str(DATA_DIR / "asde" / "ukraine-platform.token")
        ),
        "organizations": os.environ.get("ASDE_UKRAINE_ORGANIZATIONS", "ua-armed-forces").split(","),
    },
}
# How long the platform waits for a centre: connecting and each read of a request (the event
# stream waits longer between events; when it ends the browser reconnects by itself).
ASDE_TIMEOUT_S = float(os.environ.get("ASDE_TIMEOUT_S", "5"))
ASDE_STREAM_IDLE_S = float(os.environ.get("ASDE_STREAM_IDLE_S", "30"))

# IATI 2.03: the official schema and codelists. They are not copied into this repository; an
# installation points here at its copy (the repository's checkout has one beside it, in
# ../shared/reference/iati-2.03). Export and import refuse to run without the schema.
IATI_REFERENCE_DIR = Path(
    os.environ.get(
        "IATI_REFERENCE_DIR",
        Path(__file__).resolve().parents[3] / "shared" / "reference" / "iati-2.03",
    )
)
# The prefix of the organization identifiers this installation publishes (org-id.guide); each
# organization's identifier is the prefix and its key unless it has its own IATI identifier.
IATI_ORG_PREFIX = os.environ.get("IATI_ORG_PREFIX", "XI-PARTNERSHIP")
IATI_REPORTING_ORG = os.environ.get("IATI_REPORTING_ORG", "nspa")

# Running as a service (`partnership serve --production`, deploy/): health and metrics outside
# the language prefixes, one JSON line per request, request figures for Prometheus.
INSTALLED_APPS.append("partnership.production")
# Outermost, so that every answer (a refused over-long body too) is logged, counted and timed.
MIDDLEWARE.insert(0, "partnership.production.middleware.RequestLogMiddleware")
# The reverse proxy and the scraper reach these over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# `json`: one JSON object a line (python-json-logger), what a log collector reads; the
# production server sets it. Request lines (logger `partnership.requests`) are INFO.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever the process's time zone.
            "timestamp": "time",
        }
    }
    # Every line written while a request is answered carries its id (errors join their request).
    LOGGING["filters"] = {"request_id": {"()": "partnership.production.context.RequestIdFilter"}}
    LOGGING["handlers"] = {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    }
LOGGING["loggers"] = {
    "partnership.requests": {
        "level": os.environ.get("REQUEST_LOG_LEVEL", "INFO" if LOG_FORMAT == "json" else "WARNING")
    }
}

# Background work (notifications, deadlines, reports prepared as files): Django's tasks API
# (the django-tasks backport) with its database backend, so the queue lives in the platform's
# own database. `partnership worker` runs the tasks and the periodic jobs; the site and the
# production server start one beside themselves.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "partnership.notifications",
                   "partnership.background"]  # fmt: skip
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Links in e-mails point here (no request to take the host from in the worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# E-mail: SMTP in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS); the demo (DEBUG=1) writes each message as a file in var/mail instead.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
# A mail server that does not answer is given up on for this try only (the message is retried).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT_S", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnership@localhost")
# The daily digest goes out at this hour (TIME_ZONE).
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "7"))
# Files prepared in the background are kept this many days, then removed.
BACKGROUND_FILE_DAYS = int(os.environ.get("BACKGROUND_FILE_DAYS", "7"))
# A job whose worker has not been heard of for this long is taken as dead (retried or failed).
BACKGROUND_STALE_S = int(os.environ.get("BACKGROUND_STALE_S", "300"))
BACKGROUND_MAX_ATTEMPTS = int(os.environ.get("BACKGROUND_MAX_ATTEMPTS", "3"))
