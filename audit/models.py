"""The append-only, hash-chained event log every change of every filing is written to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

# How the audit screens name an action; an action not listed here shows its code.
ACTION_LABELS = {
    "access.refused": _("Access refused"),
    "access.refused_suppressed": _("Further refused accesses not logged (limit reached)"),
    "filing.access_refused": _("Access refused"),
}


class ChainHead(models.Model):
    """One row that serialises appends: lock it, read the last hash, write the next event."""

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class FilingChainHead(models.Model):
    """Where one filing's chain ends, written in the same transaction as each of its events.

    Verification compares the chain it recomputes with this row, so deleting a filing's newest
    events (which leaves every remaining link intact) is found and located.
    """

    filing_id = models.BigIntegerField(unique=True)
    last_sequence = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    length = models.BigIntegerField()


class Event(models.Model):
    """One thing that happened, linked to the previous event by its hash.

    ``hash = sha256(prev_hash || canonical JSON of the event body)``; changing, removing or
    reordering any event breaks every hash after it. Database triggers refuse UPDATE and DELETE.
    """

    sequence = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    subject_type = models.CharField(max_length=80, db_index=True)
    subject_id = models.BigIntegerField(null=True, db_index=True)
    filing_id = models.BigIntegerField(null=True, db_index=True)
    data = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # A second chain per filing, so one filing's history can be proven on its own (the dossier
    # prints its head) while the global chain above proves nothing was removed between filings.
    filing_prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    filing_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def label(self) -> str:
        """The action in the reader's language where we have a name for it, else its code."""
        return str(ACTION_LABELS.get(self.action, self.action))
