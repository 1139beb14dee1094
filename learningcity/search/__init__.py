"""The site search: one index of events, partners, child centres, content pages and SDG goals, per language.

``index`` fills it (each app registers its page types, see ``registry.register_searchable``), ``query`` reads it,
``views`` and ``api`` serve it to residents (``/nl/zoeken/``) and front-ends (``/api/v3/search/``).
"""

from .index import SearchEntry

__all__ = ["SearchEntry"]
