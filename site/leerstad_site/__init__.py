"""The assembled Leerstad site: settings, root URLs, WSGI/ASGI."""
