"""Staff roles as Django groups, and what each may do, in one table.

Each role lists permissions as "app_label.codename". Two shorthands: "app_label.*" is every
permission of an app, "*" is every permission there is. The table is the source of truth:
sync_roles() gives each group exactly these permissions, removing any added by hand.
An app that adds models adds its codenames here (phones, sessions_log).

The groups are made by a migration (infobus/migrations/0001_roles.py), so a fresh `migrate`
alone yields them, and synced again after every `migrate` (InfobusConfig.ready), so a model
added later is granted without a new migration. `manage.py sync_roles` does the same by hand.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
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
        # The printed guide's monthly editions: coordinators publish them (guides.* below).
        *_codenames("guides", ["view"], ["edition", "editionfile"]),
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
    # Repairs with the owners' contact details, donated phones and stock. Places are read
    # to choose where a phone was handed in.
    "phone_team": ["guides.view_place", *PHONES_ROLES["phone_team"]],
    # Runs everything: the guide, phones, sessions and their reports; gives staff their roles
    # (infobus/user_admin.py keeps the admin role and superusers out of their reach), resets
    # a lost two-factor device by deleting it, and lifts a login lockout.
    "coordinator": [
        "guides.*",
        *PHONES_ROLES["coordinator"],
        "sessions_log.*",
        "auth.view_user",
        "auth.change_user",
        "auth.view_group",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    "admin": [ALL_PERMISSIONS],
}

# Holding any of these means seeing personal data of the people we help or of the staff:
# such a login needs a second factor (infobus/two_factor). Superusers always do.
PERSONAL_DATA_PERMISSIONS = ["phones.view_owner_contact", "auth.view_user"]


def needs_two_factor(user):
    """Whether this staff member must confirm each login with a second factor."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or any(user.has_perm(name) for name in PERSONAL_DATA_PERMISSIONS)


def sync_roles(*, roles=None, using=DEFAULT_DB_ALIAS, registry=None, strict=True):
    """Create or update one group per role with exactly its permissions; return the groups.

    Safe to run any number of times, and right after migrate on an empty database: the
    permissions are created first. A codename that does not exist raises
    ImproperlyConfigured, so a typo in the table cannot silently grant nothing.

    A migration passes its historical app `registry` and strict=False: a permission of a
    model that a later migration adds is skipped then, and granted by the sync that follows
    every migrate.
    """
    roles = ROLES if roles is None else roles
    registry = apps if registry is None else registry
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    for app_config in registry.get_app_configs():
        # Historical app configs have no models module; create_permissions skips those.
        historical = getattr(app_config, "models_module", None) is None
        if historical:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=registry)
        if historical:
            app_config.models_module = None

    permissions = permission_model.objects.using(using).select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in permissions}
    groups = {}
    with transaction.atomic(using=using):
        for role, names in roles.items():
            granted = _expand(role, names, by_name, strict=strict)
            group, _created = group_model.objects.using(using).get_or_create(name=role)
            group.permissions.set(granted)
            groups[role] = group
    return groups


def _expand(role, names, by_name, *, strict=True):
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
    if unknown and strict:
        raise ImproperlyConfigured(
            f"Role {role!r} names permissions that do not exist: {', '.join(sorted(unknown))}."
        )
    return granted
