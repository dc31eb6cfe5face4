"""One settings module; everything that differs per machine comes from the environment.

The defaults give a working demo (SQLite, DEBUG on). Production sets DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, PUBLIEKE_URL and DATABASE_URL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config import logboek

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY", "demo-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("Zet DJANGO_SECRET_KEY wanneer DJANGO_DEBUG=0.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin as accounts.beheersite.Beheersite: second factor required, no password forms.
    "accounts.beheersite.BeheerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "techniek",
    "regio",
    "audit",
    "accounts",
    "afspraken",
    "aanbod",
    "financiering",
    "monitor",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response (also a redirect or a lock-out by axes) carries the policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Adds request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before any view (after those that set headers on every answer): a NUL in the path or query string would
    # reach PostgreSQL, which refuses it; answered 400 here.
    "techniek.invoer.WeigerNulInAdres",
    "django_htmx.middleware.HtmxMiddleware",
    # After htmx (it reads request.htmx): the log-in page, or 401 for htmx, when a session has ended.
    "accounts.inloggen_nodig.InloggenNodigMiddleware",
    # Bestuurders and beheerders: nothing but enrolling or verifying the second factor until their session passed it.
    "accounts.tweede_factor.TweedeFactorVerplicht",
    # Last, as django-axes asks: it turns a lock-out into a response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # runserver and the test live server serve static files themselves; production uses WhiteNoise.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Inputs and textareas written out in Python (techniek.formulieren.Formulierweergave): the phase pages render hundreds.
FORM_RENDERER = "techniek.formulieren.Formulierweergave"

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
                "regio.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Gebruiker"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the organisation joined to the user; accounts migration 0002 moved the sessions made
    # under its earlier path (regio.backends), regio migration 0010 those under ModelBackend.
    "accounts.backends.GebruikerBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "inloggen"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed log-ins: five tries per user name and address, then a 15-minute pause.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/geblokkeerd.html"
# Across usernames, per address (password spraying; accounts/inlogpogingen.py): higher, so an office behind one
# address is not locked out by one person.
INLOGPOGINGEN_PER_ADRES = int(env("INLOGPOGINGEN_PER_ADRES", "20"))
INLOGPOGINGEN_VENSTER_S = int(env("INLOGPOGINGEN_VENSTER_MINUTEN", "15")) * 60
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use REMOTE_ADDR).
VERTROUWDE_PROXIES = int(env("DJANGO_VERTROUWDE_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.clientadres.client_ip"

LANGUAGE_CODE = "nl-nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Ours first: keeps Django's own Dutch where Django REST framework's catalogue words it differently.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Uploads: a 100,000-row DUO file is a few MB; refuse anything far beyond that.
GEGEVENS_MAX_BESTANDSGROOTTE = int(env("GEGEVENS_MAX_BESTANDSGROOTTE", str(25 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "uitvoeringsafspraken@example.org")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)

# A session ends 8 hours after it was last written (log-in, second factor), however busy it was: a working
# day, so a policy officer going from meeting to meeting does not lose a half-written section to an idle
# timeout. Not sliding: that would write the session on every request. Closing the browser ends it too.
# Database sessions that know when they end, so the page can warn shortly before.
SESSION_ENGINE = "accounts.sessies"

# Django's cache holds what every worker must share (the /verifieren/ rate limit) and the students' sums that
# only a data load changes (regio.cijfers). The database by default: no server of its own; `migrate` makes its
# table. Redis in production if wanted: DJANGO_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache and
# DJANGO_CACHE_LOCATION=redis://… (the `redis` package installed beside the lock).
CACHES = {
    "default": {
        "BACKEND": env("DJANGO_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env("DJANGO_CACHE_LOCATION", "django_cache"),
    }
}
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# A Dutch page in the site's frame instead of Django's English one (techniek/foutpaginas.py).
CSRF_FAILURE_VIEW = "techniek.foutpaginas.csrf_mislukt"

# Content-Security-Policy, in the demo as in production (so the browser tests run under it): only our own
# scripts, styles, fonts and images; the one inline thing allowed is a script carrying this response's nonce.
# No 'unsafe-inline' or 'unsafe-eval': htmx runs with allowEval off and without its injected indicator style
# (templates/base.html), and no template has a style= or on…= attribute (tests/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer probes the health endpoint over plain http, behind the TLS it does not terminate.
    SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"

# Production logs one JSON object per line (time, level, logger, message and any `extra`), which log
# collectors parse without rules of their own; the demo keeps plain lines. DJANGO_LOG_FORMAT overrides.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "tekst" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": logboek.FORMATTERS,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "tekst"}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # fontTools subsets the fonts of every PDF and seal stamp and would log ~20 lines each time.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Second factor (TOTP): the issuer name shown in the authenticator app.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Uitvoeringsafspraken mbo")

# Background work (PDF, sealing). The demo runs tasks inline; production sets TAKEN_BACKEND=database
# and runs `manage.py db_worker` beside the application servers.
TAKEN_BACKEND = env("TAKEN_BACKEND", "inline")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TAKEN_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}
# /gezondheid/ reports "fout" when a task has waited longer than this many seconds: no worker picks them up.
GEZONDHEID_MAX_WACHTTIJD = int(env("GEZONDHEID_MAX_WACHTTIJD", "300"))

# The JSON API (api/): read-only. Who may call a view and its pagination are set on the views' base
# classes (api/basis.py); a view that forgets to use them is refused to everyone.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Uitvoeringsafspraken zorg & welzijn mbo",
    "DESCRIPTION": "Alleen-lezen toegang tot doorstroompuntregio's, gemeenten, mbo-instellingen, "
    "studentaantallen, de openbare status van uitvoeringsafspraken en de landelijke monitor, en voor leden van "
    "partijen tot hun eigen uitvoeringsafspraken. Alleen GET; elke andere methode geeft 405.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The order of the groups on /api/ and in docs/openapi.yaml.
    "TAGS": [
        {"name": "Regio's", "description": "De 40 doorstroompuntregio's, op nummer."},
        {"name": "Gemeenten", "description": "Gemeenten op CBS-code, met hun regio en inwoners."},
        {"name": "Mbo-instellingen", "description": "Mbo-instellingen op DUO-instellingscode, met hun regio's."},
        {"name": "Studentaantallen",
         "description": "Tellingen van studenten: alleen aantallen, nooit iets over een persoon."},
        {"name": "Voortgang", "description": "De openbare status per regio en de landelijke monitor."},
        {"name": "Eigen uitvoeringsafspraken", "description": "Voor ingelogde leden van partijen en beheerders."},
    ],
    # Fields named alike (status, rol, soort) with different values: one clear name per list (api/keuzes.py).
    "ENUM_NAME_OVERRIDES": {
        naam: f"api.keuzes.{lijst}"
        for naam, lijst in [
            ("Afspraakstatus", "AFSPRAAKSTATUS"), ("Regiostatus", "REGIOSTATUS"), ("Leerweg", "LEERWEG"),
            ("Bronstatus", "BRONSTATUS"), ("Partijrol", "PARTIJROL"), ("Organisatiesoort", "ORGANISATIESOORT"),
            ("Besluit", "BESLUIT"), ("Actiestatus", "ACTIESTATUS"), ("Frequentie", "FREQUENTIE"),
            ("Fasenummer", "FASE"),
            ("Oordeel", "OORDEEL"), ("Sectiesoort", "SECTIESOORT"), ("Kostensoort", "KOSTENCATEGORIE"),
            ("Geldbron", "GELDBRON"), ("Geldduur", "GELDDUUR"), ("Geldkarakter", "GELDKARAKTER"),
            ("Verdeelmethode", "VERDEELMETHODE"),
        ]
    },
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
}

# The application's seal: a PKCS#12 file with key and certificate. `manage.py maak_zegelcertificaat`
# makes a self-signed one for the demo and the tests; production points these at its own.
ZEGEL_PKCS12 = Path(env("ZEGEL_PKCS12", str(BASE_DIR / "var" / "zegel.p12")))
ZEGEL_WACHTWOORD = env("ZEGEL_WACHTWOORD", "demo-zegel" if DEBUG else "")
ZEGEL_NAAM = env("ZEGEL_NAAM", "Uitvoeringsafspraken zorg & welzijn mbo")

# The public address printed in PDFs (the QR code of the verification page) and in e-mails. A sealed PDF
# keeps it for good, so production must name it rather than fall back to the demo's address.
PUBLIEKE_URL = (env("PUBLIEKE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
if not PUBLIEKE_URL:
    raise RuntimeError("Zet PUBLIEKE_URL wanneer DJANGO_DEBUG=0: het adres in e-mails en verzegelde PDF's.")

# Who runs this installation: the public pages (contact, privacy, toegankelijkheid) name them. The demo's values
# are placeholders, which those pages mark as such and `manage.py check --deploy` reports (techniek/checks.py).
PUBLIEKE_GEGEVENS_VOORBEELD = {
    "ORGANISATIE_NAAM": "Voorbeeldorganisatie",
    "CONTACT_EMAIL": "beheer@example.nl",
    "FG_EMAIL": "fg@example.nl",
}
ORGANISATIE_NAAM = env("ORGANISATIE_NAAM", PUBLIEKE_GEGEVENS_VOORBEELD["ORGANISATIE_NAAM"])
CONTACT_EMAIL = env("CONTACT_EMAIL", PUBLIEKE_GEGEVENS_VOORBEELD["CONTACT_EMAIL"])
CONTACT_TELEFOON = env("CONTACT_TELEFOON", "")  # shown only when set
FG_EMAIL = env("FG_EMAIL", PUBLIEKE_GEGEVENS_VOORBEELD["FG_EMAIL"])  # the functionaris gegevensbescherming
# The date of a planned WCAG-EM audit (YYYY-MM-DD); the accessibility statement's status follows from it.
_onderzoek = env("TOEGANKELIJKHEID_ONDERZOEK_GEPLAND")
try:
    TOEGANKELIJKHEID_ONDERZOEK_GEPLAND = datetime.date.fromisoformat(_onderzoek) if _onderzoek else None
except ValueError as fout:
    raise RuntimeError("TOEGANKELIJKHEID_ONDERZOEK_GEPLAND is geen datum als 2027-03-31.") from fout

# Where the shipped reference data lives (copied from shared/refdata and shared/domain).
FIXTURES_REFDATA_DIR = BASE_DIR / "fixtures"
