"""The asset-pool chapter: overview, stratifications with charts, eligibility, exceptions, top obligors,
income-right metrics. Reads ``snapshot.data["pool"]`` as the asset layer froze it and tolerates any
part of it missing; every list is cut to a bounded number of rows (the full tape is an attachment)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from assets.figures import ELIGIBLE_POOL, WHOLE_TAPE, pool_basis, pool_figures

from ..pool_labels import localised_check, stability_rows  # the pool page's wording, shared
from . import charts
from .formatting import (
    DASH,
    Cell,
    Formatter,
    Table,
    amount,
    compact_amount,
    day,
    generic_table,
    integer,
    moment,
    number,
    pick,
    share,
    text,
)

MAX_LISTED_ROWS = 200  # exceptions, obligors, any list: never more rows than this on paper
CHARTED_STRATA = ("balance", "remaining_term", "province", "industry")


def _overview_fields() -> list[tuple[str, str, Any]]:
    return [
        ("cutoff_date", _("Cut-off date"), day),
        ("max_maturity_date", _("Latest maturity date"), day),
        ("asset_count", _("Number of assets"), integer),
        ("inactive_excluded", _("Inactive assets left out"), integer),
        ("obligor_count", _("Number of obligors"), integer),
        ("obligor_group_count", _("Number of obligor groups"), integer),
        ("total_original", _("Original amount (yuan)"), amount),
        ("total_outstanding", _("Outstanding balance (yuan)"), amount),
        ("avg_outstanding_per_asset", _("Average balance per asset (yuan)"), amount),
        ("max_outstanding_per_asset", _("Largest balance per asset (yuan)"), amount),
        ("min_outstanding_per_asset", _("Smallest balance per asset (yuan)"), amount),
        ("avg_outstanding_per_obligor_group", _("Average balance per obligor group (yuan)"), amount),
        ("max_outstanding_per_obligor_group", _("Largest balance per obligor group (yuan)"), amount),
        ("wart_months", _("Weighted average remaining term (months)"), number),
        ("wa_remaining_days", _("Weighted average remaining days"), number),
        ("wa_seasoning_months", _("Weighted average seasoning (months)"), number),
        ("wa_original_term_months", _("Weighted average original term (months)"), number),
        ("wac", _("Weighted average interest rate"), share),
        ("wac_coverage", _("Share of balance with a known rate"), share),
        ("wal_years", _("Weighted average life (years)"), number),
        ("top1_share", _("Largest obligor group"), share),
        ("top5_share", _("Top five obligor groups"), share),
        ("top10_share", _("Top ten obligor groups"), share),
        ("hhi", _("Herfindahl index (obligor groups)"), lambda v: number(v, 4)),
        ("n_eff", _("Effective number of obligor groups"), number),
        ("largest_asset_share", _("Largest single asset"), share),
        ("dq1_balance_share", _("Balance 1+ days past due"), share),
        ("dq31_balance_share", _("Balance 31+ days past due"), share),
        ("dq61_balance_share", _("Balance 61+ days past due"), share),
        ("dq91_balance_share", _("Balance 91+ days past due"), share),
        ("default_balance_share", _("Defaulted balance"), share),
        ("recovery_rate", _("Recovery rate"), share),
        ("dilution_ratio", _("Dilution ratio"), share),
    ]


def _strata_titles() -> dict[str, str]:
    return {
        "balance": _("By outstanding balance"),
        "remaining_term": _("By remaining term"),
        "interest_rate": _("By interest rate"),
        "seasoning": _("By seasoning"),
        "province": _("By province"),
        "industry": _("By industry"),
        "obligor_groups": _("By obligor group"),
        "obligor_type": _("By obligor type"),
        "dpd": _("By days past due"),
        "risk_class_5": _("By five-tier loan classification"),
        "lease_type": _("By lease type"),
        "leased_asset_type": _("By leased asset"),
        "ageing": _("By invoice ageing"),
        "payment_terms": _("By payment terms"),
    }


def pool_section(pool: Mapping[str, Any] | None) -> dict[str, Any]:
    """Template context of the asset-pool chapter; ``present`` is False when no tape was imported."""
    if not isinstance(pool, Mapping) or not pool:
        return {"present": False}
    tape = pool.get("tape") if isinstance(pool.get("tape"), Mapping) else None
    overview: Mapping[str, Any] = pool["overview"] if isinstance(pool.get("overview"), Mapping) else {}
    result: dict[str, Any] = {
        "present": bool(tape or overview),
        "tape": _tape_pairs(tape, pool) if tape else None,
        "overview": _overview_pairs(overview),
        "overview_basis": basis_note(WHOLE_TAPE) if overview else "",
        "key_figures": key_figures_table(pool),
        "checks_basis": basis_note(ELIGIBLE_POOL),
        "obligors_basis": basis_note(WHOLE_TAPE),
        "strata": _strata(pool.get("strata")),
        "eligibility": _eligibility(pool.get("eligibility")),
        "checks": _checks(pool.get("pool_checks"), pool.get("stability")),
        "top_obligors": _top_obligors(pool),
        "income": _income(pool.get("income"), pool.get("toll_assets"), pool.get("income_eligibility")),
        "history": performance_history(pool.get("performance_history")),
        "limit": MAX_LISTED_ROWS,
    }
    result["exceptions"], result["exceptions_total"] = _exceptions(pool)
    return result


def basis_note(basis: str) -> str:
    """What a block of pool figures is computed over, said once above the block."""
    if basis == ELIGIBLE_POOL:
        return _(
            "Basis: the eligible pool (the assets to be transferred); shares are of its outstanding "
            "balance, averages weighted by balance."
        )
    return _(
        "Basis: the whole tape (every active asset, eligible or not); shares are of its outstanding "
        "balance, averages weighted by balance."
    )


def key_figures_table(pool: Mapping[str, Any]) -> Table | None:
    """The figures the pool page, the pre-flight and the dossier share (assets.figures), each with its
    basis: the eligible pool once eligibility is known, else the whole tape."""
    figures = pool_figures(pool)
    if not figures:
        return None
    rows = [
        [Cell(str(figure.label)), Cell(figure.text, num=True), Cell(str(figure.basis_label))]
        for figure in figures.values()
    ]
    basis, _overview = pool_basis(pool)
    return Table(
        headers=[Cell(_("Figure")), Cell(_("Value"), num=True), Cell(_("Basis"))],
        rows=rows,
        caption=basis_note(basis),
    )


def performance_history(history: Any) -> dict[str, Any] | None:
    """The monthly performance (动态池) of a receivable or lease pool: summary pairs, monthly table, chart.

    Shared by the pool page and the dossier's pool chapter; None when no performance table was imported.
    """
    if not isinstance(history, Mapping) or not history.get("months"):
        return None
    months = [m for m in history.get("monthly") or [] if isinstance(m, Mapping)][-MAX_LISTED_ROWS:]
    dso = history.get("dso_days")
    pairs: list[tuple[str, Cell]] = [
        (_("Months of history"), Cell(f"{integer(history.get('months'))} ({history.get('first_period')} – "
                                      f"{history.get('last_period')})")),
        (_("12-month collection ratio"), Cell(share(history.get("collection_ratio_12m")), num=True)),
        (_("DQ30+ / DQ60+ / DQ90+, latest month"), Cell(
            " / ".join(share(history.get(f"latest_dq{x}_share")) for x in (30, 60, 90)), num=True)),
        (_("DQ30+ / DQ60+ / DQ90+, highest month"), Cell(
            " / ".join(share(history.get(f"max_dq{x}_share")) for x in (30, 60, 90)), num=True)),
        (_("Cumulative default rate"), Cell(share(history.get("cumulative_default_rate")), num=True)),
        (_("Annualised default rate (CDR, 12 months)"), Cell(share(history.get("cdr_12m")), num=True)),
        (_("Recovery rate"), Cell(share(history.get("recovery_rate")), num=True)),
        (_("12-month average dilution ratio"), Cell(share(history.get("dilution_ratio_12m")), num=True)),
        (_("Days sales outstanding"), Cell(DASH if dso is None else number(dso, 1), num=True)),
    ]  # fmt: skip
    headers = [
        Cell(_("Month")),
        Cell(_("Opening balance"), num=True),
        Cell(_("Scheduled due"), num=True),
        Cell(_("Collected"), num=True),
        Cell(_("Collection ratio"), num=True),
        Cell(_("DQ30+"), num=True),
        Cell(_("DQ60+"), num=True),
        Cell(_("DQ90+"), num=True),
        Cell(_("Defaults"), num=True),
        Cell(_("CDR"), num=True),
        Cell(_("Dilution ratio"), num=True),
    ]
    rows = [
        [
            Cell(text(m.get("period"))),
            Cell(amount(m.get("opening_balance")), num=True),
            Cell(amount(m.get("scheduled_due")), num=True),
            Cell(amount(m.get("collected")), num=True),
            *(
                Cell(share(m.get(key)), num=True)
                for key in ("collection_ratio", "dq30_share", "dq60_share", "dq90_share")
            ),
            Cell(amount(m.get("defaulted_amount")), num=True),
            Cell(share(m.get("cdr")), num=True),
            Cell(share(m.get("dilution_ratio")), num=True),
        ]
        for m in months
    ]
    # Two charts, each on its own scale: a collection ratio near 100 % beside delinquency shares of a few
    # per cent on one axis would flatten the shares into the baseline.
    chart = dq_chart = None
    if len(months) > 1:
        periods = [str(m.get("period")) for m in months]
        chart = charts.line_chart(
            periods,
            [
                charts.Series(
                    _("Collection ratio"), [_float_or_none(m.get("collection_ratio")) for m in months]
                )
            ],
            y_format=lambda v: f"{v * 100:.0f}%",
        )
        dq_chart = charts.line_chart(
            periods,
            [
                charts.Series(_("DQ30+"), [_float_or_none(m.get("dq30_share")) for m in months]),
                charts.Series(_("DQ60+"), [_float_or_none(m.get("dq60_share")) for m in months]),
                charts.Series(_("DQ90+"), [_float_or_none(m.get("dq90_share")) for m in months]),
            ],
            y_format=lambda v: f"{v * 100:.1f}%",
        )
    return {"pairs": pairs, "table": Table(headers=headers, rows=rows), "chart": chart, "dq_chart": dq_chart}


def _tape_pairs(tape: Mapping[str, Any], pool: Mapping[str, Any]) -> list[tuple[str, Cell]]:
    fields: list[tuple[str, str, Any]] = [
        ("file_name", _("File name"), text),
        ("kind", _("Table"), text),
        ("rows", _("Rows"), integer),
        ("size", _("Size (bytes)"), integer),
        ("encoding", _("Encoding"), text),
        ("cutoff_date", _("Cut-off date"), day),
        ("imported_at", _("Imported"), moment),
    ]
    pairs = [(label, Cell(fmt(tape.get(key)))) for key, label, fmt in fields if key in tape]
    pairs.append((_("SHA-256"), Cell(text(tape.get("sha256")), mono=True)))
    for key, label, fmt in (
        ("criteria_version", _("Eligibility criteria version"), text),
        ("legal_final_maturity", _("Legal final maturity"), text),
        ("computed_at", _("Figures computed"), moment),
    ):
        if pool.get(key):
            pairs.append((label, Cell(fmt(pool[key]))))
    known = {key for key, _label, _fmt in fields} | {"sha256", "asset_class"}
    pairs += [(key, Cell(text(value))) for key, value in sorted(tape.items()) if key not in known]
    return pairs


def _overview_pairs(overview: Mapping[str, Any]) -> list[tuple[str, Cell]]:
    fields = _overview_fields()
    known = {key for key, _label, _fmt in fields}
    pairs = [
        (label, Cell(fmt(overview[key]) if overview[key] is not None else DASH, num=True))
        for key, label, fmt in fields
        if key in overview
    ]
    pairs += [(key, Cell(text(value))) for key, value in sorted(overview.items()) if key not in known]
    return pairs


def _strata(strata: Any) -> list[dict[str, Any]]:
    if not isinstance(strata, Mapping):
        return []
    titles = _strata_titles()
    names = [name for name in titles if name in strata] + sorted(
        name for name in strata if name not in titles
    )
    result = []
    for name in names:
        table_data = strata[name]
        if not isinstance(table_data, Mapping):
            continue
        rows = list(table_data.get("rows") or [])
        table = Table(
            headers=[
                Cell(_("Stratum")),
                Cell(_("Assets"), num=True),
                Cell(_("Share of assets"), num=True),
                Cell(_("Outstanding (yuan)"), num=True),
                Cell(_("Share of balance"), num=True),
            ],
            rows=[
                [
                    Cell(_stratum_label(row)),
                    Cell(integer(row.get("count")), num=True),
                    Cell(share(row.get("count_share")), num=True),
                    Cell(amount(row.get("amount")), num=True),
                    Cell(share(row.get("amount_share")), num=True),
                ]
                for row in rows[:MAX_LISTED_ROWS]
            ],
            hidden=max(len(rows) - MAX_LISTED_ROWS, 0),
        )
        total = table_data.get("total") or {}
        if total:
            table.footer = [
                Cell(_("Total")),
                Cell(integer(total.get("count")), num=True),
                Cell("100.00%", num=True),
                Cell(amount(total.get("amount")), num=True),
                Cell("100.00%", num=True),
            ]
        chart = None
        amounts = [_float(row.get("amount")) for row in rows[:40]]
        if name in CHARTED_STRATA and rows and sum(amounts) > 0:
            chart = charts.bar_chart(
                [_stratum_label(row) for row in rows[:40]], amounts, value_format=compact_amount
            )
        result.append({"key": name, "title": titles.get(name, name), "table": table, "chart": chart})
    return result


def _stratum_label(row: Mapping[str, Any]) -> str:
    if "label_zh" in row or "label_en" in row:
        return pick(row.get("label_zh"), row.get("label_en"))
    return text(row.get("key"))


def _eligibility(eligibility: Any) -> dict[str, Any] | None:
    if not isinstance(eligibility, Mapping):
        return None
    pairs = [
        (_("Assets checked"), Cell(integer(eligibility.get("asset_count")), num=True)),
        (_("Eligible assets"), Cell(integer(eligibility.get("eligible_count")), num=True)),
        (_("Eligible balance (yuan)"), Cell(amount(eligibility.get("eligible_outstanding")), num=True)),
        (_("Ineligible assets"), Cell(integer(eligibility.get("ineligible_count")), num=True)),
        (_("Ineligible balance (yuan)"), Cell(amount(eligibility.get("ineligible_outstanding")), num=True)),
        (_("Criteria version"), Cell(text(eligibility.get("criteria_version")))),
    ]
    reasons = eligibility.get("reasons") or {}
    table = Table(
        headers=[
            Cell(_("Reason")),
            Cell(_("Explanation")),
            Cell(_("Assets"), num=True),
            Cell(_("Outstanding (yuan)"), num=True),
        ],
        rows=[
            [
                Cell(str(code)),
                Cell(text(reason.get("message"))),
                Cell(integer(reason.get("count")), num=True),
                Cell(amount(reason.get("outstanding")), num=True),
            ]
            for code, reason in sorted(reasons.items())[:MAX_LISTED_ROWS]
            if isinstance(reason, Mapping)
        ],
    )
    return {"pairs": pairs, "reasons": table}


def _checks(pool_checks: Any, stability: Any) -> Table | None:
    """Pool limits and stability bands by their labels, as the pool page shows them (no codes)."""
    rows: list[list[Cell]] = []
    if isinstance(pool_checks, Mapping):
        for check in pool_checks.get("checks") or []:
            shown = localised_check(check)
            rows.append([Cell(str(shown["label"])), Cell(str(shown["status"])), Cell(str(shown["message"]))])
    if isinstance(stability, list):
        for entry in stability_rows(stability):
            rows.append([Cell(str(entry["label"])), Cell(str(entry["band"])), Cell(str(entry["value"]))])
    if not rows:
        return None
    return Table(headers=[Cell(_("Check")), Cell(_("Result")), Cell(_("Value"))], rows=rows[:MAX_LISTED_ROWS])


def _reasons(value: Any) -> str:
    return ", ".join(str(item) for item in value) if isinstance(value, list | tuple) else text(value)


def _exceptions(pool: Mapping[str, Any]) -> tuple[Table | None, int]:
    """The assets that failed eligibility, at most MAX_LISTED_ROWS, and how many there are in all."""
    columns: dict[str, tuple[str, Formatter, bool]] = {
        "asset_id": (_("Asset"), text, False),
        "source_row": (_("Tape row"), integer, True),
        "obligor_name": (_("Obligor"), text, False),
        "field": (_("Field"), text, False),
        "code": (_("Code"), text, False),
        "severity": (_("Severity"), text, False),
        "reasons": (_("Reasons"), _reasons, False),
        "message": (_("Explanation"), text, False),
        "outstanding_amount": (_("Outstanding (yuan)"), amount, True),
    }
    exceptions = pool.get("exceptions")
    if not isinstance(exceptions, list):
        # Without a separate list, the assets failing eligibility are the exceptions.
        eligibility = pool.get("eligibility")
        exceptions = eligibility.get("ineligible") if isinstance(eligibility, Mapping) else None
    if not isinstance(exceptions, list):
        return None, 0
    table = generic_table(
        (row for row in exceptions if isinstance(row, Mapping)), columns=columns, limit=MAX_LISTED_ROWS
    )
    eligibility = pool.get("eligibility")
    counted = eligibility.get("ineligible_count") if isinstance(eligibility, Mapping) else None
    # The asset layer may have cut the list already; the count says how many there are.
    total = max(counted if isinstance(counted, int) else 0, table.total)
    table.hidden = 0
    return table, total


def _top_obligors(pool: Mapping[str, Any]) -> Table | None:
    columns: dict[str, tuple[str, Formatter, bool]] = {
        "rank": (_("Rank"), integer, True),
        "obligor_group_id": (_("Obligor group"), text, False),
        "obligor_id": (_("Obligor"), text, False),
        "name": (_("Name"), text, False),
        "obligor_name": (_("Name"), text, False),
        "count": (_("Assets"), integer, True),
        "amount": (_("Outstanding (yuan)"), amount, True),
        "outstanding": (_("Outstanding (yuan)"), amount, True),
        "share": (_("Share of balance"), share, True),
        "amount_share": (_("Share of balance"), share, True),
    }
    obligors = pool.get("top_obligors")
    if not isinstance(obligors, list):
        return None
    return generic_table(
        (row for row in obligors if isinstance(row, Mapping)), columns=columns, limit=MAX_LISTED_ROWS
    )


def _income(income: Any, toll_assets: Any = None, eligibility: Any = None) -> dict[str, Any] | None:
    """Toll-road income rights: the toll assets, revenue stability, annual totals, coverage of debt
    service and the income-right checks."""
    if not isinstance(income, Mapping) or not income:
        if not toll_assets:
            return None
        income = {}
    result: dict[str, Any] = {"assets": _toll_assets(toll_assets), "eligibility": _income_checks(eligibility)}
    blocks = []
    for key, title in (("revenue", _("Gross revenue")), ("ncf", _("Net cash flow"))):
        block = income.get(key)
        if isinstance(block, Mapping):
            blocks.append(
                (
                    title,
                    [
                        (_("Months"), Cell(integer(block.get("months")), num=True)),
                        (
                            _("Period"),
                            Cell(f"{text(block.get('first_period'))} – {text(block.get('last_period'))}"),
                        ),
                        (_("Monthly mean (yuan)"), Cell(amount(block.get("mean")), num=True)),
                        (_("Lowest month (yuan)"), Cell(amount(block.get("min")), num=True)),
                        (_("Coefficient of variation"), Cell(number(block.get("cv"), 4), num=True)),
                        (_("Lowest month to mean"), Cell(share(block.get("min_to_mean")), num=True)),
                        (
                            _("Largest 12-month drawdown"),
                            Cell(share(block.get("max_drawdown_t12")), num=True),
                        ),
                    ],
                )
            )
    result["blocks"] = blocks

    monthly = income.get("monthly") or income.get("history")
    if isinstance(monthly, list) and monthly:
        periods = [str(row.get("period")) for row in monthly if isinstance(row, Mapping)]
        series = [
            charts.Series(_("Gross revenue"), [_float_or_none(row.get("gross_revenue")) for row in monthly])
        ]
        if any(row.get("net_cash_flow") is not None for row in monthly):
            series.append(
                charts.Series(
                    _("Net cash flow"), [_float_or_none(row.get("net_cash_flow")) for row in monthly]
                )
            )
        result["monthly_chart"] = charts.line_chart(periods, series, y_format=compact_amount)

    annual: Mapping[str, Any] = (
        income["annual_revenue"] if isinstance(income.get("annual_revenue"), Mapping) else {}
    )
    totals = annual.get("totals") or {}
    if totals:
        years = sorted(totals)
        result["annual"] = Table(
            headers=[Cell(_("Year")), Cell(_("Revenue (yuan)"), num=True), Cell(_("Growth"), num=True)],
            rows=[
                [
                    Cell(year),
                    Cell(amount(totals[year]), num=True),
                    Cell(share((annual.get("yoy_growth") or {}).get(year)), num=True),
                ]
                for year in years
            ],
        )
        result["annual_chart"] = charts.bar_chart(
            years,
            [_float(totals[year]) for year in years],
            value_format=compact_amount,
            show_percent=False,
        )

    coverage = [row for row in income.get("coverage") or [] if isinstance(row, Mapping)]
    if coverage:
        result["coverage"] = Table(
            headers=[
                Cell(_("Payment date")),
                Cell(_("Net cash flow (yuan)"), num=True),
                Cell(_("Debt service (yuan)"), num=True),
                Cell(_("Coverage"), num=True),
            ],
            rows=[
                [
                    Cell(day(row.get("payment_date"))),
                    Cell(amount(row.get("ncf")), num=True),
                    Cell(amount(row.get("debt_service")), num=True),
                    Cell(number(row.get("coverage"), 2), num=True),
                ]
                for row in coverage[:MAX_LISTED_ROWS]
            ],
            hidden=max(len(coverage) - MAX_LISTED_ROWS, 0),
        )
        shown = coverage[:120]
        result["coverage_chart"] = charts.line_chart(
            [day(row.get("payment_date")) for row in shown],
            [charts.Series(_("Coverage"), [_float_or_none(row.get("coverage")) for row in shown])],
            y_format=lambda value: f"{value:.2f}×",
        )

    summary = []
    for key, label in (
        ("min_coverage_base", _("Lowest coverage")),
        ("avg_coverage_base", _("Average coverage")),
        ("min_dscr", _("Lowest rolling DSCR")),
        ("ncf_to_debt_service", _("Net cash flow to debt service")),
    ):
        if key in income:
            summary.append((label, Cell(number(income.get(key), 2), num=True)))
    for key, label in (
        ("toll_period_end", _("Toll period ends")),
        ("months_toll_after_legal_final", _("Months of toll period after legal final maturity")),
    ):
        if key in income:
            summary.append((label, Cell(day(income.get(key)))))
    result["summary"] = summary
    stability = income.get("stability")
    result["checks"] = _checks(None, stability) if isinstance(stability, list) else None
    return result


def _toll_assets(assets: Any) -> Table | None:
    if not isinstance(assets, list) or not assets:
        return None
    columns: dict[str, tuple[str, Formatter, bool]] = {
        "asset_id": (_("Asset"), text, False),
        "asset_name": (_("Name"), text, False),
        "asset_category": (_("Category"), text, False),
        "region_code": (_("Region"), text, False),
        "length_km": (_("Length (km)"), number, True),
        "toll_period_start": (_("Toll period from"), day, False),
        "toll_period_end": (_("Toll period to"), day, False),
        "operator_name": (_("Operator"), text, False),
        "pledged": (_("Pledged"), text, False),
        "escrow_frequency": (_("Escrow sweep"), text, False),
        "operating_since": (_("Operating since"), day, False),
    }
    return generic_table(
        (a for a in assets if isinstance(a, Mapping)), columns=columns, limit=MAX_LISTED_ROWS
    )


def _income_checks(eligibility: Any) -> Table | None:
    if not isinstance(eligibility, Mapping):
        return None
    rows = [
        [Cell(text(asset.get("asset_id"))), Cell(str(shown["label"])), Cell(str(shown["status"])),
         Cell(str(shown["message"]))]
        for asset in eligibility.get("assets") or [] if isinstance(asset, Mapping)
        for check in asset.get("checks") or [] if isinstance(check, Mapping)
        for shown in [localised_check(check)]
    ]  # fmt: skip
    if not rows:
        return None
    return Table(
        headers=[Cell(_("Asset")), Cell(_("Check")), Cell(_("Result")), Cell(_("Explanation"))],
        rows=rows[:MAX_LISTED_ROWS],
        hidden=max(len(rows) - MAX_LISTED_ROWS, 0),
    )


def _float(value: Any) -> float:
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
