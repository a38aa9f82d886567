"""Settings for every environment, read from environment variables.

Each variable, its default and its meaning are listed in the README.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            'string (for example the output of `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or set DEBUG=true for local development.'
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Behind a proxy that ends TLS, set TRUSTED_PROXY_COUNT=1: the proxy's
# X-Forwarded-Proto then tells Django the request was secure (set it only behind a proxy that
# overwrites that header).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

INSTALLED_APPS = [
    "portal.admin_config.StaffAdminConfig",  # django.contrib.admin on the staff site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_standardized_errors",
    "corsheaders",
    "simple_history",
    "import_export",
    "axes",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "core",
    "portal",
    "members",
    "conferences",
    "agreements",
    "ops",
    # django-cleanup, last: it connects to every model loaded before (core/file_cleanup.py).
    "core.file_cleanup.FileCleanupConfig",
]

# The apps whose records staff keep: their changes move the change clock (core/changes.py)
# and the staff roles cover their models (portal/roles.py).
RECORD_APPS = ("members", "conferences", "agreements")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.compression.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole answers for anonymous callers, until a record changes (core/page_cache.py).
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records who made each change in the history of a record.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Staff sign in to the admin with their user name.
    "django.contrib.auth.backends.ModelBackend",
    # Members sign in at /account/ with their e-mail address (django-allauth).
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Admin logins: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_HOURS (a successful login resets the count).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The admin's form says "username", the members' sign-in form "login" (an e-mail address).
AXES_USERNAME_CALLABLE = "core.auth.attempted_login"

# The members' area (/account/): django-allauth, for contacts of member organisations that
# staff invite. Nobody signs up unasked (portal/account/adapter.py).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account:home"
ACCOUNT_ADAPTER = "portal.account.adapter.MembersAccountAdapter"
ACCOUNT_USER_DISPLAY = "portal.account.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = int(env("ACCOUNT_LOGIN_CODE_SECONDS", "600"))
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
# Mail only addresses that hold an account: the forms never become a way to spam others.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Sign-in attempts, codes and resets per address and per e-mail (django-allauth's limits).
ACCOUNT_RATE_LIMITS = {
    "login": env("ACCOUNT_LOGIN_RATE", "30/m/ip"),
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "request_login_code": env("ACCOUNT_LOGIN_CODE_RATE", "20/m/ip,3/m/key"),
    "reset_password": env("ACCOUNT_RESET_RATE", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# An invitation to become a member contact is good for this many days, and for one use.
MEMBER_INVITATION_DAYS = int(env("MEMBER_INVITATION_DAYS", "14"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's own loaders, cached, with HTML templates read without their indentation.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "core.template_loaders.FilesystemLoader",
                        "core.template_loaders.AppDirectoriesLoader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "portal.navigation.site_pages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database is shared by the web server and the task worker: wait for a lock
    # rather than fail, and let readers read while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            # A cache that does not answer must not hold a request up: a quarter of a second
            # to connect or to answer, then the portal serves without it (core/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    # Room for the dependency tags besides the answers: at Django's default of 300 entries,
    # a few saves would push the cached menu and pages out.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# How long an anonymous page or API answer is kept at most; a change drops at once the ones
# that show what it changed (core/dependencies.py). PAGE_CACHE=off (or 0 seconds) turns the
# cache off.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300")) if env_bool("PAGE_CACHE", True) else 0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Agreement documents not yet made public: outside MEDIA_ROOT, served only through a view
# that checks who asks (agreements/views.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# The bulk download files (portal/downloads.py), served by the API, not by the web server.
DOWNLOADS_ROOT = Path(env("DOWNLOADS_ROOT", str(BASE_DIR / "var" / "downloads")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Signed agreement documents, in PRIVATE_MEDIA_ROOT (agreements/storage.py).
    "documents": {"BACKEND": "agreements.storage.DocumentStorage"},
    # What members propose (a new logo or photo) until staff approve it (core/storage.py).
    "private": {"BACKEND": "core.storage.PrivateStorage"},
    # The bulk download files and their manifest, in DOWNLOADS_ROOT (core/storage.py).
    "downloads": {"BACKEND": "core.storage.DownloadStorage"},
    # Hashed names (cached for ever by browsers) and gzip/brotli copies, served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# In development whitenoise serves straight from the source folders, as runserver would.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

if env("AWS_STORAGE_BUCKET_NAME"):
    # Media on S3-compatible object storage (pip install '.[s3]'); django-storages reads the
    # AWS_* variables (AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, credentials...) itself.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["documents"] = {"BACKEND": "agreements.storage.S3DocumentStorage"}
    STORAGES["private"] = {"BACKEND": "core.storage.S3PrivateStorage"}
    STORAGES["downloads"] = {"BACKEND": "core.storage.S3DownloadStorage"}
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN") or None

# Uploads: refuse anything larger before Pillow or the PDF check reads it.
MAX_IMAGE_UPLOAD_BYTES = int(env("MAX_IMAGE_UPLOAD_BYTES", str(5 * 1024 * 1024)))
MAX_IMAGE_PIXELS = int(env("MAX_IMAGE_PIXELS", str(40_000_000)))
MAX_DOCUMENT_UPLOAD_BYTES = int(env("MAX_DOCUMENT_UPLOAD_BYTES", str(20 * 1024 * 1024)))

ASSOCIATION_NAME = env(
    "ASSOCIATION_NAME", "International Association of Science Parks and Areas of Innovation"
)
ASSOCIATION_SHORT_NAME = env("ASSOCIATION_SHORT_NAME", "IASP")

# E-mail. With EMAIL_HOST set, mail goes out by SMTP; without it, each message is written to a
# file in EMAIL_FILE_PATH (var/mail/) where a developer can read it. Mail is never sent in a
# request: core/mail.py hands it to the task queue, and the worker sends it.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{ASSOCIATION_SHORT_NAME} <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail")))
# How many times the worker tries to send one message before giving up, and the first pause
# between tries in seconds (doubled at each try).
EMAIL_SEND_ATTEMPTS = int(env("EMAIL_SEND_ATTEMPTS", "5"))
EMAIL_RETRY_SECONDS = int(env("EMAIL_RETRY_SECONDS", "60"))

# Deferred work (e-mail): django-tasks, whose API is Django's own from Django 6.0. Tasks are
# rows in the database (SQLite or PostgreSQL); `manage.py db_worker` runs them. `make run`
# starts one worker beside the development server; production runs one or more worker
# processes (README, "Running in production"). TASKS_BACKEND=immediate runs each task at once
# in the process that enqueued it (no worker).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if env("TASKS_BACKEND", "database") not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env("TASKS_BACKEND", "database")]}}

# The bulk downloads (/api/v1/downloads/): the worker rebuilds them this many seconds after a
# change to any record, once for all the changes saved meanwhile.
DOWNLOADS_REBUILD_DELAY_SECONDS = int(env("DOWNLOADS_REBUILD_DELAY_SECONDS", "60"))
# Whether a change to a record asks the worker for a rebuild (`manage.py build_downloads`
# rebuilds them whatever this says).
DOWNLOADS_REBUILD_ON_CHANGE = env_bool("DOWNLOADS_REBUILD_ON_CHANGE", True)

# Counts over whole tables (the figures, the network; core/aggregates.py): the worker recounts
# them this many seconds after a change, once for all the changes saved meanwhile. Until then
# pages show the counts made before the change, for at most AGGREGATES_MAX_LAG_SECONDS; past
# that (no worker running) the request counts them itself.
AGGREGATES_REFRESH_DELAY_SECONDS = int(env("AGGREGATES_REFRESH_DELAY_SECONDS", "30"))
AGGREGATES_MAX_LAG_SECONDS = int(env("AGGREGATES_MAX_LAG_SECONDS", "300"))
AGGREGATES_REFRESH_ON_CHANGE = env_bool("AGGREGATES_REFRESH_ON_CHANGE", True)

# Webhooks (portal/webhooks/): tries per delivery, the first pause between tries in seconds
# (doubled at each try), the time a receiver has to answer, and the failed deliveries in a
# row after which a subscription is paused. Receivers are called on public addresses only;
# WEBHOOK_ALLOWED_NETWORKS lists the networks (CIDR, comma-separated) that may be called
# besides, over plain HTTP too (an intranet receiver; 127.0.0.0/8 for local testing).
WEBHOOK_ATTEMPTS = int(env("WEBHOOK_ATTEMPTS", "6"))
WEBHOOK_RETRY_SECONDS = int(env("WEBHOOK_RETRY_SECONDS", "60"))
WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_PAUSE_AFTER = int(env("WEBHOOK_PAUSE_AFTER", "5"))
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network such as 10.0.0.0/8."
        ) from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO").upper()},
}

SITE_NAME = env("SITE_NAME", "Science Parks Portal")
# The portal's public address, for links in e-mail sent by the worker (no request to ask).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# The partner API: /api/v1/, documented at /api/v1/docs/.
# The model of partner and staff API tokens, read by the API's authentication (core/rest/).
API_TOKEN_MODEL = "portal.ApiToken"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.rest.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.rest.permissions.ReadOnlyUnlessStaffToken"],
    "DEFAULT_THROTTLE_CLASSES": ["core.rest.throttling.CallerRateThrottle"],
    # Requests per caller: anonymous (by address), partner token, staff token. "none": no limit.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", "120/minute"),
        "partner": env("API_PARTNER_RATE", "1200/minute"),
        "staff": env("API_STAFF_RATE", "1200/minute"),
    },
    # Behind a proxy, the number of proxies whose X-Forwarded-For entries are trusted.
    "NUM_PROXIES": int(env("TRUSTED_PROXY_COUNT", "0")),
    "DEFAULT_RENDERER_CLASSES": ["core.rest.renderers.JSONRenderer"],
    # JSON only; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, nesting past 64 levels a 400.
    "DEFAULT_PARSER_CLASSES": ["core.rest.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.rest.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.rest.filters.ModifiedSinceFilter",
        "core.rest.filters.SearchFilter",
        "core.rest.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.rest.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_MAX_PAGE_SIZE = 200
# The largest request body read into memory (an API write, an admin form without its files).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
# The most fields a form may send: a whole conference programme with its speakers is one form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(env("DATA_UPLOAD_MAX_NUMBER_FIELDS", "10000"))

DRF_STANDARDIZED_ERRORS = {
    "ALLOWED_ERROR_STATUS_CODES": ["400", "401", "403", "404", "405", "406", "415", "429"]
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (BASE_DIR / "portal" / "api" / "guide.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The console's assets are named in templates/drf_spectacular/swagger_ui.html. No deep links:
    # Swagger UI puts them inside each operation's button (a link in a button is unusable).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # drf-standardized-errors' error enums, named once (its documented setup).
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in [
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            *(f"ErrorCode{code}Enum" for code in (401, 403, 404, 405, 406, 415, 429)),
        ]
    }
    # The 413 of a body over DATA_UPLOAD_MAX_MEMORY_SIZE (core/rest/parsers.py).
    | {"ErrorCode413Enum": "core.rest.schema.ErrorCode413Enum.choices"}
    # The 503 of a bulk download not built yet (portal/api/downloads/).
    | {"ErrorCode503Enum": "portal.api.downloads.serializers.ErrorCode503Enum.choices"}
    # The records' own choices: "kind", "status" and "role" mean different things per model.
    | {
        "ConferenceKindEnum": "conferences.models.Conference.Kind",
        "ConferenceStatusEnum": "conferences.models.Conference.Status",
        "DatePrecisionEnum": "conferences.models.Conference.DatePrecision",
        "HostRoleEnum": "conferences.models.ConferenceHost.Role",
        "SessionKindEnum": "conferences.models.Session.Kind",
        "AppearanceRoleEnum": "conferences.models.Appearance.Role",
        "DecisionKindEnum": "conferences.models.Decision.Kind",
        "OrganisationKindEnum": "members.models.Organisation.Kind",
        "MembershipCategoryEnum": "members.models.Membership.Category",
        "MembershipStatusEnum": "members.models.Membership.Status",
        "OfficeBodyEnum": "members.models.Office.Body",
        "AgreementKindEnum": "agreements.models.Agreement.Kind",
        "AgreementStatusEnum": "agreements.models.Agreement.Status",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# Content-Security-Policy: scripts, styles, images and connections from this site only; no
# inline script anywhere. MEDIA_ORIGIN adds the object storage's origin for images and files.
_MEDIA_ORIGINS = env_list("MEDIA_ORIGIN")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Partner websites may read the API from the browser; writing needs a staff token anyway.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["etag", "last-modified", "retry-after", "content-disposition"]
CORS_PREFLIGHT_MAX_AGE = 86400
