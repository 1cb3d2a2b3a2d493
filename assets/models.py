"""Asset pools: the underlying assets of one filing, as imported from tapes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobs.models import Job, JobStatus


class TapeKind(models.TextChoices):
    """The tables a pool is built from: assets (plus monthly performance), or four for an income right."""

    ASSETS = "assets", pgettext_lazy("tape table", "Assets")  # the table, not a count of assets
    HISTORY = "history", _("Monthly history")
    FORECAST = "forecast", _("Cash-flow forecast")
    DEBT_SERVICE = "debt_service", _("Debt-service schedule")
    PERFORMANCE = "performance", _("Historical performance")  # a receivable or lease pool's 动态池


class AssetPool(models.Model):
    """The pool a filing rests on; tapes, rows and analytics hang off it.

    ``analytics`` holds the figures computed from the current tapes (overview, stratifications,
    eligibility, income-right metrics …), recomputed after every accepted import, together with the
    criteria version and legal final maturity they were computed against.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="asset_pools",
        verbose_name=_("issuer"),
    )
    asset_class = models.CharField(_("asset class"), max_length=30)
    analytics = models.JSONField(_("analytics"), default=dict, blank=True)
    criteria_version = models.CharField(_("criteria version"), max_length=50, blank=True)
    legal_final_maturity = models.DateField(_("legal final maturity used"), null=True, blank=True)
    analytics_computed_at = models.DateTimeField(_("analytics computed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("asset pool")

    def __str__(self) -> str:
        return f"{self.asset_class} #{self.pk}"


class TapeUpload(models.Model):
    """A file received and stored (content-addressed) that waits for its column mapping."""

    pool = models.ForeignKey(AssetPool, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(_("table"), max_length=20, choices=TapeKind.choices, default=TapeKind.ASSETS)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("tape upload")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class TapeImport(Job):
    """One import of one tape file into a pool: a job row with its progress and its report.

    A tape's rows are staged under this row and become the pool's data only when ``is_current`` is
    switched on (in one transaction with the analytics); a refused tape stores nothing.
    """

    pool = models.ForeignKey(AssetPool, on_delete=models.CASCADE, related_name="tapes")
    kind = models.CharField(_("table"), max_length=20, choices=TapeKind.choices, default=TapeKind.ASSETS)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("size"))
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    rows_stored = models.PositiveIntegerField(_("rows stored"), default=0)
    cutoff_date = models.DateField(_("cut-off date"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("tape import")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "kind"], condition=Q(is_current=True), name="one_current_tape_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind})"

    @property
    def outcome(self) -> str:
        """queued, running, accepted, refused or failed (the job broke, not the tape)."""
        if self.status == JobStatus.SUCCEEDED:
            return "accepted" if self.result.get("ok") else "refused"
        return str(self.status)

    def errors(self) -> list[dict[str, Any]]:
        return list((self.result or {}).get("errors") or [])


class TapeRowField(models.JSONField):
    """A canonical tape row, kept whole and read back whole, never searched inside.

    PostgreSQL stores it as ``json`` rather than ``jsonb``: a tape of 100 000 rows would otherwise
    spend four seconds of server time decomposing documents nobody queries by key.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is not None and not isinstance(value, str):  # psycopg already decoded a json column
            return value
        return super().from_db_value(value, expression, connection)


class Asset(models.Model):
    """One row of an asset tape (a receivable, a lease, or a toll asset of the asset master).

    The canonical row is kept whole in ``data``; the columns beside it are the ones queries sort and
    filter on.
    """

    # The tape belongs to the pool already: no constraint check per inserted row for this copy of it.
    pool = models.ForeignKey(
        AssetPool, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    # (tape, source_row) below indexes every read by tape. No database constraint either: its check per
    # inserted row cost PostgreSQL 1.7 s per 100 000 rows at commit; rows are only written by the
    # import under its own TapeImport, and deleting a tape or pool deletes its rows (Django cascades).
    tape = models.ForeignKey(
        TapeImport, on_delete=models.CASCADE, related_name="assets", db_index=False, db_constraint=False
    )
    source_row = models.PositiveIntegerField(_("tape row"))
    asset_id = models.CharField(_("asset ID"), max_length=64)
    obligor_group_id = models.CharField(_("obligor group"), max_length=64, blank=True)
    outstanding_amount = models.DecimalField(
        _("outstanding amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    original_amount = models.DecimalField(
        _("original amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    maturity_date = models.DateField(_("maturity date"), null=True, blank=True)
    days_past_due = models.IntegerField(_("days past due"), null=True, blank=True)
    eligible = models.BooleanField(_("eligible"), default=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    data = TapeRowField(_("row"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("asset")
        indexes = [models.Index(fields=["tape", "source_row"], name="asset_tape_row")]

    def __str__(self) -> str:
        return self.asset_id


class PeriodRow(models.Model):
    """One month of an income right's history or forecast, or one date of its debt-service schedule."""

    # The tape belongs to the pool already: no constraint check per inserted row for this copy of it.
    pool = models.ForeignKey(
        AssetPool, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    tape = models.ForeignKey(  # no database constraint, as for Asset.tape
        TapeImport, on_delete=models.CASCADE, related_name="periods", db_index=False, db_constraint=False
    )
    kind = models.CharField(_("table"), max_length=20, choices=TapeKind.choices)
    period = models.CharField(_("period"), max_length=10)  # YYYY-MM, or the payment date
    source_row = models.PositiveIntegerField(_("tape row"))
    data = TapeRowField(_("row"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("period row")
        indexes = [models.Index(fields=["tape", "period"], name="period_tape_period")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


class SavedMapping(models.Model):
    """A column mapping an organisation saved for its monthly tapes of one layout."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="tape_mappings"
    )
    name = models.CharField(_("name"), max_length=100)
    asset_class = models.CharField(_("asset class"), max_length=30)
    kind = models.CharField(_("table"), max_length=20, choices=TapeKind.choices, default=TapeKind.ASSETS)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved column mapping")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "asset_class", "kind", "name"], name="unique_mapping_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
