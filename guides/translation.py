"""Which fields people read, and so get a column per language (django-modeltranslation)."""

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
