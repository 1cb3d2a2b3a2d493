"""Token and offering rules: instrument type, settlement asset, ledger, venues, investors, FX route."""

from __future__ import annotations

import pytest

from filings.compliance.rules.token import is_mainland
from tests.filings.test_compliance_data import found, passing_data

B, W = "blocking", "warning"


def test_token_type_passes_an_abs_token():
    assert found(passing_data(), "TOKEN-TYPE") == []


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("stablecoin", "a stablecoin"),
        ("equity", "an equity token"),
        ("virtual_currency", "virtual currency"),
        ("payment", "a payment token"),
        ("", "nothing"),
    ],
)
def test_token_type_blocks_anything_but_an_abs_token(kind, label):
    data = passing_data()
    data["token"]["instrument_type"] = kind

    assert found(data, "TOKEN-TYPE") == [
        (
            B,
            "token.instrument_type",
            f"The token is declared as {label}. Only asset-backed security tokens can be "
            "filed under announcement 〔2026〕1号: restructure the instrument or do not "
            "file it here.",
        ),
    ]


def test_token_stablecoin_passes_fiat_settlement_and_a_usd_stablecoin_with_issuer():
    data = passing_data()
    assert found(data, "TOKEN-STABLECOIN") == []

    data["token"].update(
        settlement_asset="stablecoin", stablecoin_issuer="Demo Trust", stablecoin_peg_currency="USD"
    )
    assert found(data, "TOKEN-STABLECOIN") == []


def test_token_stablecoin_passes_an_rmb_stablecoin_with_an_approval_reference():
    data = passing_data()
    data["token"].update(
        settlement_asset="stablecoin",
        stablecoin_issuer="Demo Trust",
        stablecoin_peg_currency="CNH",
        stablecoin_approval_ref="PBOC-2026-001",
    )

    assert found(data, "TOKEN-STABLECOIN") == []


def test_token_stablecoin_blocks_an_unapproved_offshore_rmb_stablecoin():
    data = passing_data()
    data["token"].update(
        settlement_asset="stablecoin",
        stablecoin_issuer="Demo Trust",
        stablecoin_peg_currency="cnh",
        stablecoin_approval_ref="",
    )

    assert found(data, "TOKEN-STABLECOIN") == [
        (
            B,
            "token.stablecoin_approval_ref",
            "The settlement stablecoin is pegged to the renminbi (CNH). Notice Yinfa "
            "[2026] No. 42 forbids issuing such a stablecoin offshore without "
            "approval: settle in another asset, or record the approval reference.",
        ),
    ]


def test_token_stablecoin_asks_for_issuer_and_peg_of_any_stablecoin():
    data = passing_data()
    data["token"].update(settlement_asset="stablecoin", stablecoin_issuer="", stablecoin_peg_currency="")

    assert found(data, "TOKEN-STABLECOIN") == [
        (B, "token.stablecoin_issuer", "Name the issuer of the settlement stablecoin."),
        (B, "token.stablecoin_peg_currency", "State the currency the settlement stablecoin is pegged to."),
    ]


def test_token_stablecoin_asks_for_the_settlement_asset():
    data = passing_data()
    data["token"]["settlement_asset"] = ""

    assert found(data, "TOKEN-STABLECOIN") == [
        (
            B,
            "token.settlement_asset",
            "State the settlement asset (fiat money, tokenised deposit or stablecoin).",
        )
    ]


def test_token_ledger_passes_a_permissioned_ledger_and_a_whitelisted_public_one():
    data = passing_data()
    data["token"].update(ledger_type="consortium", transfer_restriction="none")
    assert found(data, "TOKEN-LEDGER") == []

    data["token"].update(ledger_type="public", transfer_restriction="whitelist")
    assert found(data, "TOKEN-LEDGER") == []


def test_token_ledger_blocks_a_public_ledger_without_whitelist():
    data = passing_data()
    data["token"].update(ledger_type="public", transfer_restriction="permissioned_only")

    assert found(data, "TOKEN-LEDGER") == [
        (
            B,
            "token.transfer_restriction",
            "The token lives on a public ledger without an enforced transfer "
            "whitelist, so it could reach non-qualified or mainland holders. Enforce a "
            "whitelist in the smart contract or use a permissioned ledger.",
        ),
    ]


def test_token_ledger_asks_for_the_ledger_type():
    data = passing_data()
    data["token"]["ledger_type"] = ""

    assert found(data, "TOKEN-LEDGER") == [
        (B, "token.ledger_type", "State the ledger type (permissioned, consortium or public).")
    ]


@pytest.mark.parametrize(
    "jurisdiction",
    [
        "CN",
        "cn",
        "China",
        "PRC",
        "Mainland China",
        "中国",
        "中国大陆",
        "中华人民共和国",
        "Shanghai",
        "上海市",
        "上海",
        "China (Shanghai) FTZ",
        "CN-SH",
        "深圳前海 (广东省)",
    ],
)
def test_mainland_jurisdictions_are_recognised(jurisdiction):
    assert is_mainland(jurisdiction)


@pytest.mark.parametrize(
    "jurisdiction",
    [
        "HK",
        "Hong Kong",
        "Hong Kong SAR, China",
        "中国香港",
        "香港特别行政区",
        "Macao",
        "Macau, China",
        "澳門",
        "TW",
        "Taiwan",
        "Singapore",
        "SG",
        "United Kingdom",
        "Norway",
        "",
    ],
)
def test_offshore_jurisdictions_are_not_mainland(jurisdiction):
    assert not is_mainland(jurisdiction)


def test_venue_offshore_passes_offshore_venues():
    data = passing_data()
    data["venues"].append({**data["venues"][0], "jurisdiction": "中国澳门", "name": "Macao Venue"})

    assert found(data, "VENUE-OFFSHORE") == []


def test_venue_offshore_blocks_a_mainland_venue_and_a_venue_without_jurisdiction():
    data = passing_data()
    data["venues"] += [
        {**data["venues"][0], "jurisdiction": "中国", "name": "上海数据交易所"},
        {**data["venues"][0], "jurisdiction": "", "name": "Nowhere Exchange"},
    ]

    assert found(data, "VENUE-OFFSHORE") == [
        (
            B,
            "offering.venues",
            "Venue 上海数据交易所 is in mainland China (中国). Asset-backed security tokens may "
            "only be offered offshore: remove the venue.",
        ),
        (B, "offering.venues", "State the jurisdiction of venue Nowhere Exchange."),
    ]


def test_venue_offshore_asks_for_a_venue():
    data = passing_data()
    data["venues"] = []

    assert found(data, "VENUE-OFFSHORE") == [
        (B, "offering.venues", "Name at least one offshore venue where the tokens will be offered.")
    ]


def test_investor_eligibility_passes_qualified_investor_venues():
    data = passing_data()
    data["venues"].append({**data["venues"][0], "jurisdiction": "SG", "investor_eligibility": "sg_ai"})

    assert found(data, "INVESTOR-ELIG") == []


def test_investor_eligibility_blocks_retail_and_unstated_eligibility():
    data = passing_data()
    data["venues"][0]["investor_eligibility"] = "retail"
    data["venues"].append({**data["venues"][0], "name": "Other", "investor_eligibility": ""})

    assert found(data, "INVESTOR-ELIG") == [
        (
            B,
            "offering.venues",
            "Venue Demo Digital Exchange (HK) admits retail investors. Restrict the offering "
            "to the venue's professional, accredited or otherwise qualified investors.",
        ),
        (B, "offering.venues", "State which investors venue Other admits."),
    ]


def test_investor_prc_passes_with_an_exclusion_mechanism():
    assert found(passing_data(), "INVESTOR-PRC") == []


def test_investor_prc_blocks_without_an_exclusion_mechanism():
    data = passing_data()
    data["offering"]["prc_exclusion_mechanism"] = ""

    assert found(data, "INVESTOR-PRC") == [
        (
            B,
            "offering.prc_exclusion_mechanism",
            "Describe how PRC-resident investors are excluded at subscription "
            "and on every transfer (KYC on residence, whitelist, QDII/ODI "
            "evidence where they are admitted).",
        ),
    ]


def test_offer_fx_passes_a_route_with_its_approval():
    assert found(passing_data(), "OFFER-FX") == []


def test_offer_fx_blocks_a_missing_route_or_approval_and_warns_of_none():
    data = passing_data()
    data["offering"].update(fx_route="")
    assert found(data, "OFFER-FX") == [
        (
            B,
            "offering.fx_route",
            "Record the FX route of the proceeds (ODI, foreign-debt registration, other or none).",
        ),
    ]

    data["offering"].update(fx_route="foreign_debt", fx_approval_ref="")
    assert found(data, "OFFER-FX") == [
        (
            B,
            "offering.fx_approval_ref",
            "Record the reference of the FX registration or approval for the chosen route.",
        ),
    ]

    data["offering"].update(fx_route="none")
    assert found(data, "OFFER-FX") == [
        (
            W,
            "offering.fx_route",
            "No FX route is recorded. Explain in the filing report why the transaction needs "
            "no FX registration or approval, or record the route.",
        ),
    ]
