"""Small factories for sessions: each builds one valid object, overridable by keyword."""

import itertools
from datetime import date, time

from django.contrib.auth.models import Permission

from sessions_log import services
from sessions_log.models import Session
from tests.factories import make_place, make_user

_seq = itertools.count(1)


def make_site(place=None, *, since=date(2025, 1, 1), user=None, **kw):
    place = place or make_place(name=f"Site place {next(_seq)}")
    defaults = {
        "name": f"Site {next(_seq)}",
        "usual_start": time(14, 0),
        "usual_end": time(16, 30),
    }
    return services.create_site(place=place, since=since, user=user, **{**defaults, **kw})


def make_session(site=None, **kw):
    """A held session with people and wifi figures, saved through the model's checks."""
    site = site or make_site()
    defaults = {
        "date": date(2025, 11, 3),
        "planned_start": site.usual_start or time(14, 0),
        "planned_end": site.usual_end or time(16, 30),
        "actual_start": site.usual_start or time(14, 0),
        "actual_end": site.usual_end or time(16, 30),
        "people_present": 120,
    }
    fields = {**defaults, **kw}
    if fields.get("status") == Session.Status.CANCELLED:
        fields.setdefault("cancel_reason", Session.CancelReason.POLICE)
        for name in ("actual_start", "actual_end", "people_present"):
            if name not in kw:
                fields[name] = None
    session = Session(site=site, **fields)
    session.full_clean()
    session.save()
    return session


def make_staff(*codenames, **kw):
    """A staff member holding exactly these sessions_log permissions."""
    user = make_user(**kw)
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user


__all__ = ["make_place", "make_session", "make_site", "make_staff"]
