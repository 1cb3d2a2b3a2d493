"""Structure and risk-isolation rules: tranches, SPV, true sale, collection account, servicer, enhancement."""

from __future__ import annotations

from tests.filings.test_compliance_data import found, passing_data, receivable_data, toll_pool

B, W = "blocking", "warning"


def test_tranche_present_passes_with_tranches():
    assert found(passing_data(), "TRANCHE-PRESENT") == []


def test_tranche_present_blocks_without_tranches():
    data = passing_data()
    data["tranches"] = []

    assert found(data, "TRANCHE-PRESENT") == [
        (
            B,
            "structure.tranches",
            "Describe at least one tranche of the token issuance (size, currency, legal final maturity).",
        ),
    ]


def test_spv_passes_when_named_with_a_valid_lei():
    data = passing_data()
    data["structure"]["spv_lei"] = "5493001KJTIIGC8Y1R12"

    assert found(data, "RI-SPV") == []


def test_spv_blocks_without_name_and_jurisdiction_and_warns_of_a_bad_lei():
    data = passing_data()
    data["structure"].update(spv_name="", spv_jurisdiction="", spv_lei="5493001KJTIIGC8Y1R13")

    assert found(data, "RI-SPV") == [
        (B, "structure.spv_name", "Name the offshore issuer (SPV) of the tokens."),
        (B, "structure.spv_jurisdiction", "State the SPV's jurisdiction of incorporation."),
        (
            W,
            "structure.spv_lei",
            "The SPV's LEI 5493001KJTIIGC8Y1R13 is not a valid legal entity identifier: "
            "correct it or leave it empty.",
        ),
    ]


def test_true_sale_passes_with_the_opinion():
    assert found(passing_data(), "RI-TRUE-SALE") == []


def test_true_sale_blocks_without_the_opinion():
    data = passing_data()
    data["documents"] = [d for d in data["documents"] if d["requirement"] != "TRUE-SALE-OPINION"]

    assert found(data, "RI-TRUE-SALE") == [
        (
            B,
            "documents.TRUE-SALE-OPINION",
            "Upload the legal opinion on the true sale of the assets and the "
            "bankruptcy remoteness of the issuer: without it the risk isolation "
            "cannot be assessed.",
        ),
    ]


def test_collection_passes_a_segregated_swept_account():
    assert found(passing_data(), "RI-COLLECTION") == []


def test_collection_blocks_a_missing_account():
    data = passing_data()
    data["accounts"] = [a for a in data["accounts"] if a["role"] != "collection"]

    assert found(data, "RI-COLLECTION") == [
        (
            B,
            "structure.accounts",
            "Describe the collection account into which the assets' cash flows are paid.",
        )
    ]


def test_collection_blocks_a_commingled_account():
    data = passing_data()
    data["accounts"][0]["segregated"] = False

    assert found(data, "RI-COLLECTION") == [
        (
            B,
            "structure.accounts",
            "The collection account is not segregated from the originator: collections "
            "would be commingled. Open a segregated account under a control agreement.",
        ),
    ]


def test_collection_blocks_an_account_never_swept():
    data = passing_data()
    data["accounts"][0]["sweep_frequency"] = "none"

    assert found(data, "RI-COLLECTION") == [
        (
            B,
            "structure.accounts",
            "The segregated collection account is never swept to the issuer's account: "
            "state the sweep frequency.",
        ),
    ]


def test_collection_holds_toll_income_to_the_profiles_sweep_frequencies():
    data = passing_data()
    data["accounts"][0]["sweep_frequency"] = "quarterly"

    assert found(data, "RI-COLLECTION") == [
        (
            B,
            "structure.accounts",
            "Toll income must be swept at least as often as the criteria profile requires "
            "(daily, weekly, monthly); the collection account is swept quarterly.",
        ),
    ]
    receivables = receivable_data()
    receivables["accounts"][0]["sweep_frequency"] = "quarterly"
    assert found(receivables, "RI-COLLECTION") == []


def test_servicer_passes_with_trigger_and_backup():
    assert found(passing_data(), "RI-SERVICER") == []


def test_servicer_blocks_without_servicer_backup_or_trigger():
    data = passing_data()
    data["parties"] = [p for p in data["parties"] if p["role"] not in ("servicer", "backup_servicer")]
    data["triggers"] = [t for t in data["triggers"] if t["kind"] != "servicer_termination"]

    assert found(data, "RI-SERVICER") == [
        (B, "structure.parties", "Name the servicer that collects the assets' cash flows."),
        (B, "structure.parties", "Name a backup servicer that takes over if the servicer is replaced."),
        (
            B,
            "structure.triggers",
            "Add a servicer-termination trigger (insolvency, failure to remit, breach) that "
            "replaces the servicer.",
        ),
    ]


def test_credit_enhancement_passes_on_structural_support():
    data = receivable_data()  # subordination 10 % and OC 12 %: support 1.12 / 0.9 = 1.24x

    assert found(data, "RI-CE") == []


def test_credit_enhancement_passes_on_stress_coverage_even_when_the_structure_is_thin():
    data = passing_data()  # toll income: coverage 5.1x when revenue falls by a fifth
    data["structure"].update(subordination_pct="0", overcollateralisation_pct="0")

    assert found(data, "RI-CE") == []


def test_credit_enhancement_blocks_thin_support_without_stress_coverage():
    data = receivable_data()
    data["structure"].update(subordination_pct="2", overcollateralisation_pct="2")  # 1.02 / 0.98 = 1.04x

    assert found(data, "RI-CE") == [
        (
            B,
            "structure.subordination_pct",
            "Credit enhancement looks thin: the declared subordination and "
            "over-collateralisation give senior support of 1.04x (at least 1.10x "
            "expected, below 1.05x refused) and the minimum coverage when revenue "
            "falls by a fifth is — (at least 1.00x expected). Strengthen the "
            "enhancement or explain why it suffices.",
        ),
    ]


def test_credit_enhancement_warns_of_amber_support():
    data = receivable_data()
    data["structure"].update(subordination_pct="3", overcollateralisation_pct="3")  # 1.03 / 0.97 = 1.06x

    assert [(severity, field) for severity, field, _message in found(data, "RI-CE")] == [
        (W, "structure.subordination_pct")
    ]


def test_credit_enhancement_blocks_when_stress_and_structure_are_both_red():
    data = passing_data()
    data["pool"] = toll_pool(
        forecast_ncf=8_000_000
    )  # 24m a quarter against 20m due: −20 % revenue leaves < 0
    data["structure"].update(subordination_pct="1", overcollateralisation_pct="1")

    assert [(severity, field) for severity, field, _message in found(data, "RI-CE")] == [
        (B, "structure.subordination_pct")
    ]


def test_credit_enhancement_asks_for_a_description_when_nothing_is_known():
    data = receivable_data()
    data["structure"].update(subordination_pct=None, overcollateralisation_pct=None)
    for tranche in data["tranches"]:
        tranche["seniority"] = 1

    assert found(data, "RI-CE") == [
        (
            B,
            "structure.subordination_pct",
            "Describe the credit enhancement (subordination, "
            "over-collateralisation) or import the pool's cash flows so coverage "
            "under stress can be computed.",
        ),
    ]


def test_credit_enhancement_derives_subordination_from_junior_tranches():
    data = receivable_data()  # tranche B is 20m of 170m: 11.8 % subordination
    data["structure"].update(subordination_pct=None, overcollateralisation_pct=None)

    assert found(data, "RI-CE") == []
