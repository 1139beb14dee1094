"""Text as the search index compares it: lower case, without accents, cut into words."""

import re
import unicodedata

from django.utils.html import strip_tags

from ..filters import MAX_QUERY_WORDS, MAX_SEARCH_LENGTH, WORD

MAX_BODY_LENGTH = 20_000  # characters of a page's text that are indexed
MIN_VOCABULARY_LENGTH = 3  # shorter title words are neither suggested nor kept for suggestions
MAX_VOCABULARY_LENGTH = 64  # nor longer ones (``SearchWord.word``)
SPACES = re.compile(r"\s+")
QUERY_WORD = re.compile(r"[^\W_]+")  # letters and digits: nothing a LIKE pattern or a tsquery reads as syntax

# A text-search configuration per language (migration 0008): the language's stemmer behind ``unaccent``.
CONFIGURATIONS = {"nl": "leerstad_dutch", "en": "leerstad_english", "fr": "leerstad_french"}
DEFAULT_CONFIGURATION = "leerstad_simple"


def configuration(language_code: str) -> str:
    """PostgreSQL's text-search configuration for a language (``nl``, ``en-gb``)."""
    return CONFIGURATIONS.get(language_code.split("-")[0].lower(), DEFAULT_CONFIGURATION)


def fold(text: str) -> str:
    """``text`` in lower case without accents or other marks: "Taalcafé" → "taalcafe", "Œuvre" → "oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("œ", "oe")


def words(text: str) -> list[str]:
    """The folded words of ``text``, each once, in order."""
    return list(dict.fromkeys(WORD.findall(fold(text))))


def query_words(query) -> list[str]:
    """The words a search box's text asks for: folded, letters and digits, each once, at most
    ``MAX_QUERY_WORDS``; no syntax."""
    found = QUERY_WORD.findall(fold(str(query or "")[:MAX_SEARCH_LENGTH]))
    return list(dict.fromkeys(found))[:MAX_QUERY_WORDS]


def plain(html_or_text: str, limit: int = MAX_BODY_LENGTH) -> str:
    """Rich text or text as one line of plain text, at most ``limit`` characters."""
    return SPACES.sub(" ", strip_tags(str(html_or_text or ""))).strip()[:limit]


def vocabulary(title_words: str) -> list[str]:
    """The words of a folded title that "did you mean" may offer."""
    return [word for word in title_words.split() if MIN_VOCABULARY_LENGTH <= len(word) <= MAX_VOCABULARY_LENGTH]
