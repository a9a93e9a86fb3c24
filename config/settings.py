"""Settings, read from environment variables (see .env.example for the full list).

BONTOT_MODE selects the profile: "development" (default; `make run`), "production"
(refuses to start with the default SECRET_KEY or with DEBUG on) and "test" (pytest).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

MODE = env.str("BONTOT_MODE", default="development")
if MODE not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"BONTOT_MODE must be development, production or test, not {MODE!r}")
PRODUCTION = MODE == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=MODE == "development")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("Production needs its own DJANGO_SECRET_KEY (40+ characters).")
    if DEBUG:
        raise ImproperlyConfigured("Production must not run with DJANGO_DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs DJANGO_ALLOWED_HOSTS.")

# Demo accounts and demo data exist only when this is on (`make run` turns it on).
DEMO_MODE = env.bool("BONTOT_DEMO", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "treebeard",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",  # for its system check of the counters' cache
    # The shared floor (imports no domain app; docs/architecture.md).
    "caching",
    "web",
    "partydocs",
    "operations",
    # The domain, lowest first: each imports only the ones above it in this list.
    "branches",
    "criteria",
    "pledges",
    "reports",
    # Tooling, not the product: the demo data, the synthetic province and the benchmark.
    "demo",
    "benchmarking",
]

MIDDLEWARE = [
    # First, so every log line of the request (redirects included) carries its id.
    "log_request_id.middleware.RequestIDMiddleware",
    # Off unless BONTOT_SERVER_TIMING (the load test): the time and the figures' cache hits.
    "web.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A temporary password (members' accounts) is changed before anything else.
    "branches.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Turns a rate-limited request (django-ratelimit) into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "branches.context_processors.roles",
                "reports.context_processors.worklist",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL points elsewhere (postgres://…).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind pgbouncer in transaction mode (docs/deploy.md): no server-side cursors, CONN_MAX_AGE=0.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "branches.User"
# The organization model the Party document layer numbers documents for (partydocs).
BONTOT_ORGANIZATION_MODEL = "branches.Organization"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Temporary passwords of accounts made in bulk, replaced at the first log-in (web/passwords.py).
    "web.passwords.TemporaryPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Our User keeps one full_name, not first/last names.
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "web.passwords.MinimumLengthValidator"},  # the message in Vietnamese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed log-ins (django-axes). Counting per user name and address
# keeps one shared office NAT from locking everybody out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Trusted reverse proxies in front (nginx: 1). The client address is read from X-Forwarded-For
# that many hops from the right, for the lock-out, the rate limits and the signing evidence alike
# (web/clients.py); with 0 the header is ignored.
BONTOT_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# The networks those proxies are in (CIDR, comma-separated); empty: trust by count alone
# (web/clients.py). Set it when the application can be reached other than through the proxies.
# A network that is not one stops the start-up (ValueError), not every request.
# How the cap on "xuất sắc" counts its base (criteria/rules.py): "good" — those rated "hoàn
# thành tốt nhiệm vụ", as the regulations' text reads — or "good_or_better" — "tốt" and above,
# as some offices count; empty: the rule set's own reading ("good"). The demo counts as Vĩnh
# Phúc did in 2022 (13 of 65, seeds/).
BONTOT_RATING_CAP_BASE = env.str(
    "BONTOT_RATING_CAP_BASE", default="good_or_better" if DEMO_MODE else ""
)
if BONTOT_RATING_CAP_BASE not in ("", "good", "good_or_better"):
    raise ImproperlyConfigured("BONTOT_RATING_CAP_BASE: good hoặc good_or_better")
BONTOT_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(network.strip(), strict=False))
    for network in env.list("BONTOT_TRUSTED_PROXIES", default=[])
    if network.strip()
]
AXES_CLIENT_IP_CALLABLE = "web.clients.client_ip"

# A working day; closing the browser ends the session too (shared office computers).
# Django's database sessions, read with one plain SQL statement (web/sessions.py).
SESSION_ENGINE = "web.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token; the admin's tree widget takes it
# from the page), so it is HttpOnly too.
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp 4): scripts and styles only from our own static files,
# nothing inline. The document previews (the PDF's own HTML shown in an iframe) carry their
# <style> block with the per-request nonce. Drawn signatures and QR codes are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# The default cache (nothing the product relies on being shared) and the cached figures. The
# rate-limit counters have a cache of their own below.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://bontot"),
    # The cached dashboard figures and member counts (caching.figures), apart from the rate-limit
    # counters so that they can never crowd them out when the cache culls. Correct with any
    # backend (keys hold a data version read from the database); a shared one
    # (dbcache://bontot_figures, then `manage.py createcachetable`) computes once for all workers.
    "figures": env.cache("FIGURES_CACHE_URL", default="locmemcache://bontot-figures"),
}
CACHES["figures"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# The rate-limit counters: Redis, shared by every worker and counting atomically (web/counters.py;
# django-ratelimit's system check refuses a cache that cannot). Redis runs beside PostgreSQL
# (docs/deploy.md); if it stops answering, requests go through uncounted and /healthz says so.
CACHES["ratelimit"] = {
    "BACKEND": "web.counters.CounterCache",
    "LOCATION": env.str("RATELIMIT_REDIS_URL", default="redis://127.0.0.1:6379/1"),
    "KEY_PREFIX": "bontot",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
# django-ratelimit lists django-redis, not Django's own RedisCache, as supported: both INCR.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
RATELIMIT_VIEW = "web.ratelimits.rate_limited"
# Costly endpoints, per user (or address when anonymous): documents generated on request
# (PDF, Excel) and uploads to the public verification page.
# A Server-Timing header on every response (web.middleware.ServerTimingMiddleware).
BONTOT_SERVER_TIMING = env.bool("BONTOT_SERVER_TIMING", default=False)
BONTOT_RATE_DOCUMENTS = env.str("BONTOT_RATE_DOCUMENTS", default="30/m")
BONTOT_RATE_VERIFY_UPLOAD = env.str("BONTOT_RATE_VERIFY_UPLOAD", default="10/m")
# The same client address for the rate limits (web/clients.py).
RATELIMIT_IP_META_KEY = "web.clients.client_ip"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
# The portable backup's format: Django's JSON with times at full precision (operations/serializers.py).
SERIALIZATION_MODULES = {"json-full": "operations.serializers"}

TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("BONTOT_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
if not PRODUCTION:
    # Development and tests serve straight from the finders; production runs collectstatic.
    STATIC_ROOT.mkdir(exist_ok=True)
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by npm at set-up and served by the app: no CDN, no external fonts.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/tinos", BASE_DIR / "node_modules" / "@expo-google-fonts" / "tinos"),
]
# Uploaded files live outside the web root and are only served through scoped views.
MEDIA_ROOT = Path(env.str("BONTOT_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Unless EMAIL_URL names a mail server, mail is written as files under var/mail/ (one per message),
# so a demo or a development server neither sends mail nor fills the terminal with it.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Mail goes through the task worker (web/mail.py): the connection gives up after EMAIL_TIMEOUT
# seconds, and a failed delivery is tried again after each of these delays (minutes).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
BONTOT_MAIL_RETRY_MINUTES = [1, 10, 60]
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bốn Tốt <bontot@localhost>")

# A choice of rows longer than this (organizations, branches, accounts, members) holds only the
# chosen row and is searched on the server as the user types (web.forms.SearchSelect, issue 21).
PICKER_MAX_OPTIONS = env.int("PICKER_MAX_OPTIONS", default=200)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background work (large documents) runs in `manage.py db_worker`, queued in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A summary with more rows than this is generated by the worker, with a progress bar.
BONTOT_BACKGROUND_ROWS = env.int("BONTOT_BACKGROUND_ROWS", default=200)
# Limits on one document rendering (seconds, MiB of memory).
BONTOT_RENDER_TIMEOUT = env.int("BONTOT_RENDER_TIMEOUT", default=600)
BONTOT_RENDER_MEMORY_MB = env.int("BONTOT_RENDER_MEMORY_MB", default=2048)
# /healthz fails when a task has waited this long with no worker taking it; an idle worker
# proves itself with a heartbeat task every BONTOT_WORKER_HEARTBEAT_SECONDS.
BONTOT_WORKER_STALE_SECONDS = env.int("BONTOT_WORKER_STALE_SECONDS", default=300)
BONTOT_WORKER_HEARTBEAT_SECONDS = env.int("BONTOT_WORKER_HEARTBEAT_SECONDS", default=60)

# Imports above this many rows are refused with a message (split the file).
BONTOT_IMPORT_MAX_ROWS = env.int("BONTOT_IMPORT_MAX_ROWS", default=20000)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # "preload" in the header only makes the domain eligible for the browsers' preload list; being
    # listed takes a separate submission by the owner of the registrable domain (not a sub-domain).
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Logs go to stderr (journald under systemd): one JSON object a line in production, with the
# request id (taken from nginx's X-Request-ID, or made up) and, for errors, user and path.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
NO_REQUEST_ID = "-"
# One line per request (method, path, status, user id): on in production.
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
        "request_context": {"()": "config.logs.RequestContextFilter"},
    },
    "formatters": {
        "json": {"()": "config.logs.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "request_context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # pyHanko logs a traceback for every malformed PDF someone uploads to the verification page.
        "pyhanko": {"level": "ERROR"},
    },
}

# The address people reach the app at: links in e-mails and the QR code on signed PDFs.
BONTOT_PUBLIC_URL = env.str("BONTOT_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")

# The PAdES seal on signed documents: key and certificate (PEM). `manage.py
# create_seal_certificate` makes a self-signed pair for demo and tests; production uses one from a
# certification authority (docs/deploy.md). Older certificates stay trusted for verification.
BONTOT_SEAL_KEY = Path(env.str("BONTOT_SEAL_KEY", default=str(VAR_DIR / "seal" / "seal-key.pem")))
BONTOT_SEAL_CERT = Path(
    env.str("BONTOT_SEAL_CERT", default=str(VAR_DIR / "seal" / "seal-cert.pem"))
)
BONTOT_SEAL_KEY_PASSWORD = env.str("BONTOT_SEAL_KEY_PASSWORD", default="")
BONTOT_SEAL_TRUSTED_CERTS = env.list("BONTOT_SEAL_TRUSTED_CERTS", default=[])

# Evidence and meeting minutes: size limit per file (MB).
BONTOT_UPLOAD_MAX_MB = env.int("BONTOT_UPLOAD_MAX_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
