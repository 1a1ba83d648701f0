"""Reading translated fields with the guide's fallbacks, knowing when a fallback was used."""

from django.conf import settings
from django.utils.translation import get_language

FALLBACKS = ("en", "fr")


def text_in(obj, field, language=None):
    """(text, language it is written in) for a reader of `language`.

    The reader's language first, then English, then French: what modeltranslation shows,
    but saying which one it was, so the page can mark what is not yet translated.
    """
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in (language, *FALLBACKS):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value, code
    return "", language


def is_translated(obj, field, language):
    return bool(getattr(obj, f"{field}_{language}", None))
