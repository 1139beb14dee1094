"""``{% load event_feeds %}``: subscribe links and upcoming activities for the agenda and partner pages.

``{% events_webcal_url partner=page.pk locale=LANGUAGE_CODE %}`` gives a ``webcal://`` link to the
calendar feed; ``{% events_webcal_url filters=filter_query_dict locale=LANGUAGE_CODE %}`` keeps the agenda's
current filters. ``{% events_feed_url "events:events_atom" … %}`` does the same for the other feeds.
``{% upcoming_activities page limit=5 %}`` lists the next dates of what a partner (or a list of partners)
organises or hosts, with a link to all of them in the agenda.
"""

from django import template
from wagtail.models import Locale

from learningcity.caching import cached_locale

from ..feeds.links import feed_url, webcal_url

register = template.Library()


@register.simple_tag(takes_context=True)
def events_webcal_url(context, filters=None, **params):
    return webcal_url(context["request"], filters, **params)


@register.simple_tag(takes_context=True)
def events_feed_url(context, name="events:events_ics", filters=None, **params):
    return feed_url(context["request"], name, filters, **params)


@register.simple_tag(takes_context=True)
def agenda_url(context, locale: str, **params) -> str:
    """The site's agenda in the language ``locale`` with ``params`` as filters; "" when it has none."""
    from ..context import agenda_page_url

    return agenda_page_url(context["request"], locale, params)


@register.inclusion_tag("events/includes/upcoming_activities.html", takes_context=True)
def upcoming_activities(context, partners, limit: int = 5) -> dict:
    """A section listing the next ``limit`` dates of the events ``partners`` organise or host, in the page's language.

    ``partners``: a partner page or a list of them (any language). The dates are the agenda's for
    ``?partner=<id>&…`` (cancelled dates left out, private events and other sites' events too), and the section
    links to them in the agenda; without dates it says so. A constant number of queries, whatever ``limit``.
    """
    from ..context import upcoming_activities as read_activities

    pages = [partners] if hasattr(partners, "pk") else list(partners)
    page = context.get("page")
    locale = cached_locale(page.locale_id) if page is not None else Locale.get_active()
    return {"activities": read_activities(context["request"], [partner.pk for partner in pages], locale, int(limit))}
