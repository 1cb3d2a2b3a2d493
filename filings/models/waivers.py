"""Waivers: the issuer signatory asks the regulator to accept a warning, with a justification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WaiverStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Waiver(models.Model):
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="waivers")
    rule_code = models.CharField(_("rule"), max_length=40)
    field = models.CharField(_("field"), max_length=100, blank=True)
    justification = models.TextField(_("justification"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WaiverStatus.choices, default=WaiverStatus.PENDING
    )
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ruled_at = models.DateTimeField(_("ruled"), null=True, blank=True)
    ruling_note = models.TextField(_("ruling"), blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "rule_code", "field"], name="waiver_unique_finding"),
            models.CheckConstraint(
                condition=models.Q(status__in=WaiverStatus.values), name="waiver_status_valid"
            ),
        ]
        verbose_name = _("waiver")
