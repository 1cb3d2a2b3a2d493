"""One in-app notification to one person: a kind code and its parameters, rendered as a label on display."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Written beside the email that tells the same person the same thing; read or not."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filing"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    target = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [
            # The bell in every page header counts these: one index-only count.
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        from .labels import notification_label

        return notification_label(self.kind, self.params)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
