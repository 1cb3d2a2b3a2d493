"""Decisions (drafted by a reviewer, confirmed by the lead) and the notices the regulator issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    FILE = "file", _("File (issue the filing notice)")
    REJECT = "reject", _("Reject")


class DecisionStatus(models.TextChoices):
    DRAFTED = "drafted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned to the drafter")
    WITHDRAWN = "withdrawn", _("Withdrawn by the drafter")


class Decision(models.Model):
    """A draft decision on a filing; the lead reviewer's confirmation makes it the filing's outcome."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="decisions")
    round = models.ForeignKey(
        "reviews.ReviewRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    reason_code = models.CharField(_("reason code"), max_length=30, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFTED
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    drafted_at = models.DateTimeField(_("drafted"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    notice = models.OneToOneField(
        "reviews.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )

    class Meta:
        ordering = ["-drafted_at"]
        verbose_name = _("decision")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
            # Four eyes, also below the service layer: nobody confirms their own draft.
            models.CheckConstraint(condition=~Q(confirmed_by=F("drafted_by")), name="decision_four_eyes"),
            models.UniqueConstraint(
                fields=["filing"], condition=Q(status="drafted"), name="decision_one_draft"
            ),
            models.UniqueConstraint(
                fields=["filing"], condition=Q(status="confirmed"), name="decision_one_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.kind} ({self.status})"


class NoticeKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplement request notice")
    FILING = "filing", _("Filing notice")
    REJECTION = "rejection", _("Decision notice (rejection)")
    NOT_ACCEPTED = "not_accepted", _("Notice of non-acceptance")


def notice_upload_path(instance: Notice, filename: str) -> str:
    return f"notices/{instance.filing_id}/{instance.pk}-{instance.text_sha256[:16]}.pdf"


class Notice(models.Model):
    """A numbered notice to the issuer. Its text is fixed when issued; the PDF is rendered from it once."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=80, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    text_zh = models.TextField()
    text_en = models.TextField()
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    pdf = models.FileField(upload_to=notice_upload_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("notice")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return self.title_zh if (get_language() or "zh-hans").startswith("zh") else self.title_en
