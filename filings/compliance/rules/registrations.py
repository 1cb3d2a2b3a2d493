"""Perfection of the transfer: the pool's registrations with the central registry (中登网 动产融资统一登记).

Receivables and lease receivables are perfected against third parties by registration (国务院关于实施
动产和权利担保统一登记的决定, 国发〔2020〕18号). The registration is a fact with a number and a date, so the
rule checks the fact rather than a declaration: a transfer (or lease) registration exists, it was made
on or after the pool's cut-off date and no later than the planned issue date (the tokens are issued
against a pool whose transfer is already perfected), and its term runs past the legal final maturity.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..registry import BLOCKING, Finding, rule
from .common import add_months, blank, day, find, legal_final_maturity, rows, text

REG = "国发〔2020〕18号"
# Which registration kind perfects which asset class; toll income rights are perfected by pledge release
# and escrow (ELIG-PLEDGE, ELIG-ESCROW), not by a transfer registration.
KIND_FOR_CLASS = {"trade_receivable": "transfer", "finance_lease": "lease"}


@rule(
    "REG-TRANSFER",
    severity=BLOCKING,
    section="assets",
    title=_(
        "The transfer of the receivables is registered with the central registry, after the cut-off date "
        "and before the issue date"
    ),
    source=REG,
    article="unified registration of movable-property and rights security (应收账款转让、融资租赁登记)",
)
def registration(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    kind = KIND_FOR_CLASS.get(text(data.get("asset_class")))
    if kind is None:
        return
    found = [r for r in rows(data, "registrations") if text(r.get("kind")) == kind]
    if not found:
        yield find(
            _(
                "Record the central-registry (中登网) registration of the pool's transfer: registration "
                "number, date and term."
            ),
            "structure.registrations",
        )
        return
    cutoff = day(data.get("cutoff_date"))
    issue = day((data.get("offering") or {}).get("planned_issue_date"))
    maturity = legal_final_maturity(data)
    for item in found:
        number = text(item.get("registration_no"))
        registered = day(item.get("registered_on"))
        if blank(number) or registered is None:
            yield find(
                _(
                    "Give the registration number and the registration date of each central-registry "
                    "registration."
                ),
                "structure.registrations",
            )
            continue
        if cutoff is not None and registered < cutoff:
            yield find(
                _(
                    "Registration %(number)s is dated %(registered)s, before the pool's cut-off date "
                    "%(cutoff)s: it cannot cover the transfer of this pool. Register the transfer of this "
                    "pool."
                ),
                "structure.registrations",
                number=number,
                registered=registered.isoformat(),
                cutoff=cutoff.isoformat(),
            )
        if issue is not None and registered > issue:
            yield find(
                _(
                    "Registration %(number)s is dated %(registered)s, after the planned issue date "
                    "%(issue)s: the transfer must be registered before the tokens are issued. Register it "
                    "earlier or move the issue date."
                ),
                "structure.registrations",
                number=number,
                registered=registered.isoformat(),
                issue=issue.isoformat(),
            )
        months = item.get("term_months")
        if maturity is not None and isinstance(months, int) and add_months(registered, months) < maturity:
            yield find(
                _(
                    "Registration %(number)s expires on %(expires)s, before the legal final maturity "
                    "%(maturity)s: extend its term."
                ),
                "structure.registrations",
                number=number,
                expires=add_months(registered, months).isoformat(),
                maturity=maturity.isoformat(),
            )
