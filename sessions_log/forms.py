"""Forms: the quick entry at the end of a session, the wifi import, a site's move, the month's
text. They parse what is typed; the rules live in the models and services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides.models import Place
from sessions_log.models import MonthlyReportNote, Session, Site
from sessions_log.units import format_size, parse_size
from sessions_log.wifi import MAX_CSV_BYTES


class DataSizeInput(forms.TextInput):
    """Shows bytes as '11.2 GB' so that a coordinator edits what a volunteer typed."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_size(value)
        return super().format_value(value)


class DataSizeField(forms.Field):
    widget = DataSizeInput
    default_error_messages = {
        "invalid": _('Write a size such as "900 MB" or "11 GB" (a plain number means MB).'),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return parse_size(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BigNumberInput(forms.NumberInput):
    """A number pad on phones, and no spinner steps to tap through."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "min": "0", **(attrs or {})})


class SessionForm(forms.ModelForm):
    """The quick entry on a phone at the end of a session: a few taps, big inputs."""

    data_down_bytes = DataSizeField(
        label=_("Data downloaded"),
        required=False,
        help_text=_('From the gateway, e.g. "11 GB". Leave empty to import the list later.'),
    )
    data_up_bytes = DataSizeField(label=_("Data uploaded"), required=False)

    class Meta:
        model = Session
        fields = [
            "site",
            "date",
            "planned_start",
            "planned_end",
            "status",
            "cancel_reason",
            "actual_start",
            "actual_end",
            "people_present",
            "women_space_users",
            "team_size",
            "phones_charged",
            "devices_connected",
            "peak_devices",
            "data_down_bytes",
            "data_up_bytes",
            "generator_hours",
            "incidents",
            "notes",
        ]
        widgets = {
            "site": forms.RadioSelect,
            "status": forms.RadioSelect,
            "cancel_reason": forms.RadioSelect,
            "date": forms.DateInput(attrs={"type": "date"}),
            "planned_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "planned_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "actual_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "actual_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "people_present": BigNumberInput,
            "women_space_users": BigNumberInput,
            "team_size": BigNumberInput,
            "phones_charged": BigNumberInput,
            "devices_connected": BigNumberInput,
            "peak_devices": BigNumberInput,
            "generator_hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            "incidents": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, counted_charges=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(is_active=True)
        self.fields["site"].empty_label = None
        self.fields["cancel_reason"].choices = Session.CancelReason.choices
        self.fields["cancel_reason"].required = False
        if counted_charges:
            # The phones charged counted with the van's +1 button. The session keeps the
            # higher of this count and the figure typed here (phones.services), so the count
            # fills the field in and a bigger estimate may replace it.
            field = self.fields["phones_charged"]
            field.help_text = ngettext(
                "%(count)s phone counted with the charge button at the van; the higher "
                "figure is kept.",
                "%(count)s phones counted with the charge button at the van; the higher "
                "figure is kept.",
                counted_charges,
            ) % {"count": counted_charges}
            if not self.is_bound and (self.instance.phones_charged or 0) < counted_charges:
                self.initial["phones_charged"] = counted_charges

    def recorded_match(self):
        """The session already recorded with this form's site, date and planned start, if
        those were read; what a second form for the same session would edit."""
        data = getattr(self, "cleaned_data", {})
        keys = {name: data.get(name) for name in ("site", "date", "planned_start")}
        if any(value is None for value in keys.values()):
            return None
        return Session.objects.filter(**keys).exclude(pk=self.instance.pk).first()

    @classmethod
    def initial_for(cls, site=None, today=None):
        """Today, the site's usual times as planned and actual: most sessions need no more."""
        initial = {"date": today or timezone.localdate(), "status": Session.Status.HELD}
        if site:
            initial.update(
                site=site,
                planned_start=site.usual_start,
                planned_end=site.usual_end,
                actual_start=site.usual_start,
                actual_end=site.usual_end,
            )
        return initial


class ClientListForm(forms.Form):
    client_list = forms.FileField(
        label=_("Client list from the gateway (CSV)"),
        help_text=_(
            "Export it from the Meraki dashboard (Network-wide, Clients) for the session's "
            "time. Only totals are kept: no device's address or name."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_client_list(self):
        upload = self.cleaned_data["client_list"]
        # Checked before reading: a wrong file of a few hundred MB is not read into memory.
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("This file is bigger than %(mb)d MB: it is not a session's client list.")
                % {"mb": MAX_CSV_BYTES // (1024 * 1024)}
            )
        return upload


class MoveSiteForm(forms.Form):
    new_place = forms.ModelChoiceField(
        label=_("New place in the guide"),
        queryset=Place.objects.in_use().select_related("area"),
        help_text=_("Add the new place to the guide first if it is not there."),
    )
    on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    note = forms.CharField(
        label=_("Why it moved"),
        required=False,
        max_length=200,
        help_text=_("e.g. eviction on the morning of the 3rd. No names."),
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_place"].queryset = (
            Place.objects.in_use().exclude(pk=site.place_id).select_related("area")
        )


class ReportNoteForm(forms.Form):
    language = forms.ChoiceField(
        choices=MonthlyReportNote.Language.choices, widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Empty it and save to go back to the generated text."),
    )
