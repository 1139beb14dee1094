"""Calendar subscriptions: fetch a partner's iCalendar address and import it through the ICS importer.

A run fetches the calendar (http or https only; at most ``import_max_bytes()``, within
``calendar_fetch_timeout()`` seconds; never from a private, loopback or link-local address unless
``calendar_allow_private_addresses()``), imports its valid events under the partner's page with
``import_calendar(skip_invalid=True)`` — a bad component is reported and skipped, the good ones are created or
updated — and unpublishes the events this subscription imported before whose UID has vanished from the calendar.
Each run is recorded on the subscription and as an ``ImportRun`` for the dashboard.

Moderation: imported events are published at once, as ``import_ics`` publishes them. The check happens on the
source instead: only a municipal editor can switch a subscription on, and a partner editor changing its address
switches it off until a municipal editor looks again.
"""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partners.enums import ImportKind, ImportStatus
from partners.models import ImportRun

from .conf import calendar_allow_private_addresses, calendar_fetch_timeout, import_max_bytes
from .models import CalendarSubscription, EventPage

CHUNK = 64 * 1024
MAX_REDIRECTS = 5


class FetchError(Exception):
    """The calendar could not be fetched; the message says why, for the editor."""


def _check_address(address: str) -> None:
    if calendar_allow_private_addresses():
        return
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise FetchError(_("The calendar's address leads to a private or local network address, which is refused."))


def _check_host(host: str, port: int) -> None:
    if calendar_allow_private_addresses():
        return
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        _check_address(sockaddr[0])


class _GuardedHTTPConnection(http.client.HTTPConnection):
    # Every address the name resolves to is checked before connecting, and the peer's address once connected, so
    # a name that resolves to a public address for the check and to a private one for the connection (DNS
    # rebinding) is refused all the same.
    def connect(self):
        _check_host(self.host, self.port)
        super().connect()
        _check_peer(self)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        _check_host(self.host, self.port)
        super().connect()
        _check_peer(self)


def _check_peer(connection) -> None:
    try:
        _check_address(connection.sock.getpeername()[0])
    except FetchError:
        connection.close()
        raise


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(_("The calendar's address redirects to something other than http or https."))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # No file:, ftp: or data: handlers: only http and https, each connection checked.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(),
        _GuardedHTTPSHandler(),
        _RedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch_calendar(url: str, *, timeout: int | None = None) -> bytes:
    """The calendar at ``url``, read within the size and time limits (``timeout`` seconds, by default
    ``LEERSTAD_CALENDAR_FETCH_TIMEOUT``).

    Raises:
        FetchError: saying why, in the editor's language.
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(_("Only http and https addresses can be subscribed to."))
    limit, timeout = import_max_bytes(), timeout or calendar_fetch_timeout()
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "Leerstad calendar subscription"})  # noqa: S310
    too_large = _("The calendar is larger than %(limit)s bytes, the import's limit.") % {
        "limit": number_format(limit, force_grouping=True)
    }
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise FetchError(too_large)
            chunks, size = [], 0
            while chunk := response.read(min(CHUNK, limit + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise FetchError(too_large)
                if time.monotonic() > deadline:
                    raise FetchError(_("The calendar took longer than %(seconds)s seconds.") % {"seconds": timeout})
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(_("The calendar's server answered %(status)s.") % {"status": exc.code}) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError and timeouts are OSErrors
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, FetchError):
            raise reason from None
        if isinstance(reason, socket.timeout | TimeoutError):
            raise FetchError(_("The calendar took longer than %(seconds)s seconds.") % {"seconds": timeout}) from None
        raise FetchError(_("The calendar cannot be fetched (%(reason)s).") % {"reason": reason}) from None
    return b"".join(chunks)


def sync_subscription(subscription: CalendarSubscription, user=None) -> ImportRun:
    """Fetch and import ``subscription`` once; returns the recorded run (see the module docstring)."""
    from .ics_import import CalendarRefused, import_calendar, publishable_content  # icalendar: when it is needed

    partner = subscription.partner
    run = ImportRun(kind=ImportKind.SUBSCRIPTION, partner=partner, source=subscription.url[:500], user=user)
    try:
        data = fetch_calendar(subscription.url)
        with transaction.atomic():
            report = import_calendar(data, partner, partner, skip_invalid=True, under_parent_only=True)
            vanished = set(subscription.known_uids) - report.seen
            own = EventPage.objects.descendant_of(partner).filter(locale_id=partner.locale_id)
            unpublished = []
            for page in own.live().filter(source_uid__in=vanished).order_by("source_uid"):
                page.unpublish(user=user)
                unpublished.append(page.source_uid)
            # An event this subscription unpublished comes back when its UID does (a calendar that was briefly
            # empty or cut short); events an editor unpublished stay as they are.
            returned = set(subscription.unpublished_uids) & (set(report.unchanged) | set(report.updated))
            republished = []
            for page in own.not_live().filter(source_uid__in=returned).order_by("source_uid"):
                # Not an editor's change waiting for approval (``publishable_content``): it waits too.
                content = publishable_content(page)
                if content is not None:
                    content.save_revision().publish(user=user)
                    republished.append(page.source_uid)
            waiting = (set(subscription.unpublished_uids) - set(republished)) | set(unpublished)
            subscription.unpublished_uids = sorted(
                own.not_live().filter(source_uid__in=waiting).values_list("source_uid", flat=True)
            )
    except (FetchError, CalendarRefused) as exc:
        run.status = ImportStatus.FAILED
        run.errors = [str(exc)]
    else:
        imported = set(report.created) | set(report.updated) | set(report.unchanged) | set(report.waiting)
        subscription.known_uids = sorted((set(subscription.known_uids) | imported) & report.seen)
        run.status = ImportStatus.PARTIAL if report.failed else ImportStatus.APPLIED
        run.created, run.updated, run.unchanged = len(report.created), len(report.updated), len(report.unchanged)
        run.unpublished = len(unpublished)
        # Unchanged UIDs are only counted: an hourly run would otherwise store the whole calendar each time.
        run.rows = (
            [[uid, "new"] for uid in report.created]
            + [[uid, "updated"] for uid in report.updated]
            + [[uid, "unpublished"] for uid in unpublished]
            + [[uid, "republished"] for uid in republished]
            + [[uid, "waiting"] for uid in report.waiting]
        )
        run.errors = [str(error) for error in report.failed]
    run.finished_at = timezone.now()
    run.save()
    subscription.last_run_at = run.finished_at
    subscription.last_status = run.status
    subscription.last_created, subscription.last_updated = run.created, run.updated
    subscription.last_unchanged, subscription.last_unpublished = run.unchanged, run.unpublished
    subscription.last_errors = run.errors
    subscription.save()
    return run
