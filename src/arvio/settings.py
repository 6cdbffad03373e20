"""Arvio's settings, read from the environment.

Development works with no variables set; production (ARVIO_ENV=production)
refuses to start unless the settings that matter for security are given.
docs/configuration.md lists every variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from arvio.lib import i18n


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ARVIO_ENV = env("ARVIO_ENV", "development")
if ARVIO_ENV not in ("development", "production"):
    raise ImproperlyConfigured("ARVIO_ENV must be 'development' or 'production'")
PRODUCTION = ARVIO_ENV == "production"

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env("ARVIO_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", not PRODUCTION)


def _development_secret_key() -> str:
    """A key generated once per checkout and kept under var/, never committed."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or ("" if PRODUCTION else _development_secret_key())

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
ARVIO_BASE_URL = (env("ARVIO_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000") or "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [ARVIO_BASE_URL] if ARVIO_BASE_URL else [])

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the site's host names (no '*')")
    if not ARVIO_BASE_URL.startswith("https://"):
        problems.append("ARVIO_BASE_URL must be the site's https:// origin")
    if not env("DATABASE_URL"):
        problems.append("DATABASE_URL must be set (PostgreSQL)")
    if problems:
        raise ImproperlyConfigured("Insecure production settings: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "arvio.records",
    # The tasks framework (Django 6's, backported) and its database backend: the mail worker's queue.
    "django_tasks",
    "django_tasks_db",
    "arvio.surveys",
    "arvio.invitations",
    "arvio.responses",
    "arvio.staff",
    "arvio.results",
    "arvio.public",
    "arvio.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves the collected static files under gunicorn; runserver serves them itself in development.
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Form data and query strings that are not UTF-8 are refused, in the person's language (lib/middleware.py).
    "arvio.lib.middleware.UndecodableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # The client's address for the audit log (records/middleware.py).
    "arvio.records.middleware.RequestAddressMiddleware",
]

ROOT_URLCONF = "arvio.urls"
WSGI_APPLICATION = "arvio.wsgi.application"

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
            ],
            "builtins": ["arvio.lib.templatetags"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'arvio.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is tested before each request reuses it, so that a database restart costs no 500.
        conn_health_checks=True,
    )
}
# Lets parallel test runs on one PostgreSQL server use test databases of their own.
if env("ARVIO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("ARVIO_TEST_DB_NAME")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "arvio.staff.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long the link of an account invitation (a colleague sets a password with it) works, and a password
# reset link (Django's PASSWORD_RESET_TIMEOUT, in seconds).
ARVIO_ACCOUNT_INVITE_DAYS = env_int("ARVIO_ACCOUNT_INVITE_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("ARVIO_PASSWORD_RESET_HOURS", 24) * 3600
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:rounds"
LOGOUT_REDIRECT_URL = "staff:login"

# Reverse proxies in front of Arvio: the client's address is read past them (arvio.lib.client), by the
# login throttle and the personal links' throttle alike.
ARVIO_PROXY_COUNT = env_int("ARVIO_PROXY_COUNT", 1 if PRODUCTION else 0)

# Repeated failed logins: locked per username and address, and per address across usernames, for a
# while (arvio.staff.login_throttle).
ARVIO_LOGIN_FAILURE_LIMIT = env_int("ARVIO_LOGIN_FAILURE_LIMIT", 5)
ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "arvio.staff.login_throttle.LoginThrottle"
AXES_FAILURE_LIMIT = "arvio.staff.login_throttle.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ARVIO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "arvio.lib.client.client_address"

# Repeated wrong personal links from one address: every link answers 429 for a while.
ARVIO_LINK_FAILURE_LIMIT = env_int("ARVIO_LINK_FAILURE_LIMIT", 10)
ARVIO_LINK_COOLOFF_MINUTES = env_int("ARVIO_LINK_COOLOFF_MINUTES", 15)
# A personal link opens the form, then the read-only answers, until this many days after its round
# closed for the municipality (a link re-issued later: after its making).
ARVIO_LINK_DAYS_AFTER_CLOSE = env_int("ARVIO_LINK_DAYS_AFTER_CLOSE", 90)

LANGUAGE_CODE = "fi"
LANGUAGES = list(i18n.LANGUAGES.items())
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True
# In production every cookie's name carries the __Host- prefix: a browser accepts it only with Secure, from an
# https page, for the whole host and no other, so even a cookie's deletion cannot go out without Secure.
COOKIE_PREFIX = "__Host-" if PRODUCTION else ""
LANGUAGE_COOKIE_NAME = f"{COOKIE_PREFIX}arvio_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# responses/views.py sets this cookie itself too, with these same settings.
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The package's own static folder: `arvio` itself is not an app, so AppDirectoriesFinder would miss it.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_NAME = f"{COOKIE_PREFIX}arvio_session"
SESSION_COOKIE_AGE = env_int("ARVIO_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_NAME = f"{COOKIE_PREFIX}csrftoken"
CSRF_COOKIE_SECURE = PRODUCTION
# No script reads it: the forms (and autosave, which sends the form) carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
# Messages wait in the session, not in a cookie of their own that would carry their text to the browser.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script and style is a static file of Arvio's own: no inline script, style element or style attribute,
# so that text slipping past escaping could neither run nor restyle a page (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ARVIO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ARVIO_HSTS_SECONDS", 31536000)
    # Arvio has a host name of its own (arvio.example.fi): whatever lies under it is Arvio's too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ARVIO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading binds the county's whole domain, so its owner decides; until then the check's reminder is silenced.
    SECURE_HSTS_PRELOAD = env_bool("ARVIO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Mail: SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
if PRODUCTION and EMAIL_BACKEND.endswith("console.EmailBackend"):
    raise ImproperlyConfigured("Insecure production settings: EMAIL_HOST must be set")
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Only the mail worker talks to the mail server (never a web request), and gives up on a silent one this soon.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "arvio@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The outbox (invitations/outbox.py): every mail is queued in the database and sent by the worker,
# `arvio db_worker`, which django-tasks-db provides. A failed attempt is retried after
# ARVIO_MAIL_RETRY_SECONDS, doubling each time up to an hour, until ARVIO_MAIL_ATTEMPTS attempts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ARVIO_MAIL_ATTEMPTS = env_int("ARVIO_MAIL_ATTEMPTS", 8)
ARVIO_MAIL_RETRY_SECONDS = env_int("ARVIO_MAIL_RETRY_SECONDS", 60)

# No personal link's token reaches a log: every handler masks `/a/<token>/` (arvio.lib.logmask), and
# Django's own loggers are redefined here so that none keeps a handler of Django's default, unmasked
# configuration. gunicorn's logs are masked by gunicorn.conf.py's logger class.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_links": {"()": "arvio.lib.logmask.MaskLinks"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_links"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_links"]},
        # Mails errors to ADMINS, if any are set; the report is DEFAULT_EXCEPTION_REPORTER's, masked too.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "mask_links"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # runserver's request lines.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # django-axes logs every reset and login attempt at INFO; its warnings (lockouts) still show.
        "axes": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "arvio.lib.logmask.MaskingExceptionReporter"

# Reminders sent by `arvio send_reminders` go out at most once in this many days per invitation,
# unless the round says otherwise.
ARVIO_REMINDER_INTERVAL_DAYS = env_int("ARVIO_REMINDER_INTERVAL_DAYS", 7)

# Where the accessibility statement sends feedback (the law's feedback channel).
ARVIO_FEEDBACK_EMAIL = env("ARVIO_FEEDBACK_EMAIL", DEFAULT_FROM_EMAIL)
AXES_VERBOSE = False

# A value resting on fewer answers than this is flagged in every output.
ARVIO_MIN_N = env_int("ARVIO_MIN_N", 3)

# Files imported by `arvio import_responses` and `arvio import_survey`: what they may hold (docs/configuration.md).
ARVIO_IMPORT_MAX_BYTES = env_int("ARVIO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
ARVIO_IMPORT_MAX_ROWS = env_int("ARVIO_IMPORT_MAX_ROWS", 10_000)
# How long a responses file uploaded on the round's page waits for staff to confirm its preview.
ARVIO_UPLOAD_KEEP_MINUTES = env_int("ARVIO_UPLOAD_KEEP_MINUTES", 60)
# An XLSX is a zip: what its members may inflate to, in all, and how much more than their compressed size.
ARVIO_IMPORT_MAX_INFLATED_BYTES = env_int("ARVIO_IMPORT_MAX_INFLATED_BYTES", 200 * 1024 * 1024)
ARVIO_IMPORT_MAX_COMPRESSION_RATIO = env_int("ARVIO_IMPORT_MAX_COMPRESSION_RATIO", 200)
ARVIO_SURVEY_FILE_MAX_BYTES = env_int("ARVIO_SURVEY_FILE_MAX_BYTES", 5 * 1024 * 1024)
ARVIO_SURVEY_FILE_MAX_LINES = env_int("ARVIO_SURVEY_FILE_MAX_LINES", 100_000)

# An optional logo (PNG or JPEG) for the council deck's title slide; none when unset or missing.
ARVIO_LOGO_PATH = env("ARVIO_LOGO_PATH")

# Records (docs/security.md, "Records"): `arvio purge` removes contact people, submitters' names and mail
# addresses of rounds that ended longer ago than this; the answers stay.
ARVIO_PERSONAL_DATA_DAYS = env_int("ARVIO_PERSONAL_DATA_DAYS", 365)
# Audit entries name users and addresses: kept this long (five years: a council term and a year more), then purged.
ARVIO_AUDIT_LOG_DAYS = env_int("ARVIO_AUDIT_LOG_DAYS", 5 * 365)
# django-axes' records of logins and failed logins (usernames, addresses) are purged after this many days.
ARVIO_LOGIN_RECORDS_DAYS = env_int("ARVIO_LOGIN_RECORDS_DAYS", 90)
