"""The site search's index: a document per page (or per SDG goal) and language, with the facets residents filter on.

``learningcity.search`` fills and reads it. Each language has a document for every live page a visitor of that
language is shown: the page's translation in the language, else its source page, as the listings show them.

On PostgreSQL ``vector`` holds the weighted text (title A, keywords and summary B, body C) in the configuration of
the page's language (``leerstad_dutch``, ``leerstad_english``, ``leerstad_french``: the language's stemmer behind
``unaccent``), and migration 0008 adds the GIN indexes that serve it: on ``vector``, and trigram indexes on
``words`` and ``title_words`` (``pg_trgm``) for parts of compounds and misspellings. On other databases the column
stays empty and the search reads ``words``.

A search reads, for every matching document, its facets and its next date: both are kept on the row (``facets``,
``upcoming_start``/``upcoming_end``), so that one pass over the matches gives the page, the count and the facet
counts. Migration 0010 keeps ``vector`` and ``words`` in the row on PostgreSQL (storage ``MAIN``), where a wide
row would otherwise move them to the TOAST table, out of the pass's way; there ``body`` and ``keywords`` stay empty
(migration 0013 empties those written before): they are read only into ``vector`` and ``words``.
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
    # The facet values as " name:value " items (" type:event theme:stem free:yes "), each between spaces.
    facets = models.TextField(_("facet values"), blank=True)
    # The object's next date (not over, not cancelled) when the document was written or its dates last changed:
    # until that date ends it is still the next one. None: no date to come (or a type without dates).
    upcoming_start = models.DateTimeField(_("next date's start"), null=True, blank=True)
    upcoming_end = models.DateTimeField(_("next date's end"), null=True, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["locale", "key", "subpath"], name="learningcity_searchdoc_unique"),
        ]
        indexes = [models.Index(fields=["locale", "kind"], name="learningcity_searchdoc_kind")]

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word of the titles in one language, once: what "did you mean" compares a misspelt word with.

    Written with the documents (``learningcity.search.index``); a word whose last title changed stays until the
    index is rebuilt, which is harmless: a suggestion is offered only when it finds something. On PostgreSQL a
    trigram index (migration 0012) finds the close words among a few thousand instead of every title.
    """

    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    word = models.CharField(_("word"), max_length=64)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [models.UniqueConstraint(fields=["locale", "word"], name="learningcity_searchword_unique")]

    def __str__(self):
        return self.word
