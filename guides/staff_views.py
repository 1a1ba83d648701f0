"""Back-office pages for translations: progress, the queue of work, offline files.

Thin views: check who asks, read from guides.translation_status or run a workflow from
guides.services, render or redirect. Translators see their own languages; coordinators
(superusers, and guide editors who are not translators) see every language side by side.
Included from infobus/urls.py under the "guides_staff" namespace.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from guides import exchange, services
from guides import translation_status as ts
from guides.models import TranslationImport


def translation_staff_required(view):
    """Logged-in staff with at least one language to translate; others get the login or 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not ts.languages_for(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _language(request, language):
    if language not in ts.TARGET_LANGUAGES:
        raise Http404
    if language not in ts.languages_for(request.user):
        raise PermissionDenied
    return language


def _render(request, template, context, status=200):
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Translation file"),
        help_text=gettext_lazy("XLIFF 2.0 (.xlf), PO (.po) or CSV (.csv), as downloaded here."),
    )


@require_safe
@translation_staff_required
def dashboard(request):
    languages = ts.languages_for(request.user)
    all_texts = ts.texts(languages=languages)
    imports = TranslationImport.objects.filter(
        status=TranslationImport.Status.APPLIED, language__in=languages
    ).select_related("user")[:20]
    return _render(
        request,
        "guides/staff/dashboard.html",
        {
            "title": _("Translations"),
            "progress": ts.progress(all_texts, languages),
            "coordinator": ts.is_coordinator(request.user),
            "imports": imports,
            "upload_form": UploadForm(),
        },
    )


@require_safe
@translation_staff_required
def language(request, language):
    language = _language(request, language)
    now = timezone.now()
    all_texts = ts.texts(languages=[language], now=now)
    name = dict(settings.LANGUAGES)[language]
    return _render(
        request,
        "guides/staff/language.html",
        {
            "title": _("Translations into %(language)s") % {"language": name},
            "language": language,
            "language_name": name,
            "progress": ts.progress(all_texts, [language])[0],
            "queue": ts.queue(all_texts, now=now),
            "formats": exchange.FILE_EXTENSIONS,
            "upload_form": UploadForm(),
        },
    )


@require_safe
@translation_staff_required
def export(request, language, file_format):
    language = _language(request, language)
    if file_format not in exchange.FILE_EXTENSIONS:
        raise Http404
    units = services.export_units(language=language)
    body = exchange.export(file_format, language, units)
    stamp = timezone.localdate().isoformat()
    extension = exchange.FILE_EXTENSIONS[file_format]
    response = HttpResponse(body, content_type=exchange.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="infobus-{language}-{stamp}.{extension}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@translation_staff_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch = services.preview_import(
                user=request.user, filename=uploaded.name, data=uploaded.read()
            )
        except services.ImportRejected as rejected:
            problems = rejected.problems
        else:
            return HttpResponseRedirect(reverse("guides_staff:preview", args=[batch.pk]))
    status = 400 if request.method == "POST" else 200
    return _render(
        request,
        "guides/staff/upload.html",
        {"title": _("Upload translations"), "upload_form": form, "problems": problems},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@translation_staff_required
def preview(request, pk):
    batch = get_object_or_404(TranslationImport, pk=pk, user=request.user)
    if request.method == "POST" and batch.status == TranslationImport.Status.PREVIEWED:
        if "discard" in request.POST:
            services.discard_import(batch=batch, user=request.user)
            messages.info(request, _("The upload was discarded; nothing changed."))
            return HttpResponseRedirect(reverse("guides_staff:dashboard"))
        try:
            services.apply_import(batch=batch, user=request.user)
        except services.ImportRejected as rejected:
            for problem in rejected.problems:
                messages.error(request, problem)
            messages.error(request, _("Nothing was changed. Download a new file and try again."))
            return HttpResponseRedirect(reverse("guides_staff:preview", args=[batch.pk]))
        messages.success(
            request,
            _("%(n)s translations saved.") % {"n": len(batch.changes)},
        )
        return HttpResponseRedirect(reverse("guides_staff:language", args=[batch.language]))
    return _render(
        request,
        "guides/staff/preview.html",
        {
            "title": _("Check before saving"),
            "batch": batch,
            "language_name": dict(settings.LANGUAGES)[batch.language],
            "waiting": batch.status == TranslationImport.Status.PREVIEWED,
        },
    )
