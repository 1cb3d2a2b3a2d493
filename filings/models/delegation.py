"""Delegation of one filing to an agent organisation (law firm, arranger, servicer)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DelegationScope(models.TextChoices):
    PREPARE = "prepare", _("Prepare sections and documents")
    TAPES = "tapes", _("Import asset tapes")
    DEFICIENCIES = "deficiencies", _("Answer deficiency items")


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def active(self, today: datetime.date | None = None) -> DelegationQuerySet:
        """Not revoked and not past its end date (the end date itself still counts)."""
        return self.filter(revoked_at__isnull=True, ends_on__gte=today or timezone.localdate())


class Delegation(models.Model):
    """The issuer lets an agent organisation work on one filing, within a scope, until an end date.

    An agent never signs or submits: those stay with the issuer's signatories whatever the scope.
    """

    filing = models.ForeignKey(
        "filings.Filing", on_delete=models.CASCADE, related_name="delegations", verbose_name=_("filing")
    )
    agent = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("agent organisation"),
    )
    scope = models.JSONField(_("scope"), default=list)
    ends_on = models.DateField(_("ends on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revoked by"),
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.filing_id} → {self.agent_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.ends_on >= timezone.localdate()

    def scope_labels(self) -> list[str]:
        return [str(DelegationScope(value).label) for value in self.scope if value in DelegationScope.values]
