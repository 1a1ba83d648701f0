"""What an area's printed booklet holds at a moment: one selection, which guides/printed.py
prints and guides/editions.py counts for the translation's completeness, so that the figure
on a cover is about the texts that booklet prints and nothing else.
"""

from dataclasses import dataclass
from datetime import timedelta

from guides import schedule
from guides.models import Alert, Area, Category, InfoPage, Place, Service, ServiceException
from infobus.lib.i18n import text_in

# Coming changes (cancelled days, other hours) printed under each service.
CHANGES_AHEAD = timedelta(days=31)
SEVERITY_ORDER = {Alert.Severity.DANGER: 0, Alert.Severity.WARNING: 1, Alert.Severity.INFO: 2}


def title_key(obj, field="title"):
    return text_in(obj, field)[0].casefold()


@dataclass(frozen=True)
class Selection:
    area: object
    alerts: list
    # [(category, services printed under it, [(service, the category it is printed under)])]
    sections: list
    # Sorted by title; each carries coming_changes, printed_places and slots_name_places.
    services: list
    # [(place, [services])] of the "Places and directions" section, by name.
    places: list
    pages: list

    def objects_by_model(self):
        """{model: [objects]} whose texts the booklet prints (translation_status.texts)."""
        return {
            Area: [self.area],
            Category: [category for category, _main, _also in self.sections],
            Service: self.services,
            ServiceException: [change for s in self.services for change in s.coming_changes],
            Place: [place for place, _services in self.places],
            Alert: self.alerts,
            InfoPage: self.pages,
        }

    @staticmethod
    def prints(obj, field):
        """Whether the booklet prints this field of an object it holds: a status note only
        explains a closure (see templates/guides/print/guide.html)."""
        if isinstance(obj, Service) and field == "status_note":
            return obj.status == Service.Status.TEMPORARILY_CLOSED
        return True


def _sections(services, categories):
    """A service is printed once, under the first of its categories in the guide's order;
    its other categories name it and say where to find it."""
    position = {category.pk: n for n, category in enumerate(categories)}
    main, also = {}, {}
    for service in services:
        own = sorted(service.categories.all(), key=lambda category: position[category.pk])
        if not own:
            continue
        main.setdefault(own[0].pk, []).append(service)
        for category in own[1:]:
            also.setdefault(category.pk, []).append((service, own[0]))
    return [
        (category, main.get(category.pk, []), also.get(category.pk, []))
        for category in categories
        if category.pk in main or category.pk in also
    ]


def _printed_places(service):
    """Every place the service is at: its own, those its hours name and those of its coming
    changes, by name. A place no longer used stays, for the booklet to say so."""
    found = {}
    for place in service.places.all():
        found.setdefault(place.pk, place)
    for slot in service.opening_hours.all():
        if slot.place is not None:
            found.setdefault(slot.place.pk, slot.place)
    for change in service.coming_changes:
        if change.place is not None:
            found.setdefault(change.place.pk, change.place)
    return sorted(found.values(), key=lambda place: title_key(place, "name"))


def _places_section(services):
    """[(place, [services])] for the places in use or moved that the listed services name."""
    found = {}
    for service in services:
        for place in service.printed_places:
            if place.status != Place.Status.GONE:
                found.setdefault(place.pk, (place, []))[1].append(service)
    return sorted(found.values(), key=lambda row: title_key(row[0], "name"))


def select(area, *, now):
    """What the area's booklet prints as of `now`, in the active language's order.

    A fixed number of queries: the services with their hours, places, exceptions and
    categories come in one prefetch.
    """
    alerts = sorted(
        Alert.objects.active(now).filter(area=area),
        key=lambda alert: (SEVERITY_ORDER.get(alert.severity, 9), -alert.starts_at.timestamp()),
    )
    services = sorted(
        Service.objects.visible().in_area(area).with_schedule(),
        key=lambda service: title_key(service),
    )
    today = schedule.local_date(now)
    for service in services:
        service.coming_changes = [
            change
            for change in service.exceptions.all()
            if today <= change.date <= today + CHANGES_AHEAD
        ]
        service.printed_places = _printed_places(service)
        # A service always at one place need not name it on every line of its hours.
        used = {slot.place_id for slot in service.opening_hours.all() if slot.place_id}
        service.slots_name_places = len(used | {place.pk for place in service.places.all()}) > 1
    return Selection(
        area=area,
        alerts=alerts,
        sections=_sections(services, list(Category.objects.all())),
        services=services,
        places=_places_section(services),
        pages=list(InfoPage.objects.published()),
    )
