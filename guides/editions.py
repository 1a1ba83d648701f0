"""How complete one area's booklet is in each language: for the cover and for editions.

The texts counted are those the booklet prints (guides/printed.py): the area's name, the
categories, its published services with their places, coming exceptions and alerts, and the
published info pages. The statuses are translation_status's: a text is done when it is up to
date with its English; missing, draft and outdated texts are not.
"""

from dataclasses import dataclass

from django.conf import settings

from guides import translation_status as ts
from guides.models import Alert, Area, InfoPage, Organisation, Place, Service, ServiceException

# Below this share of up-to-date texts, or with any outdated text, a booklet's cover says its
# translation is behind and points to the French and English editions of the same month.
BEHIND_BELOW_PERCENT = 90
# The editions a reader is pointed to when their language is behind.
REFERENCE_LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Completeness:
    language: str
    percent: int
    outdated: int
    missing: int

    @property
    def behind(self):
        return self.percent < BEHIND_BELOW_PERCENT or self.outdated > 0


def _booklet_objects(area, now):
    """{model: [objects]} of what the area's booklet prints, for translation_status.texts."""
    found = {}
    for model in ts.translated_models():
        queryset = ts.in_scope(model, now=now)
        if model is Area:
            queryset = queryset.filter(pk=area.pk)
        elif model is Organisation:
            # The booklet names organisations; their descriptions are not printed.
            continue
        elif model is Service:
            queryset = queryset.filter(area=area, is_published=True)
        elif model is ServiceException:
            queryset = queryset.filter(service__area=area, service__is_published=True)
        elif model in (Place, Alert):
            queryset = queryset.filter(area=area)
        elif model is InfoPage:
            queryset = queryset.filter(is_published=True)
        found[model] = list(queryset)
    return found


def area_completeness(area, languages=None, *, now):
    """{language: Completeness} for the area's booklet; English, the source, is complete.

    One query per translated model plus one for the states, whatever the languages.
    """
    languages = [code for code, _name in settings.LANGUAGES] if languages is None else languages
    targets = [code for code in languages if code != ts.SOURCE_LANGUAGE]
    found = {
        code: Completeness(code, 100, 0, 0) for code in languages if code == ts.SOURCE_LANGUAGE
    }
    if targets:
        texts = ts.texts(languages=targets, now=now, objects_by_model=_booklet_objects(area, now))
        for progress in ts.progress(texts, targets):
            found[progress.language] = Completeness(
                progress.language, progress.percent_done, progress.outdated, progress.missing
            )
    return {code: found[code] for code in languages}
