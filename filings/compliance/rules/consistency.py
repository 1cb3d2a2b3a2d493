"""Figures that must agree across sections: tranches, offering, pool balance, currencies, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..registry import BLOCKING, WARNING, Finding, limit, rule
from .common import (
    amount,
    currencies,
    day,
    decimal,
    find,
    legal_final_maturity,
    pct,
    rows,
    section,
    text,
    tranche_total,
)
from .pool import (
    POOL_CLASSES,
    has_tape,
    lookup,
    pool_currency,
    pool_outstanding,
    pool_results,
    transferred_overview,
)

SAME_RULES = "Filing Desk consistency check"
CONSISTENCY = "filing report consistent with the offering documents (a frequent CSRC supplementary question)"
# CNH is the renminbi traded offshore: the same currency unit as CNY for comparing amounts.
_YUAN = {"CNY", "CNH", "RMB"}


def _unit(currency: str) -> str:
    return "CNY" if currency in _YUAN else currency


@rule(
    "CONS-OFFER-SIZE",
    severity=BLOCKING,
    section="consistency",
    title=_("The offering size equals the tranche total"),
    source=SAME_RULES,
    article=CONSISTENCY,
    confirmed=False,
)
def offer_size(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    offering = section(data, "offering")
    size = decimal(offering.get("total_size"))
    if size is None:
        yield find(_("Enter the offering size."), "offering.total_size")
        return
    tranches = rows(data, "tranches")
    currency = text(offering.get("currency")).upper()
    if not tranches or currencies(tranches) - {currency}:
        return  # TRANCHE-PRESENT or CONS-CURRENCY explains what is missing
    total = tranche_total(data)
    if total != size:
        yield find(
            _(
                "The offering size (%(currency)s %(size)s) differs from the total of the tranches "
                "(%(currency)s %(total)s): correct one of them."
            ),
            "offering.total_size",
            currency=currency,
            size=amount(size),
            total=amount(total),
        )


@rule(
    "CONS-CURRENCY",
    severity=BLOCKING,
    section="consistency",
    title=_("Tranches, offering and settlement use consistent currencies"),
    source=SAME_RULES,
    article=CONSISTENCY,
    confirmed=False,
)
def currency_consistent(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    offering_currency = text(section(data, "offering").get("currency")).upper()
    tranches = rows(data, "tranches")
    if offering_currency and tranches:
        others = sorted(currencies(tranches) - {offering_currency})
        if others:
            yield find(
                _(
                    "Tranches are denominated in %(others)s but the offering is in %(currency)s: state the "
                    "offering in the tranches' currency or correct the tranches."
                ),
                "structure.tranches",
                others=", ".join(others),
                currency=offering_currency,
            )
    settlement = text(section(data, "token").get("settlement_currency")).upper()
    if settlement and offering_currency and settlement != offering_currency:
        yield find(
            _(
                "The token settles in %(settlement)s but the offering is in %(currency)s: explain the "
                "conversion and who bears the exchange risk."
            ),
            "token.settlement_currency",
            severity=WARNING,
            settlement=settlement,
            currency=offering_currency,
        )


@rule(
    "CONS-TRANCHE-POOL",
    severity=BLOCKING,
    section="consistency",
    title=_("The pool balance covers the tranches with the declared over-collateralisation"),
    source=SAME_RULES,
    article="structure-level over-collateralisation (超额抵押): pool balance over the notes",
    confirmed=False,
)
def tranche_pool(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if data.get("asset_class") not in POOL_CLASSES or not has_tape(data):
        return
    pool = pool_results(data)
    balance = pool_outstanding(pool)
    tranches = rows(data, "tranches")
    if balance is None or not tranches:
        return
    pool_unit = _unit(pool_currency(pool))
    units = {_unit(c) for c in currencies(tranches)}
    if units != {pool_unit}:
        # Comparing across currencies needs an exchange rate and date the filing does not record.
        yield find(
            _(
                "The tranches are in %(tranche_currency)s but the pool balance (%(pool_currency)s "
                "%(balance)s) is in %(pool_currency)s, so the tranche total cannot be checked against the "
                "pool and its over-collateralisation here. State the exchange rate, its date and the "
                "converted figures in the filing report."
            ),
            "structure.tranches",
            severity=WARNING,
            tranche_currency=", ".join(sorted(units)),
            pool_currency=pool_unit,
            balance=amount(balance),
        )
        return
    total = tranche_total(data)
    if balance < total:
        yield find(
            _(
                "The tranches total %(currency)s %(total)s but the eligible pool is only %(currency)s "
                "%(balance)s: reduce the tranches or add eligible assets."
            ),
            "structure.tranches",
            currency=pool_unit,
            total=amount(total),
            balance=amount(balance),
        )
        return
    declared = decimal(section(data, "structure").get("overcollateralisation_pct"))
    actual = (balance / total - 1) if total else None
    if declared is not None and actual is not None and actual * 100 < declared:
        yield find(
            _(
                "The structure declares %(declared)s over-collateralisation but the eligible pool "
                "(%(currency)s %(balance)s) over the tranches (%(currency)s %(total)s) gives only "
                "%(actual)s: correct the declared figure or the tranche sizes."
            ),
            "structure.overcollateralisation_pct",
            declared=pct(declared / 100),
            currency=pool_unit,
            balance=amount(balance),
            total=amount(total),
            actual=pct(actual),
        )


def _last_asset_maturity(pool: Mapping[str, Any]) -> dt.date | None:
    overview = transferred_overview(pool)
    for key in ("max_maturity_date", "last_maturity_date", "latest_maturity_date"):
        found = day(overview.get(key)) or day(lookup(pool, key))
        if found is not None:
            return found
    return None


@rule(
    "CONS-MATURITY",
    severity=BLOCKING,
    section="consistency",
    title=_("The legal final maturity falls after the last asset matures"),
    source="合格标准 (ABS market practice)",
    article="assets mature before the legal final maturity (with a buffer)",
    confirmed=False,
    thresholds=("asset.legal_final_buffer_days",),
)
def maturity_after_assets(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if data.get("asset_class") not in POOL_CLASSES or not has_tape(data):
        return
    legal_final = legal_final_maturity(data)
    if legal_final is None:
        return
    pool = pool_results(data)
    buffer = int(limit(profile, "asset.legal_final_buffer_days"))
    last = _last_asset_maturity(pool)
    if last is not None:
        if last > legal_final - dt.timedelta(days=buffer):
            yield find(
                _(
                    "The last asset matures on %(last)s, less than %(days)s days before the legal final "
                    "maturity (%(legal_final)s): extend the legal final maturity or remove the long assets."
                ),
                "structure.tranches",
                last=last.isoformat(),
                days=buffer,
                legal_final=legal_final.isoformat(),
            )
        return
    # Without the pool's last maturity date, the eligibility results say how many assets mature too late.
    reasons = (lookup(pool, "eligibility") or {}).get("reasons") or {}
    late = reasons.get("matures_after_legal_final") if isinstance(reasons, Mapping) else None
    if late and late.get("count"):
        yield find(
            _(
                "%(count)s assets (CNY %(amount)s) mature less than %(days)s days before the legal final "
                "maturity (%(legal_final)s): extend the legal final maturity or remove them from the pool."
            ),
            "structure.tranches",
            count=late.get("count"),
            amount=amount(decimal(late.get("outstanding"))),
            days=buffer,
            legal_final=legal_final.isoformat(),
        )


@rule(
    "CONS-CUTOFF",
    severity=BLOCKING,
    section="consistency",
    title=_("The tape's cut-off date is the filing's pool cut-off date"),
    source=SAME_RULES,
    article="cutoff_date: same for all rows, equal to the filing's 基准日",
    confirmed=False,
)
def cutoff_consistent(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not has_tape(data):
        return
    pool = pool_results(data)
    tape = pool.get("tape")
    tape_cutoff = day(tape.get("cutoff_date") if isinstance(tape, Mapping) else None) or day(
        lookup(pool, "cutoff_date")
    )
    filing_cutoff = day(data.get("cutoff_date"))
    if filing_cutoff is None:
        yield find(_("Enter the pool cut-off date of the filing."), "filing.cutoff_date", severity=WARNING)
    elif tape_cutoff is not None and tape_cutoff != filing_cutoff:
        yield find(
            _(
                "The tape's cut-off date (%(tape)s) differs from the filing's pool cut-off date "
                "(%(filing)s): import a tape as of the filing's cut-off date or correct the date."
            ),
            "assets.tape",
            tape=tape_cutoff.isoformat(),
            filing=filing_cutoff.isoformat(),
        )
