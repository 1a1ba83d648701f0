"""Staff pages for sessions, in the back office's look: the quick entry at the end of a session,
a session's wifi figures, a site's move, and the month's report with its exports. Each
parses, calls a service or the report, and renders or redirects.
"""

import io
import json
import uuid
from datetime import date
from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from phones import services as phone_services
from phones.models import VanTap, van_day
from sessions_log import reports, services
from sessions_log.forms import ClientListForm, MoveSiteForm, ReportNoteForm, SessionForm
from sessions_log.models import MonthlyReportNote, Session, Site


def staff_with(permission):
    """The one permission check of the session pages: signed-in staff holding `permission`
    get in; other signed-in staff are refused; anyone else is sent to the back-office login."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and user.is_active and user.is_staff):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _render(request, template, context, status=200):
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


def _meraki_settings():
    """(api key, network id) when the lead has configured both, else None."""
    key = getattr(settings, "MERAKI_API_KEY", "")
    network = getattr(settings, "MERAKI_NETWORK_ID", "")
    return (key, network) if key and network else None


# --- The session -----------------------------------------------------------------------------


def _submission_id(value):
    """The id a form was sent with, or None when missing or unreadable."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _entry_form(request, data):
    """The session form bound to `data`: a new session, or (for those who may edit sessions)
    the one already recorded for the same site, date and planned start, corrected."""
    form = SessionForm(data)
    if not form.is_valid() and request.user.has_perm("sessions_log.change_session"):
        recorded = form.recorded_match()
        if recorded is not None:
            form = SessionForm(data, instance=recorded)
            form.is_valid()
    return form


def _save_entry(request, data, submission_id):
    """(session, replayed, form): the session this submission recorded (now or when it was
    first sent), or None and the form with what to fix."""
    sent, session = phone_services.session_entry_sent(submission_id)
    if sent:
        return session, True, None
    form = _entry_form(request, data)
    if form.is_valid():
        try:
            session, replayed = phone_services.record_session_entry(
                session=form.save(commit=False), submission_id=submission_id, user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return session, replayed, form
    return None, False, form


def _saved_message(session):
    return _("Session at %(site)s on %(date)s recorded. Thank you!") % {
        "site": session.site,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def _record_from_script(request):
    """The van page's queued form: JSON {"submission": uuid, "fields": {name: value}}, answered
    in JSON. The same submission sent again answers as the first time and changes nothing;
    a refusal carries each field's messages, for the page to show beside what was typed."""
    try:
        body = json.loads(request.body)
        submission_id = _submission_id(body.get("submission"))
        fields = body.get("fields")
        if submission_id is None or not isinstance(fields, dict):
            raise ValueError("no submission id or fields")
        fields = {str(name): "" if value is None else str(value) for name, value in fields.items()}
    # RecursionError: JSON nested thousands deep is no form either.
    except (ValueError, TypeError, AttributeError, RecursionError):
        return JsonResponse(
            {"ok": False, "code": "bad_entry", "message": str(_("This form cannot be read."))},
            status=400,
        )
    try:
        session, replayed, form = _save_entry(request, fields, submission_id)
    except ValidationError as error:  # the id was used for a tap, not a form
        return JsonResponse(
            {"ok": False, "code": error.code, "message": " ".join(error.messages), "errors": {}},
            status=409,
        )
    if session is not None:
        return JsonResponse(
            {
                "ok": True,
                "submission": str(submission_id),
                "replayed": replayed,
                "session": session.pk,
                "url": reverse("sessions_log:session_detail", args=[session.pk]),
                "message": str(_saved_message(session)),
            }
        )
    if form is None:  # recorded once, and the session removed since
        return JsonResponse(
            {"ok": True, "submission": str(submission_id), "replayed": True, "session": None},
        )
    return JsonResponse(
        {
            "ok": False,
            "code": "invalid",
            "submission": str(submission_id),
            "message": str(_("Some figures need checking: see the messages in red below.")),
            "errors": {name: [str(m) for m in errors] for name, errors in form.errors.items()},
        },
        status=400,
    )


def _counted_charges(site, day):
    """Phones charged counted with the van's button at `site` on `day`, for the form."""
    return VanTap.objects.charges_for_entry(site=site, day=day).count() if site else 0


@require_http_methods(["GET", "POST"])
@staff_with("sessions_log.add_session")
def record_session(request):
    """The quick entry on a phone at the end of a session. Each form carries a submission id,
    taken once: a double tap, a form sent again, or the van page's queue retrying after a
    lost answer records the session once. The van page's script sends JSON (see
    _record_from_script); without JavaScript this is a plain form."""
    if request.method == "POST" and request.content_type == "application/json":
        return _record_from_script(request)
    sites = list(Site.objects.filter(is_active=True))
    choosing = False
    if request.method == "POST":
        # A form from before submission ids still records, without the replay guard.
        submission_id = _submission_id(request.POST.get("submission")) or uuid.uuid4()
        try:
            session, _replayed, form = _save_entry(request, request.POST, submission_id)
        except ValidationError as error:
            session, form = None, SessionForm(request.POST)
            form.add_error(None, error)
        if session is not None:
            messages.success(request, _saved_message(session))
            return redirect("sessions_log:session_detail", pk=session.pk)
        if form is None:
            return redirect("sessions_log:record")
        status = 400
    else:
        # First tap: where the bus is (skipped when it only goes to one site). The form then
        # comes with today and that site's usual times filled in.
        chosen = request.GET.get("site", "")
        site = next((site for site in sites if str(site.pk) == chosen), None)
        if site is None and len(sites) == 1:
            site = sites[0]
        choosing = site is None and len(sites) > 1
        initial = SessionForm.initial_for(site, today=van_day())
        form = SessionForm(initial=initial, counted_charges=_counted_charges(site, initial["date"]))
        submission_id = uuid.uuid4()
        status = 200
    return _render(
        request,
        "sessions_log/record.html",
        {
            "title": _("Record a session"),
            "form": form,
            "sites": sites,
            "choosing": choosing,
            "submission": submission_id,
        },
        status=status,
    )


@require_safe
@staff_with("sessions_log.view_session")
def session_detail(request, pk):
    session = get_object_or_404(Session.objects.select_related("site"), pk=pk)
    return _render(
        request,
        "sessions_log/session_detail.html",
        {
            "title": str(session),
            "session": session,
            "counted_charges": VanTap.objects.charges().filter(session=session).count(),
            "form": ClientListForm(),
            "imports": session.wifi_imports.select_related("imported_by")[:5],
            "meraki_ready": _meraki_settings() is not None,
        },
    )


@require_POST
@staff_with("sessions_log.add_wifiimport")
def import_client_list(request, pk):
    """Totals from the gateway's client list: all or nothing, errors by line number."""
    session = get_object_or_404(Session.objects.select_related("site"), pk=pk)
    form = ClientListForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record = services.import_client_list(
                session=session, data=form.cleaned_data["client_list"].read(), user=request.user
            )
        except ValidationError as error:
            form.add_error("client_list", error)
        else:
            messages.success(
                request,
                _("Wifi figures imported: %(devices)s devices.") % {"devices": record.devices},
            )
            return redirect("sessions_log:session_detail", pk=session.pk)
    return _render(
        request,
        "sessions_log/session_detail.html",
        {
            "title": str(session),
            "session": session,
            "form": form,
            "imports": session.wifi_imports.select_related("imported_by")[:5],
            "meraki_ready": _meraki_settings() is not None,
        },
        status=400,
    )


@require_POST
@staff_with("sessions_log.add_wifiimport")
def fetch_from_meraki(request, pk):
    session = get_object_or_404(Session, pk=pk)
    configured = _meraki_settings()
    if configured is None:
        messages.error(request, _("No Meraki API key is configured: import the client list."))
        return redirect("sessions_log:session_detail", pk=session.pk)
    api_key, network_id = configured
    try:
        record = services.fetch_from_meraki(
            session=session, user=request.user, api_key=api_key, network_id=network_id
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Wifi figures fetched from the dashboard: %(devices)s devices.")
            % {"devices": record.devices},
        )
    return redirect("sessions_log:session_detail", pk=session.pk)


# --- Sites ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_with("sessions_log.change_site")
def move_site(request, pk):
    """After an eviction: the site stops somewhere else, and the guide follows."""
    site = get_object_or_404(Site.objects.select_related("place"), pk=pk)
    form = MoveSiteForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_site(
                site=site,
                new_place=form.cleaned_data["new_place"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(site)s now stops at %(place)s; the guide shows the old place as moved.")
                % {"site": site.name, "place": form.cleaned_data["new_place"]},
            )
            return redirect("admin:sessions_log_site_change", site.pk)
    return _render(
        request,
        "sessions_log/move_site.html",
        {
            "title": _("Move %(site)s") % {"site": site.name},
            "site": site,
            "form": form,
            "history": site.place_history.select_related("place"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The month's report -----------------------------------------------------------------------


def _month(text, today):
    """'2025-11' → (2025, 11); last month when absent or malformed (a report is written
    once the month is over)."""
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except (AttributeError, ValueError):
        return reports.shift_month(today.year, today.month, -1)
    return year, month


def _report(request):
    year, month = _month(request.GET.get("month"), timezone.localdate())
    return reports.month_report(year=year, month=month)


@require_safe
@staff_with("sessions_log.view_session")
def month_report(request):
    report = _report(request)
    can_edit = request.user.has_perm("sessions_log.change_monthlyreportnote")
    texts = [
        (
            code,
            label,
            report.paragraph(code),
            code in report.notes,
            ReportNoteForm(initial={"language": code, "text": report.paragraph(code)}),
        )
        for code, label in MonthlyReportNote.Language.choices
    ]
    year, month = report.year, report.month
    return _render(
        request,
        "sessions_log/month_report.html",
        {
            "title": _("Sessions: the month's report"),
            "report": report,
            "texts": texts,
            "can_edit": can_edit,
            "month_param": f"{year}-{month:02d}",
            "previous": "{}-{:02d}".format(*reports.shift_month(year, month, -1)),
            "next": "{}-{:02d}".format(*reports.shift_month(year, month, 1)),
        },
    )


@require_POST
@staff_with("sessions_log.change_monthlyreportnote")
def save_month_text(request):
    year, month = _month(request.GET.get("month"), timezone.localdate())
    form = ReportNoteForm(request.POST)
    if form.is_valid():
        note = services.save_report_note(
            year=year,
            month=month,
            language=form.cleaned_data["language"],
            text=form.cleaned_data["text"],
            user=request.user,
        )
        messages.success(
            request,
            _("Text saved.") if note else _("Back to the generated text."),
        )
    else:
        messages.error(request, _("The text could not be saved: choose English or French."))
    return redirect(f"{reverse('sessions_log:month_report')}?month={year}-{month:02d}")


@require_safe
@staff_with("sessions_log.view_session")
def month_print(request):
    """The report on one page for paper or PDF: the text, the charts, the tables."""
    report = _report(request)
    return render(
        request,
        "sessions_log/month_print.html",
        {
            "report": report,
            "texts": [
                (code, label, report.paragraph(code))
                for code, label in MonthlyReportNote.Language.choices
            ],
        },
    )


def _filename(report, extension):
    return f'attachment; filename="infobus-sessions-{report.year}-{report.month:02d}.{extension}"'


@require_safe
@staff_with("sessions_log.view_session")
def month_csv(request):
    report = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(report, "csv")
    reports.write_csv(response, report)
    return response


@require_safe
@staff_with("sessions_log.view_session")
def month_xlsx(request):
    report = _report(request)
    buffer = io.BytesIO()
    reports.write_xlsx(buffer, report)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _filename(report, "xlsx")
    return response
