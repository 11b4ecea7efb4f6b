"""Ataa settings: one module, driven by the environment (see .env.example).

The embedded default (no variables set) is a complete platform on SQLite in ./var with tasks run
by the database-backed worker. Production sets ATAA_ENV=production and the variables that
`manage.py check --deploy` asks for.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ATAA_ENV = env.str("ATAA_ENV", default="development")
PRODUCTION = ATAA_ENV == "production"
VAR_DIR = Path(env.str("ATAA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="" if PRODUCTION else "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop",
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "ataa.core",
    "ataa.accounts",
    "ataa.organizations",
    "ataa.notifications",
    "ataa.volunteers",
    "ataa.opportunities",
    "ataa.hours",
    "ataa.certificates",
    "ataa.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ataa.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ataa.organizations.middleware.OrganizationMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "ataa.organizations.context_processors.organizations",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode. Production: DATABASE_URL=postgres://…
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ataa.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login rate limits / lockout live here, so it must be shared between processes) ---
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://ataa_cache")}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "ataa.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "ataa.accounts.forms.SignupForm"}
# Lockout: the sixth login attempt within 15 minutes after 5 failures for one account is refused.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key,20/15m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ataa"

SESSION_COOKIE_AGE = 60 * 60  # an idle hour …
SESSION_SAVE_EVERY_REQUEST = True  # … counted from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "ataa_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("ATAA_TIME_ZONE", default="Asia/Riyadh")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `make run` serves the source files directly (no collectstatic); production serves the
# compressed, hashed files collected into STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("ATAA_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (proofs of qualifications): outside MEDIA_ROOT, no URL; only views that check
# access first stream them (ataa/core/storage.py).
ATAA_PRIVATE_ROOT = Path(env.str("ATAA_PRIVATE_ROOT", default=str(VAR_DIR / "private")))
# The private keys that sign certificates (Ed25519, a PEM file per key, mode 0600), never in
# the database; back this directory up apart from the database (ataa/certificates/keys.py).
ATAA_SIGNING_KEY_DIR = Path(env.str("ATAA_SIGNING_KEY_DIR", default=str(VAR_DIR / "keys")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "ataa.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ataa <no-reply@ataa.localhost>")

# --- Background work ------------------------------------------------------------------------
# Every task is an OutboxMessage row written in the caller's transaction (ADR 0003).
# "db": the embedded worker (manage.py run_worker) claims tasks from the outbox table.
# "celery": the outbox hands row ids to Celery on CELERY_BROKER_URL (Redis in production); Celery
# workers (celery -A config worker) run them, and `manage.py run_worker` runs the outbox relay.
ATAA_TASK_BACKEND = env.str("ATAA_TASK_BACKEND", default="celery" if PRODUCTION else "db")
# A running task's lease; the worker renews it every third of it while the task runs, so this is
# how long a killed worker's task waits before another worker takes it (not a task time limit).
ATAA_TASK_LEASE_SECONDS = env.int("ATAA_TASK_LEASE_SECONDS", default=120)
ATAA_TASK_MAX_ATTEMPTS = env.int("ATAA_TASK_MAX_ATTEMPTS", default=5)
# Retry n waits ATAA_TASK_BACKOFF_SECONDS * 2**(n-1), at most an hour.
ATAA_TASK_BACKOFF_SECONDS = env.int("ATAA_TASK_BACKOFF_SECONDS", default=30)
# How often run_worker looks for work (db backend) or for rows to relay (celery backend).
ATAA_TASK_POLL_SECONDS = env.float("ATAA_TASK_POLL_SECONDS", default=1.0)
# Celery backend: a row handed to the broker but not started after this long is published again.
ATAA_TASK_REDISPATCH_SECONDS = env.int("ATAA_TASK_REDISPATCH_SECONDS", default=900)
# Whether run_worker enqueues the due periodic tasks (ataa.core.tasks.periodic). Any number of
# workers may do it (each slot is enqueued once); turn it off where a worker must not.
ATAA_PERIODIC_TASKS = env.bool("ATAA_PERIODIC_TASKS", default=True)
# Extra modules that register tasks, imported at start-up (the tests' worker processes use it).
ATAA_TASK_EXTRA_MODULES = env.list("ATAA_TASK_EXTRA_MODULES", default=[])
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A backstop only: the outbox relay re-publishes a lost task long before this (ADR 0003).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # Publishing to a broker that does not answer fails at once instead of retrying for seconds
    # inside a request: the row stays pending and the relay publishes it later. (Celery workers
    # reconnect on their own, with broker_connection_max_retries.)
    "max_retries": 0,
    "socket_connect_timeout": 2,
}
CELERY_TIMEZONE = TIME_ZONE

# --- Notifications (ataa/notifications, ADR 0007) ----------------------------------------------
# Text messages: "console" writes them to the worker's standard output (the demo); "http" posts
# them to an SMS gateway: JSON {"to", "text", "sender"}, "Authorization: Bearer <key>".
ATAA_SMS_BACKEND = env.str("ATAA_SMS_BACKEND", default="console")
ATAA_SMS_GATEWAY_URL = env.str("ATAA_SMS_GATEWAY_URL", default="")
ATAA_SMS_GATEWAY_KEY = env.str("ATAA_SMS_GATEWAY_KEY", default="")
# Seconds to wait for the gateway; a timeout is a failure that the outbox retries.
ATAA_SMS_GATEWAY_TIMEOUT = env.float("ATAA_SMS_GATEWAY_TIMEOUT", default=10.0)
# The sender name the gateway shows, where it allows one.
ATAA_SMS_SENDER = env.str("ATAA_SMS_SENDER", default="Ataa")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; kept default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: ids only, never personal data ---------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("ATAA_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# Absolute links in emails (invitations, decisions).
ATAA_BASE_URL = env.str("ATAA_BASE_URL", default="http://127.0.0.1:8000")
# Platform admins must use two-factor authentication; the demo (make run) turns this off so its
# logins work at once.
ATAA_PLATFORM_ADMIN_MFA = env.bool("ATAA_PLATFORM_ADMIN_MFA", default=PRODUCTION)
