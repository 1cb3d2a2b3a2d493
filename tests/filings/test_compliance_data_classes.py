"""Data classes: every checklist item and section field has one, the reviewer sees it, and the offshore
copy of the dossier withholds personal information and important data unless the transfer is cleared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.classification import DataClass, classified_items, field_class
from filings.dossier.render import build_html
from filings.models import DocumentRequirement
from filings.services import request_dossier, submit_filing

WITHHELD = "[withheld: not cleared for export]"


def _submit(filing, signatory, *, cleared: bool):
    if not cleared:
        filing.documents.filter(requirement__code="DATA-EXPORT").update(is_current=False)
    submit_filing(filing_id=filing.pk, by=signatory)
    return filing.snapshots.get()


def test_checklist_items_carry_their_class(db):
    classes = dict(DocumentRequirement.objects.values_list("code", "data_class"))

    assert classes["TEAM-LIST"] == DataClass.PERSONAL
    assert classes["RECEIVABLE-CONTRACTS"] == DataClass.IMPORTANT
    assert classes["OFFERING-DOCS"] == DataClass.PUBLIC
    assert classes["FILING-REPORT"] == DataClass.CONFIDENTIAL
    assert classes["DATA-EXPORT"] == DataClass.CONFIDENTIAL


def test_section_fields_are_classed_with_confidential_by_default():
    assert field_class("officers.name") == DataClass.PERSONAL
    assert field_class("entity.legal_representative") == DataClass.PERSONAL
    assert field_class("pool") == DataClass.IMPORTANT
    assert field_class("entity.name_zh") == DataClass.PUBLIC
    assert field_class("token.admin_powers") == DataClass.CONFIDENTIAL  # never classed: default


def test_snapshot_freezes_each_documents_class(ready_filing, signatory):
    snapshot = _submit(ready_filing, signatory, cleared=True)

    frozen = {d["requirement"]: d["data_class"] for d in snapshot.data["documents"]}
    assert frozen["TEAM-LIST"] == "personal"
    assert frozen["PRC-OPINION"] == "confidential"
    items = {item["path"]: item["data_class"] for item in classified_items(snapshot.data)}
    assert items["officers.name"] == "personal"
    assert items["TEAM-LIST"] == "personal"


def test_offshore_copy_withholds_personal_and_important_data_without_clearance(ready_filing, signatory):
    snapshot = _submit(ready_filing, signatory, cleared=False)

    html, content = build_html(snapshot, language="en", copy="offshore")

    assert "陈某" not in html  # legal representative and director: personal information
    assert WITHHELD in html
    assert "no data-export security assessment" in html
    assert "The asset pool is important data and is withheld" in html
    assert "TEAM-LIST" not in html and "REGISTRY-SEARCH" not in html  # personal / important documents
    assert "FILING-REPORT" in html  # confidential commercial: the offshore counsel may see it
    assert [a.filename for a in content.attachments] == []  # neither the snapshot JSON nor the tape


def test_offshore_copy_is_whole_once_the_transfer_is_cleared(ready_filing, signatory):
    snapshot = _submit(ready_filing, signatory, cleared=True)

    html, content = build_html(snapshot, language="en", copy="offshore")

    assert "陈某" in html and WITHHELD not in html
    assert "nothing is withheld" in html
    assert any(a.filename.endswith("-snapshot.json") for a in content.attachments)


def test_issuer_copy_is_unchanged(ready_filing, signatory):
    snapshot = _submit(ready_filing, signatory, cleared=False)

    html, _content = build_html(snapshot, language="en", copy="issuer")

    assert "陈某" in html and WITHHELD not in html and "TEAM-LIST" in html


def test_issuer_may_ask_for_the_offshore_copy(ready_filing, signatory):
    snapshot = _submit(ready_filing, signatory, cleared=False)

    job = request_dossier(snapshot_id=snapshot.pk, language="en", copy="offshore", by=signatory)

    assert job.copy == "offshore"
    assert job.filename.endswith("-en-offshore.pdf")


@pytest.mark.parametrize("cleared", [False])
def test_reviewer_sees_the_class_of_each_item(client, ready_filing, signatory, lead, cleared):
    snapshot = _submit(ready_filing, signatory, cleared=cleared)
    client.force_login(lead)
    client.cookies["filingdesk_language"] = "en"

    page = client.get(
        reverse("filings:snapshot", args=[ready_filing.reference, snapshot.version])
    ).content.decode()
    documents = client.get(reverse("filings:documents", args=[ready_filing.reference])).content.decode()

    assert 'data-testid="data-class-officers.name"' in page
    row = page[page.index('data-testid="data-class-officers.name"') :][:300]
    assert "Personal information" in row
    row = page[page.index('data-testid="data-class-TEAM-LIST"') :][:300]
    assert "Personal information" in row
    row = documents[documents.index('data-testid="data-class-TRAFFIC-STUDY"') :][:200]
    assert "Important data" in row
