"""The shape every background job row shares: status, progress, attempts and a lease."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Abstract: a unit of heavy work. A worker claims it by taking a time-limited lease; a
    worker that dies lets the lease lapse and the sweeper hands the job to another."""

    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        """How far the job is, 0–100, as its worker last reported."""
        return int((self.progress or {}).get("percent") or 0)

    @property
    def is_done(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class OutboxTask(models.Model):
    """A task to send to the workers, written in the same transaction as the change that asks for it.

    The row is sent as soon as that transaction commits; if the broker is down then (or the process
    dies first), the relay sends it later. Sending twice is harmless (every task claims its work), so
    delivery is at least once and the effect exactly once.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"], name="jobs_outbox_unsent", condition=models.Q(sent_at__isnull=True)
            ),
            models.Index(fields=["sent_at"], name="jobs_outbox_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
