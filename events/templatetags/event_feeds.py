"""``{% load event_feeds %}``: subscribe links for the agenda and partner pages.

``{% events_webcal_url organiser=page.pk locale=LANGUAGE_CODE %}`` gives a ``webcal://`` link to the
calendar feed; ``{% events_webcal_url filters=filter_query_dict locale=LANGUAGE_CODE %}`` keeps the agenda's
current filters. ``{% events_feed_url "events:events_atom" … %}`` does the same for the other feeds.
"""

from django import template

from ..feeds.links import feed_url, webcal_url

register = template.Library()


@register.simple_tag(takes_context=True)
def events_webcal_url(context, filters=None, **params):
    return webcal_url(context["request"], filters, **params)


@register.simple_tag(takes_context=True)
def events_feed_url(context, name="events:events_ics", filters=None, **params):
    return feed_url(context["request"], name, filters, **params)
