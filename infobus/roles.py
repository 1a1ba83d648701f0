"""Staff roles as Django groups, and what each may do, in one table.

Each role lists permissions as "app_label.codename". Two shorthands: "app_label.*" is every
permission of an app, "*" is every permission there is. The table is the source of truth:
sync_roles() gives each group exactly these permissions, removing any added by hand.
An app that adds models adds its codenames here (phones, sessions_log).
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction

from phones.roles import PHONES_ROLES

ALL_PERMISSIONS = "*"

# What the guide holds. Areas and categories shape the whole guide, so they are the
# coordinators' to change; the rest is content that volunteers keep up to date.
GUIDE_STRUCTURE = ["area", "category"]
GUIDE_CONTENT = [
    "organisation",
    "place",
    "service",
    "openinghours",
    "serviceexception",
    "alert",
    "infopage",
]
# The guide models with texts in several languages (guides/translation.py).
GUIDE_TRANSLATABLE = [
    "area",
    "category",
    "organisation",
    "place",
    "service",
    "serviceexception",
    "alert",
    "infopage",
]


def _codenames(app_label, actions, model_names):
    return [f"{app_label}.{action}_{model}" for model in model_names for action in actions]


ROLES = {
    # Keeps the guide current. May remove an opening-hours slot, an exception or an alert
    # (edits to a timetable need it), but not a service, place or page: those are
    # unpublished or marked ended, moved or gone, so their history stays.
    "volunteer": [
        *_codenames("guides", ["view"], GUIDE_STRUCTURE),
        *_codenames("guides", ["add", "change", "view"], GUIDE_CONTENT),
        *_codenames("guides", ["delete"], ["openinghours", "serviceexception", "alert"]),
        # Readers' "Is this wrong?" reports: volunteers work through the queue.
        *_codenames("guides", ["view", "change"], ["report"]),
        *PHONES_ROLES["volunteer"],
        *(
            f"sessions_log.{codename}"
            for codename in [
                "add_session",
                "view_session",
                "view_site",
                "view_siteplace",
                "add_wifiimport",
                "view_wifiimport",
                "view_monthlyreportnote",
            ]
        ),
    ],
    # Translates texts: reads and edits translatable rows, never adds or deletes any.
    "translator": _codenames("guides", ["view", "change"], GUIDE_TRANSLATABLE),
    # Runs the guide: everything in it, and may see who the staff are.
    "coordinator": [
        "guides.*",
        "auth.view_user",
        *PHONES_ROLES["coordinator"],
        "sessions_log.*",
    ],
    "admin": [ALL_PERMISSIONS],
}


def sync_roles(*, roles=None, using=DEFAULT_DB_ALIAS):
    """Create or update one group per role with exactly its permissions; return the groups.

    Safe to run any number of times, and right after migrate on an empty database: the
    permissions are created first. A codename that does not exist raises
    ImproperlyConfigured, so a typo in the table cannot silently grant nothing.
    """
    roles = ROLES if roles is None else roles
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    permissions = Permission.objects.using(using).select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in permissions}
    groups = {}
    with transaction.atomic(using=using):
        for role, names in roles.items():
            granted = _expand(role, names, by_name)
            group, _created = Group.objects.using(using).get_or_create(name=role)
            group.permissions.set(granted)
            groups[role] = group
    return groups


def _expand(role, names, by_name):
    granted, unknown = set(), []
    for name in names:
        if name == ALL_PERMISSIONS:
            granted.update(by_name.values())
        elif name.endswith(".*"):
            app_label = name.removesuffix(".*")
            matches = [p for key, p in by_name.items() if key.startswith(f"{app_label}.")]
            if not matches:
                unknown.append(name)
            granted.update(matches)
        elif name in by_name:
            granted.add(by_name[name])
        else:
            unknown.append(name)
    if unknown:
        raise ImproperlyConfigured(
            f"Role {role!r} names permissions that do not exist: {', '.join(sorted(unknown))}."
        )
    return granted
