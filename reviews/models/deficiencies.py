"""Deficiency items, the supplement requests that bundle them, and the issuer's item-by-item answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The sections a deficiency item can anchor to; the same keys as Filing.reopened_sections.
ANCHOR_SECTIONS = [
    ("entity", _("Filing entity")),
    ("structure", _("Transaction structure")),
    ("token", _("Token")),
    ("offering", _("Offering")),
    ("attestations", _("Attestations")),
    ("documents", _("Documents")),
    ("assets", _("Asset pool")),
]


class ItemStatus(models.TextChoices):
    """open → answered → accepted | reopened (→ answered …); draft until a request sends it."""

    DRAFT = "draft", _("Draft (not sent)")
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")


# Items the issuer still owes an answer on, or the reviewer a ruling on.
UNRESOLVED_STATUSES = [ItemStatus.DRAFT, ItemStatus.OPEN, ItemStatus.ANSWERED, ItemStatus.REOPENED]


class DeficiencyItem(models.Model):
    """One numbered question to the issuer, anchored to a section or field, citing a rule.

    The number is given when the item is first sent, so drafts that are discarded leave no gaps.
    """

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="deficiency_items")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    question = models.TextField(_("question"))
    anchor_section = models.CharField(_("section"), max_length=20, choices=ANCHOR_SECTIONS)
    anchor_path = models.CharField(_("field"), max_length=200, blank=True)
    citation = models.CharField(_("rule citation"), max_length=300)
    rule_code = models.CharField(_("pre-flight rule"), max_length=40, blank=True)
    checklist_item = models.ForeignKey(
        "reviews.ChecklistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist item"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    reopen_note = models.TextField(_("why it was reopened"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["number", "created_at"]
        verbose_name = _("deficiency item")
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="deficiency_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="deficiency_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing_id} #{self.number or '—'}"

    @property
    def anchor(self) -> str:
        return self.anchor_path or self.anchor_section


class SupplementRequest(models.Model):
    """A bundle of items sent to the issuer at once; its notice is stored and never changed."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="supplement_requests")
    number = models.PositiveIntegerField(_("request"))
    snapshot = models.ForeignKey("filings.Snapshot", on_delete=models.PROTECT, related_name="+")
    items: models.ManyToManyField[DeficiencyItem, RequestItem] = models.ManyToManyField(
        DeficiencyItem, through="RequestItem", related_name="requests"
    )
    message = models.TextField(_("covering note"), blank=True)
    reopened_sections = models.JSONField(_("reopened sections"), default=list)
    reply_due_date = models.DateField(_("reply due"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    notice = models.OneToOneField(
        "reviews.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="supplement_request"
    )
    # The snapshot the issuer's resubmission froze: the "after" side of every per-item diff.
    resubmitted_snapshot = models.ForeignKey(
        "filings.Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resubmitted_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["filing", "number"]
        verbose_name = _("supplement request")
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="supplement_unique_number")]

    def __str__(self) -> str:
        return f"{self.filing_id} request {self.number}"

    @property
    def is_open(self) -> bool:
        return self.resubmitted_at is None


class RequestItem(models.Model):
    """An item as it stood when a request sent it (the question is frozen with the notice)."""

    request = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE, related_name="request_items")
    item = models.ForeignKey(DeficiencyItem, on_delete=models.PROTECT, related_name="request_items")
    question = models.TextField()
    was_reopened = models.BooleanField(default=False)
    reopen_note = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "item__number"]
        constraints = [models.UniqueConstraint(fields=["request", "item"], name="request_item_unique")]


class Ruling(models.TextChoices):
    PENDING = "", _("Not ruled")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")


class DeficiencyResponse(models.Model):
    """The issuer's answer to one item in one request, and the reviewer's ruling on it.

    Editable until the resubmission freezes it (``submitted_in`` set); the ruling comes after.
    """

    item = models.ForeignKey(DeficiencyItem, on_delete=models.CASCADE, related_name="responses")
    request = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("answer"))
    document = models.ForeignKey(
        "filings.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supporting document"),
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"))
    submitted_in = models.ForeignKey(
        "filings.Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ruling = models.CharField(_("ruling"), max_length=10, choices=Ruling.choices, blank=True, default="")
    ruling_note = models.TextField(_("ruling note"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ruled_at = models.DateTimeField(_("ruled"), null=True, blank=True)

    class Meta:
        ordering = ["item", "request__number"]
        verbose_name = _("answer to a deficiency item")
        constraints = [
            models.UniqueConstraint(fields=["item", "request"], name="response_unique_per_request")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.request_id}"
