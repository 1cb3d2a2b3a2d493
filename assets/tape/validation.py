"""Row and file checks on canonical rows: derived values, cross-field rules, duplicates, cut-off, months.

Pool tapes follow abs-data.md §6.2–6.3; toll tables need contiguous months and at least 24 of history.
Errors name the user's row, header and raw cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any

from .errors import ErrorCollector
from .schema import Schema

Row = dict[str, Any]


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


class _Checks:
    """Shared error reporting: the column as the user named it and the cell as the user wrote it."""

    sources: Mapping[str, str]
    indices: Mapping[str, int | None]
    errors: ErrorCollector
    batch: list[list[Any]]

    def _error(
        self, code: str, row: Row, bad: bytearray, j: int, column: str | None = None, **params: Any
    ) -> None:
        value = None
        if column:
            index = self.indices.get(column)
            value = self.batch[j][index] if index is not None else row.get(column)
        self.errors.add(
            code,
            row=row["source_row"],
            column=self.sources.get(column, column) if column else None,
            value=value,
            **params,
        )
        bad[j] = 1


class PoolChecks(_Checks):
    """Derivations and checks for receivable, lease and loan tapes (abs-data.md §6.2–6.3)."""

    def __init__(
        self,
        schema: Schema,
        *,
        criteria: Mapping[str, Any],
        sources: Mapping[str, str],
        indices: Mapping[str, int | None],
        errors: ErrorCollector,
        expected_cutoff: dt.date | None,
        allow_multiple_cutoffs: bool,
        today: dt.date,
    ) -> None:
        tape = criteria["tape"]
        self.asset_class = schema.asset_class
        self.tolerance = 1 + _d(tape["outstanding_tolerance"])
        self.default_dpd = int(tape["default_dpd"])
        self.min_origination = dt.date.fromisoformat(tape["min_origination_date"])
        self.sources = sources
        self.indices = indices
        self.batch = []
        self.errors = errors
        self.expected_cutoff = expected_cutoff
        self.allow_multiple_cutoffs = allow_multiple_cutoffs
        self.today = today
        self.first_cutoff: tuple[dt.date, int] | None = None
        self.cutoffs: set[dt.date] = set()
        self.asset_rows: dict[str, int] = {}
        self.invoice_rows: dict[str, int] = {}

    def check(self, rows: list[Row], bad: bytearray, batch: list[list[Any]]) -> None:
        self.batch = batch
        receivable = self.asset_class == "trade_receivable"
        lease = self.asset_class == "finance_lease"
        for j, row in enumerate(rows):
            nd = row["no_data"]
            if row["obligor_group_id"] is None:
                row["obligor_group_id"] = row["obligor_id"]
            if row["currency"] is None and "currency" not in nd:
                row["currency"] = "CNY"
            if receivable:
                self._derive_receivable(row)
            self._check_status(row, bad, j, receivable)
            self._check_amounts_and_dates(row, bad, j)
            self._check_identity(row, bad, j, receivable)
            if receivable:
                invoice, due = row["invoice_date"], row["due_date"]
                if invoice is not None and due is not None and due < invoice:
                    self._error("due_before_invoice", row, bad, j, "due_date", due=due, invoice=invoice)
            if lease:
                paid, total = row["instalments_paid"], row["total_instalments"]
                if paid is not None and total is not None and paid > total:
                    self._error(
                        "instalments_paid_exceed_total",
                        row,
                        bad,
                        j,
                        "instalments_paid",
                        paid=paid,
                        total=total,
                    )
                outstanding, rent = row["outstanding_amount"], row["remaining_rent_total"]
                if outstanding is not None and rent is not None and outstanding > rent:
                    self._error(
                        "outstanding_exceeds_remaining_rent",
                        row,
                        bad,
                        j,
                        "outstanding_amount",
                        outstanding=outstanding,
                        rent=rent,
                    )

    @staticmethod
    def _derive_receivable(row: Row) -> None:
        if row["origination_date"] is None:
            row["origination_date"] = row["invoice_date"]
        if row["maturity_date"] is None:
            row["maturity_date"] = row["due_date"]
        if row["payment_frequency"] is None:
            row["payment_frequency"] = "bullet"
        invoice, due = row["invoice_date"], row["due_date"]
        if row["payment_terms_days"] is None and invoice is not None and due is not None:
            row["payment_terms_days"] = (due - invoice).days

    def _check_status(self, row: Row, bad: bytearray, j: int, receivable: bool) -> None:
        dpd = row["days_past_due"]
        if dpd is None:
            return
        status = row["account_status"]
        if status is None:
            row["account_status"] = (
                "performing" if dpd == 0 else "arrears" if dpd <= self.default_dpd else "defaulted"
            )
        elif (
            (status == "performing" and dpd > 0)
            or (status == "arrears" and dpd == 0)
            or (dpd > self.default_dpd and status not in ("defaulted", "written_off"))
        ):
            self._error("status_dpd_mismatch", row, bad, j, "account_status", status=status, dpd=dpd)
        arrears = row["arrears_amount"]
        if arrears is None and "arrears_amount" not in row["no_data"]:
            if dpd == 0:
                row["arrears_amount"] = Decimal(0)
            elif receivable and row["outstanding_amount"] is not None:
                row["arrears_amount"] = row["outstanding_amount"]  # an overdue invoice is overdue in full
            else:
                self._error("arrears_required", row, bad, j, "arrears_amount", dpd=dpd)
        elif arrears is not None and dpd == 0 and arrears > 0:
            self._error("arrears_without_dpd", row, bad, j, "arrears_amount", arrears=arrears)

    def _check_amounts_and_dates(self, row: Row, bad: bytearray, j: int) -> None:
        original, outstanding = row["original_amount"], row["outstanding_amount"]
        if original is not None and outstanding is not None and outstanding > original * self.tolerance:
            self._error(
                "outstanding_exceeds_original",
                row,
                bad,
                j,
                "outstanding_amount",
                outstanding=outstanding,
                original=original,
                tolerance=f"{(self.tolerance - 1):.1%}",
            )
        origination, maturity, cutoff = row["origination_date"], row["maturity_date"], row["cutoff_date"]
        if origination is not None:
            if maturity is not None and maturity < origination:
                self._error(
                    "maturity_before_origination",
                    row,
                    bad,
                    j,
                    "maturity_date",
                    maturity=maturity,
                    origination=origination,
                )
            if origination < self.min_origination:
                self._error("date_too_early", row, bad, j, "origination_date", minimum=self.min_origination)
            if cutoff is not None and origination > cutoff:
                self._error("date_after_cutoff", row, bad, j, "origination_date", cutoff=cutoff)
        if cutoff is None:
            return
        invoice = row.get("invoice_date")
        if invoice is not None and invoice > cutoff:
            self._error("date_after_cutoff", row, bad, j, "invoice_date", cutoff=cutoff)
        if cutoff in self.cutoffs:
            return
        if cutoff > self.today:
            self._error("cutoff_in_future", row, bad, j, "cutoff_date")
        if self.expected_cutoff is not None and cutoff != self.expected_cutoff:
            self._error("cutoff_mismatch", row, bad, j, "cutoff_date", expected=self.expected_cutoff)
        elif self.first_cutoff is None:
            self.first_cutoff = (cutoff, row["source_row"])
        elif not self.allow_multiple_cutoffs:
            expected, first_row = self.first_cutoff
            self._error(
                "multiple_cutoff_dates", row, bad, j, "cutoff_date", expected=expected, first_row=first_row
            )
            return  # report every row that differs
        self.cutoffs.add(cutoff)

    def _check_identity(self, row: Row, bad: bytearray, j: int, receivable: bool) -> None:
        # Keys stay for the whole file (about 120 bytes per row and key), so they are kept as single strings.
        asset_id = row["asset_id"]
        if asset_id is not None:
            key = f"{row['cutoff_date']}\x00{asset_id}" if self.allow_multiple_cutoffs else asset_id
            first = self.asset_rows.setdefault(key, row["source_row"])
            if first != row["source_row"]:
                self._error("duplicate_asset_id", row, bad, j, "asset_id", first_row=first)
        if receivable and row["invoice_no"] is not None:
            key = row["invoice_no"]  # unique per originator (and per report date in a historical tape)
            if row["originator_id"] is not None or self.allow_multiple_cutoffs:
                cutoff = row["cutoff_date"] if self.allow_multiple_cutoffs else ""
                key = f"{cutoff}\x00{row['originator_id'] or ''}\x00{key}"
            first = self.invoice_rows.setdefault(key, row["source_row"])
            if first != row["source_row"]:
                self._error("duplicate_invoice_no", row, bad, j, "invoice_no", first_row=first)

    def finish(self) -> None:
        """Nothing is left to check once the last row is in; cross-row state is checked row by row."""


class TollChecks(_Checks):
    """Derivations and checks for the four toll income-right tables."""

    def __init__(
        self,
        kind: str,
        *,
        criteria: Mapping[str, Any],
        sources: Mapping[str, str],
        indices: Mapping[str, int | None],
        errors: ErrorCollector,
        warnings: ErrorCollector,
    ) -> None:
        self.kind = kind
        self.min_months = int(criteria["tape"]["history_min_months"])
        self.sources = sources
        self.indices = indices
        self.batch = []
        self.errors = errors
        self.warnings = warnings
        self.seen: dict[Any, int] = {}
        self.periods: dict[str, set[str]] = {}

    def check(self, rows: list[Row], bad: bytearray, batch: list[list[Any]]) -> None:
        self.batch = batch
        for j, row in enumerate(rows):
            if self.kind == "assets":
                self._unique(row, bad, j, "asset_id", "duplicate_asset_id", row["asset_id"])
                start, end = row["toll_period_start"], row["toll_period_end"]
                if start is not None and end is not None and end < start:
                    self._error("toll_period_reversed", row, bad, j, "toll_period_end", start=start, end=end)
            elif self.kind == "debt_service":
                self._unique(row, bad, j, "payment_date", "duplicate_payment_date", row["payment_date"])
            else:
                self._check_month(row, bad, j)

    def _unique(self, row: Row, bad: bytearray, j: int, column: str, code: str, key: Any) -> None:
        if key is None:
            return
        first = self.seen.setdefault(key, row["source_row"])
        if first != row["source_row"]:
            self._error(code, row, bad, j, column, first_row=first)

    def _check_month(self, row: Row, bad: bytearray, j: int) -> None:
        asset = row["asset_id"] or ""
        period = row["period"]
        if period is not None:
            self._unique(row, bad, j, "period", "duplicate_period", (asset, period))
            self.periods.setdefault(asset, set()).add(period)
        if self.kind == "history":
            revenue, opex = row["gross_revenue"], row["opex"]
            if row["net_cash_flow"] is None and revenue is not None and opex is not None:
                row["net_cash_flow"] = revenue - opex - (row["taxes"] or 0) - (row["maintenance_capex"] or 0)
            if revenue is not None and revenue == 0:
                self.warnings.add(
                    "zero_revenue_month",
                    row=row["source_row"],
                    column=self.sources.get("gross_revenue"),
                    value=revenue,
                    month=period,
                )
        else:
            revenue, opex = row["forecast_revenue"], row["forecast_opex"]
            if row["forecast_ncf"] is None and "forecast_ncf" not in row["no_data"]:
                if revenue is not None and opex is not None:
                    row["forecast_ncf"] = revenue - opex
                elif revenue is not None:
                    self._error("ncf_underivable", row, bad, j)

    def finish(self) -> None:
        """Months must run without gaps, and history must be long enough."""
        if self.kind not in ("history", "forecast"):
            return
        for asset, periods in sorted(self.periods.items()):
            months = sorted(periods)
            label = asset or "—"
            for missing in _gaps(months):
                self.errors.add("period_gap", asset=label, first_missing=missing[0], last_missing=missing[1])
            if self.kind == "history":
                span = _month_index(months[-1]) - _month_index(months[0]) + 1
                if span < self.min_months:
                    self.errors.add("history_too_short", asset=label, months=span, minimum=self.min_months)


class PerformanceChecks(_Checks):
    """Checks for a receivable or lease pool's monthly performance table (动态池, abs-data.md §3).

    One row per month, contiguous, no month twice; at least `performance_min_months` months (an error)
    and a warning below `performance_target_months`. Delinquency buckets nest (DQ90+ ≤ DQ60+ ≤ DQ30+ ≤
    opening balance) and a month cannot collect more than the pool held plus what it originated.
    """

    _BUCKETS = (
        ("dq90_balance", "dq60_balance"),
        ("dq60_balance", "dq30_balance"),
        ("dq30_balance", "opening_balance"),
    )

    def __init__(
        self,
        *,
        criteria: Mapping[str, Any],
        sources: Mapping[str, str],
        indices: Mapping[str, int | None],
        errors: ErrorCollector,
        warnings: ErrorCollector,
    ) -> None:
        tape = criteria["tape"]
        self.min_months = int(tape.get("performance_min_months", 12))
        self.target_months = int(tape.get("performance_target_months", 24))
        self.sources = sources
        self.indices = indices
        self.batch = []
        self.errors = errors
        self.warnings = warnings
        self.seen: dict[str, int] = {}

    def check(self, rows: list[Row], bad: bytearray, batch: list[list[Any]]) -> None:
        self.batch = batch
        for j, row in enumerate(rows):
            period = row["period"]
            if period is not None:
                first = self.seen.setdefault(period, row["source_row"])
                if first != row["source_row"]:
                    self._error("duplicate_period", row, bad, j, "period", first_row=first)
            for inner, outer in self._BUCKETS:
                small, large = row[inner], row[outer]
                if small is not None and large is not None and small > large:
                    self._error(
                        "performance_bucket_exceeds",
                        row,
                        bad,
                        j,
                        inner,
                        outer=self.sources.get(outer, outer),
                        limit=large,
                    )
            collected, opening = row["collected"], row["opening_balance"]
            if collected is not None and opening is not None:
                available = opening + (row["originated_amount"] or 0)
                if collected > available:
                    self._error("collected_exceeds_available", row, bad, j, "collected", available=available)

    def finish(self) -> None:
        """Months must run without gaps and cover the minimum; a short history is flagged."""
        months = sorted(self.seen)
        if not months:
            return
        for missing in _gaps(months):
            self.errors.add("period_gap", asset="—", first_missing=missing[0], last_missing=missing[1])
        span = _month_index(months[-1]) - _month_index(months[0]) + 1
        if span < self.min_months:
            self.errors.add("history_too_short", asset="—", months=span, minimum=self.min_months)
        elif span < self.target_months:
            self.warnings.add("performance_history_short", months=span, target=self.target_months)


def _month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _gaps(months: list[str]) -> list[tuple[str, str]]:
    gaps = []
    for before, after in pairwise(months):
        a, b = _month_index(before), _month_index(after)
        if b - a > 1:
            gaps.append((_month_label(a + 1), _month_label(b - 1)))
    return gaps
