"""Small factories: each builds one valid object with sensible defaults, overridable by keyword."""

import itertools
from datetime import time
from decimal import Decimal

from django.contrib.auth import get_user_model

from guides.models import (
    Alert,
    Area,
    Category,
    InfoPage,
    OpeningHours,
    Organisation,
    Place,
    Service,
    ServiceException,
)

_seq = itertools.count(1)


def make_area(**kw):
    n = next(_seq)
    defaults = {
        "name": f"Calais {n}",
        "slug": f"calais-{n}",
        "centre_latitude": Decimal("50.951000"),
        "centre_longitude": Decimal("1.858000"),
        "radius_km": 25,
    }
    return Area.objects.create(**{**defaults, **kw})


def make_category(**kw):
    n = next(_seq)
    return Category.objects.create(**{"slug": f"food-{n}", "name": f"Food {n}", **kw})


def make_organisation(**kw):
    n = next(_seq)
    return Organisation.objects.create(**{"name": f"Organisation {n}", **kw})


def make_place(area=None, **kw):
    area = area or make_area()
    defaults = {
        "name": "Rue Lamy distribution point",
        "latitude": area.centre_latitude,
        "longitude": area.centre_longitude,
    }
    return Place.objects.create(area=area, **{**defaults, **kw})


def make_service(area=None, organisation=None, categories=(), places=(), hours=(), **kw):
    """A published, active service; `hours` is a list of OpeningHours keyword dicts."""
    area = area or make_area()
    defaults = {"title": "Hot meal", "is_published": True, "access": Service.Access.UNCONDITIONAL}
    service = Service.objects.create(
        area=area, organisation=organisation or make_organisation(), **{**defaults, **kw}
    )
    service.categories.set(categories or [make_category()])
    service.places.set(places)
    for slot in hours:
        make_hours(service, **slot)
    return service


def make_hours(service, weekday, opens, closes, **kw):
    slot = OpeningHours(
        service=service,
        weekday=weekday,
        opens=opens if isinstance(opens, time) else time.fromisoformat(opens),
        closes=closes if isinstance(closes, time) else time.fromisoformat(closes),
        **kw,
    )
    slot.full_clean()
    slot.save()
    return slot


def make_exception(service, date, kind, **kw):
    exc = ServiceException(service=service, date=date, kind=kind, **kw)
    exc.full_clean()
    exc.save()
    return exc


def make_alert(area=None, **kw):
    return Alert.objects.create(area=area or make_area(), **{"message": "Storm tonight", **kw})


def make_info_page(**kw):
    n = next(_seq)
    defaults = {
        "slug": f"page-{n}",
        "topic": InfoPage.Topic.POLICE,
        "title": "Your rights with the police",
        "body": "You may ask to see a lawyer.",
        "is_published": True,
    }
    return InfoPage.objects.create(**{**defaults, **kw})


def make_user(username=None, *, groups=(), is_staff=True, is_superuser=False, password="x"):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    for group in groups:
        user.groups.add(group)
    return user
