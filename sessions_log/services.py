"""Workflows on sites and sessions: each writes its rows in one transaction.

Moving a site moves the guide's place with it; recording wifi figures keeps the import beside
the session it changed; the month's text is saved per language.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guides.models import Place
from sessions_log import wifi
from sessions_log.models import MonthlyReportNote, Session, Site, SitePlace, WifiImport


def _save(instance, *, user, **options):
    """Save `instance`, naming `user` in its audit history: commands and tests save outside
    any request, where nothing else says who."""
    instance._history_user = user
    instance.save(**options)
    return instance


def create_site(
    *, name, place, user, since=None, usual_start=None, usual_end=None, order=0, is_active=True
):
    """A new site at a guide place, with the first row of its history of places."""
    since = since or timezone.localdate()
    site = Site(
        name=name,
        place=place,
        usual_start=usual_start,
        usual_end=usual_end,
        order=order,
        is_active=is_active,
    )
    site.full_clean()
    with transaction.atomic():
        _save(site, user=user)
        _save(SitePlace(site=site, place=place, since=since, recorded_by=user), user=user)
    return site


def move_site(*, site, new_place, user, on=None, note=""):
    """The bus stops at `new_place` from `on` (today by default): the site's current place is
    closed in its history, a new stretch opens, and the guide's old place is marked as moved
    to the new one, so readers of the guide are sent there too.

    The old place stays in use in the guide if another site still stops there. Raises
    ValidationError when the move makes no sense. Returns the new SitePlace.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        old_place = Place.objects.select_for_update().get(pk=site.place_id)
        new_place = Place.objects.select_for_update().get(pk=new_place.pk)
        if new_place.pk == old_place.pk:
            raise ValidationError(_("The site is already at %(place)s.") % {"place": old_place})
        if new_place.status != Place.Status.IN_USE:
            raise ValidationError(
                _("%(place)s is marked as moved or gone in the guide: choose a place in use.")
                % {"place": new_place}
            )
        current = (
            SitePlace.objects.select_for_update().filter(site=site, until__isnull=True).first()
        )
        if current and on <= current.since:
            raise ValidationError(
                _("The site has been at %(place)s since %(date)s: a move comes after that.")
                % {"place": old_place, "date": current.since.isoformat()}
            )
        if on > timezone.localdate():
            raise ValidationError(_("Record a move on the day it happens, not before."))
        if current:
            current.until = on
            _save(current, user=user, update_fields=["until"])
        stretch = SitePlace(
            site=site, place=new_place, since=on, recorded_by=user, note=note.strip()
        )
        _save(stretch, user=user)
        site.place = new_place
        _save(site, user=user, update_fields=["place"])
        still_used = Site.objects.filter(place=old_place, is_active=True).exists()
        if not still_used:
            old_place.status = Place.Status.MOVED
            old_place.moved_to = new_place
            # save() rather than update(): the guide's cache follows its post_save signal.
            _save(old_place, user=user, update_fields=["status", "moved_to", "updated_at"])
    return stretch


def record_session(*, session, user):
    """Check and save a session entered at the end of it (or corrected later)."""
    if session.pk is None:
        session.recorded_by = user
    if session.wifi_source == Session.WifiSource.NONE and (
        session.devices_connected is not None or session.data_down_bytes is not None
    ):
        session.wifi_source = Session.WifiSource.TYPED
    session.full_clean()
    return _save(session, user=user)


def _apply_wifi(*, session, totals, source, user):
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != Session.Status.HELD:
            raise ValidationError(_("This session was cancelled: it has no wifi figures."))
        locked.devices_connected = totals.devices
        locked.peak_devices = totals.peak_devices
        locked.data_down_bytes = totals.data_down_bytes
        locked.data_up_bytes = totals.data_up_bytes
        locked.wifi_source = source
        # The same rules as a typed entry: 900 GB from one session is refused here too.
        locked.full_clean()
        _save(locked, user=user)
        record = WifiImport(
            session=locked,
            source=source,
            devices=totals.devices,
            peak_devices=totals.peak_devices,
            data_down_bytes=totals.data_down_bytes,
            data_up_bytes=totals.data_up_bytes,
            rows_read=totals.rows_read,
            rows_outside=totals.rows_outside,
            imported_by=user,
        )
        _save(record, user=user, force_insert=True)
    for name in ("devices_connected", "peak_devices", "data_down_bytes", "data_up_bytes"):
        setattr(session, name, getattr(locked, name))
    session.wifi_source = source
    return record


def import_client_list(*, session, data, user):
    """Read the gateway's client list (CSV bytes) for the session's time window and keep its
    totals on the session. All or nothing: a wrong line changes nothing and the
    ValidationError says which line and why."""
    start, end = session.window()
    totals = wifi.read_client_list(data, start=start, end=end)
    return _apply_wifi(session=session, totals=totals, source=Session.WifiSource.CSV, user=user)


def fetch_from_meraki(*, session, user, api_key, network_id):
    """Ask the Meraki dashboard for the session window's totals and keep them on the session."""
    start, end = session.window()
    totals = wifi.fetch_meraki_totals(api_key=api_key, network_id=network_id, start=start, end=end)
    return _apply_wifi(session=session, totals=totals, source=Session.WifiSource.API, user=user)


def save_report_note(*, year, month, language, text, user):
    """Keep the month's paragraph as edited in one language; an empty text goes back to the
    generated one. Returns the note, or None when it was removed."""
    text = (text or "").strip()
    with transaction.atomic():
        if not text:
            # One by one, so the history says who removed it rather than who last wrote it.
            for note in MonthlyReportNote.objects.filter(year=year, month=month, language=language):
                note._history_user = user
                note.delete()
            return None
        # The history names updated_by as the editor (see the model's HistoricalRecords).
        note, _created = MonthlyReportNote.objects.update_or_create(
            year=year,
            month=month,
            language=language,
            defaults={"text": text, "updated_by": user},
        )
    return note
