"""The site search's index: a document per page (or per SDG goal) and language, with the facets residents filter on.

``learningcity.search`` fills and reads it. Each language has a document for every live page a visitor of that
language is shown: the page's translation in the language, else its source page, as the listings show them.

On PostgreSQL ``vector`` holds the weighted text (title A, keywords and summary B, body C) in the configuration of
the page's language (``leerstad_dutch``, ``leerstad_english``, ``leerstad_french``: the language's stemmer behind
``unaccent``), and migration 0008 adds the GIN indexes that serve it: on ``vector``, and trigram indexes on
``words`` and ``title_words`` (``pg_trgm``) for parts of compounds and misspellings. On other databases the column
stays empty and the search reads ``words``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(_("translation key"))
    subpath = models.CharField(
        _("sub-path"), max_length=20, blank=True, help_text=_("A route of the page, e.g. a goal's “4/”.")
    )
    kind = models.CharField(_("type"), max_length=20)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Labels of its type, themes, place."))
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language of the text"), max_length=12)
    # Lower case, without accents: the title alone, and the title with keywords and summary.
    title_words = models.CharField(max_length=255)
    words = models.TextField(blank=True)
    url_path = models.CharField(max_length=255, help_text=_("The page's url_path, for its URL on each site."))
    path = models.CharField(max_length=255, help_text=_("The page's place in the tree, for view restrictions."))
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["locale", "key", "subpath"], name="learningcity_searchdoc_unique"),
        ]
        indexes = [models.Index(fields=["locale", "kind"], name="learningcity_searchdoc_kind")]

    def __str__(self):
        return self.title


class SearchFacet(models.Model):
    """A value a document has for a facet (``theme``/``languages``, ``sdg``/``4``, ``type``/``event``)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(_("facet"), max_length=20)
    value = models.CharField(_("value"), max_length=40)

    class Meta:
        verbose_name = _("search facet")
        verbose_name_plural = _("search facets")
        constraints = [
            models.UniqueConstraint(fields=["document", "name", "value"], name="learningcity_searchfacet_unique"),
        ]
        indexes = [models.Index(fields=["name", "value", "document"], name="learningcity_searchfacet_value")]

    def __str__(self):
        return f"{self.name}={self.value}"
