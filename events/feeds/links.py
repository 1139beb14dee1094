"""Links to the feeds for other templates: ``webcal://`` subscriptions and feed URLs that keep the filters."""

from urllib.parse import urlencode

from django.urls import reverse


def feed_url(request, name: str = "events:events_ics", params=None, **kwargs) -> str:
    """The absolute URL of a feed with the given filters (a QueryDict, a dict of lists, or keyword values)."""
    items = []
    if params is not None:
        lists = params.lists() if hasattr(params, "lists") else params.items()
        for key, values in lists:
            values = values if isinstance(values, list | tuple) else [values]
            items += [(key, value) for value in values if value not in (None, "")]
    for key, value in kwargs.items():
        values = value if isinstance(value, list | tuple) else [value]
        items += [(key, v) for v in values if v not in (None, "")]
    url = reverse(name)
    if items:
        url = f"{url}?{urlencode(items)}"
    return request.build_absolute_uri(url)


def webcal_url(request, params=None, **kwargs) -> str:
    """The calendar feed as a ``webcal://`` link, which calendar apps open as a subscription."""
    return as_webcal(feed_url(request, "events:events_ics", params, **kwargs))


def as_webcal(url: str) -> str:
    """An absolute ``http(s)://`` calendar URL as the ``webcal://`` link calendar apps subscribe to."""
    return "webcal://" + url.split("://", 1)[1]
