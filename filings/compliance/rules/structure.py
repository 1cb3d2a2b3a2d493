"""Structure and risk isolation: SPV, tranches, true sale, accounts, servicer, credit enhancement."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from assets.criteria import band

from ...validators import check_lei
from ..registry import BLOCKING, WARNING, Finding, limit, rule
from .common import blank, current_documents, decimal, find, number, rows, section, text
from .pool import pool_results, stability_value

PRACTICE = "Exchange ABS practice (SSE 2022 指引; 证监会公告〔2014〕49号)"
BAND_ORDER = {"red": 0, "amber": 1, "green": 2}


@rule(
    "TRANCHE-PRESENT",
    severity=BLOCKING,
    section="structure",
    version=2,
    title=_("At least one tranche is described"),
    source="Filing Desk",
    article="structure completeness (legal final maturity and size come from the tranches)",
    confirmed=False,
)
def tranche_present(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not rows(data, "tranches"):
        yield find(
            _("Describe at least one tranche of the token issuance (size, currency, legal final maturity)."),
            "structure.tranches",
        )


@rule(
    "RI-SPV",
    severity=BLOCKING,
    section="structure",
    title=_("The offshore issuer (SPV) is identified"),
    source=PRACTICE,
    article="the offshore issuer is a bankruptcy-remote SPV (orphan, limited recourse, non-petition)",
    confirmed=False,
)
def spv_identified(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    structure = section(data, "structure")
    if blank(structure.get("spv_name")):
        yield find(_("Name the offshore issuer (SPV) of the tokens."), "structure.spv_name")
    if blank(structure.get("spv_jurisdiction")):
        yield find(_("State the SPV's jurisdiction of incorporation."), "structure.spv_jurisdiction")
    lei = text(structure.get("spv_lei"))
    if lei and not check_lei(lei).valid:
        yield find(
            _("The SPV's LEI %(lei)s is not a valid legal entity identifier: correct it or leave it empty."),
            "structure.spv_lei",
            severity=WARNING,
            lei=lei,
        )


@rule(
    "RI-TRUE-SALE",
    severity=BLOCKING,
    section="structure",
    title=_("A true-sale and bankruptcy-remoteness legal opinion is filed"),
    source=PRACTICE,
    article="真实出售、破产隔离 (SSE 2022 指引第1-4号)",
    confirmed=False,
)
def true_sale(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if "TRUE-SALE-OPINION" not in current_documents(data):
        yield find(
            _(
                "Upload the legal opinion on the true sale of the assets and the bankruptcy remoteness of "
                "the issuer: without it the risk isolation cannot be assessed."
            ),
            "documents.TRUE-SALE-OPINION",
        )


@rule(
    "RI-COLLECTION",
    severity=BLOCKING,
    section="structure",
    title=_("Collections go to a segregated collection account that is swept"),
    source="证监会资产证券化监管问答（三）(2019)",
    article="future-revenue cash flows swept in full into the plan's "
    "account from establishment; no commingling",
    confirmed=False,
    thresholds=("income_right.escrow_frequencies",),
)
def collection_account(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    collection = [a for a in rows(data, "accounts") if a.get("role") == "collection"]
    if not collection:
        yield find(
            _("Describe the collection account into which the assets' cash flows are paid."),
            "structure.accounts",
        )
        return
    segregated = [a for a in collection if a.get("segregated")]
    if not segregated:
        yield find(
            _(
                "The collection account is not segregated from the originator: collections would be "
                "commingled. Open a segregated account under a control agreement."
            ),
            "structure.accounts",
        )
        return
    swept = [a for a in segregated if text(a.get("sweep_frequency")) not in ("", "none")]
    if not swept:
        yield find(
            _(
                "The segregated collection account is never swept to the issuer's account: state the sweep "
                "frequency."
            ),
            "structure.accounts",
        )
    elif data.get("asset_class") == "toll_income":
        allowed = list(limit(profile, "income_right.escrow_frequencies"))
        if not any(text(a.get("sweep_frequency")) in allowed for a in swept):
            yield find(
                _(
                    "Toll income must be swept at least as often as the criteria profile requires "
                    "(%(allowed)s); the collection account is swept %(frequency)s."
                ),
                "structure.accounts",
                allowed=", ".join(allowed),
                frequency=text(swept[0].get("sweep_frequency")),
            )


@rule(
    "RI-SERVICER",
    severity=BLOCKING,
    section="structure",
    title=_("A servicer-termination trigger and a backup servicer are in place"),
    source=PRACTICE,
    article="servicer termination events and a backup servicer",
    confirmed=False,
)
def servicer_replacement(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    roles = {p.get("role") for p in rows(data, "parties")}
    if "servicer" not in roles:
        yield find(_("Name the servicer that collects the assets' cash flows."), "structure.parties")
    if "backup_servicer" not in roles:
        yield find(
            _("Name a backup servicer that takes over if the servicer is replaced."), "structure.parties"
        )
    if not any(t.get("kind") == "servicer_termination" for t in rows(data, "triggers")):
        yield find(
            _(
                "Add a servicer-termination trigger (insolvency, failure to remit, breach) that replaces the "
                "servicer."
            ),
            "structure.triggers",
        )


def _senior_support(data: dict[str, Any]) -> float | None:
    """Pool ÷ senior notes implied by the declared enhancement: (1 + OC) ÷ (1 − subordination).

    Assumption (confirm with the reviewers): over-collateralisation is stated as a percentage of the notes
    and subordination as the junior tranches' share of the notes; without a declared subordination the
    junior tranches' share is used.
    """
    structure = section(data, "structure")
    sub = decimal(structure.get("subordination_pct"))
    if sub is None:
        tranches = rows(data, "tranches")
        total = sum((decimal(t.get("size")) or Decimal(0) for t in tranches), Decimal(0))
        junior = sum(
            (decimal(t.get("size")) or Decimal(0) for t in tranches if (t.get("seniority") or 1) > 1),
            Decimal(0),
        )
        sub = junior / total * 100 if total and junior else None
    oc = decimal(structure.get("overcollateralisation_pct"))
    if sub is None and oc is None:
        return None
    sub, oc = sub or Decimal(0), oc or Decimal(0)
    if sub >= 100:
        return None
    return float((1 + oc / 100) / (1 - sub / 100))


@rule(
    "RI-CE",
    severity=BLOCKING,
    section="structure",
    title=_("Credit enhancement is adequate: structural support or coverage under stress"),
    source="Filing Desk",
    article="over-collateralisation ratio, or coverage when revenue falls by a fifth (profile bands)",
    confirmed=False,
    thresholds=("stability.oc_ratio", "stability.min_coverage_stress_20"),
)
def credit_enhancement(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    support = _senior_support(data)
    stress = stability_value(pool_results(data), "min_coverage_stress_20")
    measures = []
    if support is not None:
        measures.append((band(support, limit(profile, "stability.oc_ratio")), "support", support))
    if stress is not None:
        measures.append((band(stress, limit(profile, "stability.min_coverage_stress_20")), "stress", stress))
    if not measures:
        yield find(
            _(
                "Describe the credit enhancement (subordination, over-collateralisation) or import the "
                "pool's cash flows so coverage under stress can be computed."
            ),
            "structure.subordination_pct",
        )
        return
    best = max(measures, key=lambda m: BAND_ORDER.get(m[0] or "red", 0))
    if best[0] == "green":
        return
    oc_rule, stress_rule = (
        limit(profile, "stability.oc_ratio"),
        limit(profile, "stability.min_coverage_stress_20"),
    )
    severity = WARNING if best[0] == "amber" else BLOCKING
    yield find(
        _(
            "Credit enhancement looks thin: the declared subordination and over-collateralisation give "
            "senior support of %(support)s (at least %(support_green)s expected, below %(support_red)s "
            "refused) and the minimum coverage when revenue falls by a fifth is %(stress)s (at least "
            "%(stress_green)s expected). Strengthen the enhancement or explain why it suffices."
        ),
        "structure.subordination_pct",
        severity=severity,
        support=_multiple(support),
        support_green=_multiple(number(oc_rule.get("green"))),
        support_red=_multiple(number(oc_rule.get("red"))),
        stress=_multiple(stress),
        stress_green=_multiple(number(stress_rule.get("green"))),
    )


def _multiple(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"
