"""Notices: text fixed at issue; the PDF is rendered once from it, signed when an identity exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from filings.dossier.pdf import extract_attachments
from reviews import services
from tests.filings.dossier_support import structure_roles
from tests.reviews.helpers import answer_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing_notice(under_review, reviewer, lead):
    answer_everything(under_review, reviewer)
    decision = services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")
    return services.confirm_decision(decision_id=decision.pk, by=lead).notice


@override_settings(DOSSIER_SIGNING_P12="/nonexistent/signer.p12")
def test_the_pdf_carries_the_stored_text_and_renders_once(filing_notice):
    notice = services.render_notice_pdf(filing_notice.pk)
    first = notice.pdf_sha256

    again = services.render_notice_pdf(filing_notice.pk)

    assert again.pdf_sha256 == first and not notice.signed
    pdf = Path(notice.pdf.path).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert extract_attachments(pdf)["notice.txt"].decode() == notice.text_zh + "\n\f\n" + notice.text_en


def test_the_pdf_is_signed_when_a_signing_identity_exists(filing_notice, tmp_path):
    from filings.dossier.signing import create_dev_signing_identity, verify_pdf

    paths = create_dev_signing_identity(tmp_path, common_name="CSRC Filing Desk (test)", passphrase="notice")
    with override_settings(DOSSIER_SIGNING_P12=str(paths.signer_p12), DOSSIER_SIGNING_PASSPHRASE="notice"):
        notice = services.render_notice_pdf(filing_notice.pk)

    pdf = Path(notice.pdf.path).read_bytes()
    assert notice.signed
    assert verify_pdf(pdf, trust_roots=[paths.ca_cert]).valid
    assert structure_roles(pdf)["P"] >= 1  # tagged (PDF/A-3a): a screen reader follows its structure
    assert extract_attachments(pdf)["notice.txt"].decode() == notice.text_zh + "\n\f\n" + notice.text_en


def test_the_reviewer_copy_of_the_dossier_gets_the_round_s_review_history(filing_notice):
    from reviews.dossier import review_history

    filing = filing_notice.filing
    history = review_history(filing, filing.snapshots.get(version=1))

    assert len(history["checklist"]) == filing.review_rounds.get().answers.count()
    assert history["checklist"][0]["evidence"] == "structure.spv_name"
    assert [d["confirmed_by"] for d in history["decisions"]] == [
        "lead" if False else str(filing_notice.issued_by)
    ]
    assert history["rounds"] == []
    with override_settings(DOSSIER_REVIEW_HISTORY_PROVIDER="reviews.dossier.review_history"):
        from filings.dossier.history import review_history as dossier_history

        printed = dossier_history(filing.snapshots.get(version=1))
    assert printed["source"] == "provider" and len(printed["checklist"].rows) == len(history["checklist"])
