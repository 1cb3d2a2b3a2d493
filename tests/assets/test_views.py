"""The pool screens as a preparer and a reviewer use them: templates, upload, mapping, progress, errors."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from assets.models import Asset, SavedMapping, TapeImport
from audit.models import Event
from filings.models import Filing
from tests.assets.fixtures import real
from tests.assets.fixtures.real import FIXTURES, needs_real_files
from tests.assets.fixtures.tapes import example_row, receivables, tape_csv
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(client, user, language="en"):
    client.login(username=user.username, password=PASSWORD)
    client.cookies["filingdesk_language"] = language
    return client


def upload(client, filing, content, name="tape.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, content), "kind": "assets", **fields}
    return client.post(reverse("filings:pool_upload", args=[filing.reference]), data)


def gbk_tape(count=5, **overrides) -> bytes:
    """What a Chinese issuer's Excel saves as CSV: GBK text under the template's Chinese headers."""
    rows = receivables(count, **overrides)
    return tape_csv(rows, language="zh", encoding="gbk")


def test_template_downloads_in_both_header_languages(client, preparer, receivable_filing):
    client_for(client, preparer)
    url = reverse("filings:pool_template", args=[receivable_filing.reference, "assets", "csv"])

    zh = client.get(url + "?lang=zh")
    en = client.get(url + "?lang=en")
    xlsx = client.get(reverse("filings:pool_template", args=[receivable_filing.reference, "assets", "xlsx"]))

    assert zh.content.decode("utf-8-sig").splitlines()[0].startswith("资产编号,基准日,")
    assert en.content.decode("utf-8-sig").splitlines()[0].startswith("Asset ID,Cut-off date,")
    assert zh["Content-Disposition"] == 'attachment; filename="trade_receivable-assets-template-zh.csv"'
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    assert workbook.sheet_names == ["资产信息", "历史表现（动态池）", "填写说明"]


def test_a_gbk_tape_with_chinese_headers_imports_and_the_pool_shows_its_figures(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client, receivable_filing, gbk_tape(5), name="资产清单.csv", cutoff_date="2025-12-31"
        )

    job = TapeImport.objects.get()
    assert response.url == reverse("filings:pool_import", args=[receivable_filing.reference, job.pk])
    assert (job.outcome, job.result["encoding"], job.rows_stored) == ("accepted", "gb18030", 5)
    receivable_filing.refresh_from_db()
    assert str(receivable_filing.cutoff_date) == "2025-12-31"  # typed on the form, saved on the filing
    page = client.get(response.url).content.decode()
    assert 'data-outcome="accepted"' in page
    assert 'data-testid="rows-stored">5<' in page
    pool_page = client.get(reverse("filings:pool", args=[receivable_filing.reference])).content.decode()
    assert "资产清单.csv" in pool_page
    assert "Largest obligor groups" in pool_page
    assert 'data-testid="eligible-count">5 ·' in pool_page
    assert "<svg" in pool_page  # stratification charts
    actions = list(Event.objects.filter(filing_id=receivable_filing.pk).values_list("action", flat=True))
    assert actions[-3:] == ["filing.cutoff_date", "tape.upload", "tape.import"]


def test_a_broken_tape_shows_each_error_with_row_column_value_and_reason(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, receivable_filing, gbk_tape(5), cutoff_date="2025-12-31")
    rows = receivables(4)
    rows[1]["days_past_due"] = "abc"
    rows[2]["region_code"] = "999999"
    broken = tape_csv(rows, language="zh", encoding="gbk")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, receivable_filing, broken, name="broken.csv")
    page = client.get(response.url).content.decode()

    job = TapeImport.objects.get(file_name="broken.csv")
    assert job.outcome == "refused"
    assert (
        '<td class="num">3</td><td>逾期天数</td><td>abc</td>'
        "<td>&#x27;abc&#x27; is not a whole number.</td>" in page
    )
    assert '<td class="num">4</td><td>行政区划代码</td><td>999999</td>' in page
    assert Asset.objects.filter(tape=job).count() == 0
    assert TapeImport.objects.get(is_current=True).file_name == "tape.csv"  # the previous tape stays
    csv_report = client.get(
        reverse("filings:pool_import_errors", args=[receivable_filing.reference, job.pk, "csv"])
    )
    lines = csv_report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Column,Value,Code,Message"
    assert lines[1].startswith("3,逾期天数,abc,not_an_integer,")
    xlsx = client.get(
        reverse("filings:pool_import_errors", args=[receivable_filing.reference, job.pk, "xlsx"])
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    assert sheet[1][:3] == [3.0, "逾期天数", "abc"]
    assert Event.objects.filter(action="tape.errors_download").count() == 2


def test_the_error_list_reads_in_chinese_for_a_chinese_reader(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, receivable_filing, gbk_tape(2, days_past_due="x"), cutoff_date="2025-12-31")

    page = client.get(response.url).content.decode()

    assert '<td class="num">2</td><td>逾期天数</td><td>x</td><td>&#x27;x&#x27; 不是整数。</td>' in page
    assert '<td class="num">3</td><td>逾期天数</td><td>x</td><td>&#x27;x&#x27; 不是整数。</td>' in page


def test_the_same_file_twice_is_recognised(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer)
    content = gbk_tape(3)
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(client, receivable_filing, content, cutoff_date="2025-12-31")

    again = upload(client, receivable_filing, content, name="copy.csv")

    assert again.url == first.url
    assert TapeImport.objects.count() == 1
    page = client.get(again.url).content.decode()
    assert "already the current Assets tape" in page


@needs_real_files
def test_a_foreign_tape_goes_through_the_mapping_step_and_the_mapping_is_saved(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer)
    response = upload(client, receivable_filing, real.IBM.read_bytes(), name=real.IBM.name)
    mapping_url = response.url
    page = client.get(mapping_url).content.decode()
    headers = ["countryCode", "customerID", "PaperlessDate", "invoiceNumber", "InvoiceDate", "DueDate"]

    assert "/mapping/" in mapping_url
    assert 'data-testid="missing-required">Asset ID, Cut-off date' in page
    assert "0000611365" in page  # the first rows, leading zeros kept
    assert all(f'value="{h}"' in page for h in headers)
    mapping = json.loads((FIXTURES / "ibm_receivables_mapping.json").read_text())
    with django_capture_on_commit_callbacks(execute=True):
        imported = client.post(
            mapping_url,
            {
                "_headers": [*headers, "InvoiceAmount", "Disputed", "SettledDate", "PaperlessBill"],
                "amount_unit": "yuan",
                "header_rows": "1",
                "mapping_json": json.dumps(mapping),
                "save_as": "IBM 月度导出",
                "action": "import",
            },
        )

    job = TapeImport.objects.get()
    assert imported.url == reverse("filings:pool_import", args=[receivable_filing.reference, job.pk])
    assert (job.outcome, job.rows_stored, job.mapping["date_format"]) == ("accepted", 2466, "M/D/YYYY")
    saved = SavedMapping.objects.get()
    assert (saved.name, saved.organisation_id, saved.mapping["columns"]["asset_id"]) == (
        "IBM 月度导出",
        preparer.organisation_id,
        "invoiceNumber",
    )
    # The next month's tape of that layout imports directly with the saved mapping.
    later = real.IBM.read_bytes().replace(b"0000611365", b"0000611366")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, receivable_filing, later, name="next.csv", saved_mapping=str(saved.pk))
    assert TapeImport.objects.get(file_name="next.csv").outcome == "accepted"


def test_the_mapping_form_builds_a_mapping_from_its_fields(client, preparer, receivable_filing):
    client_for(client, preparer)
    row = example_row("trade_receivable")
    foreign = "编号;客户;金额(万元)\n" + f"{row['asset_id']};{row['obligor_id']};120\n"
    response = upload(client, receivable_filing, foreign.encode("gbk"), name="foreign.csv")

    page = client.post(
        response.url,
        {
            "_headers": ["编号", "客户", "金额(万元)"],
            "col__asset_id": "编号",
            "col__obligor_id": "客户",
            "col__original_amount": "金额(万元)",
            "const__obligor_type": "corporate",
            "amount_unit": "wan",
            "delimiter": ";",
            "header_rows": "1",
            "auto_match": "on",
            "action": "preview",
        },
    ).content.decode()

    assert 'data-testid="preview-encoding">gb18030<' in page
    assert "&quot;asset_id&quot;: &quot;编号&quot;" in page
    assert "&quot;amount_unit&quot;: &quot;wan&quot;" in page
    assert TapeImport.objects.count() == 0  # a preview imports nothing


def test_progress_card_polls_while_running_and_refreshes_the_page_when_done(
    client, preparer, receivable_filing
):
    client_for(client, preparer)
    job = TapeImport.objects.create(
        pool=receivable_filing.pool,
        kind="assets",
        file_name="big.csv",
        sha256="0" * 64,
        size=1,
        status="running",
        progress={
            "stage": "reading",
            "rows_read": 15000,
            "rows_validated": 15000,
            "rows_stored": 10000,
            "percent": 40,
        },
    )
    url = reverse("filings:pool_import_status", args=[receivable_filing.reference, job.pk])

    running = client.get(url).content.decode()
    TapeImport.objects.filter(pk=job.pk).update(status="succeeded", result={"ok": True})
    done = client.get(url + "?poll=1", HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in running
    assert '<progress id="import-progress-' in running and 'value="40"' in running
    assert "Rows read 15000 · validated 15000 · stored 10000" in running
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_the_original_tape_downloads_from_private_storage(
    client, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    client_for(client, preparer)
    content = gbk_tape(2)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, receivable_filing, content, name="原始.csv", cutoff_date="2025-12-31")
    job = TapeImport.objects.get()

    response = client.get(reverse("filings:pool_tape_file", args=[receivable_filing.reference, job.pk]))

    assert b"".join(response.streaming_content) == content
    assert Event.objects.filter(action="tape.download", subject_id=job.pk).exists()


def test_another_organisation_sees_nothing(client, other_preparer, receivable_filing, preparer, good_tape):
    from tests.assets.test_services import run

    job = run(receivable_filing.pool, good_tape, by=preparer)
    client_for(client, other_preparer)
    ref = receivable_filing.reference

    for url in (
        reverse("filings:pool", args=[ref]),
        reverse("filings:pool_import", args=[ref, job.pk]),
        reverse("filings:pool_tape_file", args=[ref, job.pk]),
        reverse("filings:pool_import_errors", args=[ref, job.pk, "csv"]),
        reverse("filings:pool_assets", args=[ref]),
    ):
        assert client.get(url).status_code == 404, url
    assert upload(client, receivable_filing, good_tape).status_code == 404
    assert TapeImport.objects.count() == 1


def test_regulator_staff_read_a_submitted_pool_but_cannot_change_it(
    client, lead, preparer, receivable_filing, good_tape
):
    from tests.assets.test_services import run

    run(receivable_filing.pool, good_tape, by=preparer)
    Filing.objects.filter(pk=receivable_filing.pk).update(state="submitted")
    client_for(client, lead)

    page = client.get(reverse("filings:pool", args=[receivable_filing.reference])).content.decode()
    refused = upload(client, receivable_filing, gbk_tape(1))

    assert "Tapes in force" in page and "upload-tape" not in page
    assert refused.status_code == 302
    assert TapeImport.objects.count() == 1


def test_a_reviewer_does_not_see_a_draft_pool(client, reviewer, receivable_filing):
    client_for(client, reviewer)

    assert client.get(reverse("filings:pool", args=[receivable_filing.reference])).status_code == 404


def test_the_issuer_cannot_upload_once_the_filing_is_submitted(client, preparer, receivable_filing):
    Filing.objects.filter(pk=receivable_filing.pk).update(state="submitted")
    client_for(client, preparer)

    response = upload(client, receivable_filing, gbk_tape(1))
    page = client.get(response.url).content.decode()

    assert "can be changed only while the filing is a draft" in page
    assert TapeImport.objects.count() == 0


def test_the_asset_list_pages_through_the_ineligible_assets(client, preparer, receivable_filing):
    from tests.assets.test_services import run

    rows = receivables(3)
    rows[0]["disputed"] = "是"
    run(receivable_filing.pool, tape_csv(rows), by=preparer)
    client_for(client, preparer)

    page = client.get(reverse("filings:pool_assets", args=[receivable_filing.reference]) + "?ineligible=1")

    body = page.content.decode()
    assert body.count('<span class="badge bad">no</span>') == 1
    assert "The receivable is disputed." in body


def test_the_toll_pool_page_shows_coverage_under_every_stress(client, preparer, ready_filing):
    client_for(client, preparer)

    page = client.get(reverse("filings:pool", args=[ready_filing.reference])).content.decode()

    assert 'data-testid="coverage-table"' in page
    assert "Revenue −10%" in page and "Revenue −20%" in page and "Revenue −30%" in page
    assert page.count("<svg") >= 3  # monthly revenue, annual revenue, coverage
    assert 'data-testid="tab-pool"' in page
