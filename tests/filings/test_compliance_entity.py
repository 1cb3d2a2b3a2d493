"""Entity rules (identity, notice 42 wording, USCC, control) and the six G26 attestations."""

from __future__ import annotations

import pytest

from filings.models.attestations import PROHIBITED_CIRCUMSTANCES
from filings.validators import uscc_check_char
from tests.filings.test_compliance_data import found, passing_data

B, W = "blocking", "warning"


def test_entity_name_passes_with_name_representative_and_scope():
    assert found(passing_data(), "ENTITY-NAME") == []


def test_entity_name_asks_for_each_missing_identity_field():
    data = passing_data()
    data["entity"].update(name_zh="", legal_representative=" ", business_scope="")

    assert found(data, "ENTITY-NAME") == [
        (B, "entity.name_zh", "Enter the filing entity's registered Chinese name."),
        (B, "entity.legal_representative", "Enter the filing entity's legal representative."),
        (
            B,
            "entity.business_scope",
            "Enter the business scope exactly as registered, so it can be screened against notice 42.",
        ),
    ]


def test_n42_name_passes_a_plain_name():
    assert found(passing_data(), "N42-NAME") == []


def test_n42_name_blocks_banned_wording_in_either_name():
    data = passing_data()
    data["entity"].update(name_zh="甲稳定币科技有限公司", name_en="Ｒ.Ｗ.Ａ Tech Ltd")

    assert found(data, "N42-NAME") == [
        (
            B,
            "entity.name_zh",
            "The entity's registered name contains wording banned by notice Yinfa [2026] No. 42 "
            "(稳定币). The entity must change its registered name before it can file.",
        ),
        (
            B,
            "entity.name_en",
            "The entity's registered name contains wording banned by notice Yinfa [2026] No. 42 "
            "(RWA). The entity must change its registered name before it can file.",
        ),
    ]


def test_n42_scope_passes_listed_items_that_only_look_alike():
    data = passing_data()
    data["entity"]["business_scope"] = "数据加密、货币兑换以外的技术服务；forward contracts advisory"

    assert found(data, "N42-SCOPE") == []


def test_n42_scope_blocks_banned_wording_in_the_business_scope():
    data = passing_data()
    data["entity"]["business_scope"] = "数据处理；稳定币技术服务；虚拟资产咨询；稳定币发行"

    assert found(data, "N42-SCOPE") == [
        (
            B,
            "entity.business_scope",
            "The business scope contains wording banned by notice Yinfa [2026] No. 42 "
            "(稳定币、虚拟资产). The entity must remove it from its registered business "
            "scope before it can file.",
        ),
    ]


def test_uscc_valid_passes_a_valid_code():
    assert found(passing_data(), "USCC-VALID") == []


def test_uscc_valid_asks_for_a_missing_code():
    data = passing_data()
    data["entity"]["uscc"] = ""

    assert found(data, "USCC-VALID") == [
        (B, "entity.uscc", "Enter the filing entity's unified social credit code.")
    ]


def test_uscc_valid_blocks_a_wrong_check_character():
    data = passing_data()
    data["entity"]["uscc"] = "91110000600037341X"

    assert found(data, "USCC-VALID") == [
        (
            B,
            "entity.uscc",
            "Unified social credit code 91110000600037341X: The check character (the 18th) does "
            "not match: the code is mistyped or not genuine.",
        ),
    ]


def test_uscc_valid_warns_of_an_unknown_region_but_does_not_block():
    code = "91990000600037341" + uscc_check_char("91990000600037341")
    data = passing_data()
    data["entity"]["uscc"] = code

    assert found(data, "USCC-VALID") == [
        (
            W,
            "entity.uscc",
            f"Unified social credit code {code}: Characters 3 and 4 (99) are not the code of a "
            "provincial-level division; please verify the code.",
        ),
    ]


def test_entity_control_passes_with_controller_shareholder_and_chain():
    assert found(passing_data(), "ENTITY-CONTROL") == []


def test_entity_control_asks_for_controller_type_shareholder_and_chain():
    data = passing_data()
    data["entity"].update(actual_controller_type="", actual_controller="", controlling_shareholder="")
    data["control_links"] = []

    assert found(data, "ENTITY-CONTROL") == [
        (
            B,
            "entity.actual_controller_type",
            "State the type of the actual controller (state-owned body, "
            "collective, natural person, or no actual controller).",
        ),
        (B, "entity.controlling_shareholder", "Name the filing entity's controlling shareholder."),
        (
            B,
            "entity.control_links",
            "Describe the shareholding chain from the filing entity up to its actual controller.",
        ),
    ]


def test_entity_control_names_a_missing_natural_person_controller():
    data = passing_data()
    data["entity"].update(actual_controller_type="natural_person", actual_controller="")

    assert found(data, "ENTITY-CONTROL") == [
        (B, "entity.actual_controller", "Name the filing entity's actual controller.")
    ]


def test_entity_control_accepts_an_entity_without_actual_controller():
    data = passing_data()
    data["entity"].update(actual_controller_type="none", actual_controller="", controlling_shareholder="")

    assert found(data, "ENTITY-CONTROL") == []


G26_CODES = ["G26-1", "G26-2", "G26-3", "G26-4", "G26-5", "G26-6"]


def test_there_is_one_rule_per_prohibited_circumstance():
    assert [code for code, _text in PROHIBITED_CIRCUMSTANCES] == G26_CODES


@pytest.mark.parametrize("code", G26_CODES)
def test_each_g26_rule_passes_when_answered_no_with_evidence_and_signed(code):
    assert found(passing_data(), code) == []


@pytest.mark.parametrize("code", G26_CODES)
def test_each_g26_rule_blocks_when_the_circumstance_applies(code):
    data = passing_data()
    next(a for a in data["attestations"] if a["code"] == code)["answer"] = "yes"
    circumstance = str(dict(PROHIBITED_CIRCUMSTANCES)[code])

    assert found(data, code) == [
        (
            B,
            f"attestations.{code}",
            f"{code} applies to this filing: {circumstance} The business may not be "
            "carried out while it applies. If the answer is wrong, correct it and explain "
            "the evidence.",
        ),
    ]


@pytest.mark.parametrize("code", G26_CODES)
def test_each_g26_rule_blocks_when_unanswered_or_missing(code):
    data = passing_data()
    data["attestations"] = [a for a in data["attestations"] if a["code"] != code]

    assert found(data, code) == [
        (
            B,
            f"attestations.{code}",
            f"Answer {code} (does the circumstance apply?), give the evidence and have the "
            "issuer signatory sign it.",
        ),
    ]


def test_g26_asks_for_evidence_and_signature_separately():
    data = passing_data()
    data["attestations"][2].update(evidence="  ", signed_by=None)

    assert found(data, "G26-3") == [
        (
            B,
            "attestations.G26-3",
            "Give the evidence or explanation for the answer to G26-3 (for example the "
            "section of the PRC legal opinion that covers it).",
        ),
        (
            B,
            "attestations.G26-3",
            "G26-3 is answered but not signed: the issuer signatory must sign the attestations.",
        ),
    ]
    assert found(data, "G26-2") == []
