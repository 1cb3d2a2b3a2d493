"""Facts rather than declarations: banned wording however it is typed, in names and in copy; investor
categories per venue as data an administrator maintains."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import Event
from filings.compliance import run_preflight
from filings.models import VenueEligibility
from filings.validators import find_banned_terms
from tests.filings.test_compliance_data import found, passing_data

B, W = "blocking", "warning"


# -- normalisation of what people type --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("加·密·货·币", "加密货币", "加·密·货·币"),
        ("稳-定-币", "稳定币", "稳-定-币"),
        ("【稳定币】业务", "稳定币", "稳定币"),
        ("“虚拟”货币", "虚拟货币", "虚拟”货币"),
        ("虛拟货幣", "虚拟货币", "虛拟货幣"),  # mixed traditional and simplified characters
        ("現實世界資產代幣化", "现实世界资产代币化", "現實世界資產代幣化"),
        ("真实世界资产通证化平台", "现实世界资产代币化", "真实世界资产通证化"),
        ("Real-World Asset Tokenization", "现实世界资产代币化", "Real-World Asset Tokenization"),
        ("tokenised real world assets", "现实世界资产代币化", "tokenised real world assets"),
        ("ＳＴＡＢＬＥＣＯＩＮ issuer", "稳定币", "ＳＴＡＢＬＥＣＯＩＮ"),
        ("crypto-assets custody", "加密资产", "crypto-assets"),
        ("cryptocurrency exchange", "加密货币", "cryptocurrency"),
        ("Virtual Asset Service Provider", "虚拟资产", "Virtual Asset"),
    ],
)
def test_banned_terms_are_found_however_they_are_typed(text, term, matched):
    [hit] = find_banned_terms(text)

    assert (hit.term, hit.text, text[hit.start : hit.end]) == (term, matched, matched)


@pytest.mark.parametrize(
    "text",
    [
        "数据加密、货币兑换咨询",  # a list separator between two scope items
        "数据加密，货币兑换咨询",
        "资产支持证券代币",  # what the desk is for
        "Demo Tokenisation Platform Ltd",
        "cryptographic assets",
        "stable coinage",
    ],
)
def test_ordinary_wording_is_not_flagged(text):
    assert find_banned_terms(text) == []


# -- names and copy -----------------------------------------------------------------------------------


def test_issuance_names_pass_when_clean():
    assert found(passing_data(), "N42-ISSUE-NAME") == []
    assert found(passing_data(), "N42-COPY") == []


def test_issuance_title_spv_and_venue_names_are_screened():
    data = passing_data()
    data["title"] = "某RWA代币 2026-1"
    data["structure"]["spv_name"] = "Stable-Coin Issuer Ltd"
    data["venues"][0]["name"] = "虛擬資產交易所"

    assert found(data, "N42-ISSUE-NAME") == [
        (
            B,
            "offering",
            "“某RWA代币 2026-1” contains wording banned by notice Yinfa [2026] No. 42 (RWA). Rename it: an "
            "asset-backed security token may not be presented as virtual-currency or RWA business.",
        ),
        (
            B,
            "structure.spv_name",
            "“Stable-Coin Issuer Ltd” contains wording banned by notice Yinfa [2026] No. 42 (稳定币). Rename "
            "it: an asset-backed security token may not be presented as virtual-currency or RWA business.",
        ),
        (
            B,
            "offering.venues",
            "“虛擬資產交易所” contains wording banned by notice Yinfa [2026] No. 42 (虚拟资产). Rename it: "
            "an asset-backed security token may not be presented as virtual-currency or RWA business.",
        ),
    ]


def test_marketing_copy_with_tokenisation_phrasing_is_flagged():
    data = passing_data()
    data["offering"]["marketing_copy"] = "首个现实世界资产 代币化项目，投资门槛低"

    assert found(data, "N42-COPY") == [
        (
            W,
            "offering.marketing_copy",
            "The marketing copy uses wording banned by notice Yinfa [2026] No. 42 (现实世界资产代币化). "
            "Describe the tokens as asset-backed securities; the reviewer will ask why the copy uses these "
            "terms.",
        )
    ]


# -- investor eligibility per venue ---------------------------------------------------------------


def test_venue_with_an_accepted_category_passes():
    assert found(passing_data(), "INVESTOR-VENUE") == []


def test_venue_admitting_another_jurisdictions_category_is_blocked():
    data = passing_data()
    data["venues"][0]["investor_eligibility"] = "sg_ai"

    assert found(data, "INVESTOR-VENUE") == [
        (
            B,
            "offering.venues",
            "Venue Demo Digital Exchange (HK) in HK admits “Singapore accredited investors”, which is not an "
            "investor category accepted for HK (accepted: Hong Kong professional investors).",
        )
    ]


def test_venue_in_an_unconfigured_jurisdiction_is_left_to_the_reviewer():
    data = passing_data()
    data["venues"][0].update(jurisdiction="JP", investor_eligibility="qualified")

    assert found(data, "INVESTOR-VENUE") == [
        (
            W,
            "offering.venues",
            "No investor category is configured for jurisdiction JP (venue Demo Digital Exchange (HK)): the "
            "reviewer checks the venue's investor rules by hand.",
        )
    ]


def test_the_rule_reads_the_administrators_table(ready_filing):
    assert [f for f in run_preflight(ready_filing) if f.code == "INVESTOR-VENUE"] == []

    VenueEligibility.objects.filter(jurisdiction="HK").update(is_active=False)

    assert [(f.code, f.severity) for f in run_preflight(ready_filing) if f.code == "INVESTOR-VENUE"] == [
        ("INVESTOR-VENUE", W)
    ]


def test_administrator_maintains_the_table_on_the_settings_screen(client, admin_user):
    client.force_login(admin_user)
    client.cookies["filingdesk_language"] = "en"

    page = client.get(reverse("filings:settings", args=["venues"])).content.decode()
    assert "Investor eligibility per venue" in page and "Cap. 571D" in page

    response = client.post(
        reverse("filings:setting_create", args=["venues"]),
        {
            "jurisdiction": " ae ",
            "investor_eligibility": "qualified",
            "definition": "DFSA Conduct of Business Module 2.3 (professional clients)",
            "threshold": "net assets ≥ US$1m",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    row = VenueEligibility.objects.get(jurisdiction="AE")
    assert row.investor_eligibility == "qualified"
    assert Event.objects.filter(action="settings.venues.save").count() == 1


def test_issuers_cannot_reach_the_table(client, preparer):
    client.force_login(preparer)

    assert client.get(reverse("filings:settings", args=["venues"])).status_code == 404
    assert VenueEligibility.objects.count() == 2


# -- the domestic law firm, by name ---------------------------------------------------------------


def test_named_lawyers_of_the_prc_counsel_pass():
    assert found(passing_data(), "COUNSEL-SIGNERS") == []
    assert found(passing_data(), "G26-COUNSEL") == []


def test_a_typed_count_is_not_enough_two_lawyers_must_be_named():
    data = passing_data()
    data["lawyers"] = data["lawyers"][:1]  # the opinion still says "signed by 2"

    assert found(data, "COUNSEL-SIGNERS") == [
        (
            B,
            "structure.lawyers",
            "Name at least 2 practising lawyers of the domestic law firm who sign the PRC legal opinion "
            "(1 named).",
        ),
        (
            W,
            "documents.PRC-OPINION",
            "The PRC legal opinion is recorded as signed by 2 lawyer(s), but 1 are named as signing it: make "
            "the two agree.",
        ),
    ]


def test_prohibited_circumstances_need_two_attesting_lawyers():
    data = passing_data()
    for lawyer in data["lawyers"]:
        lawyer["attests_prohibited"] = False

    assert found(data, "G26-COUNSEL") == [
        (
            B,
            "structure.lawyers",
            "Name at least 2 practising lawyers of the domestic law firm who attest the six prohibited "
            "circumstances (0 named).",
        )
    ]


def test_lawyers_need_a_licence_number_and_must_be_with_the_named_firm():
    data = passing_data()
    data["lawyers"][0]["licence_no"] = "12345"
    data["lawyers"][1]["firm"] = "另一律师事务所"

    assert found(data, "G26-COUNSEL") == [
        (
            B,
            "structure.lawyers",
            "Give the 17-digit practising certificate number of lawyer 王律师 (entered: “12345”).",
        ),
        (
            B,
            "structure.lawyers",
            "Lawyer 李律师 is with “另一律师事务所”, not with the PRC counsel the filing names "
            "(“某律师事务所”).",
        ),
    ]


def test_the_demo_filing_names_its_lawyers(ready_filing):
    findings = [f for f in run_preflight(ready_filing) if f.code in ("COUNSEL-SIGNERS", "G26-COUNSEL")]

    assert findings == []
    assert list(ready_filing.lawyers.values_list("name", flat=True)) == ["王某", "李某"]


# -- receivable pools: the registration with the central registry, as a fact -----------------------


def _receivable_registration(**changes):
    from tests.filings.test_compliance_data import receivable_data

    data = receivable_data()
    data["registrations"][0].update(changes)
    return data


def test_registered_transfer_after_the_cutoff_passes():
    from tests.filings.test_compliance_data import receivable_data

    assert found(receivable_data(), "REG-TRANSFER") == []
    assert found(passing_data(), "REG-TRANSFER") == []  # a toll pool is perfected otherwise


def test_receivable_pool_without_registration_is_blocked():
    from tests.filings.test_compliance_data import receivable_data

    data = receivable_data()
    data["registrations"] = []

    assert found(data, "REG-TRANSFER") == [
        (
            B,
            "structure.registrations",
            "Record the central-registry (中登网) registration of the pool's transfer: registration number, "
            "date and term.",
        )
    ]


def test_registration_before_the_cutoff_does_not_cover_the_pool():
    data = _receivable_registration(registered_on="2026-09-01")

    assert found(data, "REG-TRANSFER") == [
        (
            B,
            "structure.registrations",
            "Registration 04521376000123456789 is dated 1 Sep 2026, before the pool's cut-off date "
            "30 Sep 2026: it cannot cover the transfer of this pool. Register the transfer of this pool.",
        )
    ]


def test_registration_after_the_planned_issue_date_does_not_perfect_the_issuance():
    data = _receivable_registration(registered_on="2026-10-20")
    data["offering"]["planned_issue_date"] = "2026-10-15"

    assert found(data, "REG-TRANSFER") == [
        (
            B,
            "structure.registrations",
            "Registration 04521376000123456789 is dated 20 Oct 2026, after the planned issue date "
            "15 Oct 2026: the transfer must be registered before the tokens are issued. Register it "
            "earlier or move the issue date.",
        )
    ]


def test_registration_on_or_before_the_planned_issue_date_passes():
    from tests.filings.test_compliance_data import receivable_data

    data = receivable_data()
    data["offering"]["planned_issue_date"] = "2026-10-08"  # the same day as the registration
    assert found(data, "REG-TRANSFER") == []


def test_registration_after_the_issue_date_is_reported_in_chinese():
    from django.utils import translation

    from filings.compliance.registry import evaluate
    from tests.filings.test_compliance_data import DEFAULT_CRITERIA

    data = _receivable_registration(registered_on="2026-10-20")
    data["offering"]["planned_issue_date"] = "2026-10-15"
    with translation.override("zh-hans"):
        messages = [str(f.message) for f in evaluate(data, DEFAULT_CRITERIA) if f.code == "REG-TRANSFER"]
    assert len(messages) == 1
    assert "计划发行日" in messages[0]


def test_registration_must_outlast_the_legal_final_maturity():
    data = _receivable_registration(term_months=12)

    assert found(data, "REG-TRANSFER") == [
        (
            B,
            "structure.registrations",
            "Registration 04521376000123456789 expires on 8 Oct 2027, before the legal final maturity "
            "31 Dec 2030: extend its term.",
        )
    ]


def test_registration_needs_number_and_date():
    data = _receivable_registration(registration_no="")

    assert found(data, "REG-TRANSFER") == [
        (
            B,
            "structure.registrations",
            "Give the registration number and the registration date of each central-registry registration.",
        )
    ]


# -- important debtors: figures and status, not only a name -----------------------------------------


def _concentrated():
    from decimal import Decimal

    from tests.filings.test_compliance_data import receivable_data, receivable_rows

    rows = receivable_rows()
    rows[0]["outstanding_amount"] = rows[0]["original_amount"] = Decimal("60000000")  # 60 of 250 = 24%
    return receivable_data(rows)


DEBTOR = {
    "name": "示例客户0有限公司",
    "uscc": "",
    "financial_year": 2025,
    "total_assets": "900000000.00",
    "net_assets": "400000000.00",
    "revenue": "1200000000.00",
    "net_profit": "50000000.00",
    "dishonest_listed": False,
    "enforcement_pending": False,
    "checked_on": "2026-10-10",
}


def test_pool_without_important_debtors_needs_no_figures():
    from tests.filings.test_compliance_data import receivable_data

    assert found(receivable_data(), "DEBTOR-FACTS") == []


def test_important_debtor_without_figures_is_blocked():
    data = _concentrated()

    assert found(data, "DEBTOR-FACTS") == [
        (
            B,
            "structure.important_debtors",
            "示例客户0有限公司 holds 24% of the pool (important debtor from 15%): record its latest "
            "financial figures (total assets, net assets, revenue, net profit, year) and the date its "
            "enforcement and dishonesty status was checked.",
        )
    ]


def test_important_debtor_with_figures_passes():
    data = _concentrated()
    data["important_debtors"] = [dict(DEBTOR)]

    assert found(data, "DEBTOR-FACTS") == []


def test_dishonest_important_debtor_is_blocked_and_pending_enforcement_flagged():
    data = _concentrated()
    data["important_debtors"] = [dict(DEBTOR, dishonest_listed=True)]
    assert found(data, "DEBTOR-FACTS") == [
        (
            B,
            "structure.important_debtors",
            "示例客户0有限公司, an important debtor (24% of the pool), is listed as a dishonest judgement "
            "debtor: the negative list excludes such a cash-flow provider. Remove its assets.",
        )
    ]

    data["important_debtors"] = [dict(DEBTOR, enforcement_pending=True)]
    assert found(data, "DEBTOR-FACTS") == [
        (
            W,
            "structure.important_debtors",
            "示例客户0有限公司, an important debtor (24% of the pool), has enforcement proceedings pending: "
            "explain them and their effect on the cash flow.",
        )
    ]
