"""The checklist's file-by-file upload endpoint (the page's drop zone and multi-file picker send each
file here): the item's new row on success, else the server's own reason in the person's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(client, filing, *, name="备案报告.pdf", content=PDF, requirement="FILING-REPORT", language="en"):
    client.cookies["filingdesk_language"] = language
    data = {"language": "zh-hans", "file": SimpleUploadedFile(name, content)}
    if requirement is not None:
        data["requirement"] = requirement
    return client.post(reverse("filings:document_upload", args=[filing.reference]), data)


def test_an_accepted_file_returns_the_items_new_row(client, preparer, draft_filing):
    client.force_login(preparer)

    reply = post(client, draft_filing)

    body = reply.json()
    document = draft_filing.documents.get()
    assert reply.status_code == 200
    assert (body["ok"], body["requirement"], body["version"]) == (True, "FILING-REPORT", 1)
    assert body["message"] == "备案报告.pdf uploaded as version 1."
    assert body["row"].startswith('<tr id="documents.FILING-REPORT"')
    assert "备案报告.pdf</a> v1" in body["row"] and document.sha256 in body["row"]
    assert (document.requirement.code, document.original_name, document.is_current) == (
        "FILING-REPORT",
        "备案报告.pdf",
        True,
    )


def test_a_second_file_for_the_same_item_becomes_version_two(client, preparer, draft_filing):
    client.force_login(preparer)
    post(client, draft_filing)

    reply = post(client, draft_filing, name="备案报告-修订.pdf", content=PDF + b"% revised\n%%EOF\n")

    assert reply.json()["version"] == 2
    assert "Earlier versions" in reply.json()["row"]
    assert list(draft_filing.documents.order_by("version").values_list("version", "is_current")) == [
        (1, False),
        (2, True),
    ]


@pytest.mark.parametrize(
    ("language", "name", "content", "error"),
    [
        (
            "en",
            "report.pdf",
            b"MZ\x90\x00 not a document",
            "The file's content is not PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, whatever its name says.",
        ),
        (
            "zh-hans",
            "report.pdf",
            b"MZ\x90\x00 not a document",
            "文件内容不属于 PDF、Word（DOCX）、Excel（XLSX）、PNG 或 JPEG 格式"
            "（以实际内容为准，与文件名无关）。",
        ),
        (
            "en",
            "cut.pdf",
            b"%PDF-1.7\n1 0 obj<<>>endobj\n",
            "The PDF is incomplete (its end is missing): save or export it again and upload it.",
        ),
        (
            "zh-hans",
            "cut.pdf",
            b"%PDF-1.7\n1 0 obj<<>>endobj\n",
            "该 PDF 不完整（缺少文件结尾）：请重新保存或导出后再上传。",
        ),
        (
            "en",
            "locked.pdf",
            b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<< /Encrypt 2 0 R >>\n%%EOF\n",
            "The PDF is protected by a password: remove the protection so reviewers can open it.",
        ),
        ("en", "empty.pdf", b"", "The file is empty."),
        ("zh-hans", "empty.pdf", b"", "文件为空。"),
    ],
)
def test_a_refused_file_says_why_in_the_persons_language(
    client, preparer, draft_filing, language, name, content, error
):
    client.force_login(preparer)

    reply = post(client, draft_filing, name=name, content=content, language=language)

    assert reply.status_code in (400, 422)
    assert reply.json() == {"ok": False, "error": error}
    assert not draft_filing.documents.exists()


def test_a_file_over_the_limit_is_refused_with_both_sizes(client, preparer, draft_filing, settings):
    settings.DOCUMENT_MAX_BYTES = 1048576
    client.force_login(preparer)

    reply = post(client, draft_filing, content=PDF + b"0" * 1572864 + b"\n%%EOF\n")

    assert (reply.status_code, reply.json()["error"]) == (422, "The file is 1.5 MB; the limit is 1 MB.")
    assert not draft_filing.documents.exists()


def test_a_file_without_an_item_is_refused(client, preparer, draft_filing):
    client.force_login(preparer)

    missing = post(client, draft_filing, requirement=None)
    other_class = post(client, draft_filing, requirement="LEASE-CONTRACTS")  # a finance-lease item

    assert (missing.status_code, missing.json()["error"]) == (
        400,
        "Choose the checklist item this file belongs to.",
    )
    assert (other_class.status_code, other_class.json()["error"]) == (
        422,
        "This checklist item does not apply to the filing.",
    )
    assert not draft_filing.documents.exists()


def test_another_organisations_filing_does_not_exist(client, other_preparer, draft_filing):
    client.force_login(other_preparer)

    reply = post(client, draft_filing)

    assert reply.status_code == 404
    assert not draft_filing.documents.exists()


def test_a_submitted_filing_refuses_new_documents(client, preparer, signatory, ready_filing):
    from filings.services import submit_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    client.force_login(preparer)
    before = ready_filing.documents.count()

    reply = post(client, ready_filing)

    assert (reply.status_code, reply.json()["error"]) == (
        403,
        "This section cannot be edited in the filing's current state.",
    )
    assert ready_filing.documents.count() == before


def test_the_plain_form_still_uploads_and_reloads(client, preparer, draft_filing):
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "en"

    reply = client.post(
        reverse("filings:documents", args=[draft_filing.reference]),
        {"requirement": "FILING-REPORT", "language": "en", "file": SimpleUploadedFile("report.pdf", PDF)},
        follow=True,
    )

    assert [str(m) for m in reply.context["messages"]] == ["report.pdf uploaded as version 1."]
    assert draft_filing.documents.get().language == "en"


def test_the_page_offers_the_multi_file_picker(client, preparer, draft_filing):
    url = reverse("filings:documents", args=[draft_filing.reference])
    client.force_login(preparer)
    preparer_page = client.get(url).content.decode()

    assert 'id="bulk-files"' in preparer_page and "multiple" in preparer_page
    assert 'data-keywords="' in preparer_page and "备案报告" in preparer_page
