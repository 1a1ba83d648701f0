"""Who may give staff their roles in the back office (mixed into guides.admin's user admin).

Coordinators change users' groups, but cannot make anyone an admin or a superuser, give a
permission outside the role table, or change an admin's or a superuser's account: only
admins (the admin role, or superusers) give the admin role.
"""

from django.contrib.auth.models import Group

ADMIN_ROLE = "admin"
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


def _limited(request):
    return not _is_admin(request.user)


class RoleLimitsMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not _limited(request):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS],
                },
            )
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and _limited(request):
            kwargs["queryset"] = Group.objects.exclude(name=ADMIN_ROLE)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and _limited(request) and _is_admin(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _limited(request) and _is_admin(obj):
            return False
        return super().has_delete_permission(request, obj)


def _is_admin(user):
    return user.is_superuser or user.groups.filter(name=ADMIN_ROLE).exists()
