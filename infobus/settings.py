"""Infobus settings: every value that differs between machines comes from the environment.

See README.md for the variables. A malformed value stops start-up with a message naming it.
"""

from datetime import timedelta
from pathlib import Path

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from infobus.lib.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms
    "modeltranslation",
    # Autodiscovery is done by InfobusConfig.ready, which skips leaflet's GDAL-bound admin.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "leaflet",
    "axes",
    "infobus.apps.InfobusConfig",
    "guides",
    "phones",
    "sessions_log",
]

MIDDLEWARE = [
    # First, so that every response carries the policy, static files and redirects included.
    "infobus.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside LocaleMiddleware so that its redirects are covered; reads request.user on the
    # way out only, once AuthenticationMiddleware has set it.
    "infobus.middleware.PrivateNoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "infobus.urls"
# The back office lives at a path that is not guessed by scanners looking for /admin/.
ADMIN_URL = env_str("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or " " in ADMIN_URL:
    raise ImproperlyConfigured(f"ADMIN_URL={ADMIN_URL!r} must look like 'back-office/'.")
WSGI_APPLICATION = "infobus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=BASE_DIR / "db.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Reuse connections, and drop a dead one (after a PostgreSQL restart) before using it.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a login while the username or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

# --- Languages -----------------------------------------------------------------------------
# English is the source language. Adding a language: add it here (and to EXTRA_LANG_INFO if
# Django does not know it), then `makemigrations` for the translated columns and
# `makemessages -l CODE` for the interface catalogue.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("fa", _("Farsi")),
    ("ps", _("Pashto")),
    ("ur", _("Urdu")),
    ("ckb", _("Kurdish Sorani")),
    ("am", _("Amharic")),
    ("ti", _("Tigrinya")),
    ("om", _("Oromo")),
    ("vi", _("Vietnamese")),
]
LANGUAGES_BIDI = ["ar", "fa", "ps", "ur", "ckb"]

# Languages Django does not ship, with their names in their own script.
EXTRA_LANG_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "am": {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "om": {"bidi": False, "code": "om", "name": "Oromo", "name_local": "Afaan Oromoo"},
    # Django calls Sorani "کوردی"; readers know their language as Sorani Kurdish.
    "ckb": {"bidi": True, "code": "ckb", "name": "Kurdish Sorani", "name_local": "کوردیی سۆرانی"},
}
LANG_INFO.update(EXTRA_LANG_INFO)

LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A text missing in the reader's language shows the English one, or the French one.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr")}
# The tabbed admin's jQuery UI comes from our own static files, never a CDN.
MODELTRANSLATION_JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Cache ----------------------------------------------------------------------------------
# Per process: rendered public pages (keyed on the content version, so every worker sees an
# edit at once) and rate-limit counters. Pages are a few KB; 5000 of them fit in ~50 MB.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Off only to measure the cost of rendering (bench/load.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Maps --------------------------------------------------------------------------------------
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.95, 1.85),
    "DEFAULT_ZOOM": 12,
    "TILES": env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "ATTRIBUTION_PREFIX": "",
}

# --- Wifi gateway ---------------------------------------------------------------------------
# The Meraki Dashboard API for session wifi totals; both or neither.
MERAKI_API_KEY = env_str("MERAKI_API_KEY", "")
MERAKI_NETWORK_ID = env_str("MERAKI_NETWORK_ID", "")
if bool(MERAKI_API_KEY) != bool(MERAKI_NETWORK_ID):
    raise ImproperlyConfigured("MERAKI_API_KEY and MERAKI_NETWORK_ID must be set together.")

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
# In production the site is only reached over HTTPS; a development server has no TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=not DEBUG)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Staff sessions end after a working day and when the browser closes: a lost phone or a
# shared laptop must not stay logged in to data about vulnerable people.
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (infobus.middleware): nothing from another host, no inline script
# but ours, allowed by the sha256 of its text read from these templates at start-up (public
# pages are cached as HTML, so a per-request nonce cannot work). data: images are the CSS
# icons. The back office also gets 'unsafe-inline' styles: the admin writes <style> blocks.
CSP_INLINE_SCRIPT_TEMPLATES = ["guides/base.html", "guides/area_home.html"]
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username (or
# from one address), that username (or address) is refused for LOGIN_COOLOFF_MINUTES, even
# with the right password. Failures are forgotten once a cool-off has passed since the last.
# A coordinator can lift a lockout sooner in the back office (Axes > Access attempts).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind the proxy, the address it saw (X-Forwarded-For), never the proxy's own.
AXES_CLIENT_IP_CALLABLE = "infobus.middleware.client_address"
# Log lines name no one: Axes masks usernames and addresses (its default AXES_SENSITIVE_
# PARAMETERS), and when not verbose it logs no browser string and no start-up banner.
AXES_VERBOSE = False
# Failed attempts are kept for the cool-off only; no lasting record of every staff login
# with its address and browser.
AXES_DISABLE_ACCESS_LOG = True

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not DEBUG, INFO, WARNING or ERROR.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
