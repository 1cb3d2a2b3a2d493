"""Issue 16: several documents at once onto the materials checklist, in a real browser. Each file has
its own row, progress and error; the checklist rows change in place and the page never reloads."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(note: str) -> bytes:
    return PDF + f"% {note}\n%%EOF\n".encode()


def open_checklist(page, filing) -> None:
    page.goto(f"/filings/{filing.reference}/documents/")
    page.wait_for_selector("#bulk-upload:not([hidden])")
    # Mark the loaded page and scroll down: both survive only if nothing reloads it.
    page.evaluate("() => { window.loadedOnce = true; window.scrollTo(0, 400); }")


def still_the_same_page(page) -> bool:
    return page.evaluate("() => window.loadedOnce === true && window.scrollY > 0")


def queue_rows(page) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "[data-bulk-row]",
        """rows => rows.map(row => ({
            file: row.querySelector('[data-file-name]').textContent,
            kind: row.querySelector('[data-kind]').value,
            language: row.querySelector('[data-language]').value,
            state: row.getAttribute('data-state'),
            message: row.querySelector('[data-bulk-message]').textContent,
        }))""",
    )


def wait_settled(page, count: int) -> None:
    page.wait_for_function(
        """count => document.querySelectorAll(
            '[data-bulk-row][data-state=done], [data-bulk-row][data-state=error]').length === count""",
        arg=count,
    )


def drop(page, selector: str, files: list[tuple[str, bytes]]) -> None:
    """A drop as the browser makes it: a DataTransfer holding the files, dragged over then dropped."""
    page.evaluate(
        """([selector, files]) => {
            const transfer = new DataTransfer();
            for (const [name, encoded] of files) {
                const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, {type: 'application/pdf'}));
            }
            const target = document.querySelector(selector);
            const init = {bubbles: true, cancelable: true, dataTransfer: transfer};
            target.dispatchEvent(new DragEvent('dragover', init));
            target.dispatchEvent(new DragEvent('drop', init));
        }""",
        [selector, [[name, base64.b64encode(content).decode()] for name, content in files]],
    )


def current(page, code: str) -> str:
    return page.inner_text(f"[data-testid=current-{code}]").strip()


def test_four_files_picked_at_once_in_chinese(page, preparer, draft_filing):
    login(page, preparer.username, PASSWORD)
    open_checklist(page, draft_filing)
    assert page.get_attribute("html", "lang") == "zh-Hans"

    page.set_input_files(
        "#bulk-files",
        [
            {"name": "备案报告.pdf", "mimeType": "application/pdf", "buffer": pdf("report")},
            {"name": "境内法律意见书.pdf", "mimeType": "application/pdf", "buffer": pdf("opinion")},
            {"name": "scan-0001.pdf", "mimeType": "application/pdf", "buffer": pdf("commitments")},
            {"name": "特许经营协议.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n1 0 obj<<>>"},
        ],
    )

    # Matched by name where the name says which item; the scan waits for the person to choose.
    assert [(r["file"], r["kind"], r["state"]) for r in queue_rows(page)] == [
        ("备案报告.pdf", "FILING-REPORT", "ready"),
        ("境内法律意见书.pdf", "PRC-OPINION", "ready"),
        ("scan-0001.pdf", "", "ready"),
        ("特许经营协议.pdf", "CONCESSION", "ready"),
    ]
    page.click("[data-bulk-submit]")
    wait_settled(page, 4)
    rows = queue_rows(page)
    assert [(r["state"], r["message"]) for r in rows] == [
        ("done", "已上传 备案报告.pdf（版本 1）。"),
        ("done", "已上传 境内法律意见书.pdf（版本 1）。"),
        ("error", "请选择该文件所属的材料清单项。"),
        ("error", "该 PDF 不完整（缺少文件结尾）：请重新保存或导出后再上传。"),
    ]
    assert page.evaluate("() => document.activeElement.id") == page.get_attribute(
        "[data-bulk-row]:nth-child(3) [data-kind]", "id"
    )

    page.select_option("[data-bulk-row]:nth-child(3) [data-kind]", "COMMITMENTS")
    page.click("[data-bulk-submit]")
    page.wait_for_selector("[data-bulk-row]:nth-child(3)[data-state=done]")

    assert current(page, "FILING-REPORT").startswith("备案报告.pdf v1")
    assert current(page, "PRC-OPINION").startswith("境内法律意见书.pdf v1")
    assert current(page, "COMMITMENTS").startswith("scan-0001.pdf v1")
    assert current(page, "CONCESSION") == "未上传"
    assert still_the_same_page(page)
    assert sorted(draft_filing.documents.values_list("requirement__code", flat=True)) == [
        "COMMITMENTS",
        "FILING-REPORT",
        "PRC-OPINION",
    ]


def test_files_dropped_on_the_zone_and_on_a_row_in_english(page, preparer, draft_filing):
    login(page, preparer.username, PASSWORD)
    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")
    open_checklist(page, draft_filing)

    # Onto one item's row: the row says which item, so the file goes at once.
    drop(page, '[id="documents.TRAFFIC-STUDY"] td', [("study-final.pdf", pdf("study"))])
    wait_settled(page, 1)
    assert current(page, "TRAFFIC-STUDY").startswith("study-final.pdf v1")

    # Onto the drop zone: matched by name (an English file name, so English), sent on "Upload".
    drop(page, "[data-drop-zone]", [("Filing_Report_EN.pdf", pdf("report")), ("virus.pdf", b"MZ\x90\x00")])
    rows = queue_rows(page)
    assert [(r["kind"], r["language"]) for r in rows[1:]] == [("FILING-REPORT", "en"), ("", "zh-hans")]
    page.select_option("[data-bulk-row]:nth-child(3) [data-kind]", "SECURITY-REVIEW")
    page.click("[data-bulk-submit]")
    wait_settled(page, 3)

    assert [(r["state"], r["message"]) for r in queue_rows(page)] == [
        ("done", "study-final.pdf uploaded as version 1."),
        ("done", "Filing_Report_EN.pdf uploaded as version 1."),
        (
            "error",
            "The file's content is not PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, whatever its name says.",
        ),
    ]
    assert draft_filing.documents.get(requirement__code="FILING-REPORT").language == "en"

    # A row's own form uploads in place too, and says why the server refused.
    page.set_input_files(
        '[id="file-TRAFFIC-STUDY"]',
        {"name": "again.pdf", "mimeType": "application/pdf", "buffer": pdf("study")},
    )
    page.click('[id="documents.TRAFFIC-STUDY"] button[type=submit]')
    page.wait_for_selector('[id="documents.TRAFFIC-STUDY"] [data-row-status][data-state=error]')
    assert page.inner_text('[id="documents.TRAFFIC-STUDY"] [data-row-message]') == (
        "This exact file is already the current version."
    )
    page.set_input_files(
        '[id="file-TRAFFIC-STUDY"]',
        {"name": "study-v2.pdf", "mimeType": "application/pdf", "buffer": pdf("study v2")},
    )
    page.click('[id="documents.TRAFFIC-STUDY"] button[type=submit]')
    page.wait_for_selector('[id="documents.TRAFFIC-STUDY"] [data-row-status][data-state=done]')
    assert current(page, "TRAFFIC-STUDY").startswith("study-v2.pdf v2")
    assert (
        page.inner_text('[id="documents.TRAFFIC-STUDY"] [data-row-message]')
        == "study-v2.pdf uploaded as version 2."
    )
    assert still_the_same_page(page)
