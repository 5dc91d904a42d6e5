"""Settings come from the environment and fail loudly on bad values (see README, "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


DEBUG = _env_bool("JICHITAI_DEBUG")
DATA_DIR = Path(os.environ.get("JICHITAI_DATA_DIR", "var")).resolve()

SECRET_KEY = os.environ.get("JICHITAI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("JICHITAI_SECRET_KEY is required when JICHITAI_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-JICHITAI_DEBUG"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < 50:
    # Sessions, password-reset links and the audit chain are signed with this key: a short one can be guessed.
    raise ImproperlyConfigured(
        f"JICHITAI_SECRET_KEY が短すぎます（{len(SECRET_KEY)} 文字）。50 文字以上の推測できない値を設定してください"
        "（例: python -c \"import secrets; print(secrets.token_urlsafe(50))\"）。"
    )

ALLOWED_HOSTS = [h for h in os.environ.get("JICHITAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",  # the authenticator app (TOTP, RFC 6238)
    "django_otp.plugins.otp_static",  # recovery codes
    "ninja",  # serves swagger-ui from its installed static files (no CDN)
    "jichitai.core",
    "jichitai.audit",
    "jichitai.orgs",
    "jichitai.accounts",
    "jichitai.processes",
    "jichitai.handling",
    "jichitai.risk",
    "jichitai.training",
    "jichitai.measures",
    "jichitai.linkage",
    "jichitai.checklist",
    "jichitai.pia",
    "jichitai.incidents",
    "jichitai.planning",
    "jichitai.cloud",
    "jichitai.exchange",
    "jichitai.api",
    "jichitai.todo",
    "jichitai.ops",
    "jichitai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "jichitai.core.middleware.UploadLimitMiddleware",  # 413 before the body is read (IMPORT_LIMITS)
    "jichitai.core.middleware.QueryStringGuardMiddleware",  # 400 for an individual number in the query string
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jichitai.core.middleware.ChosenLanguageMiddleware",
    "jichitai.core.middleware.DateStyleMiddleware",  # 和暦 unless the page's association chose western
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jichitai.accounts.middleware.IdleTimeoutMiddleware",
    "jichitai.accounts.middleware.TwoFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a refused login of a locked account into the normal login page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jichitai.urls"
WSGI_APPLICATION = "jichitai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Every template shows dates through these (和暦 or western, the association's choice).
            "builtins": ["jichitai.core.templatetags.wareki"],
        },
    },
]

def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


# Connections are closed at the end of each request by default: the development server answers each request
# on a new thread, and a connection kept per thread outlives it (PostgreSQL then runs out of connections).
# Under gunicorn's long-lived workers, JICHITAI_CONN_MAX_AGE=60 saves the connect; health checks then drop a
# connection the database closed, instead of failing the next request.
CONN_MAX_AGE = _env_int("JICHITAI_CONN_MAX_AGE", 0)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jichitai.sqlite3'}",
        conn_max_age=CONN_MAX_AGE, conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked": every transaction takes the
    # write lock when it begins (so a read-then-write cannot be overtaken), waits up to 30 s for it, and WAL
    # lets pages read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# At least 12 characters, not like the username or name, not a common password, not only digits. No forced
# periodic change (NISC and NIST SP 800-63B advise against it).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- The front door: lockout and throttling ---------------------------------------------------------------
# django-axes locks an account (by username, whatever address the attempts come from) after
# JICHITAI_LOGIN_FAILURE_LIMIT failures within the cool-off window, for JICHITAI_LOGIN_COOLOFF_MINUTES; the right
# password is refused too until then or until an admin unlocks (axes.utils.reset). Axes counts one limit for
# every lockout parameter, and a town hall sends all its staff through one address: locking by address at 10
# would lock a whole office out. So the address gets its own, higher, per-minute throttle on the login POST
# (accounts.throttle, in the cache), answered with 429. A locked account gets the login page with the same
# message as a wrong password (accounts.views.locked_out), so a lock tells nobody that the account exists.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("JICHITAI_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("JICHITAI_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "jichitai.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The username axes counts and stores: masked (a My Number typed there is never kept) and cut to 150 characters
# (the longest a username can be; a longer one would not fit axes' table).
AXES_USERNAME_CALLABLE = "jichitai.accounts.services.axes_username"
# axes warns when the address is not a lockout parameter: here the address has its own throttle (above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_VERBOSE = False
LOGIN_ADDRESS_LIMIT_PER_MINUTE = _env_int("JICHITAI_LOGIN_ADDRESS_LIMIT_PER_MINUTE", 30)

# Sessions end after JICHITAI_SESSION_IDLE_MINUTES without a request: accounts.middleware.IdleTimeoutMiddleware
# renews a signed-in session at most once a minute (saving it on every request would cost each page 3 queries).
SESSION_COOKIE_AGE = _env_int("JICHITAI_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False

# Two-factor authentication (django-otp: TOTP devices and recovery codes). Whether a user must use it follows the
# policy of their municipalities and associations (accounts.rules); the operator's role has no scope, so this
# setting decides it (on unless switched off). The QR code is drawn on the server (segno): nothing leaves it.
# The key of the audit log's hash chain (audit.chain). Unset: derived from SECRET_KEY, so a new SECRET_KEY makes
# every earlier entry fail `jichitai audit verify`; set it once, and keep it, to change SECRET_KEY freely.
JICHITAI_AUDIT_KEY = os.environ.get("JICHITAI_AUDIT_KEY", "")
JICHITAI_OPERATOR_TWO_FACTOR = _env_bool("JICHITAI_OPERATOR_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "Jichitai"
# A member evaluation asked for on the association page runs in a thread of the server that took the request
# (its progress is kept in the database, so every server shows it); off, it runs before the response.
JICHITAI_BACKGROUND_THREADS = _env_bool("JICHITAI_BACKGROUND_THREADS", True)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Static files are served from the installed package (whitenoise finders): no collectstatic step, no CDN.
STATIC_ROOT = os.environ.get("JICHITAI_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("JICHITAI_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if SESSION_COOKIE_SECURE:
        # Served over HTTPS only: browsers remember it for a year and never try plain HTTP.
        SECURE_HSTS_SECONDS = 31_536_000
        SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other hosts of the municipality's domain are not ours to bind
# `jichitai check --deploy` with the production settings of docs/deploy.md reports nothing (tests/ops/
# test_deploy_check.py); the three warnings silenced below are decisions, each for its reason:
# - security.W005 (HSTS without includeSubDomains) and security.W021 (no HSTS preload): the site is one host of
#   the municipality's domain (jichitai.example.lg.jp); binding every other host of that domain to HTTPS, or
#   asking browsers to preload the whole domain (which requires includeSubDomains), is not this site's to decide.
# - security.W008 (SECURE_SSL_REDIRECT off): `jichitai serve` listens on the loopback address behind the reverse
#   proxy, and the proxy's plain-HTTP server only redirects to HTTPS (docs/deploy.md). Redirecting in Django as
#   well would send the proxy's own health checks (`/healthz` over plain HTTP to 127.0.0.1:8000) and every
#   request of a proxy that does not set X-Forwarded-Proto into a redirect loop.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021", "security.W008"]

# Content-Security-Policy (django-csp): every script, style, image, font and request from the site itself; no
# inline script (scripts are static files, htmx included). style-src allows 'unsafe-inline' because the
# progress and risk bars draw their width and colour with a style attribute (style="width: 40%"), and htmx
# and swagger-ui set element styles; style cannot run code, and every value is escaped by the templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # swagger-ui draws its icons as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Limits on imported files (web and command line), each named in the message that refuses a file.
IMPORT_LIMITS = {
    "JICHITAI_MAX_UPLOAD_MB": _env_int("JICHITAI_MAX_UPLOAD_MB", 20),  # the file as sent
    "JICHITAI_MAX_UNPACKED_MB": _env_int("JICHITAI_MAX_UNPACKED_MB", 200),  # a workbook's members, unpacked
    "JICHITAI_MAX_COMPRESSION_RATIO": _env_int("JICHITAI_MAX_COMPRESSION_RATIO", 100),  # any one member
    "JICHITAI_MAX_ROWS_PER_SHEET": _env_int("JICHITAI_MAX_ROWS_PER_SHEET", 100_000),  # 5× the 20,000-row bench
    "JICHITAI_MAX_CELLS": _env_int("JICHITAI_MAX_CELLS", 3_000_000),  # a whole workbook
    "JICHITAI_MAX_CSV_MB": _env_int("JICHITAI_MAX_CSV_MB", 20),
}

# JICHITAI_LOG_FORMAT=json: every log line is one JSON object (core.logs.JsonFormatter), for a log collector;
# text (the default) keeps the plain lines. `jichitai serve` writes its access and error logs the same way.
LOG_FORMAT = os.environ.get("JICHITAI_LOG_FORMAT", "") or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"JICHITAI_LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every log line goes through the My Number mask: a number typed in a URL or a form must never be logged.
    "filters": {"mask_my_numbers": {"()": "jichitai.core.logging.MaskMyNumbers"}},
    "formatters": {"django.server": {"()": "django.utils.log.ServerFormatter",
                                     "format": "[{server_time}] {message}", "style": "{"},
                   "json": {"()": "jichitai.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_my_numbers"],
                    **({"formatter": "json"} if LOG_FORMAT == "json" else {})},
        # Django's own handlers (the dev server's access log, its DEBUG console) carry no mask: replaced.
        "django.server": {"class": "logging.StreamHandler", "filters": ["mask_my_numbers"],
                          "formatter": "json" if LOG_FORMAT == "json" else "django.server"},
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JICHITAI_LOG_LEVEL", "WARNING")},
}
