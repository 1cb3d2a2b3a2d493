"""The materials checklist (admin-editable templates) and the documents issuers upload."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..classification import DataClass


class DocumentRequirement(models.Model):
    """One line of the materials checklist; ``asset_classes`` empty means every class."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    asset_classes = models.JSONField(_("asset classes"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    is_legal_opinion = models.BooleanField(_("legal opinion"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    template_version = models.CharField(_("template version"), max_length=20, default="2026.1")
    # What the document holds decides where it may go: personal information and important data stay
    # out of the offshore copy unless the transfer is cleared (filings/classification.py).
    data_class = models.CharField(
        _("data class"), max_length=20, choices=DataClass.choices, default=DataClass.CONFIDENTIAL
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("document requirement")
        verbose_name_plural = _("materials checklist")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def applies_to(self, asset_class: str) -> bool:
        return not self.asset_classes or asset_class in self.asset_classes


def document_upload_path(instance: Document, filename: str) -> str:
    # Named by hash, never by the user's file name: no path tricks, no collisions.
    return f"documents/{instance.filing_id}/{instance.sha256}"


class Document(models.Model):
    """One uploaded version of a checklist item; older versions are kept, never replaced."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        DocumentRequirement,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("checklist item"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(upload_to=document_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(
        _("language"), max_length=10, default="zh-hans", choices=[("zh-hans", "中文"), ("en", "English")]
    )
    signer_count = models.PositiveSmallIntegerField(_("number of signing lawyers"), null=True, blank=True)
    conclusion_text = models.TextField(_("conclusion (legal opinions)"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["requirement__order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "requirement", "version"], name="document_unique_version"
            ),
        ]
        verbose_name = _("document")

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"
