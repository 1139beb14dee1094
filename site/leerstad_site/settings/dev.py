"""Local development: DEBUG on, a fixed key, everything on this machine."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-leerstad"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# load_demo may create its administrator with the published demo password.
LEERSTAD_DEMO_ALLOWED = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
WHITENOISE_USE_FINDERS = True
