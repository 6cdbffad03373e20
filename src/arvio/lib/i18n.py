"""Texts stored in Finnish, Swedish and English on a model, chosen by the active language."""

from django.utils import translation

# Arvio's languages, each by its own name (for a language menu), in the order they are offered: the one list
# of them, which settings.LANGUAGES is made of.
LANGUAGES = {"fi": "suomi", "sv": "svenska", "en": "English"}
# Finnish is the county's primary language: a text missing in the asked language falls back to it,
# and English falls back to Finnish too (English is optional in the data).
FALLBACK = "fi"


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_<language>`, falling back to Finnish when that is empty."""
    language = (language or translation.get_language() or FALLBACK)[:2]
    if language not in LANGUAGES:
        language = FALLBACK
    value = getattr(obj, f"{field}_{language}", "") or ""
    if not value and language != FALLBACK:
        value = getattr(obj, f"{field}_{FALLBACK}", "") or ""
    return value


class Localized:
    """Adds `obj.tr("text")` to models with `<field>_fi/_sv/_en` columns."""

    def tr(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)
