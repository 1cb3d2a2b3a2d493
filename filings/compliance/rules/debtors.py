"""Important debtors as facts: an obligor group over the disclosure threshold comes with its financial
figures and its enforcement and dishonesty status, not only its name (CONC-SIGNIFICANT asks the name)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..registry import BLOCKING, WARNING, Finding, limit, rule
from .assets import NEG24
from .common import blank, find, pct, rows, text
from .pool import pool_rule, significant_obligors

FIGURES = ("financial_year", "total_assets", "net_assets", "revenue", "net_profit", "checked_on")


def _key(name: Any) -> str:
    return "".join(text(name).split())


@rule(
    "DEBTOR-FACTS",
    severity=BLOCKING,
    section="assets",
    title=_("Important debtors come with financial figures and enforcement and dishonesty status"),
    source=NEG24,
    article="item 2: an important cash-flow provider (> 15 %) in serious dishonesty is excluded; "
    "证监会 2014 disclosure guideline (important debtor: business, financial position, credit)",
    thresholds=("pool.significant_obligor_share",),
)
@pool_rule
def debtor_facts(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    threshold = limit(profile, "pool.significant_obligor_share")
    recorded = {_key(d.get("name")): d for d in rows(data, "important_debtors")}
    for _group, share, name in significant_obligors(pool):
        if share < threshold or not name:
            continue  # below the threshold, or unnamed (CONC-SIGNIFICANT asks for the name first)
        debtor = recorded.get(_key(name))
        if debtor is None or any(blank(debtor.get(field)) for field in FIGURES):
            yield find(
                _(
                    "%(name)s holds %(share)s of the pool (important debtor from %(limit)s): record its "
                    "latest financial figures (total assets, net assets, revenue, net profit, year) and the "
                    "date its enforcement and dishonesty status was checked."
                ),
                "structure.important_debtors",
                name=name,
                share=pct(share),
                limit=pct(threshold),
            )
            continue
        if debtor.get("dishonest_listed"):
            yield find(
                _(
                    "%(name)s, an important debtor (%(share)s of the pool), is listed as a dishonest "
                    "judgement debtor: the negative list excludes such a cash-flow provider. Remove its "
                    "assets."
                ),
                "structure.important_debtors",
                name=name,
                share=pct(share),
            )
        elif debtor.get("enforcement_pending"):
            yield find(
                _(
                    "%(name)s, an important debtor (%(share)s of the pool), has enforcement proceedings "
                    "pending: explain them and their effect on the cash flow."
                ),
                "structure.important_debtors",
                severity=WARNING,
                name=name,
                share=pct(share),
            )
