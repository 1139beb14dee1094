"""Settings shared by every environment; values that differ per deployment come from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SITE_PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_PACKAGE_DIR.parent.parent  # the repository root: site/leerstad_site/ → ./
VAR_DIR = Path(os.environ.get("LEERSTAD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "learningcity",
    "partners",
    "events",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    "wagtail.api.v3",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram lookups for the site search (used on PostgreSQL only)
    "corsheaders",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "leerstad_site.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Answers conditional GETs (ETag, Last-Modified) with a 304, from the response cache too.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "learningcity.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "learningcity.middleware.AdminQueryMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whole answers for anonymous visitors (learningcity.response_cache), before the routing they make unnecessary.
    "learningcity.response_cache.ResponseCacheMiddleware",
    "learningcity.routing.CachedRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leerstad_site.urls"
WSGI_APPLICATION = "leerstad_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "learningcity.caching.fragment_cache",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/ can hold admin widget templates too.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/leerstad; default a SQLite file in var/.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'leerstad.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a lock instead of failing at once when the demo loader and the server overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else memory local to the process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's backend, keeping its Redis client instead of building one per command (learningcity.compat).
            "BACKEND": "learningcity.compat.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "leerstad"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Django's {% cache %}: the default cache, and with Redis each process's copies of the fragments it read (each
# varies on the content version, so a copy is never stale), without a round trip.
CACHES["template_fragments"] = {"BACKEND": "learningcity.caching.LocalCopiesCache", "OPTIONS": {"MAX_ENTRIES": 2000}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user or address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Dutch first; adding a language here (and to the catalogues in locale/) is all a fourth needs.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("fr", "Français"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_USER_LOGIN_FORM = "learningcity.forms.LoginForm"  # the password's label translated
# Editors' browsers ask no third party (Wagtail's release check calls releases.wagtail.org); upgrades are the
# deployment's business.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
# A page submitted for translation becomes a draft in the other language, not a live copy of the source's text:
# it goes live when its translation is published.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Leerstad"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # On PostgreSQL this backend uses PostgreSQL's full-text search; on SQLite, FTS5.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# No Gravatar: editors' e-mail addresses (hashed) would go to a third party on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail logs every publish and background task at INFO; keep the console for what matters.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

LEERSTAD_NAME = _("Leerstad")

# The headless API (/api/v3/): at most this many items per page.
WAGTAILAPI_LIMIT_MAX = 100
# Rich text in the pages API as the page shows it (links and embeds expanded), not the database's markup;
# ?rich_text_format=db_html still asks for the latter.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Browsers on these origins may read the API and the feeds (django-cors-headers; the environment's
# LEERSTAD_CORS_ALLOWED_ORIGINS, comma-separated, e.g. https://bib.example.org,https://cc.example.org).
# Everything there is read-only: no other methods, no credentials.
CORS_ALLOWED_ORIGINS = [origin.rstrip("/") for origin in env_list("LEERSTAD_CORS_ALLOWED_ORIGINS")]
CORS_URLS_REGEX = r"^/(api|feeds)/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = (*default_cors_headers, "accept-language", "if-modified-since", "if-none-match")
CORS_PREFLIGHT_MAX_AGE = 86400
# The change feed trails commit time by this much, so a slow transaction's change is not skipped.
LEERSTAD_CHANGES_DELAY_SECONDS = int(os.environ.get("LEERSTAD_CHANGES_DELAY_SECONDS", "5"))
# How long anonymous visitors' whole answers (pages, API, feeds) and cached page fragments (menu, language
# switcher, footer) live at most; any content change renews them at once (learningcity.caching,
# learningcity.response_cache). 0 turns the response and fragment caches off.
LEERSTAD_FRAGMENT_CACHE_SECONDS = int(os.environ.get("LEERSTAD_FRAGMENT_CACHE_SECONDS", "300"))
# Whole answers too (off for a cache in front that keeps them itself; learningcity.conf.response_cache_enabled).
LEERSTAD_RESPONSE_CACHE = os.environ.get("LEERSTAD_RESPONSE_CACHE", "True").lower() not in ("0", "false", "no", "off")

# Login throttling (django-axes) at the one login page, Wagtail's /admin/login/: after AXES_FAILURE_LIMIT failed
# attempts for a user name, or from one address, both are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "leerstad_site.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "leerstad_site.security.client_ip"
# Behind proxies that append the client's address to X-Forwarded-For, how many of them (0: use REMOTE_ADDR).
LEERSTAD_TRUSTED_PROXY_COUNT = int(os.environ.get("LEERSTAD_TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy (django-csp 4). The portal, the feeds and the API load nothing from elsewhere and run no
# inline code; a template that needs an inline <script> or <style> gives it nonce="{{ request.csp_nonce }}" (never
# inside a cached fragment). LEERSTAD_CSP_PATHS relaxes the policy for the parts of the site that need it.
_MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if urlsplit(MEDIA_URL).netloc else None
_IMAGES = [SELF, "data:", *([_MEDIA_ORIGIN] if _MEDIA_ORIGIN else [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": _IMAGES,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Sites that may show the embeddable agenda (/embed/events/) in an <iframe>: comma-separated origins, or * for any.
LEERSTAD_EMBED_FRAME_ANCESTORS = env_list("LEERSTAD_EMBED_FRAME_ANCESTORS", "*")
LEERSTAD_CSP_PATHS = [
    # Wagtail's admin (and wagtail-localize's editor) still has inline scripts and styles, and shows the page
    # preview in a same-origin <iframe>.
    (
        "/admin/",
        {
            "script-src": [SELF, UNSAFE_INLINE],
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [*_IMAGES, "blob:"],
            # Wagtail tells administrators about new releases.
            "connect-src": [SELF, "https://releases.wagtail.org"],
            "frame-ancestors": [SELF],
        },
    ),
    ("/embed/", {"frame-ancestors": LEERSTAD_EMBED_FRAME_ANCESTORS}),
]

# Permissions-Policy (django-permissions-policy): the site uses none of these browser features.
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
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}


def require_env(name: str) -> str:
    """Return an environment variable, refusing to start without it."""
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


# The occurrence index's covering column (``occurrence_next``) is a PostgreSQL refinement; SQLite builds the index
# on its key columns alone, which is what the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
