"""The asset pool: class, negative list, concentration and eligibility of the assets to be transferred.

Values come from the pool analytics stored in ``data["pool"]``; every limit comes from the filing's
criteria profile (``limit``), never from these functions. Without an imported tape only ASSET-TAPE speaks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from assets.figures import obligor_shares, pool_figures

from ...workflow import AssetClass
from ..registry import BLOCKING, WARNING, Finding, bilingual, limit, rule
from .common import amount, decimal, find, number, pct, text
from .pool import (
    POOL_CLASSES,
    check_value,
    has_tape,
    lookup,
    pool_results,
    pool_rule,
    transferred_overview,
)

NEG24 = "中基协《资产证券化业务基础资产负面清单指引》(2024)"
LEASING_GUIDE = "SSE/SZSE 融资租赁债权资产支持证券挂牌条件确认指南 (2018)"
ABS_DATA = "Filing Desk criteria profile (suggested limits)"


def _is_pool(data: Mapping[str, Any]) -> bool:
    return data.get("asset_class") in POOL_CLASSES


def _share(pool: Mapping[str, Any], check_name: str, overview_key: str) -> float | None:
    value = check_value(pool, check_name)
    if value is None:
        value = transferred_overview(pool).get(overview_key)
    return number(value)


# ---------------------------------------------------------------------------------------------
# Class and negative list
# ---------------------------------------------------------------------------------------------


@rule(
    "ASSET-TAPE",
    severity=BLOCKING,
    section="assets",
    title=_("The asset tape is imported"),
    source="证监会公告〔2026〕1号",
    article="the filing fully describes the underlying assets",
)
def asset_tape(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not has_tape(data):
        yield find(
            _(
                "No asset tape imported: import the asset tape (for toll income the asset master, monthly "
                "history, forecast and debt-service schedule) so the pool can be checked."
            ),
            "assets.tape",
        )


@rule(
    "ASSET-CLASS",
    severity=BLOCKING,
    section="assets",
    title=_(
        "The assets are of a stable cash-flow class (trade receivables, finance-lease receivables, toll "
        "income rights)"
    ),
    source="证监会公告〔2014〕49号",
    article="Art. 3: independent, predictable, stable cash flows; 〔2026〕1号 definition",
    confirmed=False,
)
def asset_class(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    allowed = AssetClass.values
    declared = text(data.get("asset_class"))
    if declared not in allowed:
        yield find(
            _(
                "The asset class %(asset_class)s is not one of the stable cash-flow classes this filing "
                "route accepts (%(allowed)s)."
            ),
            "assets.asset_class",
            asset_class=declared or "—",
            allowed=", ".join(allowed),
        )
    pooled = text(pool_results(data).get("asset_class"))
    if pooled and pooled not in allowed and pooled != declared:
        yield find(
            _(
                "The imported tape holds %(asset_class)s assets, which are not a stable cash-flow class this "
                "filing route accepts (%(allowed)s)."
            ),
            "assets.tape",
            asset_class=pooled,
            allowed=", ".join(allowed),
        )


@rule(
    "NEG-MIX",
    severity=BLOCKING,
    section="assets",
    title=_("The pool does not mix asset classes"),
    source=NEG24,
    article="item (6): portfolios mixing legally or operationally different asset types",
)
def neg_mix(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    pool = pool_results(data)
    if not has_tape(data):
        return
    declared = text(data.get("asset_class"))
    stored = pool.get("tape")
    tape: Mapping[str, Any] = stored if isinstance(stored, Mapping) else {}
    found: list[str] = []
    for value in (
        pool.get("asset_class"),
        tape.get("asset_class"),
        tape.get("asset_type"),
        *(tape.get("asset_types") or []),
    ):
        if text(value) and text(value) not in found:
            found.append(text(value))
    others = [value for value in found if value != declared]
    if others:
        yield find(
            _(
                "The tape holds %(found)s assets but the filing is for %(asset_class)s: one pool may not mix "
                "asset classes. Import a tape of %(asset_class)s assets only, or file the others separately."
            ),
            "assets.tape",
            found=", ".join(others),
            asset_class=declared,
        )


@rule(
    "NEG-LGFV",
    severity=BLOCKING,
    section="assets",
    title=_("No government or local financing-platform obligors in receivable and lease pools"),
    source=NEG24,
    article="item (1) local-government debt; 2014 list: local government and financing "
    "platforms as debtors; " + LEASING_GUIDE,
    thresholds=("asset.excluded_obligor_types",),
)
@pool_rule
def neg_lgfv(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not _is_pool(data):
        return
    excluded = set(limit(profile, "asset.excluded_obligor_types"))
    table = lookup(pool, "strata")
    rows = ((table or {}).get("obligor_type") or {}).get("rows") if isinstance(table, Mapping) else None
    if isinstance(rows, list):
        for row in rows:
            if row.get("key") in excluded and (row.get("count") or 0) > 0:
                yield find(
                    _(
                        "%(count)s assets (CNY %(amount)s, %(share)s of the pool) are owed by %(kind)s "
                        "obligors. Government and local financing-platform debts are on the negative list: "
                        "remove them from the pool and import the tape again."
                    ),
                    "assets.obligor_type",
                    count=row.get("count"),
                    amount=amount(decimal(row.get("amount"))),
                    share=pct(number(row.get("amount_share"))),
                    kind=bilingual(
                        text(row.get("label_zh")) or text(row.get("key")),
                        text(row.get("label_en")) or text(row.get("key")),
                    ),
                )
        return
    reason = ((lookup(pool, "eligibility") or {}).get("reasons") or {}).get("government_obligor")
    if reason and reason.get("count"):
        yield find(
            _(
                "%(count)s assets (CNY %(amount)s) are owed by government or local financing-platform "
                "obligors, which are on the negative list: remove them from the pool and import the tape "
                "again."
            ),
            "assets.obligor_type",
            count=reason.get("count"),
            amount=amount(decimal(reason.get("outstanding"))),
        )


# ---------------------------------------------------------------------------------------------
# Concentration (on the pool to be transferred)
# ---------------------------------------------------------------------------------------------


@rule(
    "CONC-SINGLE",
    severity=BLOCKING,
    section="assets",
    title=_("No obligor group exceeds the single-obligor limit"),
    source=LEASING_GUIDE,
    article="single obligor with affiliates ≤ 50 %",
    confirmed=False,  # a domestic leasing-ABS limit applied by analogy (domain.md §6.2(5) [A])
    thresholds=("pool.max_single_obligor_share",),
)
@pool_rule
def conc_single(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    yield from _shared_share_finding(
        pool,
        "largest_obligor_share",
        ("single_obligor_share", "top1_share"),
        limit(profile, "pool.max_single_obligor_share"),
        _(
            "The largest obligor group holds %(share)s (%(basis)s); the limit is %(limit)s. Add other "
            "obligors or reduce its assets."
        ),
    )


def _shared_share_finding(
    pool: Mapping[str, Any], key: str, fallback: tuple[str, str], cap: float, message: Any
) -> Iterator[Finding]:
    """A concentration finding on the figure the pool page and the dossier show (assets.figures), with
    its basis; a pool stored in another shape falls back to its checks or overview."""
    figure = pool_figures(pool).get(key)
    basis: Any  # lazy: the finding renders in its reader's language
    if figure is not None and figure.value is not None:
        share, shown, basis = number(figure.value), figure.text, figure.basis_label
    else:
        share = _share(pool, *fallback)
        shown, basis = pct(share), _("pool to be transferred, share of outstanding balance")
    if share is not None and share > cap:
        yield find(message, "assets.concentration", share=shown, basis=basis, limit=pct(cap))


@rule(
    "CONC-SIGNIFICANT",
    severity=BLOCKING,
    section="assets",
    title=_("Significant obligors are disclosed by name"),
    source=NEG24,
    article="important cash-flow provider: single provider > 15 % of future cash flow; "
    "证监会 2014 disclosure guideline (important debtor)",
    thresholds=("pool.significant_obligor_share",),
)
@pool_rule
def conc_significant(
    pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]
) -> Iterator[Finding]:
    threshold = limit(profile, "pool.significant_obligor_share")
    basis, shares = obligor_shares(pool)  # the basis of CONC-SINGLE and the pool page (assets.figures)
    for obligor in shares:
        if obligor.share >= threshold and not obligor.name:
            yield find(
                _(
                    "Obligor group %(group)s holds %(share)s of the pool (%(basis)s; disclosure from "
                    "%(limit)s): give its name in the tape (obligor_name) and disclose its business, "
                    "financial statements and credit standing in the filing report."
                ),
                "assets.concentration",
                group=obligor.group,
                share=pct(obligor.share),
                basis=basis,
                limit=pct(threshold),
            )


@rule(
    "CONC-TOP5",
    severity=BLOCKING,
    section="assets",
    title=_("The five largest obligor groups stay within the limit"),
    source=LEASING_GUIDE,
    article="top five obligors ≤ 70 %",
    confirmed=False,  # a domestic leasing-ABS limit applied by analogy (domain.md §6.2(5) [A])
    thresholds=("pool.max_top5_share",),
)
@pool_rule
def conc_top5(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    yield from _shared_share_finding(
        pool,
        "top5_share",
        ("top5_share", "top5_share"),
        limit(profile, "pool.max_top5_share"),
        _(
            "The five largest obligor groups hold %(share)s (%(basis)s); the limit is %(limit)s. Spread "
            "the pool over more obligors."
        ),
    )


@rule(
    "CONC-GROUPS",
    severity=BLOCKING,
    section="assets",
    title=_("The pool has enough unrelated obligor groups"),
    source=LEASING_GUIDE,
    article="at least 10 unrelated obligors",
    confirmed=False,  # a domestic leasing-ABS limit applied by analogy (domain.md §6.2(5) [A])
    thresholds=("pool.min_obligor_groups",),
)
@pool_rule
def conc_groups(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not _is_pool(data):
        return
    count = check_value(pool, "obligor_group_count")
    if count is None:
        count = transferred_overview(pool).get("obligor_group_count")
    minimum = limit(profile, "pool.min_obligor_groups")
    if count is not None and int(count) < minimum:
        yield find(
            _("The pool has %(count)s unrelated obligor groups; at least %(minimum)s are required."),
            "assets.concentration",
            count=int(count),
            minimum=minimum,
        )


def _warning_share_rule(
    code: str, check_name: str, path: str, title: Any, message: Any, article: str
) -> None:
    @pool_rule
    def check(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
        share, cap = number(check_value(pool, check_name)), limit(profile, path)
        if share is not None and share > cap:
            yield find(message, "assets.concentration", share=pct(share), limit=pct(cap))

    rule(
        code,
        severity=WARNING,
        section="assets",
        title=title,
        source=ABS_DATA,
        article=article,
        confirmed=False,
        thresholds=(path,),
    )(check)


_warning_share_rule(
    "CONC-ASSET",
    "single_asset_share",
    "pool.max_single_asset_share",
    _("No single asset is large compared with the pool (granular pools)"),
    _(
        "The largest single asset is %(share)s of the pool (guide %(limit)s): explain why the pool is "
        "granular enough, or disclose the largest assets."
    ),
    LEASING_GUIDE + ": granular auto-lease route (0.1 %)",
)
_warning_share_rule(
    "CONC-INDUSTRY",
    "industry_share",
    "pool.max_industry_share",
    _("No industry section dominates the pool"),
    _(
        "The largest industry section holds %(share)s of the pool (guide %(limit)s): disclose the industry "
        "risk and how it is mitigated."
    ),
    "diversification guide; a warning only",
)
_warning_share_rule(
    "CONC-PROVINCE",
    "province_share",
    "pool.max_province_share",
    _("No province dominates the pool"),
    _(
        "The largest province holds %(share)s of the pool (guide %(limit)s): disclose the regional "
        "concentration."
    ),
    "diversification guide; a warning only",
)
_warning_share_rule(
    "CONC-RELATED",
    "related_party_share",
    "pool.max_related_party_share",
    _("Related-party assets stay a small part of the pool"),
    _(
        "Assets owed by related parties make up %(share)s of the pool (guide %(limit)s): disclose the "
        "related parties and show the transactions are genuine and fairly priced."
    ),
    "diversification guide; a warning only",
)


@rule(
    "CONC-NEFF",
    severity=WARNING,
    section="assets",
    title=_("The pool is diversified (effective number of obligor groups)"),
    source=ABS_DATA,
    article="effective number of obligor groups (1 / HHI); a warning only",
    confirmed=False,
    thresholds=("pool.n_eff_amber", "pool.n_eff_red"),
)
@pool_rule
def conc_neff(pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    value = number(check_value(pool, "n_eff"))
    if value is None:
        value = number(transferred_overview(pool).get("n_eff"))
    amber = limit(profile, "pool.n_eff_amber")
    if value is not None and value < amber:
        yield find(
            _(
                "The pool behaves like %(value)s equal obligors (below %(amber)s is concentrated, below "
                "%(red)s highly concentrated): disclose the concentration risk."
            ),
            "assets.concentration",
            value=f"{value:.1f}",
            amber=amber,
            red=limit(profile, "pool.n_eff_red"),
        )


# ---------------------------------------------------------------------------------------------
# Eligibility
# ---------------------------------------------------------------------------------------------

_REASON_LABELS: dict[str, Any] = {
    "overdue": _("overdue at the cut-off date"),
    "excluded_status": _("defaulted, written off, repaid or repurchased"),
    "risk_class": _("five-tier classification not normal"),
    "disputed": _("disputed"),
    "not_transferable": _("not transferable"),
    "encumbered": _("encumbered and not released at transfer"),
    "government_obligor": _("government or financing-platform obligor"),
    "currency": _("not in an allowed currency"),
    "matures_after_legal_final": _("matures too close to or after the legal final maturity"),
    "non_positive_balance": _("no positive outstanding balance"),
    "outstanding_above_original": _("outstanding above the original amount"),
    "instalments_unpaid": _("too few lease instalments paid"),
    "unregistered": _("leased asset not registered"),
    "tenor_too_long": _("tenor too long"),
    "ageing_too_long": _("invoice too old"),
    "goods_not_delivered": _("goods or services not delivered"),
    "not_confirmed": _("not confirmed by the obligor"),
}


@rule(
    "ELIG-EXCEPTIONS",
    severity=WARNING,
    section="assets",
    title=_("Assets failing the eligibility criteria are excluded from the pool"),
    source="合格标准 (ABS market practice)",
    article="合格标准 (market practice; thresholds in the criteria profile)",
    confirmed=False,
    thresholds=("asset.max_days_past_due", "asset.allowed_currencies", "asset.legal_final_buffer_days"),
)
@pool_rule
def eligibility_exceptions(
    pool: Mapping[str, Any], data: dict[str, Any], profile: dict[str, Any]
) -> Iterator[Finding]:
    result = lookup(pool, "eligibility")
    if not isinstance(result, Mapping) or not result.get("asset_count"):
        return
    total = sum(
        (decimal(result.get(k)) or Decimal(0) for k in ("eligible_outstanding", "ineligible_outstanding")),
        Decimal(0),
    )
    if not result.get("eligible_count"):
        yield find(
            _(
                "None of the %(count)s assets on the tape meets the eligibility criteria: there is no pool "
                "to transfer."
            ),
            "assets.eligibility",
            severity=BLOCKING,
            count=result.get("asset_count"),
        )
        return
    for code, reason in sorted((result.get("reasons") or {}).items()):
        outstanding = decimal(reason.get("outstanding")) or Decimal(0)
        yield find(
            _(
                "%(count)s assets (CNY %(amount)s, %(share)s of the tape) are %(reason)s. They are excluded "
                "from the pool to be transferred: remove them from the tape or explain the exception."
            ),
            f"assets.eligibility.{code}",
            count=reason.get("count"),
            amount=amount(outstanding),
            share=pct(float(outstanding / total) if total else None),
            code=code,
            reason=_REASON_LABELS.get(code, code),
        )
