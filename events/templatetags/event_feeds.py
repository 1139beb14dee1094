"""``{% load event_feeds %}``: subscribe links for the agenda and partner pages.

``{% events_webcal_url partner=page.pk locale=LANGUAGE_CODE %}`` gives a ``webcal://`` link to the
calendar feed; ``{% events_webcal_url filters=filter_query_dict locale=LANGUAGE_CODE %}`` keeps the agenda's
current filters. ``{% events_feed_url "events:events_atom" … %}`` does the same for the other feeds.
"""

from urllib.parse import urlencode

from django import template

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
    from ..models import EventIndexPage

    request = context["request"]
    agendas = EventIndexPage.objects.live().public().filter(locale__language_code=locale).order_by("path")
    for agenda in agendas:
        url = agenda.get_url(request)
        if url:
            return f"{url}?{urlencode(params)}" if params else url
    return ""
