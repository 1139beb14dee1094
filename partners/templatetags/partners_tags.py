import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters json_script escapes, so the data can never close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """``<script type="application/ld+json">`` with the same escaping as Django's ``json_script``."""
    if not data:
        return ""
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))  # noqa: S308


@register.simple_tag
def query_with(query: str, **params) -> str:
    """The filter query string ``query`` with ``params`` set, for pagination links that keep the filters."""
    from django.http import QueryDict

    result = QueryDict(query, mutable=True)
    for name, value in params.items():
        result[name] = value
    return result.urlencode()
