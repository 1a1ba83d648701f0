"""The map of an area: its places and what happens at each, as a page and as GeoJSON.

The page is the list of places, rendered on the server and read without JavaScript; map.js
draws the map over it from the list's data- attributes, so the map costs no second request
and a copy saved for offline still shows its markers. The GeoJSON carries the same data for
other tools. Tiles come from settings.MAP_TILES_URL, fetched by the reader's browser: that
host is allowed in img-src on the map page and the back office's place form only.
"""

import json
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import wraps
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guides import schedule
from guides.models import Area, Category, OpeningHours, Place, Service, ServiceException
from guides.pagecache import PublicPage, public_page
from infobus.lib.i18n import text_in

# How far ahead the list looks for a service's next opening at a place ("Tuesday 10:00"):
# as far as the rest of the guide, for "last Sunday of the month" and "every 8 weeks".
HORIZON_DAYS = schedule.HORIZON_DAYS


def tiles_origin(url=None):
    """The origin a tile URL loads from, as a CSP source; "" when there are no tiles.

    A "{s}." subdomain placeholder (a, b, c mirrors) becomes the CSP wildcard "*.".
    """
    url = settings.MAP_TILES_URL if url is None else url
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def allow_tiles(response):
    """Let this one response's page show images from the tile server.

    What django-csp's csp_update decorator sets; a function, because the origin comes from
    settings at request time, not when the module is imported.
    """
    origin = tiles_origin()
    if origin:
        response._csp_update = {"img-src": [origin]}
    return response


def tiles_allowed(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return allow_tiles(view(request, *args, **kwargs))

    return wrapper


@dataclass(frozen=True)
class Stop:
    """A service at a place: its opening there running now, else the next, or None."""

    service: Service
    occurrence: schedule.Occurrence | None
    is_open: bool


@dataclass
class PlaceOnMap:
    place: Place
    categories: list = field(default_factory=list)
    stops: list = field(default_factory=list)

    @property
    def icon(self):
        return self.categories[0].icon if self.categories else Category.Icon.INFO

    @property
    def category_slugs(self):
        return " ".join(category.slug for category in self.categories)

    @property
    def is_open(self):
        return any(stop.is_open for stop in self.stops)

    @property
    def coordinates(self):
        """[longitude, latitude]: GeoJSON's order (RFC 7946, 3.1.1)."""
        return [float(self.place.longitude), float(self.place.latitude)]


def _openings_by_place(service, places, now):
    """{place, or None for openings with no place of their own: the opening there running at
    `now`, else the next one within HORIZON_DAYS}.

    A place is where a reader should go (a moved place's new one), and may be one the service
    is not linked to: its hours name it, or it is there on one day instead. Openings at a
    place no longer used are left out.
    """
    if service.status != Service.Status.ACTIVE:
        return {}
    found = {}

    def note(occ):
        if occ.place is None:
            found.setdefault(None, occ)
            return
        place = occ.place.in_use_or_moved_to()
        if place is not None:
            found.setdefault(place, occ)

    # Joined with the openings right after it, so day and night reads so.
    running = schedule.running_at(service, now)
    if running:
        note(running)
    wanted = set(places)
    today = schedule.local_date(now)
    for offset in range(HORIZON_DAYS + 1):
        # Days come in order: the first opening found for a key is its next one.
        if None in found or wanted <= found.keys():
            break
        for occ in service.occurrences_on(today + timedelta(days=offset)):
            if occ.start > now:
                note(occ)
    return found


def places_on_map(area, now):
    """The area's places in use where a visible service happens, sorted by name, and the
    moment this stops being true (an opening or closing, or midnight for "Today" labels).

    A place that moved shows as the place it moved to. Four queries whatever the number of
    places: the service-place pairs, then the services' categories, opening hours and
    exceptions (with the area's, and the translation notes' in other languages than
    English, a page stays within six).
    """
    first_day = schedule.local_date(now) - timedelta(days=1)
    links = list(
        Service.places.through.objects.filter(
            service__in=Service.objects.visible().in_area(area), place__area=area
        ).select_related("service", "place__moved_to")
    )
    services, places_of = {}, {}
    for link in links:
        services.setdefault(link.service_id, link.service)
        place, known = link.place.in_use_or_moved_to(), places_of.setdefault(link.service_id, [])
        if place is not None and place not in known:
            known.append(place)
    prefetch_related_objects(
        list(services.values()),
        "categories",
        Prefetch("opening_hours", queryset=OpeningHours.objects.select_related("place__moved_to")),
        Prefetch(
            "exceptions",
            queryset=ServiceException.objects.filter(
                date__gte=first_day, date__lte=first_day + timedelta(days=HORIZON_DAYS + 1)
            ).select_related("place__moved_to"),
        ),
    )
    rows, shown = {}, []
    for pk, service in services.items():
        places = places_of[pk]
        openings = _openings_by_place(service, places, now)
        # Where its hours or a day's change take it, in this area, besides its own places.
        elsewhere = [
            p for p in openings if p is not None and p not in places and p.area_id == area.pk
        ]
        for place in places + elsewhere:
            # Openings that name no place happen at the service's own places.
            keys = (place, None) if place in places else (place,)
            candidates = [openings[key] for key in keys if key in openings]
            occ = min(candidates, key=lambda o: o.start, default=None)
            row = rows.setdefault(place.pk, PlaceOnMap(place))
            row.stops.append(Stop(service, occ, bool(occ and occ.start <= now)))
            row.categories.extend(c for c in service.categories.all() if c not in row.categories)
            if occ:
                shown.append(occ)
    for row in rows.values():
        row.categories.sort(key=lambda c: (c.order, c.slug))
        row.stops.sort(key=lambda stop: text_in(stop.service, "title")[0].casefold())
    ordered = sorted(rows.values(), key=lambda row: text_in(row.place, "name")[0].casefold())
    midnight = schedule.wall_clock(schedule.local_date(now) + timedelta(days=1), time(0))
    change = schedule.next_change(shown, now)
    return ordered, min(change, midnight) if change else midnight


def categories_of(rows):
    """The categories of these places, once each, in the guide's order."""
    seen = {}
    for row in rows:
        for category in row.categories:
            seen.setdefault(category.pk, category)
    return sorted(seen.values(), key=lambda c: (c.order, c.slug))


def _stop_properties(area, stop, absolute):
    occ = stop.occurrence
    data = {
        "title": text_in(stop.service, "title")[0],
        "url": absolute(reverse("guides:service", args=[area.slug, stop.service.pk])),
        # "active" or "temporarily_closed": closed for now is not the same as not open now.
        "status": stop.service.status,
        "open_now": stop.is_open,
    }
    if occ is not None:
        data["next"] = {
            "start": occ.start.isoformat().replace("+00:00", "Z"),
            "end": occ.end.isoformat().replace("+00:00", "Z"),
            # Why it differs from usual (other hours, another place), in the reader's language.
            "change": text_in(occ.exception, "reason")[0] if occ.exception else "",
            "holiday_uncertain": occ.holiday_uncertain,
        }
    return data


def feature_collection(area, rows, absolute=str):
    """An RFC 7946 FeatureCollection of the places, texts in the active language (with the
    guide's fallbacks to English, then French). `absolute` makes a path a full address."""
    features = []
    for row in rows:
        place = row.place
        features.append(
            {
                "type": "Feature",
                "id": place.pk,
                "geometry": {"type": "Point", "coordinates": row.coordinates},
                "properties": {
                    "name": text_in(place, "name")[0],
                    "directions": text_in(place, "directions")[0],
                    "address": place.address,
                    "icon": row.icon,
                    "categories": [
                        {"slug": c.slug, "icon": c.icon, "name": text_in(c, "name")[0]}
                        for c in row.categories
                    ],
                    "open_now": row.is_open,
                    "services": [_stop_properties(area, stop, absolute) for stop in row.stops],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_safe
@tiles_allowed
@public_page
def map_page(request, area):
    now = timezone.now()
    rows, fresh_until = places_on_map(area, now)
    context = {
        "area": area,
        "rows": rows,
        "categories": categories_of(rows),
        "now": now,
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }
    html = render_to_string("guides/map.html", context, request=request)
    return PublicPage(html, fresh_until=fresh_until)


@public_page
def _geojson_document(request, area):
    now = timezone.now()
    rows, fresh_until = places_on_map(area, now)
    data = feature_collection(area, rows, absolute=request.build_absolute_uri)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return PublicPage(body.encode(), fresh_until=fresh_until, content_type="application/geo+json")


@require_safe
def map_geojson(request, area):
    """The map's places as GeoJSON, for other maps and tools: any origin may read it, as the
    open data (no cookie is ever set on it)."""
    response = _geojson_document(request, area)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class PointPickerInput(forms.NumberInput):
    """The longitude input of the back office's place form, then a map to set the point.

    A click on the map or a drag of its marker writes latitude and longitude; typing in
    either moves the marker (guides/static/guides/admin_point_picker.js). The two inputs stay
    what is saved, and work as before without JavaScript. Plain decimals, no GDAL.
    """

    class Media:
        css = {"all": ["leaflet/leaflet.css"]}
        js = ["leaflet/leaflet.js", "guides/admin_point_picker.js"]

    def __init__(self, attrs=None, *, latitude_id="id_latitude"):
        super().__init__(attrs)
        self.latitude_id = latitude_id

    def render(self, name, value, attrs=None, renderer=None):
        field_html = super().render(name, value, attrs, renderer)
        # Where to look when the place has no point yet: the centre of the area chosen.
        areas = {
            pk: [float(lat), float(lon), zoom]
            for pk, lat, lon, zoom in Area.objects.values_list(
                "pk", "centre_latitude", "centre_longitude", "zoom"
            )
        }
        config = settings.LEAFLET_CONFIG
        return format_html(
            '{}<div class="point-picker" data-latitude="{}" data-longitude="{}" '
            'data-areas="{}" data-centre="{}" data-tiles="{}" data-attribution="{}" '
            'data-icon="{}" data-icon2x="{}" data-help="{}"></div>',
            field_html,
            self.latitude_id,
            self.build_attrs(self.attrs, attrs).get("id", ""),
            json.dumps(areas),
            json.dumps([*config["DEFAULT_CENTER"], config["DEFAULT_ZOOM"]]),
            settings.MAP_TILES_URL,
            settings.MAP_TILES_ATTRIBUTION,
            static("leaflet/images/marker-icon.png"),
            static("leaflet/images/marker-icon-2x.png"),
            _("Click the map or drag the marker to set latitude and longitude."),
        )
