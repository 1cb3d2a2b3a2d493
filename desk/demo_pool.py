"""Demo asset tapes: a realistic pool per asset class that passes every pre-flight pool rule.

The tapes are written as a Chinese issuer exports them (UTF-8 with BOM, Chinese template headers) and
imported through the real service, so the demo exercises the same pipeline as an upload.

- Receivables and leases: 1 200 assets of similar size (the largest under 0.1 % of the pool) owed by
  30 unrelated corporate obligor groups (top 1 ≈ 3.5 %, top 5 ≈ 17 %), in 8 industries and 8
  provinces, none overdue, disputed or owed by a government body or financing platform.
- Toll income: one expressway (toll period to 2045) with 48 months of gently seasonal, growing
  revenue (CV ≈ 0.03, no drawdown), a forecast to 2031-12 and the quarterly senior debt service of
  tranche A (USD 90 million at 7.10, 4.20 %) to the legal final maturity 2030-12-31: coverage about
  1.7× in the base case and 1.3× with revenue 20 % lower.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from assets.tape import get_schema
from assets.tape.reference import USCC_ALPHABET, uscc_check_character

SEED: Final = 2026
ASSETS: Final = 1200
OBLIGORS: Final = 30
USD_CNY: Final = Decimal("7.10")
SENIOR_USD: Final = Decimal("90000000")
SENIOR_COUPON: Final = Decimal("0.042")
LEGAL_FINAL: Final = dt.date(2030, 12, 31)
INDUSTRIES: Final = ("C34", "C38", "F51", "G54", "E48", "I65", "D44", "M74")
REGIONS: Final = ("310115", "440305", "330106", "320102", "510107", "420106", "370102", "110105")
NAMES: Final = ("机械", "电子", "贸易", "物流", "建设", "软件", "能源", "科技", "材料", "医药")


def demo_cutoff(today: dt.date | None = None) -> dt.date:
    """The last quarter end at least 30 days before today: the demo pool's cut-off date (基准日)."""
    day = (today or dt.date.today()) - dt.timedelta(days=30)
    quarter_end_month = ((day.month - 1) // 3) * 3  # the month before this quarter starts
    year = day.year if quarter_end_month else day.year - 1
    month = quarter_end_month or 12
    return _month_end(year, month)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; a month end stays a month end."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    end = _month_end(year, month0 + 1)
    if day == _month_end(day.year, day.month):
        return end
    return dt.date(year, month0 + 1, min(day.day, end.day))


def _months(first: dt.date, last: dt.date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _csv(asset_class: str, kind: str, rows: list[dict[str, Any]]) -> bytes:
    """A UTF-8 (BOM) CSV with the template's Chinese headers, as Excel saves it."""
    columns = get_schema(asset_class, kind).columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.zh for column in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.name) is None else row[c.name] for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _obligors(rng: random.Random) -> list[dict[str, str]]:
    obligors = []
    for k in range(OBLIGORS):
        body = "91" + REGIONS[k % len(REGIONS)] + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        obligors.append(
            {
                "obligor_id": f"OB{k + 1:03d}",
                "obligor_name": f"示例{NAMES[k % len(NAMES)]}股份有限公司{k + 1:02d}",
                "obligor_uscc": body + uscc_check_character(body),
                "obligor_group_id": f"G{k + 1:03d}",
                "obligor_type": "corporate",
                "related_party": "否",
                "industry_code": INDUSTRIES[k % len(INDUSTRIES)],
                "region_code": REGIONS[(k * 3) % len(REGIONS)],
            }
        )
    return obligors


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(55_000_000, 75_000_000)) / 100  # CNY 550 000 – 750 000


def receivable_tape(cutoff: dt.date) -> bytes:
    rng = random.Random(SEED)
    obligors = _obligors(rng)
    rows = []
    for i in range(ASSETS):
        obligor = obligors[i % OBLIGORS]
        terms = rng.choice((90, 120, 180, 240))
        invoice = cutoff - dt.timedelta(days=rng.randrange(5, terms - 5))  # due after the cut-off date
        amount = _amount(rng)
        rows.append(
            {
                **obligor,
                "asset_id": f"AR{i + 1:05d}",
                "cutoff_date": cutoff.isoformat(),
                "originator_id": "ORIG01",
                "currency": "CNY",
                "original_amount": f"{amount:.2f}",
                "outstanding_amount": f"{amount:.2f}",
                "payment_frequency": "到期一次性",
                "days_past_due": "0",
                "arrears_amount": "0",
                "account_status": "正常",
                "risk_class_5": "正常",
                "guarantee_type": "无",
                "disputed": "否",
                "encumbered": "否",
                "transferable": "是",
                "invoice_no": f"{4403001900 + i:012d}",
                "contract_no": f"HT-{obligor['obligor_id']}-{i // OBLIGORS + 1:03d}",
                "invoice_date": invoice.isoformat(),
                "due_date": (invoice + dt.timedelta(days=terms)).isoformat(),
                "goods_delivered": "是",
                "obligor_confirmed": "是",
                "dilution_amount": "0",
            }
        )
    return _csv("trade_receivable", "assets", rows)


def lease_tape(cutoff: dt.date) -> bytes:
    rng = random.Random(SEED + 1)
    obligors = _obligors(rng)
    kinds = ("machinery", "medical", "energy", "vehicles", "it_office")
    latest_maturity = LEGAL_FINAL - dt.timedelta(days=60)
    rows = []
    for i in range(ASSETS):
        obligor = obligors[i % OBLIGORS]
        total = rng.choice((36, 48, 60))
        start = _add_months(cutoff, -rng.randrange(3, 30))
        while _add_months(start, total) > latest_maturity:
            total -= 12
        maturity = _add_months(start, total)
        paid = min(total - 1, max(1, (cutoff.year - start.year) * 12 + cutoff.month - start.month))
        outstanding = _amount(rng)
        original = (outstanding * Decimal(total) / Decimal(total - paid)).quantize(Decimal("0.01"))
        rate = Decimal(rng.randrange(550, 750)) / 100
        rows.append(
            {
                **obligor,
                "asset_id": f"FL{i + 1:05d}",
                "cutoff_date": cutoff.isoformat(),
                "originator_id": "ORIG01",
                "currency": "CNY",
                "origination_date": start.isoformat(),
                "maturity_date": maturity.isoformat(),
                "original_amount": f"{original:.2f}",
                "outstanding_amount": f"{outstanding:.2f}",
                "interest_rate": f"{rate}%",
                "payment_frequency": "按月",
                "days_past_due": "0",
                "arrears_amount": "0",
                "account_status": "正常",
                "risk_class_5": "正常",
                "guarantee_type": "保证",
                "disputed": "否",
                "encumbered": "否",
                "transferable": "是",
                "lease_type": "售后回租" if i % 3 else "直租",
                "leased_asset_type": kinds[i % len(kinds)],
                "leased_asset_description": "生产设备一批",
                "asset_value": f"{original * Decimal('1.2'):.2f}",
                "registration_no": f"{26_0000_0000_0000_0000 + i:019d}",
                "commencement_date": start.isoformat(),
                "total_instalments": str(total),
                "instalments_paid": str(paid),
                "remaining_rent_total": f"{outstanding * Decimal('1.12'):.2f}",
                "deposit_amount": "0",
                "purchase_option_price": "100",
            }
        )
    return _csv("finance_lease", "assets", rows)


def toll_tapes(cutoff: dt.date) -> dict[str, bytes]:
    """Asset master, 48 months of history to the cut-off, forecast to 2031-12 and senior debt service."""
    season = (0.96, 0.93, 0.99, 1.0, 1.02, 1.0, 1.05, 1.07, 1.01, 1.03, 0.97, 0.97)
    master = {
        "asset_id": "R001",
        "asset_name": "示例高速公路",
        "asset_category": "高速公路",
        "region_code": "330106",
        "length_km": "86.5",
        "toll_approval_ref": "浙政函〔2015〕88号",
        "toll_period_start": "2015-06-30",
        "toll_period_end": "2045-06-29",
        "operator_name": "示例高速公路有限公司",
        "pledged": "否",
        "escrow_frequency": "每月",
        "operating_since": "2015-06-30",
    }
    first = _add_months(cutoff, -47)
    history = []
    for index, (year, month) in enumerate(_months(first, cutoff)):
        revenue = Decimal(36_000_000 * season[month - 1] * (1.03 ** (index / 12))).quantize(Decimal("0.01"))
        history.append(
            {
                "asset_id": "R001",
                "period": f"{year}-{month:02d}",
                "gross_revenue": f"{revenue}",
                "traffic_volume": str(int(revenue / 40)),
                "etc_share": "72%",
                "opex": f"{revenue * Decimal('0.22'):.2f}",
                "taxes": f"{revenue * Decimal('0.04'):.2f}",
                "maintenance_capex": f"{revenue * Decimal('0.02'):.2f}",
                "collected_to_escrow": f"{revenue}",
                "data_source": "收费系统",
            }
        )
    last = Decimal(history[-1]["gross_revenue"])
    forecast = []
    for index, (year, month) in enumerate(_months(_add_months(cutoff, 1), dt.date(2031, 12, 31)), start=1):
        level = last / Decimal(season[cutoff.month - 1]) * Decimal(season[month - 1])
        revenue = (level * Decimal(1.025 ** (index / 12))).quantize(Decimal("0.01"))
        forecast.append(
            {
                "asset_id": "R001",
                "period": f"{year}-{month:02d}",
                "forecast_revenue": f"{revenue}",
                "forecast_opex": f"{revenue * Decimal('0.28'):.2f}",
                "assumption_note": "车流量年增 2.5%，费率不变",
            }
        )
    payments = []
    day = _add_months(cutoff, 3)
    while day <= LEGAL_FINAL:
        payments.append(day)
        day = _add_months(day, 3)
    senior = (SENIOR_USD * USD_CNY).quantize(Decimal("0.01"))
    outstanding, previous = senior, cutoff
    debt_service = []
    for n, payment in enumerate(payments):
        principal = (senior / len(payments)).quantize(Decimal("0.01"))
        if n == len(payments) - 1:
            principal = outstanding
        interest = (outstanding * SENIOR_COUPON * Decimal((payment - previous).days) / 365).quantize(
            Decimal("0.01")
        )
        debt_service.append(
            {
                "payment_date": payment.isoformat(),
                "senior_interest_due": f"{interest}",
                "senior_principal_due": f"{principal}",
                "junior_interest_due": "0",
                "junior_principal_due": "71000000.00" if n == len(payments) - 1 else "0",
            }
        )
        outstanding -= principal
        previous = payment
    return {
        "assets": _csv("toll_income", "assets", [master]),
        "history": _csv("toll_income", "history", history),
        "forecast": _csv("toll_income", "forecast", forecast),
        "debt_service": _csv("toll_income", "debt_service", debt_service),
    }


PERFORMANCE_MONTHS: Final = 36


def performance_tape(asset_class: str, cutoff: dt.date) -> bytes:
    """36 months of pool performance (动态池) up to the cut-off month: a revolving pool of about CNY 800
    million that collects 98–99.5 % of what falls due, with DQ90+ under 0.6 % and dilution about 1 %."""
    rng = random.Random(SEED + 36)
    first = _add_months(cutoff, -(PERFORMANCE_MONTHS - 1))
    rows = []
    balance = Decimal("760000000")
    for year, month in _months(first, cutoff):
        cents = Decimal("0.01")
        due = (balance * Decimal(rng.uniform(0.30, 0.34))).quantize(cents)
        collected = (due * Decimal(rng.uniform(0.980, 0.995))).quantize(cents)
        dq30 = (balance * Decimal(rng.uniform(0.012, 0.020))).quantize(cents)
        dq60 = (dq30 * Decimal(rng.uniform(0.45, 0.55))).quantize(cents)
        dq90 = (dq60 * Decimal(rng.uniform(0.40, 0.55))).quantize(cents)
        defaulted = (balance * Decimal(rng.uniform(0.0003, 0.0008))).quantize(cents)
        originated = (due * Decimal(rng.uniform(1.00, 1.04))).quantize(cents)
        dilution = (originated * Decimal(rng.uniform(0.007, 0.013))).quantize(cents)
        rows.append(
            {
                "period": f"{year:04d}-{month:02d}",
                "opening_balance": balance,
                "scheduled_due": due,
                "collected": collected,
                "dq30_balance": dq30,
                "dq60_balance": dq60,
                "dq90_balance": dq90,
                "defaulted_amount": defaulted,
                "recoveries": (defaulted * Decimal(rng.uniform(0.25, 0.45))).quantize(cents),
                "dilution_amount": dilution,
                "originated_amount": originated,
                "prepaid_amount": Decimal(0),
            }
        )
        balance = balance - collected - defaulted - dilution + originated
    return _csv(asset_class, "performance", rows)


def demo_tapes(asset_class: str, cutoff: dt.date) -> dict[str, bytes]:
    """The demo's tape files per table (kind) for an asset class."""
    if asset_class == "toll_income":
        return toll_tapes(cutoff)
    if asset_class == "finance_lease":
        return {"assets": lease_tape(cutoff), "performance": performance_tape(asset_class, cutoff)}
    return {"assets": receivable_tape(cutoff), "performance": performance_tape(asset_class, cutoff)}
