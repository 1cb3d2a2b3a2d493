"""Administrators' screens for the materials checklist, calendar overrides and regulatory limits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import AuthedRequest, permission_or_404
from audit.labels import value_text
from audit.services import record_event

from . import services
from .calendar import STATUTORY_HOLIDAY_NAMES, statutory_holidays
from .compliance.registry import bilingual, format_threshold
from .models import CalendarOverride, DocumentRequirement, RegulatorySetting, VenueEligibility


class RequirementForm(forms.ModelForm):
    asset_classes = forms.MultipleChoiceField(
        label=gettext_lazy("asset classes (none = all)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("trade_receivable", gettext_lazy("Trade receivables")),
            ("finance_lease", gettext_lazy("Finance-lease receivables")),
            ("toll_income", gettext_lazy("Toll-road income rights")),
        ],
    )

    class Meta:
        model = DocumentRequirement
        fields = [
            "code",
            "name_zh",
            "name_en",
            "asset_classes",
            "required",
            "is_legal_opinion",
            "order",
            "template_version",
            "data_class",
            "is_active",
        ]


class OverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "is_working_day", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


_DATE_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|–|—|~|至|到)\s*(\d{4}-\d{2}-\d{2}))?$")


def parse_dates(text: str) -> list[dt.date]:
    """Dates and ranges ("2027-02-05..2027-02-11"), one per line or separated by commas."""
    days: list[dt.date] = []
    for item in filter(None, (part.strip() for part in re.split(r"[,，;；\n]+", text or ""))):
        match = _DATE_RANGE.match(item)
        try:
            first = dt.date.fromisoformat(match.group(1)) if match else None
            last = dt.date.fromisoformat(match.group(2)) if match and match.group(2) else first
        except ValueError:
            first = last = None
        if first is None or last is None or last < first or (last - first).days > 31:
            raise forms.ValidationError(
                gettext_lazy("“%(item)s” is not a date (YYYY-MM-DD) or a range of at most a month."),
                params={"item": item},
            )
        days.extend(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return days


class CalendarYearForm(forms.Form):
    """A year's State Council notice, as published: its days off and its weekend make-up days."""

    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2099)
    holidays = forms.CharField(
        label=gettext_lazy("days off"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Every day off of the notice, including the weekends inside a holiday: one date "
            "(YYYY-MM-DD) or range (2027-02-05..2027-02-11) per line."
        ),
    )
    working_days = forms.CharField(
        label=gettext_lazy("make-up working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The weekend days the notice makes working days, one per line."),
    )

    def clean_holidays(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data["holidays"])

    def clean_working_days(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data["working_days"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year = cleaned.get("year")
        for name in ("holidays", "working_days"):
            outside = [day for day in cleaned.get(name) or [] if day.year != year]
            if year and outside:
                self.add_error(
                    name,
                    forms.ValidationError(
                        gettext_lazy("%(date)s is not in %(year)s."),
                        params={"date": outside[0].isoformat(), "year": year},
                    ),
                )
        return cleaned


class VenueEligibilityForm(forms.ModelForm):
    class Meta:
        model = VenueEligibility
        fields = ["jurisdiction", "investor_eligibility", "definition", "threshold", "is_active"]

    def clean_jurisdiction(self) -> str:
        return str(self.cleaned_data["jurisdiction"]).strip().upper()


class SettingForm(forms.ModelForm):
    class Meta:
        model = RegulatorySetting
        fields = ["key", "value", "note"]


KINDS: dict[str, dict[str, Any]] = {
    "checklist": {
        "model": DocumentRequirement,
        "form": RequirementForm,
        "title": gettext_lazy("Materials checklist"),
        "columns": ["code", "name_zh", "name_en", "asset_classes", "required", "data_class", "is_active"],
    },
    "venues": {
        "model": VenueEligibility,
        "form": VenueEligibilityForm,
        "title": gettext_lazy("Investor eligibility per venue"),
        "columns": ["jurisdiction", "investor_eligibility", "definition", "threshold", "is_active"],
    },
    "calendar": {
        "model": CalendarOverride,
        "form": OverrideForm,
        "title": gettext_lazy("Working-day calendar overrides"),
        "columns": ["date", "is_working_day", "note"],
    },
    "limits": {
        "model": RegulatorySetting,
        "form": SettingForm,
        "title": gettext_lazy("Limits and thresholds"),
        "columns": ["key", "value", "note"],
    },
}


def _json_value(value: Any) -> Any:
    """Kept as JSON types in the audit log, so the log shows yes/no and lists, not "True" and "[]"."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def cell_text(column: str, value: Any) -> str:
    """A setting as people read it: yes/no, lists joined by their labels, dates and JSON plainly."""
    if column == "value":  # a limit or threshold: a number, a band or a list
        return format_threshold(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value_text(column, value)


def _kind(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@login_required
@permission_or_404("accounts.manage_users")
def setting_list(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    model: type[models.Model] = spec["model"]
    rows = [
        [cell_text(c, getattr(obj, c)) for c in spec["columns"]] + [obj.pk]
        for obj in model._default_manager.all()
    ]
    headers = [getattr(model._meta.get_field(c), "verbose_name", c) for c in spec["columns"]]
    return render(
        request,
        "filings/settings_list.html",
        {"kind": kind, "title": spec["title"], "headers": headers, "rows": rows, "kinds": KINDS},
    )


@login_required
@permission_or_404("accounts.manage_users")
def setting_edit(request: AuthedRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    instance = get_object_or_404(spec["model"], pk=pk) if pk else None
    form = spec["form"](request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save()
            record_event(
                action=f"settings.{kind}.save",
                actor=request.user,
                subject=obj,
                data={k: _json_value(v) for k, v in form.cleaned_data.items()},
            )
            if kind in ("calendar", "limits"):  # a working day or a clock's limit may have moved
                services.refresh_clocks_after_calendar_change()
        messages.success(request, _("Saved."))
        return redirect("filings:settings", kind=kind)
    return render(request, "filings/settings_form.html", {"kind": kind, "title": spec["title"], "form": form})


def _statutory_text(year: int) -> str:
    try:
        return "\n".join(day.isoformat() for day in sorted(statutory_holidays(year)))
    except ValueError:
        return ""


@login_required
@permission_or_404("accounts.manage_users")
def calendar_year(request: AuthedRequest) -> HttpResponse:
    """Load a year's published schedule; until then its due dates show as provisional."""
    year = timezone.localdate().year + 1
    if request.GET.get("year", "").isdigit():
        year = int(request.GET["year"])
    form = CalendarYearForm(request.POST or None, initial={"year": year, "holidays": _statutory_text(year)})
    if request.method == "POST" and form.is_valid():
        off, on = services.load_calendar_year(
            year=form.cleaned_data["year"],
            holidays=form.cleaned_data["holidays"],
            working_days=form.cleaned_data["working_days"],
            by=request.user,
        )
        messages.success(
            request,
            _("The %(year)s schedule is loaded: %(off)d days off and %(on)d make-up working days.")
            % {"year": form.cleaned_data["year"], "off": off, "on": on},
        )
        return redirect("filings:settings", kind="calendar")
    statutory = []
    try:
        for day, key in sorted(statutory_holidays(year).items()):
            zh, en = STATUTORY_HOLIDAY_NAMES[key]
            statutory.append((day, bilingual(zh, en)))
    except ValueError:
        pass
    return render(
        request,
        "filings/calendar_year.html",
        {"form": form, "year": year, "statutory": statutory, "kinds": KINDS, "kind": "calendar"},
    )


class LimitForm(forms.Form):
    name = forms.ChoiceField(choices=[])
    value = forms.IntegerField(label=gettext_lazy("value"), min_value=0, max_value=250)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .deadlines import LIMITS

        super().__init__(*args, **kwargs)
        name_field = self.fields["name"]
        assert isinstance(name_field, forms.ChoiceField)
        name_field.choices = [(name, limit.label) for name, limit in LIMITS.items()]


@login_required
@permission_or_404("accounts.manage_users")
def time_limits(request: AuthedRequest) -> HttpResponse:
    """Every time limit with its source and label; an administrator changes one here (audited)."""
    from .deadlines import LIMITS, limit_value
    from .errors import FilingError

    if request.method == "POST":
        form = LimitForm(request.POST)
        if form.is_valid():
            try:
                moves = services.set_limit(
                    name=form.cleaned_data["name"], value=form.cleaned_data["value"], by=request.user
                )
            except FilingError as error:
                messages.error(request, error.user_message)
            else:
                messages.success(
                    request,
                    _("Saved; every running clock is being recomputed under the new limit.")
                    if moves
                    else _("Saved."),
                )
                return redirect("filings:time_limits")
        else:
            messages.error(request, _("Enter a whole number from 0 to 250."))
    limits = [(limit, limit_value(limit)) for limit in LIMITS.values()]
    return render(
        request,
        "filings/time_limits.html",
        {"limits": limits, "kinds": KINDS, "kind": "time_limits", "title": _("Time limits")},
    )
