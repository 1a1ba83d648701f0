"""Shared by the translation tests: a URL conf with the staff pages, and small helpers.

infobus/urls.py does not include guides.staff_urls yet; tests opt in with
@pytest.mark.urls("tests.guides.translation_support").
"""

from django.urls import include, path, reverse

from guides.models import TranslationState, TranslatorProfile
from infobus.roles import sync_roles
from infobus.urls import urlpatterns as site_urlpatterns
from tests.factories import make_user

urlpatterns = [
    path("staff/translations/", include("guides.staff_urls")),
    *site_urlpatterns,
]


def make_translator(*languages, username=None):
    """A staff member of the translator group who translates into `languages`."""
    group = sync_roles()["translator"]
    user = make_user(username, groups=[group])
    TranslatorProfile.objects.create(user=user, languages=list(languages))
    return user


def make_coordinator(username=None):
    return make_user(username, groups=[sync_roles()["coordinator"]])


def admin_url(obj_or_model, view, *args):
    meta = obj_or_model._meta
    if view == "change" and not args:
        args = (obj_or_model.pk,)
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def form_data(response):
    """What a browser posts back from an admin change form, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            add(form)
    return data


def states(obj):
    """{(field, language): (source_hash, needs_review)} of an object."""
    return {
        (row.field, row.language): (row.source_hash, row.needs_review)
        for row in TranslationState.objects.for_object(obj)
    }
