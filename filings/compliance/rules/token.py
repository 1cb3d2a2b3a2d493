"""The token and its offering: an ABS token, settled lawfully, sold offshore to qualified non-residents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...validators import PROVINCES
from ..registry import BLOCKING, WARNING, Finding, rule
from .common import blank, find, rows, section, text

N42 = "银发〔2026〕42号"
G26 = "证监会公告〔2026〕1号"

INSTRUMENT_LABELS = {
    "equity": _("an equity token"),
    "virtual_currency": _("virtual currency"),
    "stablecoin": _("a stablecoin"),
    "payment": _("a payment token"),
}
# Notice 42 speaks of stablecoins pegged to the renminbi; CNH is the same currency traded offshore.
RMB_CODES = {"CNY", "CNH", "RMB"}

# Hong Kong, Macao and Taiwan are outside the mainland for this purpose, even when written "…, China".
_OUTSIDE_MAINLAND = re.compile(
    r"\b(hk|hksar|hong\s*kong|mo|macao|macau|tw|taiwan)\b|香港|澳门|澳門|台湾|臺灣"
)
_MAINLAND_WORDS = re.compile(
    r"\b(cn|chn|china|prc|mainland|people'?s\s+republic)\b|中国|中華人民共和國|中华人民共和国|大陆|大陸|内地|境内"
)
_PROVINCE_NAMES = {
    name.casefold()
    for code, division in PROVINCES.items()
    if code not in {"71", "81", "82"}
    for name in (
        division.name_zh,
        division.name_en,
        re.sub("(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$", "", division.name_zh),
    )
}


def is_mainland(jurisdiction: str) -> bool:
    """Whether a venue jurisdiction as typed ("CN", "中国", "Shanghai", "PRC") lies in mainland China."""
    value = unicodedata.normalize("NFKC", jurisdiction).casefold().strip()
    if not value or _OUTSIDE_MAINLAND.search(value):
        return False
    if value.startswith("cn-") or _MAINLAND_WORDS.search(value):
        return True
    return value in _PROVINCE_NAMES or any(
        name in value for name in _PROVINCE_NAMES if len(name) > 2 and not name.isascii()
    )


@rule(
    "TOKEN-TYPE",
    severity=BLOCKING,
    section="token",
    title=_(
        "The token is an asset-backed security token, not equity, virtual currency, a stablecoin or a "
        "payment token"
    ),
    source=G26,
    article="definition: tokenised rights backed by cash flows of domestic assets",
)
def token_type(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    kind = text(section(data, "token").get("instrument_type"))
    if kind != "abs":
        yield find(
            _(
                "The token is declared as %(kind)s. Only asset-backed security tokens can be filed under "
                "announcement 〔2026〕1号: restructure the instrument or do not file it here."
            ),
            "token.instrument_type",
            kind=INSTRUMENT_LABELS.get(kind, kind or _("nothing")),
        )


@rule(
    "TOKEN-STABLECOIN",
    severity=BLOCKING,
    section="token",
    title=_("The settlement asset is stated; no unapproved renminbi-pegged stablecoin settles the token"),
    source=N42,
    article="stablecoins: no renminbi-pegged stablecoin may be issued offshore without approval",
)
def token_stablecoin(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    token = section(data, "token")
    asset = text(token.get("settlement_asset"))
    if not asset:
        yield find(
            _("State the settlement asset (fiat money, tokenised deposit or stablecoin)."),
            "token.settlement_asset",
        )
        return
    if asset != "stablecoin":
        return
    if blank(token.get("stablecoin_issuer")):
        yield find(_("Name the issuer of the settlement stablecoin."), "token.stablecoin_issuer")
    peg = text(token.get("stablecoin_peg_currency")).upper()
    if not peg:
        yield find(
            _("State the currency the settlement stablecoin is pegged to."), "token.stablecoin_peg_currency"
        )
    elif peg in RMB_CODES and blank(token.get("stablecoin_approval_ref")):
        yield find(
            _(
                "The settlement stablecoin is pegged to the renminbi (%(peg)s). Notice Yinfa [2026] No. 42 "
                "forbids issuing such a stablecoin offshore without approval: settle in another asset, or "
                "record the approval reference."
            ),
            "token.stablecoin_approval_ref",
            peg=peg,
        )


@rule(
    "TOKEN-LEDGER",
    severity=BLOCKING,
    section="token",
    title=_("A permissioned ledger, or an enforced transfer whitelist on a public ledger"),
    source="Filing Desk",
    article="transfers cannot reach non-qualified or mainland holders (cf. SFC circular 23EC52)",
    confirmed=False,
)
def token_ledger(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    token = section(data, "token")
    ledger = text(token.get("ledger_type"))
    if not ledger:
        yield find(_("State the ledger type (permissioned, consortium or public)."), "token.ledger_type")
    elif ledger == "public" and text(token.get("transfer_restriction")) != "whitelist":
        yield find(
            _(
                "The token lives on a public ledger without an enforced transfer whitelist, so it could "
                "reach non-qualified or mainland holders. Enforce a whitelist in the smart contract or use a "
                "permissioned ledger."
            ),
            "token.transfer_restriction",
        )


@rule(
    "VENUE-OFFSHORE",
    severity=BLOCKING,
    section="offering",
    title=_("Every venue is outside mainland China"),
    source=G26,
    article="definition: tokens issued offshore (在境外发行); " + N42 + ": domestic RWA business prohibited",
)
def venue_offshore(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    venues = rows(data, "venues")
    if not venues:
        yield find(_("Name at least one offshore venue where the tokens will be offered."), "offering.venues")
    for venue in venues:
        name, jurisdiction = text(venue.get("name")), text(venue.get("jurisdiction"))
        if not jurisdiction:
            yield find(_("State the jurisdiction of venue %(venue)s."), "offering.venues", venue=name)
        elif is_mainland(jurisdiction):
            yield find(
                _(
                    "Venue %(venue)s is in mainland China (%(jurisdiction)s). Asset-backed security tokens "
                    "may only be offered offshore: remove the venue."
                ),
                "offering.venues",
                venue=name,
                jurisdiction=jurisdiction,
            )


@rule(
    "INVESTOR-ELIG",
    severity=BLOCKING,
    section="offering",
    title=_("Each venue restricts the offering to qualified investors"),
    source="证监会公告〔2023〕43号",
    article="Art. 10 by analogy; venue investor rules (HK professional, SG accredited investors)",
    confirmed=False,
)
def investor_eligibility(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    for venue in rows(data, "venues"):
        eligibility = text(venue.get("investor_eligibility"))
        if not eligibility:
            yield find(
                _("State which investors venue %(venue)s admits."),
                "offering.venues",
                venue=text(venue.get("name")),
            )
        elif eligibility == "retail":
            yield find(
                _(
                    "Venue %(venue)s admits retail investors. Restrict the offering to the venue's "
                    "professional, accredited or otherwise qualified investors."
                ),
                "offering.venues",
                venue=text(venue.get("name")),
            )


@rule(
    "INVESTOR-PRC",
    severity=BLOCKING,
    section="offering",
    title=_("A mechanism excludes PRC-resident investors"),
    source="证监会公告〔2023〕43号",
    article="Art. 10 by analogy: PRC residents only through QDII or after ODI",
    confirmed=False,
)
def investor_prc(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if blank(section(data, "offering").get("prc_exclusion_mechanism")):
        yield find(
            _(
                "Describe how PRC-resident investors are excluded at subscription and on every transfer (KYC "
                "on residence, whitelist, QDII/ODI evidence where they are admitted)."
            ),
            "offering.prc_exclusion_mechanism",
        )


@rule(
    "OFFER-FX",
    severity=BLOCKING,
    section="offering",
    title=_("The FX route is recorded with its registration or approval"),
    source=G26,
    article="compliance perimeter: foreign-exchange, cross-border investment approvals and filings",
)
def offer_fx(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    offering = section(data, "offering")
    route = text(offering.get("fx_route"))
    if not route:
        yield find(
            _("Record the FX route of the proceeds (ODI, foreign-debt registration, other or none)."),
            "offering.fx_route",
        )
    elif route == "none":
        yield find(
            _(
                "No FX route is recorded. Explain in the filing report why the transaction needs no FX "
                "registration or approval, or record the route."
            ),
            "offering.fx_route",
            severity=WARNING,
        )
    elif blank(offering.get("fx_approval_ref")):
        yield find(
            _("Record the reference of the FX registration or approval for the chosen route."),
            "offering.fx_approval_ref",
        )
