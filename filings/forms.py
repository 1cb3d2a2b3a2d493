"""Forms for each section of a filing; repeating rows are formsets saved with their section."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import models as m
from .validators import check_lei, find_banned_terms, normalise_uscc
from .workflow import AssetClass

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_widgets(model: Any) -> dict[str, Any]:
    from django.db.models import DateField

    return {f.name: DATE_WIDGET for f in model._meta.get_fields() if isinstance(f, DateField)}


# Thousands separators a person may type or paste: ASCII and full-width commas, spaces, apostrophes.
_GROUPING = re.compile(r"[,，\s'’_]")


class MoneyInput(forms.TextInput):
    """An amount shown with thousands separators ("1,234,567.89"); static/js/app.js regroups it as the
    person leaves the field. A text input, since a number input refuses the separators."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "data-money": "", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        try:
            amount = Decimal(_GROUPING.sub("", str(value)))
        except InvalidOperation:
            return str(value)  # what the person typed, shown back beside its error
        return f"{amount:,.2f}" if amount.is_finite() else str(value)


class MoneyField(forms.DecimalField):
    """A decimal amount that accepts "1,234,567.89" as well as "1234567.89"."""

    widget = MoneyInput

    def to_python(self, value: Any) -> Any:  # Decimal | None (django-stubs types it as IntegerField's)
        if isinstance(value, str):
            value = _GROUPING.sub("", value)
        return super().to_python(value)


def _formfield(db_field: Any, **kwargs: Any) -> Any:
    """Model fields to form fields; amounts (18 digits, 2 decimals) become money fields."""
    from django.db.models import DecimalField

    if isinstance(db_field, DecimalField) and (db_field.max_digits, db_field.decimal_places) == (18, 2):
        return db_field.formfield(form_class=MoneyField, **kwargs)
    return db_field.formfield(**kwargs)


class FilingCreateForm(forms.Form):
    title = forms.CharField(label=_("issuance name"), max_length=200)
    asset_class = forms.ChoiceField(label=_("asset class"), choices=AssetClass.choices)


SCREENED_FIELDS = ("name_zh", "name_en", "business_scope", "spv_name")


class SectionForm(forms.ModelForm):
    """A section's own fields plus the version the editor loaded (the optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in SCREENED_FIELDS:
            value = cleaned.get(name)
            if not value:
                continue
            hits = find_banned_terms(value)
            if hits:
                self.add_error(
                    name,
                    _(
                        "Notice 42 (银发〔2026〕42号) bans virtual-currency and RWA business: remove "
                        "“%(terms)s”. A filing entity whose name or business scope carries these terms "
                        "cannot file."
                    )
                    % {"terms": "”, “".join(sorted({hit.text for hit in hits}))},
                )
        if cleaned.get("uscc"):
            cleaned["uscc"] = normalise_uscc(cleaned["uscc"])
        if cleaned.get("spv_lei"):
            result = check_lei(cleaned["spv_lei"])
            if not result.valid:
                self.add_error("spv_lei", [str(issue.text) for issue in result.errors])
            else:
                cleaned["spv_lei"] = result.normalised
        if cleaned.get("settlement_asset") == "stablecoin":
            for name in ("stablecoin_issuer", "stablecoin_peg_currency"):
                if not cleaned.get(name):
                    self.add_error(name, _("Required when the settlement asset is a stablecoin."))
        return cleaned


def section_form_class(model: Any) -> Any:
    return forms.modelform_factory(
        model,
        form=SectionForm,
        exclude=["filing", "version"],
        formfield_callback=_formfield,
        widgets={
            **_date_widgets(model),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "business_scope",
                    "smart_contract_addresses",
                    "admin_powers",
                    "use_of_proceeds",
                    "repatriation_plan",
                    "other_approvals",
                    "prc_exclusion_mechanism",
                    "marketing_copy",
                )
            },
        },
    )


def _is_true(value: Any) -> bool:
    return value in (True, "True")


class RowForm(forms.ModelForm):
    """A repeating row; empty extra rows are ignored, rows ticked for deletion are dropped.

    A row offered blank stays blank: no model default (a sweep frequency, a currency, a ticked
    "segregated") is put in it, since the person would be filing a value they never chose. Choices
    therefore start at "—" and yes/no questions are asked, not pre-answered.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        blank = kwargs.get("initial") is None and kwargs.get("instance") is None
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            # A row's inputs sit under the table's column headings, with no <label> of their own: a
            # screen reader names each by its column.
            field.widget.attrs.setdefault("aria-label", capfirst(str(field.label)))
            if isinstance(field, forms.BooleanField):
                field = self.fields[name] = forms.TypedChoiceField(
                    label=field.label,
                    choices=[("", "—"), ("True", _("Yes")), ("False", _("No"))],
                    coerce=_is_true,
                    required=True,
                    widget=forms.Select(attrs={"aria-label": capfirst(str(field.label))}),
                )
            elif isinstance(field, forms.TypedChoiceField) and field.choices:
                choices: list[Any] = list(cast(Iterable[Any], field.choices))
                if choices[0][0] != "":
                    field.choices = [("", "—"), *choices]
            if blank:
                field.initial = None
                self.initial.pop(name, None)


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # the "Delete" column's checkboxes, named for a screen reader too
            form.fields["DELETE"].widget.attrs.setdefault("aria-label", capfirst(str(_("Delete"))))


def row_formset_class(model: Any) -> Any:
    form = forms.modelform_factory(
        model, form=RowForm, exclude=["filing"], widgets=_date_widgets(model), formfield_callback=_formfield
    )
    return forms.formset_factory(
        form, formset=RowFormSet, extra=1, can_delete=True, max_num=500, validate_max=True
    )


ROW_MODELS: dict[str, Any] = {
    "control_links": m.ControlLink,
    "officers": m.Officer,
    "parties": m.Party,
    "tranches": m.Tranche,
    "accounts": m.Account,
    "triggers": m.Trigger,
    "waterfall": m.WaterfallStep,
    "venues": m.Venue,
    "lawyers": m.Lawyer,
    "registrations": m.Registration,
    "important_debtors": m.ImportantDebtor,
}
ROW_TITLES: dict[str, Any] = {
    "control_links": _("Control chain (up to the actual controller)"),
    "officers": _("Directors, supervisors and senior managers"),
    "parties": _("Parties"),
    "tranches": _("Tranches"),
    "accounts": _("Accounts"),
    "triggers": _("Triggers"),
    "waterfall": _("Waterfall (payment priority)"),
    "venues": _("Offshore venues and investor eligibility"),
    "lawyers": _("Lawyers of the domestic law firm (PRC legal opinion, prohibited circumstances)"),
    "registrations": _("Central-registry (中登网) registrations of the transfer"),
    "important_debtors": _("Important debtors (obligor groups over the disclosure threshold)"),
}


def row_initial(filing: m.Filing, relation: str) -> list[dict[str, Any]]:
    model = ROW_MODELS[relation]
    names = [f.name for f in model._meta.concrete_fields if f.name not in {"id", "filing"}]
    return list(getattr(filing, relation).order_by("id").values(*names))


def cleaned_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows to store: every row shown from the database unless marked for deletion, plus the blank
    rows the user filled in. (Skipping unchanged rows would delete every row the user left alone.)"""
    rows = []
    for index, form in enumerate(formset.forms):
        if form.cleaned_data.get("DELETE"):
            continue
        if index >= formset.initial_form_count() and not form.has_changed():
            continue  # the blank row offered for a new entry
        rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
    return rows


class AttestationForm(forms.Form):
    """One prohibited circumstance: the answer and the evidence behind it."""

    answer = forms.ChoiceField(
        label=_("answer"),
        choices=[("no", _("Does not apply")), ("yes", _("Applies"))],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(label=_("evidence and explanation"), widget=forms.Textarea(attrs={"rows": 2}))


class DocumentUploadForm(forms.Form):
    requirement = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the checklist item this file belongs to.")},
    )
    file = forms.FileField(
        label=_("file"),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )
    language = forms.ChoiceField(label=_("language"), choices=[("zh-hans", "中文"), ("en", "English")])
    signer_count = forms.IntegerField(label=_("number of signing lawyers"), required=False, min_value=0)
    conclusion_text = forms.CharField(
        label=_("conclusion (legal opinions)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PostFilingReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=m.MaterialEvent.KIND_CHOICES)
    occurred_on = forms.DateField(
        label=_("date of the change or of completion"),
        widget=DATE_WIDGET,
        help_text=_("A material change is reported within 3 working days of this date (assumed limit)."),
    )
    description = forms.CharField(
        label=_("what changed / what happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    amount_issued = MoneyField(
        label=_("amount issued"), required=False, max_digits=18, decimal_places=2, min_value=0
    )
    venue = forms.CharField(label=_("venue"), required=False, max_length=200)
    token_details = forms.CharField(
        label=_("token details (standard, chain, contract, quantity)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    document = forms.FileField(label=_("supporting document (PDF, DOCX, XLSX, PNG, JPEG)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == "issuance_completion":
            if cleaned.get("amount_issued") is None:
                self.add_error("amount_issued", _("Give the amount issued."))
            if not (cleaned.get("venue") or "").strip():
                self.add_error("venue", _("Give the venue the tokens were issued on."))
            if not (cleaned.get("token_details") or "").strip():
                self.add_error("token_details", _("Give the token details."))
        return cleaned


class AcknowledgeReportForm(forms.Form):
    note = forms.CharField(label=_("reviewer's note"), required=False, max_length=2000)
    update_sections = forms.MultipleChoiceField(
        label=_("ask for updated materials in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .compliance.registry import SECTION_LABELS
        from .reports import UPDATABLE_SECTIONS

        choices = [(s, SECTION_LABELS[s]) for s in UPDATABLE_SECTIONS]
        self.fields["update_sections"].choices = choices  # type: ignore[attr-defined]


class TransitionReasonForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("reason code"), choices=m.ReasonCode.choices)
    reason = forms.CharField(label=_("explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PauseForm(forms.Form):
    """A meeting, a consultation of other authorities or a suspension, from the day it started."""

    kind = forms.ChoiceField(label=_("kind"), choices=m.PauseKind.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    started_on = forms.DateField(label=_("start date"), widget=DATE_WIDGET)


class EndPauseForm(forms.Form):
    ended_on = forms.DateField(label=_("end date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsultationForm(forms.Form):
    topic = forms.ChoiceField(label=_("topic"), choices=m.ConsultationTopic.choices)
    question = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
