"""Administrators' screens for the materials checklist, calendar overrides and regulatory limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from accounts.http import AuthedRequest
from audit.services import record_event

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


def _kind(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def setting_list(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    model: type[models.Model] = spec["model"]
    rows = [[getattr(obj, c) for c in spec["columns"]] + [obj.pk] for obj in model._default_manager.all()]
    headers = [getattr(model._meta.get_field(c), "verbose_name", c) for c in spec["columns"]]
    return render(
        request,
        "filings/settings_list.html",
        {"kind": kind, "title": spec["title"], "headers": headers, "rows": rows, "kinds": KINDS},
    )


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
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
                data={k: str(v) for k, v in form.cleaned_data.items()},
            )
        messages.success(request, _("Saved."))
        return redirect("filings:settings", kind=kind)
    return render(request, "filings/settings_form.html", {"kind": kind, "title": spec["title"], "form": form})
