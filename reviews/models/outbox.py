"""Every email the desk sends, as it was rendered, and the reminders already sent today."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One email to one person, in their language; written with the change, sent after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    to_email = models.EmailField(_("address"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10)
    event = models.CharField(_("event"), max_length=60, db_index=True)
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filing"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.to_email}"


class Reminder(models.Model):
    """A clock reminder already sent: at most one per filing, clock and day, however often the task runs."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(max_length=20)
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["filing", "clock", "day"], name="reminder_once_a_day")]
