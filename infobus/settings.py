"""Infobus settings: every value that differs between machines comes from the environment.

See README.md for the variables. A malformed value stops start-up with a message naming it.
"""

import re
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
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
    # django-csp: its checks refuse settings in the pre-4.0 format.
    "csp",
    "leaflet",
    "axes",
    # Two-factor authentication: an authenticator app (TOTP) and one-time backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
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
    # A NUL in the address or a form would reach PostgreSQL, which refuses it (a 500): a
    # plain 400, in the reader's language, before anything reads the database.
    "infobus.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: names the logged-in user on every history row a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Which device, if any, confirmed this session's second factor (request.user.is_verified).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff who can see personal data reach nothing in the back office before their second
    # factor (infobus/two_factor); after the messages middleware, whose notices it leaves.
    "infobus.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 503 with Retry-After, not a 500, when the view finds the database away.
    "infobus.middleware.DatabaseUnavailableMiddleware",
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

# --- Audit history (django-simple-history, docs/data-map.md "Audit history") ---------------
# History is a record of who changed what, not an undo: reverting to an old version in the
# admin would step around the workflows in services.py (ticket statuses, stock ledgers).
SIMPLE_HISTORY_REVERT_DISABLED = True

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

# --- Uploaded and generated files ---------------------------------------------------------------
# The frozen PDFs of the monthly editions (guides.Edition). Served by guides.printed's views,
# never as a directory: MEDIA_URL is only where Django would say they live.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Printed guide ------------------------------------------------------------------------------
# The public address printed (and QR-coded) on the booklet's cover, e.g. https://guide.example.org.
# Empty: the address the page was asked on, which is the public one behind a proxy that keeps
# the Host header.
PUBLIC_SITE_URL = env_str("PUBLIC_SITE_URL", "").rstrip("/")
if PUBLIC_SITE_URL and not re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]+)?", PUBLIC_SITE_URL, re.I):
    raise ImproperlyConfigured(
        f"PUBLIC_SITE_URL={PUBLIC_SITE_URL!r} must look like https://guide.example.org (no path)."
    )

# --- Maps --------------------------------------------------------------------------------------
# Tiles are fetched by the reader's browser, on the map page only (whose CSP allows this host,
# as does the back office's place form). Empty: no tiles, the markers on a plain background.
# The host may start with "{s}." for servers with a, b, c mirrors.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if MAP_TILES_URL and not re.fullmatch(
    r"https://(\{s\}\.)?[a-z0-9.-]+(:[0-9]+)?/\S*\{z\}\S*\{x\}\S*\{y\}\S*", MAP_TILES_URL, re.I
):
    raise ImproperlyConfigured(
        f"MAP_TILES_URL={MAP_TILES_URL!r} must look like https://tile.example.org/{{z}}/{{x}}/{{y}}.png"
    )
# HTML shown on the map: the tile server's licence asks for it.
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.95, 1.85),
    "DEFAULT_ZOOM": 12,
    "TILES": MAP_TILES_URL,
    "ATTRIBUTION_PREFIX": "",
}

# --- Wifi gateway ---------------------------------------------------------------------------
# The Meraki Dashboard API for session wifi totals; both or neither.
MERAKI_API_KEY = env_str("MERAKI_API_KEY", "")
MERAKI_NETWORK_ID = env_str("MERAKI_NETWORK_ID", "")
if bool(MERAKI_API_KEY) != bool(MERAKI_NETWORK_ID):
    raise ImproperlyConfigured("MERAKI_API_KEY and MERAKI_NETWORK_ID must be set together.")

# --- Security ------------------------------------------------------------------------------
# Django's database sessions, refusing a forged session key (infobus/sessions.py).
SESSION_ENGINE = "infobus.sessions"
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

# Content-Security-Policy (django-csp, through infobus.middleware): nothing from another host,
# and no inline script but ours. Back-office pages are rendered per request, so an inline script
# there needs the request's nonce ({{ request.csp_nonce }}). Public pages are cached and served
# as the same bytes to everyone (guides.pagecache, 304s, the offline copy), so a per-response
# nonce cannot work there: their two inline scripts are allowed by the sha256 of their text,
# read from these templates at start-up. data: images are the CSS icons. The back office also
# gets 'unsafe-inline' styles: the admin writes <style> blocks. The map page adds the tile host
# to img-src, and nothing else does (guides.map.allow_tiles).
CSP_INLINE_SCRIPT_TEMPLATES = ["guides/base.html", "guides/area_home.html"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username (or
# from one address), that username (or address) is refused for LOGIN_COOLOFF_MINUTES, even
# with the right password. Failures are forgotten once a cool-off has passed since the last.
# A coordinator can lift a lockout sooner in the back office (Axes > Access attempts).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind the proxy, the address it saw (X-Forwarded-For), never the proxy's own.
AXES_CLIENT_IP_CALLABLE = "infobus.lib.ratelimit.client_address"
# Log lines name no one: Axes masks usernames and addresses (its default AXES_SENSITIVE_
# PARAMETERS), and when not verbose it logs no browser string and no start-up banner.
AXES_VERBOSE = False
# Failed attempts are kept for the cool-off only; no lasting record of every staff login
# with its address and browser.
AXES_DISABLE_ACCESS_LOG = True

# Two-factor authentication (django-otp; infobus/two_factor). Staff whose roles can see
# personal data confirm each login with a code from an authenticator app or a backup code.
# The app shows this name beside the account.
OTP_TOTP_ISSUER = "Infobus"
# The back office never shows a device's secret key or QR code once it is set up: a
# coordinator resets a lost device by deleting it, and its owner sets up a new one.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not DEBUG, INFO, WARNING or ERROR.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint (the printed guide) logs every layout step at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
