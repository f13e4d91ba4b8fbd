"""Settings, all read from the environment.

The defaults are the production ones: DEBUG is off and SECRET_KEY, DATABASE_URL
and ALLOWED_HOSTS must be given. `DEBUG=1` (what `make run` sets) switches to a
local set-up on the embedded SQLite database with demo accounts.
"""

import hashlib
import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def required(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(  # sv-only: for the operator at start-up, before translations can load
            f"{name} måste anges i miljön när DEBUG är avstängt (produktion)."
        )
    return value


DEBUG = env_bool("DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
    DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = required("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        # Sessions, password reset links and CSRF tokens are signed with it: a short key can be guessed.
        raise ImproperlyConfigured(  # sv-only: for the operator at start-up, before translations can load
            f"SECRET_KEY är för kort ({len(SECRET_KEY)} tecken, minst 50 krävs i produktion). Skapa en med: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    DATABASE_URL = required("DATABASE_URL")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(",")

# Demo accounts (password "demo") are only ever created in DEBUG/demo mode.
DEMO_MODE = DEBUG and env_bool("DEMO_MODE", True)

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin shows each translated field beside the Swedish.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "strategy",
    "reporting",
    "indicators",
    "actions",
    "reports",
    "workspace",
]

MIDDLEWARE = [
    # First: forwarded headers count only from TRUSTED_PROXIES (config/proxy.py).
    "config.proxy.TrustedProxyMiddleware",
    # Control characters (%00) in an address: 404 before any view or query (config/paths.py).
    "config.paths.ControlCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language first (config/locale.py): the page cache below keys its copies by it, so an
    # English reader never gets the Swedish copy of a page.
    "config.locale.LanguageMiddleware",
    # Public pages from process memory, about as cheap as a static file.
    "reports.middleware.PublicPageMiddleware",
    # Downloads, API and catalogue: ETag/304 from the page version, CORS for GET.
    "reports.opendata.OpenDataMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A database that hangs must not hang the site: a connection attempt gives up after
# DB_CONNECT_TIMEOUT seconds and a statement after DB_STATEMENT_TIMEOUT_MS (server side).
# CONN_HEALTH_CHECKS: a persistent connection that died (database restarted) is replaced before
# a request uses it, instead of failing that request.
# A reused connection to a database that stopped answering (host gone, network cut) fails within
# DB_DEAD_CONNECTION_SECONDS (5 s) instead of the kernel's minutes: TCP keepalive probes every second
# after 2 s idle, and tcp_user_timeout gives up on data left unacknowledged that long (libpq options).
DB_DEAD_CONNECTION_SECONDS = env_int("DB_DEAD_CONNECTION_SECONDS", 5)
# A host that still acknowledges but whose database hangs is not caught by TCP: the reused
# connection's health check (SELECT 1) gets this long, then the request fails with a 503 page
# (config/postgresql/base.py).
DB_HEALTH_CHECK_SECONDS = float(os.environ.get("DB_HEALTH_CHECK_SECONDS", "1"))
POSTGRES_OPTIONS = {
    "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
    "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 20_000)}",
    "keepalives": 1,
    "keepalives_idle": 2,
    "keepalives_interval": 1,
    "keepalives_count": max(1, DB_DEAD_CONNECTION_SECONDS - 2),
    "tcp_user_timeout": DB_DEAD_CONNECTION_SECONDS * 1000,  # milliseconds
}
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"  # Django's, with a deadline on the health check
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
# /healthz answers 503 if the database has not answered SELECT 1 within this many seconds.
HEALTHZ_TIMEOUT = float(os.environ.get("HEALTHZ_TIMEOUT", "3"))
HEALTHZ_DATABASE = "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The file cache of reports.cache: Django's, except that culling never removes the page version
# (Django's culls a third of its files at random when it holds MAX_ENTRIES).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "reports.cache.PageFileCache")
FILE_CACHE = CACHE_BACKEND.endswith("FileCache")
CACHES = {
    "default": {
        # Cached report pages. A file cache is shared by the workers of one machine
        # and costs no SQL query per page; several app servers share a Redis instead
        # (see README, Production).
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", str(BASE_DIR / ".cache" / "django")),
        # Room for every page and its variants before culling starts (Django's default is 300).
        **({"OPTIONS": {"MAX_ENTRIES": 5000}} if FILE_CACHE else {}),
    },
}
# The public CSV and XLSX downloads, each written once per page version (reports.downloads): files, not
# cache entries, since the 100 000-value CSV is 30 MB and is sent from disk without being read into memory.
# Each machine writes its own; only the newest of each download is kept.
DOWNLOAD_CACHE_DIR = os.environ.get("DOWNLOAD_CACHE_DIR", str(BASE_DIR / ".cache" / "downloads"))

# The API's uncached work (reports/apislots.py): at most API_CONCURRENCY answers are rendered at once
# on one machine, across its workers and app servers; a request beyond that gets 503 with
# Retry-After, so the other workers stay free for the cached pages. Default: half the cores, at least 1.
API_CONCURRENCY = env_int("API_CONCURRENCY", max(1, (os.cpu_count() or 2) // 2))
API_RETRY_AFTER_SECONDS = env_int("API_RETRY_AFTER_SECONDS", 2)
API_SLOT_DIR = os.environ.get(
    "API_SLOT_DIR",
    str(Path(tempfile.gettempdir()) / f"valdsstrategi-api-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]}"),
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: five failed attempts per user name and address lock it for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address axes locks is the client's, as a trusted proxy reports it (config/proxy.py): behind a
# proxy every request has the proxy's REMOTE_ADDR, and X-Forwarded-For from anyone else is a lie.
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"

# The proxies in front of the site (addresses or networks, comma-separated). Their X-Forwarded-For
# and X-Forwarded-Proto are believed; from every other peer those headers are dropped. Empty: no
# proxy, each connection is judged by its own address. Defaults to gunicorn's FORWARDED_ALLOW_IPS.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES") or env_list("FORWARDED_ALLOW_IPS")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(  # sv-only: for the operator at start-up, before translations can load
            f"TRUSTED_PROXIES: {_proxy!r} är ingen adress eller inget nät (t.ex. 10.0.0.2 eller 10.0.0.0/24)."
        ) from None

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Swedish at today's addresses, English under /en/ (config/urls.py); the workspace, the desk and
# the admin follow the language the user chose with the switch (its cookie), see config/locale.py.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
# The project's catalogues (make messages), then Swedish for django-import-export's own strings
# (hand-made: that package ships no Swedish, and makemessages would drop them from locale/).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-import-export"]
# Content translation (django-modeltranslation): a field without English shows the Swedish.
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
# The pages with one address for both languages, which follow the user's choice (the switch's cookie).
USER_LANGUAGE_PATHS = ["/rapportering/", "/admin/", "/konto/"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes; whitenoise serves it. Overridable for tests and read-only checkouts.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# Where a login lands when its `next` is missing or unsafe (Django's default /accounts/profile/ is a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

# History rows are read per item (by its id) and sorted there; no query reads them by date across items,
# and an index on the date would be one more for an import to write per row.
SIMPLE_HISTORY_DATE_INDEX = False

# Imports (values, status reports): what a file may be at most. Reading stops with a Swedish message at
# the first limit passed (reporting/uploads.py). The largest file benchmarked, /data/values.csv of 100 000
# values exported and imported again, is 29.6 MB; 200 000 rows is twice its rows.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 32_000_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 100_000_000)  # an XLSX, unzipped
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)  # a wide table has one column per year
IMPORT_MAX_ERRORS_SHOWN = env_int("IMPORT_MAX_ERRORS_SHOWN", 100)  # the rest are counted ("och 59 900 till")
# Limits on what grows before the row limit applies (a file of blank lines, a wide table of 190 years,
# an XLSX of millions of shared strings): each refuses the file with its own Swedish message.
IMPORT_MAX_LINES = env_int("IMPORT_MAX_LINES", 210_000)  # blank lines included
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 200_000)  # values a wide table becomes (rows × year columns)
IMPORT_MAX_SHARED_STRINGS = env_int("IMPORT_MAX_SHARED_STRINGS", 1_000_000)  # an XLSX's distinct texts
IMPORT_MAX_PARSE_SECONDS = float(os.environ.get("IMPORT_MAX_PARSE_SECONDS", "15"))  # within the worker's 30 s
# Where an upload waits between preview and confirm, under a random name bound to the session; removed at
# confirm or cancel, and by `manage.py remove_expired_uploads` (cron or the worker) after this many seconds.
IMPORT_UPLOAD_DIR = os.environ.get("IMPORT_UPLOAD_DIR", os.path.join(tempfile.gettempdir(), "indikatorer-uppladdningar"))
IMPORT_UPLOAD_MAX_AGE = env_int("IMPORT_UPLOAD_MAX_AGE", 3600)
# Uploads above this size go to a temporary file instead of memory (Django's default, stated).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Exports: formula-like text is neutralised by the resources themselves (reporting/spreadsheet.py);
# import-export's own escaping only drops a leading "=" and turns every number into text, so it stays off.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# Background work (the round's mails, an edition's PDF): django-tasks with its database backend, so the
# jobs wait in the site's own database and no other service is needed. `manage.py db_worker` runs them
# (`make run` starts one beside the server; see README, Production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed job (SMTP down, PDF not made) is run again after these many seconds, one delay per retry;
# after the last it is recorded as failed (on the Notification or the EditionPdf, and as a failed task).
TASK_RETRY_DELAYS = [int(s) for s in env_list("TASK_RETRY_DELAYS", ["30", "300", "1800"])]

# E-mail (the reporting round's mails). SMTP from the environment; the console in DEBUG unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "uppfoljning-valdsstrategin@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
# The site's address (no trailing slash): the links in the mails, the API's answers, the DCAT catalogue and
# the downloads (reporting.addresses), never the request's Host. Required in production: a default
# would publish links to a machine no reader can reach.
SITE_URL = os.environ.get("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else required("SITE_URL"))
# Who the round's mails name as the coordinator to contact (their signature).
COORDINATOR_CONTACT_NAME = os.environ.get("COORDINATOR_CONTACT_NAME", "")
COORDINATOR_CONTACT_EMAIL = os.environ.get("COORDINATOR_CONTACT_EMAIL", "")

# Content-Security-Policy: everything from the site itself. Plotly sets inline
# styles on the SVG it draws, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if TRUSTED_PROXIES:
        # Only a trusted proxy's header survives config.proxy.TrustedProxyMiddleware.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer checks health over plain http; a redirect would count as a failure.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One JSON object per line, for a log collector (messages and tracebacks escaped).
        "json": {"()": "config.logging.JsonFormatter"},
    },
    # stderr, not stdout: management commands whose output is data (dumpdata > file) must stay clean.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
    # WeasyPrint logs every step of every PDF (and of parsing the print style sheet at start-up) at INFO,
    # and fontTools each font it subsets: their warnings and errors are what an operator needs.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# Open data (/data/, /api/v1/, the DCAT-AP-SE catalogue /data/katalog.rdf). CC0 by
# default: what /data/ has always promised, and what DIGG recommends for open data.
DATA_LICENCE_URL = os.environ.get("DATA_LICENCE_URL", "http://creativecommons.org/publicdomain/zero/1.0/")
DATA_LICENCE_NAME = os.environ.get("DATA_LICENCE_NAME", "CC0 1.0")
DATA_PUBLISHER_NAME = os.environ.get("DATA_PUBLISHER_NAME", "Länsstyrelsen Stockholm")  # sv-only: a name, data
DATA_PUBLISHER_URL = os.environ.get("DATA_PUBLISHER_URL", "https://www.lansstyrelsen.se/stockholm")
DATA_CONTACT_EMAIL = os.environ.get("DATA_CONTACT_EMAIL", "stockholm@lansstyrelsen.se")
