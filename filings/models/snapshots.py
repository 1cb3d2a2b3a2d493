"""Frozen submissions, the working-day calendar overrides and the notices the regulator issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
