"""Meerwaarde settings: one base, driven by the environment, with safe local defaults."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    secret_key_from_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("MEERWAARDE_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or secret_key_from_file(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Per-organisation pseudonymisation keys live outside the database (DESIGN.md section 4).
PSEUDONYM_KEY_DIR = env_path("PSEUDONYM_KEY_DIR", VAR_DIR / "keys")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "csp",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "meerwaarde.core",
    "meerwaarde.accounts",
    "meerwaarde.places",
    "meerwaarde.organisations",
    "meerwaarde.vocabulary",
    "meerwaarde.offers",
    "meerwaarde.directory",
    "meerwaarde.instruments",
    "meerwaarde.participants",
    "meerwaarde.measurements",
    "meerwaarde.activities",
    "meerwaarde.analysis",
    "meerwaarde.bundling",
    "meerwaarde.programmes",
    "meerwaarde.reports",
    "meerwaarde.sharing",
    "meerwaarde.imports",
    "meerwaarde.jobs",
    "meerwaarde.exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meerwaarde.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it reads the outcome of authentication on the way out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "meerwaarde" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "meerwaarde.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'meerwaarde.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public directory read while a worker writes; IMMEDIATE avoids
    # "database is locked" on concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "meerwaarde.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "meerwaarde.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Lock-out: the 10th wrong password in a row locks the account (user name, not IP,
# so a shared office connection does not lock out colleagues).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "meerwaarde.accounts.views.locked_out"
AXES_VERBOSE = False

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Meerwaarde <noreply@meerwaarde.localhost>")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "meerwaarde" / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    (
        "vendor/theme",
        NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist",
    ),
    ("vendor/noto-sans", NODE_MODULES / "@fontsource" / "noto-sans"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# The sociale kaart. An offer not confirmed for WARN months is flagged to its organisation;
# after HIDE months it leaves the public directory until someone confirms it.
OFFER_CONFIRM_WARN_MONTHS = env_int("OFFER_CONFIRM_WARN_MONTHS", 12)
OFFER_CONFIRM_HIDE_MONTHS = env_int("OFFER_CONFIRM_HIDE_MONTHS", 18)
# The results map works offline by default (no background tiles). A tile server URL such as
# "https://tiles.example.nl/{z}/{x}/{y}.png" adds a background; its host is allowed for images.
DIRECTORY_TILE_URL = env_str("DIRECTORY_TILE_URL", "")
DIRECTORY_TILE_ATTRIBUTION = env_str("DIRECTORY_TILE_ATTRIBUTION", "")
DIRECTORY_TILE_HOSTS = (
    ["/".join(DIRECTORY_TILE_URL.split("/")[:3])] if DIRECTORY_TILE_URL.startswith("http") else []
)

# Every figure that leaves an organisation hides cells of fewer than K participants
# (meerwaarde.bundling.suppression); configurable upwards, never below 5.
SUPPRESSION_K = env_int("SUPPRESSION_K", 10)

# Background work (imports, exports, reports) runs on a queue kept in the database: no extra
# server. `manage.py db_worker` runs it; scripts/serve starts one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Rendered reports, exports and uploaded imports; never served as static files, only through
# views that check access.
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "files")
# The largest file the guided import accepts (200 MB: a million measurement rows fit).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)

# The public API (the sociale kaart's services): anonymous, read-only, JSON, throttled per
# address so one client cannot crowd out the page.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_ANON_RATE", "120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meerwaarde API",
    "DESCRIPTION": (
        "Openbare API van Meerwaarde. De sociale kaart: zoek lokaal aanbod van sociaal werk, "
        "welzijn en informele zorg met dezelfde parameters als de zoekpagina. Diensten volgen "
        "de vorm van Open Referral HSDS 3.0; begrippen komen uit het Meerwaarde-vocabulaire. "
        "Zonder inloggen, alleen lezen."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The documentation's files come with the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside its operation buttons (nested controls).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "displayRequestDuration": True},
}

# Strict CSP: nothing from other hosts, scripts only from us or with this response's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *DIRECTORY_TILE_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("HTTPS", False)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL_REDIRECT else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and the font subsetter it calls log every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
FORM_RENDERER = "meerwaarde.core.forms.FormRenderer"

# Lock-out is per account on purpose: locking by IP address would lock out a whole office
# behind one connection after one colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
