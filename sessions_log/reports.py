"""The monthly report: per site and in total, each figure beside last month's.

month_report() costs the same few queries whatever the number of sessions: the sessions are
summed in SQL, grouped by site and month (this month, last month and the 12-month trend in
one query) and by week (the month's weeks in another). The phone figures come from
phones.reports, keyed by guide place, and are put under the site that stopped there.
"""

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import formats, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from infobus.lib.spreadsheet import append_row, safe_row
from sessions_log import charts
from sessions_log.models import MonthlyReportNote, Session, Site, SitePlace
from sessions_log.units import MB, format_size

REPORT_LANGUAGES = ("en", "fr")
TREND_MONTHS = 12

COUNT, BYTES, HOURS = "count", "bytes", "hours"


# --- Months -----------------------------------------------------------------------------------


def shift_month(year, month, delta):
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_days(year, month):
    """(first day, last day) of a month."""
    next_year, next_month = shift_month(year, month, 1)
    return date(year, month, 1), date(next_year, next_month, 1) - timedelta(days=1)


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Figures:
    """What a site (or all of them) did in one month, or one week."""

    held: int = 0
    cancelled: int = 0
    cancelled_by_reason: dict = field(default_factory=dict)
    people: int = 0
    women_space: int = 0
    phones_charged: int = 0
    devices: int = 0
    peak_devices: int = 0
    data_down: int = 0
    data_up: int = 0
    # Data per person is counted over the sessions with both a headcount and wifi figures.
    data_where_people: int = 0
    people_where_data: int = 0
    generator_hours: Decimal = Decimal(0)
    # From phones.reports (None: no phone figures for this column).
    phones_fixed: int = 0
    batteries_fitted: int = 0
    phones_given: int = 0
    sims: int = 0
    cables: int = 0
    plugs: int = 0

    @property
    def sessions(self):
        return self.held + self.cancelled

    @property
    def data_total(self):
        return self.data_down + self.data_up

    @property
    def data_per_person(self):
        if not self.people_where_data:
            return 0
        return round(self.data_where_people / self.people_where_data)

    def cancelled_for(self, reason):
        return self.cancelled_by_reason.get(reason, 0)

    def add(self, other):
        for name in (
            "held",
            "cancelled",
            "people",
            "women_space",
            "phones_charged",
            "devices",
            "data_down",
            "data_up",
            "data_where_people",
            "people_where_data",
            "generator_hours",
            "phones_fixed",
            "batteries_fitted",
            "phones_given",
            "sims",
            "cables",
            "plugs",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.peak_devices = max(self.peak_devices, other.peak_devices)
        for reason, count in other.cancelled_by_reason.items():
            self.cancelled_by_reason[reason] = self.cancelled_by_reason.get(reason, 0) + count


HELD = Q(status=Session.Status.HELD)
CANCELLED = Q(status=Session.Status.CANCELLED)
WITH_DATA = Q(data_down_bytes__isnull=False) | Q(data_up_bytes__isnull=False)
WITH_BOTH = HELD & WITH_DATA & Q(people_present__gt=0)


def _aggregates():
    """The sums of a group of sessions, as annotations for .values(...).annotate(...)."""
    data = Coalesce("data_down_bytes", Value(0)) + Coalesce("data_up_bytes", Value(0))
    return {
        "n_held": Count("pk", filter=HELD),
        "n_cancelled": Count("pk", filter=CANCELLED),
        **{
            f"n_cancelled_{reason}": Count("pk", filter=CANCELLED & Q(cancel_reason=reason))
            for reason in Session.CancelReason.values
        },
        "people": Sum("people_present", filter=HELD),
        "women_space": Sum("women_space_users", filter=HELD),
        "phones_charged": Sum("phones_charged", filter=HELD),
        "devices": Sum("devices_connected", filter=HELD),
        "peak_devices": Max("peak_devices", filter=HELD),
        "data_down": Sum("data_down_bytes", filter=HELD),
        "data_up": Sum("data_up_bytes", filter=HELD),
        "data_where_people": Sum(data, filter=WITH_BOTH),
        "people_where_data": Sum("people_present", filter=WITH_BOTH),
        "generator_hours": Sum("generator_hours", filter=HELD),
    }


def _figures(row):
    return Figures(
        held=row["n_held"],
        cancelled=row["n_cancelled"],
        cancelled_by_reason={
            reason: row[f"n_cancelled_{reason}"]
            for reason in Session.CancelReason.values
            if row[f"n_cancelled_{reason}"]
        },
        people=row["people"] or 0,
        women_space=row["women_space"] or 0,
        phones_charged=row["phones_charged"] or 0,
        devices=row["devices"] or 0,
        peak_devices=row["peak_devices"] or 0,
        data_down=row["data_down"] or 0,
        data_up=row["data_up"] or 0,
        data_where_people=row["data_where_people"] or 0,
        people_where_data=row["people_where_data"] or 0,
        generator_hours=row["generator_hours"] or Decimal(0),
    )


# --- Phones (integration point with phones.reports) ------------------------------------------


def phone_figures(*, year, month, site_of_place):
    """{site id or None: (phones_fixed, batteries_fitted, phones_given, sims, cables, plugs)}
    and the phones given via partners, from phones.reports.month_numbers.

    The phone figures are recorded against guide places; `site_of_place` maps a place to the
    site that stopped there. Figures at a place no site used go under None ("elsewhere").
    """
    from phones.models import StockItem
    from phones.reports import month_numbers

    numbers = month_numbers(year=year, month=month)
    by_site = {}
    for place, figures in numbers.sites:
        site_id = site_of_place.get(place.pk) if place else None
        row = (
            figures.phones_fixed,
            figures.batteries_fitted,
            figures.phones_given,
            figures.handed_out_of(StockItem.Kind.SIM),
            figures.handed_out_of(StockItem.Kind.CABLE),
            figures.handed_out_of(StockItem.Kind.PLUG),
        )
        before = by_site.get(site_id, (0,) * len(row))
        by_site[site_id] = tuple(a + b for a, b in zip(before, row, strict=True))
    via_partners = sum(count for _partner, count in numbers.phones_via_partners)
    return by_site, via_partners


def _add_phones(figures, row):
    (
        figures.phones_fixed,
        figures.batteries_fitted,
        figures.phones_given,
        figures.sims,
        figures.cables,
        figures.plugs,
    ) = row


# --- The report -------------------------------------------------------------------------------


@dataclass
class Compared:
    this: object
    last: object
    kind: str

    @property
    def change(self):
        return self.this - self.last

    @property
    def percent(self):
        if not self.last:
            return None
        return round(100 * (self.this - self.last) / self.last)

    def text(self, value):
        return format_value(value, self.kind)

    @property
    def this_text(self):
        return self.text(self.this)

    @property
    def last_text(self):
        return self.text(self.last)

    @property
    def change_text(self):
        change = self.change
        if not change:
            return "="
        sign = "+" if change > 0 else "−"
        text = f"{sign}{self.text(abs(change))}"
        if self.percent:
            text += f" ({sign}{abs(self.percent)} %)"
        return text


def format_value(value, kind):
    if kind == BYTES:
        return format_size(value) if value else "0"
    if kind == HOURS:
        return formats.number_format(value, 1)
    return formats.number_format(value, force_grouping=True)


def figure_lines():
    """(key, label, kind, how to read the figure): the lines of the report, in order."""
    return [
        ("held", _("Sessions held"), COUNT, lambda f: f.held),
        ("cancelled", _("Sessions cancelled"), COUNT, lambda f: f.cancelled),
        *(
            (
                f"cancelled_{value}",
                _("— cancelled: %(reason)s") % {"reason": label},
                COUNT,
                (lambda reason: lambda f: f.cancelled_for(reason))(value),
            )
            for value, label in Session.CancelReason.choices
        ),
        ("people", _("People present (added up over sessions, about)"), COUNT, lambda f: f.people),
        ("women_space", _("People in the women's space"), COUNT, lambda f: f.women_space),
        ("phones_charged", _("Phones charged (about)"), COUNT, lambda f: f.phones_charged),
        ("devices", _("Devices on the wifi (added up over sessions)"), COUNT, lambda f: f.devices),
        ("peak_devices", _("Most devices at once"), COUNT, lambda f: f.peak_devices),
        ("data_total", _("Data used"), BYTES, lambda f: f.data_total),
        ("data_down", _("Data downloaded"), BYTES, lambda f: f.data_down),
        ("data_up", _("Data uploaded"), BYTES, lambda f: f.data_up),
        ("data_per_person", _("Data per person"), BYTES, lambda f: f.data_per_person),
        ("generator_hours", _("Generator hours"), HOURS, lambda f: f.generator_hours),
        ("phones_fixed", _("Phones fixed"), COUNT, lambda f: f.phones_fixed),
        ("batteries_fitted", _("Batteries fitted"), COUNT, lambda f: f.batteries_fitted),
        ("phones_given", _("Phones given out"), COUNT, lambda f: f.phones_given),
        ("sims", _("SIM cards handed out"), COUNT, lambda f: f.sims),
        ("cables", _("Cables handed out"), COUNT, lambda f: f.cables),
        ("plugs", _("Plugs handed out"), COUNT, lambda f: f.plugs),
    ]


@dataclass
class Column:
    """A site, or the total (site None), this month against last month."""

    site: Site | None
    name: str
    this: Figures
    last: Figures

    def lines(self):
        return [
            (key, label, Compared(read(self.this), read(self.last), kind))
            for key, label, kind, read in figure_lines()
        ]


@dataclass
class MonthReport:
    year: int
    month: int
    total: Column
    sites: list
    # [(first day, last day, Figures)] for the month's weeks (Monday to Sunday, cut to the month)
    weeks: list
    # [(first day of the month, Figures)] for the 12 months up to this one, oldest first
    trend: list
    # {language: text as edited}, for the languages that were edited
    notes: dict

    @property
    def first_day(self):
        return date(self.year, self.month, 1)

    @property
    def columns(self):
        return [self.total, *self.sites]

    def site_count(self):
        """Sites where the bus held at least one session this month."""
        return sum(1 for column in self.sites if column.this.held)

    def weeks_chart(self):
        return charts.bar_chart(
            [(f"{start.day}–{end.day}", figures.people) for start, end, figures in self.weeks],
            title=_("People present, week by week, %(month)s")
            % {"month": date_format(self.first_day, "F Y")},
            value_text=lambda value: format_value(value, COUNT),
        )

    def trend_chart(self):
        return charts.bar_chart(
            [(date_format(day, "M"), figures.people) for day, figures in self.trend],
            title=_("People present, month by month, over 12 months"),
            value_text=lambda value: format_value(value, COUNT),
        )

    def paragraph(self, language):
        """The saved text in `language` if there is one, the generated one otherwise."""
        return self.notes.get(language) or month_paragraph(self, language)


def month_report(*, year, month):
    """Figures for one calendar month, per site and in total, beside the month before; the
    month's weeks and the 12 months up to it; the texts edited for it."""
    first, last = month_days(year, month)
    trend_first, _end = month_days(*shift_month(year, month, -(TREND_MONTHS - 1)))
    previous = date(*shift_month(year, month, -1), 1)

    monthly = (
        Session.objects.between(trend_first, last)
        .annotate(month=TruncMonth("date"))
        .values("site", "month")
        .annotate(**_aggregates())
        .order_by()
    )
    weekly = (
        Session.objects.between(first, last)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(**_aggregates())
        .order_by()
    )
    by_site_month = {(row["site"], row["month"]): _figures(row) for row in monthly}
    by_week = {row["week"]: _figures(row) for row in weekly}

    seen = {site_id for site_id, _month in by_site_month}
    sites = [
        site for site in Site.objects.select_related("place") if site.is_active or site.pk in seen
    ]
    site_of_place = {}
    for place_id, site_id in SitePlace.objects.order_by("since", "pk").values_list(
        "place_id", "site_id"
    ):
        site_of_place[place_id] = site_id  # the latest site at a place wins

    phones_this, partners_this = phone_figures(year=year, month=month, site_of_place=site_of_place)
    phones_last, partners_last = phone_figures(
        year=previous.year, month=previous.month, site_of_place=site_of_place
    )

    columns = []
    for site in sites:
        # Copies: the rows of by_site_month are read again for the trend.
        this, before = Figures(), Figures()
        this.add(by_site_month.get((site.pk, first)) or Figures())
        before.add(by_site_month.get((site.pk, previous)) or Figures())
        _add_phones(this, phones_this.get(site.pk, (0,) * 6))
        _add_phones(before, phones_last.get(site.pk, (0,) * 6))
        columns.append(Column(site=site, name=site.name, this=this, last=before))

    total_this, total_last = Figures(), Figures()
    for column in columns:
        total_this.add(column.this)
        total_last.add(column.last)
    # Phones recorded at a place no site stopped at, and phones given via partners, count in
    # the total only.
    for figures, phones, partners in (
        (total_this, phones_this, partners_this),
        (total_last, phones_last, partners_last),
    ):
        elsewhere = Figures()
        known = {column.site.pk for column in columns}
        for site_id, row in phones.items():
            if site_id not in known:
                extra = Figures()
                _add_phones(extra, row)
                elsewhere.add(extra)
        elsewhere.phones_given += partners
        figures.add(elsewhere)

    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        sunday = monday + timedelta(days=6)
        weeks.append((max(monday, first), min(sunday, last), by_week.get(monday) or Figures()))
        monday += timedelta(days=7)

    trend = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        day = date(*shift_month(year, month, -back), 1)
        figures = Figures()
        for site in sites:
            figures.add(by_site_month.get((site.pk, day)) or Figures())
        trend.append((day, figures))

    notes = {
        note.language: note.text
        for note in MonthlyReportNote.objects.filter(year=year, month=month)
    }
    return MonthReport(
        year=year,
        month=month,
        total=Column(site=None, name=_("All sites"), this=total_this, last=total_last),
        sites=columns,
        weeks=weeks,
        trend=trend,
        notes=notes,
    )


# --- The month in words -----------------------------------------------------------------------

CANCEL_PHRASES = {
    Session.CancelReason.POLICE: gettext_lazy("%(count)s because of the police"),
    Session.CancelReason.EVICTION: gettext_lazy("%(count)s because of an eviction"),
    Session.CancelReason.WEATHER: gettext_lazy("%(count)s because of the weather"),
    Session.CancelReason.VEHICLE: gettext_lazy("%(count)s because of the vehicle"),
    Session.CancelReason.TEAM: gettext_lazy("%(count)s for lack of a team"),
    Session.CancelReason.OTHER: gettext_lazy("%(count)s for other reasons"),
}


def _n(value):
    return formats.number_format(value, force_grouping=True)


def _fill(phrase, number):
    """ngettext's "%(n)s phones" with the number written in the language's way."""
    return phrase % {"n": _n(number)}


def month_paragraph(report, language):
    """The month in words, in `language` (English or French), from the total figures:
    "In November the bus held 58 sessions at 3 sites, ...". A draft for a person to edit."""
    with translation.override(language):
        this, last = report.total.this, report.total.last
        month_name = date_format(report.first_day, "F")
        sentences = [
            _("In %(month)s the bus held %(sessions)s at %(sites)s.")
            % {
                "month": month_name,
                "sessions": _fill(
                    ngettext("%(n)s session", "%(n)s sessions", this.held), this.held
                ),
                "sites": _fill(
                    ngettext("%(n)s site", "%(n)s sites", report.site_count()), report.site_count()
                ),
            }
        ]
        if this.cancelled:
            reasons = ", ".join(
                str(CANCEL_PHRASES[reason]) % {"count": _n(this.cancelled_for(reason))}
                for reason in Session.CancelReason.values
                if this.cancelled_for(reason)
            )
            sentences.append(
                ngettext(
                    "%(count)s session was cancelled (%(reasons)s).",
                    "%(count)s sessions were cancelled (%(reasons)s).",
                    this.cancelled,
                )
                % {"count": _n(this.cancelled), "reasons": reasons}
            )
        if this.people:
            sentences.append(
                _(
                    "About %(people)s people came, %(women)s of them used the women's space, "
                    "and about %(phones)s phones were charged."
                )
                % {
                    "people": _n(this.people),
                    "women": _n(this.women_space),
                    "phones": _n(this.phones_charged),
                }
            )
        if this.devices:
            sentences.append(
                _(
                    "%(devices)s devices connected to the wifi and used %(data)s, "
                    "about %(per_person)s per person."
                )
                % {
                    "devices": _n(this.devices),
                    "data": format_size(this.data_total),
                    "per_person": format_size(this.data_per_person),
                }
            )
        if this.phones_fixed or this.phones_given or this.sims or this.cables or this.plugs:
            sentences.append(
                _(
                    "The phone team fixed %(fixed)s, fitted %(batteries)s and gave out "
                    "%(given)s, %(sims)s, %(cables)s and %(plugs)s."
                )
                % {
                    "fixed": _fill(
                        ngettext("%(n)s phone", "%(n)s phones", this.phones_fixed),
                        this.phones_fixed,
                    ),
                    "batteries": _fill(
                        ngettext("%(n)s battery", "%(n)s batteries", this.batteries_fitted),
                        this.batteries_fitted,
                    ),
                    "given": _fill(
                        ngettext("%(n)s phone", "%(n)s phones", this.phones_given),
                        this.phones_given,
                    ),
                    "sims": _fill(
                        ngettext("%(n)s SIM card", "%(n)s SIM cards", this.sims), this.sims
                    ),
                    "cables": _fill(
                        ngettext("%(n)s cable", "%(n)s cables", this.cables), this.cables
                    ),
                    "plugs": _fill(ngettext("%(n)s plug", "%(n)s plugs", this.plugs), this.plugs),
                }
            )
        if last.sessions:
            sentences.append(
                _("In %(previous)s: %(sessions)s sessions held and about %(people)s people.")
                % {
                    "previous": date_format(
                        date(*shift_month(report.year, report.month, -1), 1), "F"
                    ),
                    "sessions": _n(last.held),
                    "people": _n(last.people),
                }
            )
        return " ".join(str(sentence) for sentence in sentences)


# --- Exports -----------------------------------------------------------------------------------


def export_value(value, kind):
    """A figure as a spreadsheet takes it: data in MB, hours with one decimal."""
    if kind == BYTES:
        return round(value / MB, 1)
    if kind == HOURS:
        return float(value)
    return value


def export_rows(report):
    """[site, figure, unit, this month, last month, change] for every column and line."""
    for column in report.columns:
        for _key, label, compared in column.lines():
            unit = {BYTES: "MB", HOURS: _("hours")}.get(compared.kind, "")
            this = export_value(compared.this, compared.kind)
            last = export_value(compared.last, compared.kind)
            yield [column.name, str(label), unit, this, last, round(this - last, 1)]


def export_header():
    return [_("Site"), _("Figure"), _("Unit"), _("This month"), _("Last month"), _("Change")]


def write_csv(out, report):
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(export_header())
    # Site names are typed by coordinators: text that looks like a formula stays text.
    writer.writerows(safe_row(row) for row in export_rows(report))


def write_xlsx(out, report):
    """The same table as the CSV, then the weeks and the 12 months, as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.year}-{report.month:02d}"
    append_row(sheet, export_header())
    for row in export_rows(report):
        append_row(sheet, row)
    weeks = book.create_sheet(_("Weeks"))
    append_row(weeks, [_("From"), _("To"), _("Sessions held"), _("People present"), _("Data (MB)")])
    for start, end, figures in report.weeks:
        append_row(
            weeks,
            [start, end, figures.held, figures.people, export_value(figures.data_total, BYTES)],
        )
    trend = book.create_sheet(_("12 months"))
    append_row(trend, [_("Month"), _("Sessions held"), _("People present"), _("Data (MB)")])
    for day, figures in report.trend:
        append_row(
            trend,
            [f"{day:%Y-%m}", figures.held, figures.people, export_value(figures.data_total, BYTES)],
        )
    for ws in (sheet, weeks, trend):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 44 if ws is sheet else 14
    book.save(out)
