"""Django's admin autocomplete widgets, made safe to redisplay with any posted value.

When the admin refuses a form it shows it again with what was posted. Django's
AutocompleteSelect (and AutocompleteSelectMultiple) then look the posted value up in the
target table: a value the key cannot hold ("0.0" or "abc" for a whole-number id) raises
ValueError while the page renders, a server error instead of the form's own "Select a valid
choice". Django fixed the same crash for raw_id_fields (ticket #29094) but not here; the
widgets below leave such values out of that lookup, so the refused form comes back with the
field's error and an empty choice.

Every ModelAdmin or inline with autocomplete_fields gets them through SafeAutocompleteMixin;
tests/infobus/test_bad_requests.py checks that none is left without it.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ReadableValuesOnlyMixin:
    """Redisplays only the values the target field can read; the others show as no choice."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._readable(v)], attr)

    def _readable(self, value):
        # The same field Django's optgroups() filters on: the relation's to_field, else the pk.
        target_opts = self.field.remote_field.model._meta
        target = target_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or target_opts.pk.attname
        )
        try:
            target.to_python(value)
        except ValidationError:
            return False
        return True


class SafeAutocompleteSelect(ReadableValuesOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ReadableValuesOnlyMixin, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline: its autocomplete_fields use the safe widgets above.

    Put it first among the bases. Everything else about the fields (queryset, limit_choices_to,
    the related-object links around the widget) stays Django's.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
