"""WSGI entry point: ``gunicorn --pythonpath site leerstad_site.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.production")

application = get_wsgi_application()

# What was imported stays for the worker's life: moved out of the garbage collector's generations, it is not
# walked again on every full collection (tens of milliseconds, once every few requests).
gc.collect()
gc.freeze()
