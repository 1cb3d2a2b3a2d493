"""Frozen submissions, the working-day calendar overrides and the notices the regulator issues."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class Snapshot(models.Model):
    """Version N of a filing as submitted: canonical JSON plus the hashes it vouches for."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="snapshots")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    class Meta:
        ordering = ["filing", "version"]
        constraints = [models.UniqueConstraint(fields=["filing", "version"], name="snapshot_unique_version")]
        verbose_name = _("snapshot")

    def __str__(self) -> str:
        return f"{self.filing_id} v{self.version}"


class CalendarOverride(models.Model):
    """An administrator's correction of the State Council calendar for one day."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Read with the row count by the per-process calendar cache to notice any change cheaply.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")


class RegulatorySetting(models.Model):
    """Administrator-editable limits (working days) and thresholds; a key with a JSON value."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    value = models.JSONField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("regulatory setting")


def _is_regulator_reviewer(report: Any, user: Any) -> bool:
    return bool(
        user is not None
        and (getattr(user, "is_reviewer", False) or getattr(user, "is_lead_reviewer", False))
        and user.is_active
    )


class ReportStatus(models.TextChoices):
    REPORTED = "reported", _("Awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class MaterialEvent(models.Model):
    """A report the issuer owes after filing: issuance completion, a material change before
    issuance (GL1 §二.10, which blocks issuance until a reviewer acknowledges it) or a material event."""

    KIND_CHOICES = [
        ("issuance_completion", _("Issuance completed")),
        ("business_change", _("Major change of main business or licences")),
        ("control_change", _("Change of control or of the shareholding structure")),
        ("plan_change", _("Major adjustment of the offering plan (venue, size, structure)")),
        ("pool_change", _("Change to the underlying assets")),
        ("structure_change", _("Change to the structure or parties")),
        ("material_risk", _("Major risk")),
        ("default", _("Payment default or trigger event")),
        ("other", _("Other material matter")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="material_events")
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("description"))
    amount_issued = models.DecimalField(
        _("amount issued"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # The issuance report's facts (GL3 §一, adapted): where and what was issued.
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    token_details = models.TextField(_("token details (standard, chain, contract, quantity)"), blank=True)
    attachment = models.FileField(_("document"), upload_to="reports/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    due_on = models.DateField(_("report due"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    status = FSMField(
        _("status"), default=ReportStatus.REPORTED, choices=ReportStatus.choices, protected=True
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("reviewer's note"), blank=True)
    # A material change the reviewer acknowledged as needing updated materials reopens these sections of
    # the filed filing; the issuer's update is frozen as a new snapshot when it is sent.
    update_sections = models.JSONField(default=list, blank=True, editable=False)
    update_snapshot = models.ForeignKey(
        "filings.Snapshot", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-occurred_on", "-reported_at"]
        verbose_name = _("post-filing report")

    @transition(
        field=status,
        source=ReportStatus.REPORTED,
        target=ReportStatus.ACKNOWLEDGED,
        permission=_is_regulator_reviewer,
    )
    def acknowledge(self) -> None:
        """A reviewer has read the report (for a material change: issuance may go ahead)."""

    @property
    def is_change(self) -> bool:
        from .filing import CHANGE_KINDS

        return self.kind in CHANGE_KINDS

    @property
    def update_pending(self) -> bool:
        """Updated materials were asked for and not yet sent."""
        return bool(self.update_sections) and self.update_snapshot_id is None

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.reported_at).date() > self.due_on
