"""Pre-flight runs: the compliance check of a filing with a large pool, done by a worker as a job."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models import Job


class PreflightRun(Job):
    """One evaluation of the rule catalogue against a filing as it stood when the worker read it.

    ``findings`` holds each finding frozen as in a snapshot (both languages, citation, rule version);
    ``data_sha256`` is the hash of the data the rules read, so a run older than the filing's last
    change is shown as outdated rather than trusted.
    """

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="preflight_runs")
    findings = models.JSONField(_("findings"), default=list, blank=True)
    blocking_count = models.PositiveIntegerField(_("blocking findings"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    data_sha256 = models.CharField(_("SHA-256 of the data checked"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("pre-flight run")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filing_id} pre-flight #{self.pk}"
