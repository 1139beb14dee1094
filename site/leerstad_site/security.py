"""The site's security wiring: the client address for login throttling and its lockout page.

django-axes counts failed logins per user and per client address (``AXES_*`` in the settings); this module holds
the pieces it calls back into.
"""

import ipaddress
import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address a login attempt came from, for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR`` unless ``LEERSTAD_TRUSTED_PROXY_COUNT`` says how many proxies of ours stand in front of the
    application: each of them appends the address it was reached from to ``X-Forwarded-For``, so the client is
    that many entries from the right. Entries further left are whatever the client sent, and are never used.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "LEERSTAD_TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote_addr
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login attempt gets (``AXES_LOCKOUT_CALLABLE``): 429, in the visitor's language."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
