"""The test suite: fast hashing, in-memory e-mail, no manifest for static files."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-leerstad"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = VAR_DIR / "test-media"
# load_demo may create its administrator with the published demo password.
LEERSTAD_DEMO_ALLOWED = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
WHITENOISE_USE_FINDERS = True

# Page fragments are not cached in tests (each test rolls back its data, the cache would not); the fragment
# cache has tests of its own that turn it on.
LEERSTAD_FRAGMENT_CACHE_SECONDS = 0

# The test client's login() authenticates without a request, which django-axes refuses; the throttling tests
# (tests/test_security.py) turn it on.
AXES_ENABLED = False
