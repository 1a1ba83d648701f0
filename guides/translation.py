"""Which fields people read, and so get a column per language (django-modeltranslation)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from guides import models


@register(models.Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)


@register(models.Place)
class PlaceTranslation(TranslationOptions):
    fields = ("name", "directions")


@register(models.Service)
class ServiceTranslation(TranslationOptions):
    fields = ("title", "description", "eligibility", "fees", "contact_note", "status_note")


@register(models.ServiceException)
class ServiceExceptionTranslation(TranslationOptions):
    fields = ("reason",)


@register(models.Alert)
class AlertTranslation(TranslationOptions):
    fields = ("message",)


@register(models.InfoPage)
class InfoPageTranslation(TranslationOptions):
    fields = ("title", "body")


# --- Audit history (django-simple-history) ------------------------------------------------
# Registered here, after the translation options above, because modeltranslation adds the
# per-language columns (title_ar, ...) only when it registers a model: a HistoricalRecords
# attribute on the model class would build its history table before they exist.
# Each save writes a row with who and when (see docs/data-map.md, "Audit history").
_HISTORY = {
    models.Area: {
        # Moved by every content edit (guides.signals) to expire the page cache: not content.
        "excluded_fields": ["content_changed_at"]
    },
    models.Category: {},
    models.Organisation: {"excluded_fields": ["updated_at"]},
    models.Place: {"excluded_fields": ["updated_at"]},
    # A service's categories and places are content too: each version keeps them.
    models.Service: {"excluded_fields": ["updated_at"], "m2m_fields": ["categories", "places"]},
    models.OpeningHours: {},
    models.ServiceException: {},
    models.Alert: {"excluded_fields": ["updated_at"]},
    models.InfoPage: {"excluded_fields": ["updated_at"]},
}
for _model, _options in _HISTORY.items():
    simple_history.register(_model, **_options)
