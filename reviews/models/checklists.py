"""Versioned reviewer checklists, the review round that freezes one, and the answers with evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ChecklistGroup(models.TextChoices):
    """The three foci of the CSRC review plus the gates and the supporting checks (domain.md §6.5)."""

    ELIGIBILITY = "eligibility", _("Eligibility gates")
    AUTHENTICITY = "authenticity", _("Authenticity of the underlying assets")
    STRUCTURE = "structure", _("Transaction-structure compliance")
    RISK_ISOLATION = "risk_isolation", _("Risk-isolation effectiveness")
    DISCLOSURE = "disclosure", _("Disclosure quality")
    RESPONSIBILITY = "responsibility", _("Responsibility chain")
    DATA = "data", _("Data and confidentiality")


GROUP_ORDER = list(ChecklistGroup.values)


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class ChecklistTemplate(models.Model):
    """One version of the reviewer checklist. Published versions never change; rounds point at them."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("checklist template")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TemplateStatus.values), name="template_status_valid"
            ),
            # One draft at a time: administrators edit the next version in one place.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="draft"), name="template_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status == TemplateStatus.DRAFT


class ChecklistItem(models.Model):
    """A question the reviewer answers, with its legal basis; ``asset_classes`` empty means every class."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    group = models.CharField(_("group"), max_length=20, choices=ChecklistGroup.choices)
    code = models.CharField(_("code"), max_length=20)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"))
    citation = models.CharField(_("rule citation"), max_length=300)
    asset_classes = models.JSONField(_("asset classes"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("checklist item")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklist_item_unique_code"),
            models.CheckConstraint(
                condition=models.Q(group__in=ChecklistGroup.values), name="checklist_item_group_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text_en[:60]}"

    def applies_to(self, asset_class: str) -> bool:
        return not self.asset_classes or asset_class in self.asset_classes

    @property
    def text(self) -> str:
        """The question in the reader's language."""
        return (
            self.text_zh if (get_language() or "zh-hans").startswith("zh") else (self.text_en or self.text_zh)
        )


class ReviewRound(models.Model):
    """The review of snapshot N: round N, with the checklist version in force when it opened."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="review_rounds")
    number = models.PositiveIntegerField(_("round"))
    snapshot = models.ForeignKey("filings.Snapshot", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="rounds")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["filing", "number"]
        verbose_name = _("review round")
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="review_round_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.filing_id} round {self.number}"


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    DEFICIENT = "deficient", _("Deficient")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistAnswer(models.Model):
    """A reviewer's verdict on one item in one round, pointing at the evidence it rests on.

    Evidence is any of: a document of the snapshot (and a page), a data field of the snapshot (its
    path, e.g. ``structure.spv_name`` or ``parties[0].name``), or a pre-flight finding code.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    evidence_document = models.ForeignKey(
        "filings.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence document"),
    )
    evidence_page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    evidence_path = models.CharField(_("data field"), max_length=200, blank=True)
    evidence_finding = models.CharField(_("pre-flight finding"), max_length=40, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"))
    # Set when the answer was copied into a new round from the previous one (to be re-confirmed).
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "item__order"]
        verbose_name = _("checklist answer")
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="checklist_answer_unique_item"),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values), name="checklist_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.item_id}: {self.verdict}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_document_id or self.evidence_path or self.evidence_finding)
