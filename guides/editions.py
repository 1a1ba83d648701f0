"""How complete one area's booklet is in each language: for the cover and for editions.

The texts counted are those the booklet prints (guides.booklet.select, the same selection
guides/printed.py prints): the area's name, the categories it has services under, those
services, the places and coming changes they name, the alerts in force and the published
info pages. The statuses are translation_status's: a text is done when it is up to date with
its English; missing, draft and outdated texts are not.
"""

from dataclasses import dataclass

from django.conf import settings

from guides import booklet
from guides import translation_status as ts

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


def area_completeness(area, languages=None, *, now, selection=None):
    """{language: Completeness} for the area's booklet; English, the source, is complete.

    `selection` is the booklet's (guides.booklet.select) when the caller has it. A fixed
    number of queries, whatever the languages.
    """
    languages = [code for code, _name in settings.LANGUAGES] if languages is None else languages
    targets = [code for code in languages if code != ts.SOURCE_LANGUAGE]
    found = {
        code: Completeness(code, 100, 0, 0) for code in languages if code == ts.SOURCE_LANGUAGE
    }
    if targets:
        selection = selection or booklet.select(area, now=now)
        texts = ts.texts(
            languages=targets,
            now=now,
            objects_by_model=selection.objects_by_model(),
            prints=selection.prints,
        )
        for progress in ts.progress(texts, targets):
            found[progress.language] = Completeness(
                progress.language, progress.percent_done, progress.outdated, progress.missing
            )
    return {code: found[code] for code in languages}
