"""Editing sections, signing attestations and uploading documents through the services."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.selectors import events_for_filing
from filings import services
from filings.errors import SectionLockedError, StaleEditError, TransitionRefusedError, UploadRejectedError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_new_filing_has_a_reference_sections_and_six_attestations(draft_filing, issuer_org):
    assert draft_filing.reference == f"ABST-{draft_filing.created_at.year}-{draft_filing.pk:05d}"
    assert draft_filing.entity.name_zh == issuer_org.name_zh
    assert list(draft_filing.attestations.values_list("code", flat=True)) == [f"G26-{i}" for i in range(1, 7)]


def test_saving_a_section_bumps_its_version_and_records_what_changed(draft_filing, preparer):
    services.update_section(
        filing_id=draft_filing.pk,
        section="offering",
        by=preparer,
        expected_version=0,
        fields={"total_size": Decimal("100000000"), "currency": "USD"},
        rows={
            "venues": [
                {
                    "jurisdiction": "HK",
                    "name": "HKEX",
                    "regulator": "SFC",
                    "intermediary": "",
                    "intermediary_licence": "",
                    "investor_eligibility": "hk_pi",
                }
            ]
        },
    )

    draft_filing.refresh_from_db()
    assert draft_filing.offering.version == 1
    assert draft_filing.offering.total_size == Decimal("100000000")
    assert list(draft_filing.venues.values_list("name", flat=True)) == ["HKEX"]
    event = events_for_filing(draft_filing.pk).last()
    assert event.action == "section.update"
    assert event.data["section"] == "offering" and event.data["version"] == 1
    assert event.data["changes"] == {"total_size": [None, "100000000"]}
    assert event.data["rows"]["venues"]["before"] == []
    assert event.data["rows"]["venues"]["after"][0]["name"] == "HKEX"


def test_a_stale_editor_cannot_overwrite_a_newer_save(draft_filing, preparer):
    services.update_section(
        filing_id=draft_filing.pk,
        section="token",
        by=preparer,
        expected_version=0,
        fields={"network": "First"},
        rows={},
    )

    with pytest.raises(StaleEditError):
        services.update_section(
            filing_id=draft_filing.pk,
            section="token",
            by=preparer,
            expected_version=0,
            fields={"network": "Second"},
            rows={},
        )

    draft_filing.refresh_from_db()
    assert (draft_filing.token.network, draft_filing.token.version) == ("First", 1)


def test_other_organisations_cannot_edit(draft_filing, other_preparer):
    with pytest.raises(TransitionRefusedError):
        services.update_section(
            filing_id=draft_filing.pk,
            section="token",
            by=other_preparer,
            expected_version=0,
            fields={"network": "Mine"},
            rows={},
        )
    draft_filing.refresh_from_db()
    assert draft_filing.token.network == ""


def test_submitted_filing_is_locked(ready_filing, preparer, signatory):
    services.submit_filing(filing_id=ready_filing.pk, by=signatory)
    version = ready_filing.token.version

    with pytest.raises(SectionLockedError):
        services.update_section(
            filing_id=ready_filing.pk,
            section="token",
            by=preparer,
            expected_version=version,
            fields={"network": "Changed"},
            rows={},
        )


def test_only_the_signatory_signs_attestations(draft_filing, preparer, signatory):
    answers = {f"G26-{i}": ("no", "见法律意见书") for i in range(1, 7)}
    with pytest.raises(TransitionRefusedError):
        services.sign_attestations(filing_id=draft_filing.pk, answers=answers, by=preparer)
    assert not draft_filing.attestations.filter(signed_by__isnull=False).exists()

    services.sign_attestations(filing_id=draft_filing.pk, answers=answers, by=signatory)

    assert set(draft_filing.attestations.values_list("answer", "signed_by__username")) == {
        ("no", "signatory")
    }


def test_upload_is_typed_by_content_hashed_and_versioned(draft_filing, preparer):
    first = services.upload_document(
        filing_id=draft_filing.pk,
        requirement_code="FILING-REPORT",
        by=preparer,
        upload=SimpleUploadedFile("report.docx", PDF),
    )
    second = services.upload_document(
        filing_id=draft_filing.pk,
        requirement_code="FILING-REPORT",
        by=preparer,
        upload=SimpleUploadedFile("report-v2.pdf", PDF + b"%more\n"),
    )

    assert (first.content_type, first.sha256) == ("application/pdf", hashlib.sha256(PDF).hexdigest())
    assert (second.version, second.is_current) == (2, True)
    first.refresh_from_db()
    assert first.is_current is False
    assert first.file.read() == PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a document", "is not PDF"),
        (b"", "empty"),
        (b"PK\x03\x04 broken zip", "is not PDF"),
    ],
)
def test_uploads_that_are_not_documents_are_refused(draft_filing, preparer, content, message):
    with pytest.raises(UploadRejectedError) as error:
        services.upload_document(
            filing_id=draft_filing.pk,
            requirement_code="FILING-REPORT",
            by=preparer,
            upload=SimpleUploadedFile("evil.pdf", content),
        )
    assert message in str(error.value.user_message)
    assert not draft_filing.documents.exists()


def test_oversized_upload_is_refused(draft_filing, preparer, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(UploadRejectedError):
        services.upload_document(
            filing_id=draft_filing.pk,
            requirement_code="FILING-REPORT",
            by=preparer,
            upload=SimpleUploadedFile("big.pdf", PDF),
        )


def test_same_file_twice_is_recognised(draft_filing, preparer):
    services.upload_document(
        filing_id=draft_filing.pk,
        requirement_code="FILING-REPORT",
        by=preparer,
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    with pytest.raises(UploadRejectedError):
        services.upload_document(
            filing_id=draft_filing.pk,
            requirement_code="FILING-REPORT",
            by=preparer,
            upload=SimpleUploadedFile("b.pdf", PDF),
        )
    assert draft_filing.documents.count() == 1


def test_requirement_for_another_asset_class_is_refused(draft_filing, preparer):
    with pytest.raises(UploadRejectedError):
        services.upload_document(
            filing_id=draft_filing.pk,
            requirement_code="LEASE-CONTRACTS",
            by=preparer,
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
