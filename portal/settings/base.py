"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "portal",
    "cases",
    "guides",
    "elections",
    "search",
    "api",
    "rest_framework",
    "drf_spectacular",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: the admin's Locales page, with synchronisation
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /fr/… and /es/… set the language; English is unprefixed (portal/urls.py, i18n_patterns).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# --- Page cache and CDN (issue 14): portal/page_cache.py, portal/frontend_purge.py ------------
# Whole anonymous responses are served from the cache right after WhiteNoise, before sessions,
# auth and rendering; the security-header middleware outside it still runs on every answer.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "portal.page_cache.PageCacheMiddleware",
)
PORTAL_PAGE_CACHE = {
    "SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),  # 0 turns the page cache off
    "MAX_AGE": int(os.environ.get("PAGE_CACHE_MAX_AGE", "60")),  # browsers
    "S_MAXAGE": int(os.environ.get("PAGE_CACHE_S_MAXAGE", "300")),  # CDNs and proxies
    "MAX_BYTES": 1_000_000,
}
# Purge on publication through wagtail.contrib.frontend_cache's backends (its app is not installed:
# portal/frontend_purge.py purges after commit, with the listings), one backend per variable set:
# FRONTEND_CACHE_URL (an HTTP cache taking PURGE: Varnish, nginx cache_purge, Fastly), Cloudflare
# (CLOUDFLARE_ZONE_ID + CLOUDFLARE_API_TOKEN), CloudFront (CLOUDFRONT_DISTRIBUTION_ID; needs boto3).
WAGTAILFRONTENDCACHE = {}
for _number, _location in enumerate(u for u in os.environ.get("FRONTEND_CACHE_URL", "").split(",") if u.strip()):
    WAGTAILFRONTENDCACHE[f"http{_number}"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": _location.strip(),
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_API_TOKEN", ""),
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    }
# --- end page cache ---------------------------------------------------------------------------

# --- Security headers (issue 10): CSP, Permissions-Policy, CSRF cookie -------------------
# Set right after SecurityMiddleware, so redirects and error pages carry them too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "portal.security_headers.PortalCSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
# Public pages: scripts and styles from our origin only, nothing inline, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin uses inline scripts and styles, blob: workers and previews in frames: allowed
# there and nowhere else (portal/security_headers.py picks the policy by path).
PORTAL_ADMIN_CSP_PREFIXES = ("/admin/",)
PORTAL_ADMIN_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# No page here needs a sensor, a camera, payments or ad-interest tracking; an empty list turns
# each feature off for the page and every frame in it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",  # FLoC, the older name browsing-topics replaced
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Nothing in static/js reads the CSRF cookie; Wagtail's admin takes the token from the page.
CSRF_COOKIE_HTTPONLY = True
# --- end security headers -------------------------------------------------------------------

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The database comes from DATABASE_URL (postgres://user@host:5432/name or
# sqlite:////absolute/path.sqlite3); without it, the embedded SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while publish_scheduled writes beside it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Past one machine (README, Performance): with DATABASE_REPLICA_URL (a PostgreSQL streaming
# replica of DATABASE_URL), reads go to the replica; writes, migrations, the content version and
# every read after a write in the same request stay on the primary (portal/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]
    # First, so that a POST's session and user are read from the primary too.
    MIDDLEWARE.insert(0, "portal.db_router.PinPrimaryMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# --- Three languages (issue 15): the interface through gettext (locale/), content through Wagtail's
# locales and wagtail-localize. English, the default, is served at /, French and Spanish under
# /fr/ and /es/. English cases are canonical: listings, counts, exports, the API and search list each
# case once, in its English original, and show a translation's title and summary where one is live.
LANGUAGES = [("en-gb", "English"), ("fr", "Français"), ("es", "Español")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# PostgreSQL text search configuration (stemming) for each content language (search/pgsearch.py).
PORTAL_SEARCH_CONFIGS = {"en-gb": "english", "fr": "french", "es": "spanish"}
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Election Integrity Portal"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# check_sources asks this Wayback Machine availability API for archived copies of cited pages, and names
# the portal (WAGTAILADMIN_BASE_URL) in its User-Agent.
SOURCE_CHECK_WAYBACK_URL = os.environ.get("SOURCE_CHECK_WAYBACK_URL", "https://archive.org/wayback/available")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # PostgreSQL full-text search on PostgreSQL, FTS5 on SQLite.
        # Wagtail's database backend, each page indexed with its language's stemming (search/languages.py).
        "BACKEND": "search.languages",
        "SEARCH_CONFIG": "english",
    }
}
# After a change, each process rebuilds its catalogue index in a background thread and serves the
# previous one, withdrawn cases masked out, until it is ready; the request that starts it waits up
# to CATALOGUE_INDEX_WAIT_S, enough for a small catalogue (cases/live_index.py).
CATALOGUE_INDEX_BACKGROUND = True
CATALOGUE_INDEX_WAIT_S = 0.05
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "json"]
# Documents always pass through Wagtail's view, where portal/media.py keeps unreleased ones private.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No outside service learns who edits: avatars are Wagtail's own default, never Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = True
WAGTAILEMAILS_SEND_HTML = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
# Workflow notifications (submitted, approved, rejected, comments) are Wagtail's own; each user
# can turn them off in their account settings. Links in them point at WAGTAILADMIN_BASE_URL.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = os.environ.get("WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_USE_HTML = False
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# -- The read API (api/): public, read-only, JSON only, throttled per client address --------------
PORTAL_API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.views.exception_handler",
    # Proxies in front of the app (nginx: 1) whose X-Forwarded-For names the client to throttle.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Election Integrity Portal API",
    "DESCRIPTION": (
        "Read-only access to the published case studies of election interference, the countries "
        "they concern, the tactics and DISARM techniques seen, and the best-practice guides. "
        "Case filters are the catalogue's own (/cases/). Data licensed CC BY 4.0."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "COMPONENT_SPLIT_REQUEST": False,
    "DEFAULT_GENERATOR_CLASS": "api.schema.V1SchemaGenerator",
}

# --- Open data (issue 12): the licence of the data, and where dataset releases are kept ----------
# Named in every release (LICENSE, README), the data page and the pages' JSON-LD.
PORTAL_DATA_LICENSE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
# `manage.py release_dataset` writes its dated zips here and /data/ lists and serves them.
PORTAL_RELEASES_DIR = os.environ.get("RELEASES_DIR", str(BASE_DIR / "releases"))

# --- Backups (issue 10): django-dbbackup -----------------------------------------------------
# `manage.py dbbackup` / `mediabackup` write here, `dbrestore` / `mediarestore` read from here:
# pg_dump's custom format on PostgreSQL, a consistent copy of the file on SQLite.
INSTALLED_APPS += ["dbbackup"]
PORTAL_BACKUP_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups"))},
}
STORAGES["dbbackup"] = PORTAL_BACKUP_STORAGE
DBBACKUP_CLEANUP_KEEP = int(os.environ.get("BACKUP_KEEP", "10"))
DBBACKUP_SEND_EMAIL = False
# --- end backups -------------------------------------------------------------------------------

# --- Accounts that hold (issue 10): second factor, lockout, throttles -------------------------
# Kept in one block so that other settings work merges around it. See accounts/ and README.md.
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += [  # noqa: F405
    "accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
_auth_middleware = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth_middleware + 1 : _auth_middleware + 1] = [
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "accounts.middleware.RequireSecondFactorMiddleware",  # every /admin/ page asks for it
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # turns a lockout into the 429 page
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before any check
    "django.contrib.auth.backends.ModelBackend",
]

# Every account that can reach /admin/ must pass a second factor (TOTP app or a recovery code).
# On here and in production; dev and test turn it off (enrolment is then offered, not forced).
PORTAL_REQUIRE_2FA = True
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code, wait 1, 2, 4, 8 ... seconds
OTP_STATIC_THROTTLE_FACTOR = 1

# django-axes: 5 failures lock the username and the address for 15 minutes (the admin sign-in);
# page passwords and password reset count per address at their own door (accounts/throttle.py).
# Unlock: manage.py axes_reset_username NAME / axes_reset_ip ADDRESS / axes_reset (everything).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = "accounts.throttle.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# Kept out of the attempt records' copy of the form (passwords always are): reset addresses too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "email"]
# Behind a reverse proxy every request comes from the proxy: set PROXY_COUNT to the number of
# proxies in front of gunicorn (1 for nginx) so the client's own address counts. The read API's
# API_NUM_PROXIES says the same thing and is used when PROXY_COUNT is not set.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", os.environ.get("API_NUM_PROXIES", "0"))) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Password reset mails are sent off the request path, so its timing tells nothing.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "accounts.password_reset.OffRequestPasswordResetForm"

# Django's own admin is a second login form: served only where PORTAL_DJANGO_ADMIN is on (dev).
PORTAL_DJANGO_ADMIN = False
# --- end of accounts block ---------------------------------------------------------------------
