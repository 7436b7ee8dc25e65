"""Kuzot's settings, read from the environment.

Embedded default: SQLite in ``$KUZOT_DATA_DIR`` (``./var``). Production: ``KUZOT_PRODUCTION=1``
with ``KUZOT_DATABASE_URL=postgres://…``, ``KUZOT_SECRET_KEY`` and ``KUZOT_ALLOWED_HOSTS``
(see docs/deploy.md).
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from kuzot import uploads

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = _env_bool("KUZOT_PRODUCTION")
DEBUG = _env_bool("KUZOT_DEBUG") and not PRODUCTION

DATA_DIR = Path(os.environ.get("KUZOT_DATA_DIR", Path.cwd() / "var")).resolve()
# `kuzot demo` leaves this marker; demo mode shows a banner and lets demo accounts skip 2FA.
DEMO_MARKER = DATA_DIR / "DEMO"
DEMO = not PRODUCTION and (_env_bool("KUZOT_DEMO") or DEMO_MARKER.exists())
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served: media holds ciphertext only, read through views
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _data_dir_secret(name: str) -> str:
    """A random secret kept in a file of the data folder (mode 0600), made on first use. Made
    under a temporary name and linked into place, so that two processes starting at once on a
    new folder never use two different secrets."""
    path = DATA_DIR / name
    if not path.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=DATA_DIR, prefix=f".{name}.")  # mode 0600
        try:
            os.write(fd, secrets.token_urlsafe(50).encode())
            os.close(fd)
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def _secret_key() -> str:
    if key := os.environ.get("KUZOT_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("Set KUZOT_SECRET_KEY in production.")
    # The secret key signs sessions and CSRF tokens; it never protects identities (the vault does).
    return _data_dir_secret("secret_key")


SECRET_KEY = _secret_key()
# Keys the audit log's hash chain and signs its checkpoints (kuzot.audit.keys). In production it
# comes from the environment, outside the data folder, so that someone who can write the
# database cannot recompute the chain; the file in the data folder protects only against
# someone who holds the database alone (see docs/security.md, "Audit").
KUZOT_AUDIT_KEY_FROM_DATA_DIR = not os.environ.get("KUZOT_AUDIT_KEY")
KUZOT_AUDIT_KEY = os.environ.get("KUZOT_AUDIT_KEY") or _data_dir_secret("audit_key")
ALLOWED_HOSTS = os.environ.get("KUZOT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")


def _database(url: str | None) -> dict:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "kuzot.sqlite3"}
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": parsed.port or "",
            "CONN_MAX_AGE": 60,
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path)}
    raise ImproperlyConfigured(f"KUZOT_DATABASE_URL: unknown database scheme {parsed.scheme!r}")


DATABASES = {"default": _database(os.environ.get("KUZOT_DATABASE_URL"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    # A file, not memory, so that tests can scan what really lands on disk.
    # One per process, so that test runs side by side never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-kuzot-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "kuzot.accounts",
    "kuzot.audit",
    "kuzot.cases",
    "kuzot.intake",
    "kuzot.monitoring",
    "kuzot.stats",
    "kuzot.recommendations",
    "kuzot.ops",
    "kuzot.jobs",
]

# Background jobs (kuzot.jobs) wait in the database, where every server process and worker
# sees them; `kuzot worker` runs them (`kuzot serve` starts one). See docs/deploy.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kuzot.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kuzot.accounts.middleware.VaultKeyringMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kuzot.urls"
WSGI_APPLICATION = "kuzot.wsgi.application"

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
                "kuzot.middleware.site_context",
            ],
        },
    }
]

# Widgets render with the site's templates: templates/django/forms/widgets/select.html writes
# each option in place (Django includes two templates per option, a third of a case list's
# time spent on its filters).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "kuzot.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id work factors for the key that unwraps a user's private key (see docs/security.md).
KUZOT_KDF = {
    "time_cost": int(os.environ.get("KUZOT_KDF_TIME_COST", 3)),
    "memory_cost": int(os.environ.get("KUZOT_KDF_MEMORY_KIB", 64 * 1024)),
    "parallelism": 1,
}
# Reverse proxies whose X-Forwarded-For is believed (kuzot/clients.py); loopback by default,
# as in docs/deploy.md. Addresses or networks, comma-separated.
KUZOT_TRUSTED_PROXIES = os.environ.get("KUZOT_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
# At most this many Argon2 derivations at once per process (docs/security.md, "Accounts").
KUZOT_KDF_CONCURRENCY = int(os.environ.get("KUZOT_KDF_CONCURRENCY", 2))
# How long the disclosure check of one release may take before it refuses (fails closed).
KUZOT_DISCLOSURE_SECONDS = int(os.environ.get("KUZOT_DISCLOSURE_SECONDS", 300))
KUZOT_INVITATION_DAYS = 7

# Idle expiry: a session lives 30 minutes past its last request, and never past a browser close.
SESSION_COOKIE_AGE = int(os.environ.get("KUZOT_IDLE_MINUTES", 30)) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # no-referrer makes browsers send Origin: null
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("KUZOT_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

LANGUAGE_CODE = "en"
# Staff pages speak English and Russian; public pages (the complaint form, published
# statistics) also Kyrgyz, Kazakh, Tajik, Uzbek and Turkmen.
STAFF_LANGUAGES = ["en", "ru"]
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("ky", "Кыргызча"),
    ("kk", "Қазақша"),
    ("tg", "Тоҷикӣ"),
    ("uz", "Oʻzbekcha"),
    ("tk", "Türkmençe"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats of our own where Django's mislead (kuzot/formats/en: no US month-first dates).
FORMAT_MODULE_PATH = ["kuzot.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Uploads stay in memory until they are encrypted: nothing is spooled to a temporary file.
# The limits are in kuzot/uploads.py, one place for the forms, the handler and the web server.
FILE_UPLOAD_HANDLERS = ["kuzot.uploads.MemoryUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = uploads.MAX_FIELDS_BYTES

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Request logs never carry identities: URLs hold ids only, bodies are never logged.
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KUZOT_LOG_LEVEL", "WARNING")},
}
