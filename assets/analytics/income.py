"""Income-right (收费收益权) metrics from monthly history, forecast and the senior debt-service schedule.

Formulas follow abs-data.md §3 and §2.4:
- CV = sample standard deviation (ddof 1) / mean over the last cv_window_months months (all if fewer);
  the seasonally adjusted CV first divides each month by its calendar-month index mean(month j) / mean(all),
  and needs at least 24 months.
- Max drawdown is the largest peak-to-trough fall of the trailing-12-month sum (needs 13 months).
- YoY growth compares the last two complete calendar years; CAGR runs over all complete calendar years.
- Coverage per payment date k: Σ forecast NCF of the months after the previous payment month up to and
  including this payment month, over senior interest + principal due on k. A revenue haircut h lowers NCF
  by h × forecast revenue (operating costs unchanged).
- DSCR: Σ NCF / Σ senior debt service over rolling 12-month forecast windows with debt service in them.
When several assets are given, their months are summed: thresholds apply to the whole pledged cash flow.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from assets.criteria import DEFAULT_CRITERIA, band

from .common import money, ratio, safe_div, to_date, to_decimal


def _series(rows: Iterable[Mapping[str, Any]], field: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row in rows:
        value = to_decimal(row.get(field))
        period = row.get("period")
        if value is None or period is None:
            continue
        totals[period] = totals.get(period, Decimal(0)) + value
    return dict(sorted(totals.items()))


def coefficient_of_variation(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = statistics.fmean(values)
    return statistics.stdev(values) / mean if mean else None


def seasonally_adjusted_cv(periods: Sequence[str], values: Sequence[float]) -> float | None:
    if len(values) < 24:
        return None
    overall = statistics.fmean(values)
    by_month: dict[int, list[float]] = {}
    for period, value in zip(periods, values, strict=True):
        by_month.setdefault(int(period[5:7]), []).append(value)
    index = {month: statistics.fmean(v) / overall for month, v in by_month.items()}
    adjusted = [
        v / index[int(p[5:7])] if index[int(p[5:7])] else v for p, v in zip(periods, values, strict=True)
    ]
    return coefficient_of_variation(adjusted)


def max_drawdown_t12(values: Sequence[float]) -> float | None:
    if len(values) < 13:
        return None
    trailing = [sum(values[i - 11 : i + 1]) for i in range(11, len(values))]
    peak, worst = trailing[0], 0.0
    for value in trailing:
        peak = max(peak, value)
        if peak > 0:
            worst = max(worst, (peak - value) / peak)
    return worst


def _stability_block(periods: list[str], values: list[float], window: int) -> dict[str, Any]:
    recent_p, recent_v = periods[-window:], values[-window:]
    mean = statistics.fmean(recent_v) if recent_v else None
    return {
        "months": len(recent_v),
        "first_period": recent_p[0] if recent_p else None,
        "last_period": recent_p[-1] if recent_p else None,
        "mean": money(mean) if mean is not None else None,
        "min": money(min(recent_v)) if recent_v else None,
        "cv": ratio(coefficient_of_variation(recent_v)),
        "cv_seasonally_adjusted": ratio(seasonally_adjusted_cv(recent_p, recent_v)),
        "min_to_mean": ratio(safe_div(min(recent_v), mean)) if mean else None,
        "max_drawdown_t12": ratio(max_drawdown_t12(values)),
    }


def _annual(series: Mapping[str, Decimal]) -> dict[str, Any]:
    years: dict[int, list[Decimal]] = {}
    for period, value in series.items():
        years.setdefault(int(period[:4]), []).append(value)
    complete = {year: sum(v, Decimal(0)) for year, v in sorted(years.items()) if len(v) == 12}
    yoy = {
        str(y): ratio(safe_div(float(complete[y]), float(complete[y - 1])) - 1)  # type: ignore[operator]
        for y in complete
        if y - 1 in complete and complete[y - 1]
    }
    cagr = None
    if len(complete) >= 2:
        first, last = min(complete), max(complete)
        if complete[first] > 0 and complete[last] > 0:
            cagr = (float(complete[last]) / float(complete[first])) ** (1 / (last - first)) - 1
    return {
        "totals": {str(year): money(total) for year, total in complete.items()},
        "yoy_growth": yoy,
        "last_yoy_growth": yoy[max(yoy)] if yoy else None,
        "cagr": ratio(cagr),
    }


def _month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def coverage_table(
    forecast_ncf: Mapping[str, Decimal],
    forecast_revenue: Mapping[str, Decimal],
    debt_service: Sequence[tuple[dt.date, Decimal]],
    haircuts: Sequence[float],
) -> list[dict[str, Any]]:
    """Per payment date: NCF, senior debt service, coverage under base and each revenue haircut."""
    table = []
    previous: str | None = None
    for payment_date, due in debt_service:
        month = _month_of(payment_date)
        months = [p for p in forecast_ncf if (previous is None or p > previous) and p <= month]
        ncf = sum((forecast_ncf[p] for p in months), Decimal(0))
        revenue = sum((forecast_revenue.get(p, Decimal(0)) for p in months), Decimal(0))
        stressed = {
            f"{h:.2f}": ratio(safe_div(float(ncf) - h * float(revenue), float(due))) for h in haircuts
        }
        table.append(
            {
                "payment_date": payment_date.isoformat(),
                "first_period": months[0] if months else None,
                "last_period": months[-1] if months else None,
                "ncf": money(ncf),
                "revenue": money(revenue),
                "debt_service": money(due),
                "coverage": ratio(safe_div(float(ncf), float(due))),
                "coverage_stressed": stressed,
            }
        )
        previous = month
    return table


def rolling_dscr(
    forecast_ncf: Mapping[str, Decimal], debt_service: Sequence[tuple[dt.date, Decimal]], window: int
) -> float | None:
    periods = list(forecast_ncf)
    if len(periods) < window:
        return None
    due_by_month: dict[str, float] = {}
    for payment_date, due in debt_service:
        month = _month_of(payment_date)
        due_by_month[month] = due_by_month.get(month, 0.0) + float(due)
    worst: float | None = None
    for start in range(len(periods) - window + 1):
        months = periods[start : start + window]
        window_due = sum((due_by_month.get(m, 0.0) for m in months), 0.0)
        if window_due > 0:
            value = sum(float(forecast_ncf[m]) for m in months) / window_due
            worst = value if worst is None else min(worst, value)
    return worst


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def income_right_metrics(
    history: Iterable[Mapping[str, Any]],
    forecast: Iterable[Mapping[str, Any]] = (),
    debt_service: Iterable[Mapping[str, Any]] = (),
    *,
    toll_assets: Iterable[Mapping[str, Any]] = (),
    legal_final_maturity: dt.date | None = None,
    criteria: Mapping[str, Any] = DEFAULT_CRITERIA,
) -> dict[str, Any]:
    """Stability, growth, coverage and toll-period metrics plus their §6.6 bands; JSON-serialisable.

    Keys: revenue and ncf (each: months, first/last_period, mean, min, cv, cv_seasonally_adjusted,
    min_to_mean, max_drawdown_t12), annual_revenue (totals, yoy_growth, last_yoy_growth, cagr), coverage
    (per-payment table), min_coverage_base, min_coverage_stressed {"0.10": …}, avg_coverage_base,
    min_dscr, ncf_to_debt_service, toll_period_end, months_toll_after_legal_final, stability (list of
    {check, value, band, rule}).
    """
    income = criteria["income_right"]
    window = int(income["cv_window_months"])
    haircuts = [float(h) for h in income["stress_haircuts"]]
    history = list(history)
    revenue = _series(history, "gross_revenue")
    ncf = _series(history, "net_cash_flow")
    rev_periods, rev_values = list(revenue), [float(v) for v in revenue.values()]
    result: dict[str, Any] = {"revenue": _stability_block(rev_periods, rev_values, window)}
    result["ncf"] = (
        _stability_block(list(ncf), [float(v) for v in ncf.values()], window)
        if ncf and len(ncf) == len(revenue)
        else None
    )
    result["annual_revenue"] = _annual(revenue)

    forecast = list(forecast)
    forecast_ncf = _series(forecast, "forecast_ncf")
    forecast_revenue = _series(forecast, "forecast_revenue")
    schedule = sorted(
        (
            to_date(row["payment_date"]),
            (to_decimal(row.get("senior_interest_due")) or Decimal(0))
            + (to_decimal(row.get("senior_principal_due")) or Decimal(0)),
        )
        for row in debt_service
    )  # type: ignore[type-var]
    table = coverage_table(forecast_ncf, forecast_revenue, schedule, haircuts) if schedule else []  # type: ignore[arg-type]
    coverages = [row["coverage"] for row in table if row["coverage"] is not None]
    result["coverage"] = table
    result["min_coverage_base"] = min(coverages) if coverages else None
    result["avg_coverage_base"] = ratio(sum(coverages) / len(coverages)) if coverages else None
    result["min_coverage_stressed"] = {
        f"{h:.2f}": min(
            (
                r["coverage_stressed"][f"{h:.2f}"]
                for r in table
                if r["coverage_stressed"][f"{h:.2f}"] is not None
            ),
            default=None,
        )
        for h in haircuts
    }
    result["min_dscr"] = ratio(rolling_dscr(forecast_ncf, schedule, int(income["dscr_window_months"])))  # type: ignore[arg-type]
    if schedule:
        last_month = _month_of(schedule[-1][0])  # type: ignore[arg-type]
        total_ncf = sum((v for p, v in forecast_ncf.items() if p <= last_month), Decimal(0))
        total_ds = sum((due for _, due in schedule), Decimal(0))
        result["ncf_to_debt_service"] = ratio(safe_div(float(total_ncf), float(total_ds)))
    else:
        result["ncf_to_debt_service"] = None

    ends = [to_date(row.get("toll_period_end")) for row in toll_assets]
    toll_end = min((e for e in ends if e is not None), default=None)
    result["toll_period_end"] = toll_end.isoformat() if toll_end else None
    result["months_toll_after_legal_final"] = (
        _months_between(legal_final_maturity, toll_end) if toll_end and legal_final_maturity else None
    )
    result["stability"] = income_stability_checks(result, criteria)
    return result


def income_stability_checks(
    metrics: Mapping[str, Any], criteria: Mapping[str, Any] = DEFAULT_CRITERIA
) -> list[dict[str, Any]]:
    """Green / amber / red for each §6.6 income-right metric that could be computed.

    Stability is read on net cash flow when every month has it, otherwise on gross revenue; the CV is
    the seasonally adjusted one when 24 months are available.
    """
    rules = criteria["stability"]
    basis = metrics["ncf"] or metrics["revenue"]
    cv = basis["cv_seasonally_adjusted"] if basis["cv_seasonally_adjusted"] is not None else basis["cv"]
    stress_key = "0.20"
    values = {
        "revenue_cv": cv,
        "min_to_mean": basis["min_to_mean"],
        "max_drawdown_t12": basis["max_drawdown_t12"],
        "yoy_growth": metrics["annual_revenue"]["last_yoy_growth"],
        "min_coverage_base": metrics["min_coverage_base"],
        "min_coverage_stress_20": metrics["min_coverage_stressed"].get(stress_key),
        "min_dscr": metrics["min_dscr"],
        "ncf_to_debt_service": metrics["ncf_to_debt_service"],
    }
    return [
        {"check": name, "value": value, "band": band(value, rules[name]), "rule": dict(rules[name])}
        for name, value in values.items()
    ]
