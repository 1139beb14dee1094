"""The site's security wiring: the client address for login throttling, its lockout page, and the CSP per path.

django-axes counts failed logins per user and per client address (``AXES_*`` in the settings); django-csp sends
the Content-Security-Policy. Both are configured in ``settings/base.py``; this module holds the few pieces they
call back into.
"""

import ipaddress
import math

from axes.helpers import get_cool_off, get_failure_limit
from csp.middleware import CSPMiddleware, PolicyParts
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the changes ``LEERSTAD_CSP_PATHS`` makes for parts of the site.

    ``LEERSTAD_CSP_PATHS`` is a list of ``(path prefix, directives)``: the first prefix the request's path starts
    with replaces those directives of ``CONTENT_SECURITY_POLICY`` (e.g. the Wagtail admin's inline scripts, the
    embed's ``frame-ancestors``). A view's own ``@csp_replace`` still wins.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        for prefix, directives in getattr(settings, "LEERSTAD_CSP_PATHS", ()):
            if request.path_info.startswith(prefix):
                parts.replace = {**directives, **(parts.replace or {})}
                break
        return parts
