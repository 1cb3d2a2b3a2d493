"""Forms of the review screens; they validate input shape, the services validate meaning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import ReasonCode
from filings.workflow import AssetClass

from .models import (
    ANCHOR_SECTIONS,
    ChecklistGroup,
    ChecklistItem,
    DecisionKind,
    OutboxStatus,
    Ruling,
    Verdict,
)
from .selectors import ACTIVE_REVIEW_STATES, CLOCK_FILTERS, SORTS


def choices(form: forms.Form, name: str, values: Sequence[tuple[Any, Any]]) -> None:
    """Fill a choice field's options at run time (the reviewers, documents or items of the filing)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(values)


REVIEW_STATE_CHOICES = [(s.value, s.label) for s in ACTIVE_REVIEW_STATES]


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Reference, title, issuer, USCC, notice number")}),
    )
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("All states")), *REVIEW_STATE_CHOICES]
    )
    asset_class = forms.ChoiceField(
        label=_("asset class"), required=False, choices=[("", _("All classes")), *AssetClass.choices]
    )
    assignee = forms.ChoiceField(label=_("assignee"), required=False)
    clock = forms.ChoiceField(
        label=_("clock"), required=False, choices=[("", _("Any clock")), *CLOCK_FILTERS]
    )
    sort = forms.ChoiceField(label=_("sort by"), required=False, choices=SORTS)

    def __init__(self, *args: Any, reviewers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(
            self,
            "assignee",
            [
                ("", _("Anyone")),
                ("none", _("Nobody (unassigned)")),
                *[(str(u.pk), str(u)) for u in reviewers or []],
            ],
        )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("reviewer"))

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "reviewer", [(str(u.pk), f"{u} · {u.get_role_display()}") for u in reviewers])


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a tie to any of these parties?"),
        choices=[("no", _("No conflict of interest")), ("yes", _("I have a conflict of interest"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("details of the conflict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Which party, and what ties you to it (employment, shareholding, family, advisory work…)."
        ),
    )


class RecuseForm(forms.Form):
    note = forms.CharField(label=_("details of the conflict"), widget=forms.Textarea(attrs={"rows": 2}))


class NotAcceptForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("reason code"), choices=ReasonCode.choices)
    reason = forms.CharField(label=_("explanation to the issuer"), widget=forms.Textarea(attrs={"rows": 3}))


def finding_choices(findings: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """One option per rule code, naming every field its findings point at (the answer cites them all)."""
    fields: dict[str, list[str]] = {}
    for finding in findings:
        code = finding.get("code", "")
        if code:
            fields.setdefault(code, [])
            if finding.get("field") and finding["field"] not in fields[code]:
                fields[code].append(finding["field"])
    options = [("", "—")]
    for code, paths in fields.items():
        count = sum(1 for f in findings if f.get("code") == code)
        label = f"{code} ({count})" if count > 1 else code
        options.append((code, f"{label} · {', '.join(paths)}" if paths else label))
    return options


class ChecklistAnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_document = forms.TypedChoiceField(
        label=_("document"), required=False, coerce=int, empty_value=None
    )
    evidence_page = forms.IntegerField(label=_("page"), required=False, min_value=1)
    evidence_path = forms.CharField(label=_("data field of the snapshot"), required=False, max_length=200)
    evidence_finding = forms.ChoiceField(label=_("pre-flight finding"), required=False)

    def __init__(
        self,
        *args: Any,
        documents: Sequence[Any] = (),
        findings: Sequence[dict[str, Any]] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        choices(
            self,
            "evidence_document",
            [("", "—")]
            + [(d.pk, f"{d.requirement.code} · {d.original_name} v{d.version}") for d in documents],
        )
        choices(self, "evidence_finding", finding_choices(findings))


class ChecklistBulkForm(ChecklistAnswerForm):
    """Several items marked satisfied at once, all resting on the same evidence."""

    item = None  # type: ignore[assignment]  # replaced by the list of items
    verdict = None  # type: ignore[assignment]  # always "satisfied"
    items = forms.TypedMultipleChoiceField(label=_("items"), coerce=int)

    def __init__(self, *args: Any, item_ids: Sequence[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices(self, "items", [(pk, pk) for pk in item_ids])


class DeficiencyItemForm(forms.Form):
    question = forms.CharField(label=_("question to the issuer"), widget=forms.Textarea(attrs={"rows": 3}))
    anchor_section = forms.ChoiceField(
        label=_("section"), choices=[("", "—"), *ANCHOR_SECTIONS], required=False
    )
    anchor_path = forms.CharField(
        label=_("field (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "A path in the snapshot, e.g. structure.spv_name or parties[0].name; it decides the section."
        ),
    )
    citation = forms.CharField(label=_("rule citation"), max_length=300)
    rule_code = forms.CharField(label=_("pre-flight rule (optional)"), required=False, max_length=40)
    checklist_item_id = forms.TypedChoiceField(
        label=_("checklist item (optional)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, checklist_items: Sequence[ChecklistItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(
            self,
            "checklist_item_id",
            [("", "—")] + [(i.pk, f"{i.code} {i.text}"[:90]) for i in checklist_items],
        )


class SendRequestForm(forms.Form):
    items = forms.TypedMultipleChoiceField(
        label=_("items to send"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("covering note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "items", [(i.pk, f"{i.number or '—'} {i.question}"[:120]) for i in items])
        self.fields["items"].initial = [i.pk for i in items]


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        choices=[(Ruling.ACCEPTED.value, _("Accept")), (Ruling.REOPENED.value, _("Reopen"))]
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemAnswerForm(forms.Form):
    text = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.TypedChoiceField(
        label=_("supporting document"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, documents: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(
            self,
            "document",
            [("", "—")]
            + [(d.pk, f"{d.requirement.code} · {d.original_name} v{d.version}") for d in documents],
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("decision"), choices=DecisionKind.choices, widget=forms.RadioSelect)
    reason_code = forms.ChoiceField(
        label=_("reason code (rejection)"), required=False, choices=[("", "—"), *ReasonCode.choices]
    )
    reasons = forms.CharField(label=_("reasons"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WaiverRulingForm(forms.Form):
    grant = forms.TypedChoiceField(
        choices=[("1", _("Grant")), ("0", _("Refuse"))], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TemplateItemForm(forms.Form):
    group = forms.ChoiceField(label=_("group"), choices=ChecklistGroup.choices)
    code = forms.CharField(label=_("code"), max_length=20)
    text_zh = forms.CharField(label=_("question (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_("question (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    citation = forms.CharField(label=_("rule citation"), max_length=300)
    asset_classes = forms.MultipleChoiceField(
        label=_("asset classes (none = all)"),
        required=False,
        choices=AssetClass.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(label=_("order"), min_value=0, initial=100)


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("Any status")), *OutboxStatus.choices]
    )
    event = forms.CharField(label=_("event"), required=False, max_length=60)
