"""Document rules: the checklist for the asset class, opinion signers, hedged conclusions."""

from __future__ import annotations

import pytest
from django.utils import translation

from filings.compliance import evaluate, preflight_data, run_preflight
from tests.filings.test_compliance_data import found, passing_data

B, W = "blocking", "warning"


def _document(data, code):
    return next(d for d in data["documents"] if d["requirement"] == code)


def test_checklist_passes_when_every_required_item_is_uploaded():
    data = passing_data()  # REGULATORY-OPINIONS is optional and not uploaded

    assert found(data, "DOC-CHECKLIST") == []


def test_checklist_names_each_missing_required_item_in_the_readers_language():
    data = passing_data()
    data["documents"] = [
        d for d in data["documents"] if d["requirement"] not in ("PRC-OPINION", "TOLL-APPROVALS")
    ]

    assert found(data, "DOC-CHECKLIST") == [
        (B, "documents.PRC-OPINION", "Upload the PRC legal opinion (checklist item PRC-OPINION)."),
        (
            B,
            "documents.TOLL-APPROVALS",
            "Upload the Toll collection approvals and toll period (checklist item TOLL-APPROVALS).",
        ),
    ]
    finding = next(f for f in evaluate(data, {}) if f.code == "DOC-CHECKLIST")
    with translation.override("zh-hans"):
        assert "境内法律意见书" in str(finding.message)


@pytest.mark.django_db
def test_checklist_reads_the_admin_edited_checklist_for_the_asset_class(ready_filing):
    ready_filing.documents.update(is_current=False)
    requirements = preflight_data(ready_filing)["document_requirements"]
    required = [r["code"] for r in requirements if r["required"]]

    assert "TOLL-APPROVALS" in required and "LEASE-CONTRACTS" not in required
    assert "REGULATORY-OPINIONS" not in required
    assert [f.field for f in run_preflight(ready_filing) if f.code == "DOC-CHECKLIST"] == [
        f"documents.{code}" for code in required
    ]


def test_opinion_signers_passes_two_signers():
    assert found(passing_data(), "DOC-OPINION-SIGNERS") == []


def test_opinion_signers_blocks_one_signer_and_an_unknown_count():
    data = passing_data()
    _document(data, "PRC-OPINION")["signer_count"] = 1
    _document(data, "TRUE-SALE-OPINION")["signer_count"] = None
    _document(data, "FILING-REPORT")["signer_count"] = None  # not a legal opinion: no signers needed

    with translation.override("en"):
        assert found(data, "DOC-OPINION-SIGNERS") == [
            (
                B,
                "documents.PRC-OPINION",
                "The PRC legal opinion is signed by 1 lawyer(s); at least 2 must sign. "
                "Upload a version signed by two practising lawyers.",
            ),
            (
                B,
                "documents.TRUE-SALE-OPINION",
                "State how many lawyers signed the True-sale and "
                "bankruptcy-remoteness opinion (at least 2 must sign).",
            ),
        ]


def test_hedge_passes_a_clear_conclusion():
    assert found(passing_data(), "DOC-HEDGE") == []


def test_hedge_blocks_hedged_conclusions_and_warns_of_a_missing_one():
    data = passing_data()
    _document(data, "PRC-OPINION")["conclusion_text"] = "本次发行基本符合相关规定，总体上 满足监管要求。"
    _document(data, "TRUE-SALE-OPINION")["conclusion_text"] = ""

    assert found(data, "DOC-HEDGE") == [
        (
            B,
            "documents.PRC-OPINION",
            "The conclusion of the PRC legal opinion is hedged (基本符合、总体上满足). A "
            "legal opinion must state a clear conclusion; give a qualified opinion with "
            "reasons instead.",
        ),
        (
            W,
            "documents.TRUE-SALE-OPINION",
            "Record the conclusion of the True-sale and bankruptcy-remoteness "
            "opinion so it can be checked for hedged wording.",
        ),
    ]
