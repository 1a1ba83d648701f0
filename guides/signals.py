"""Cache invalidation: any change to guide content moves every area's content_changed_at.

Public pages are cached per language and keyed on it, so the next request renders afresh.
This is the one place signals are used: it must catch every write path (admin forms,
inlines, imports, the demo loader), and it decides nothing about the content itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


def bump_content_version(**kwargs):
    from guides.models import Area

    Area.objects.update(content_changed_at=timezone.now())


def connect():
    from guides import models

    content_models = [
        models.Category,
        models.Organisation,
        models.Place,
        models.Service,
        models.OpeningHours,
        models.ServiceException,
        models.Alert,
        models.InfoPage,
    ]
    for model in content_models:
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"bump-del-{model.__name__}"
        )
    for through in (models.Service.categories.through, models.Service.places.through):
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"bump-{through}")
    post_save.connect(_area_saved, sender=models.Area, dispatch_uid="bump-area")


def _area_saved(sender, instance, raw=False, **kwargs):
    # An area's own name or map centre changed: its pages must render afresh too.
    if not raw:
        sender.objects.filter(pk=instance.pk).update(content_changed_at=timezone.now())
