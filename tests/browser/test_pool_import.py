"""Issue 4's "Done when", walked in a real browser as a new preparer meets it: the template downloaded and
filled with Chinese headers, a GBK file imported while the progress bar is watched, a broken file's
error list read in both languages and fixed, and a real foreign file imported through the mapping step."""

from __future__ import annotations

import csv
import io
import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from assets.models import SavedMapping, TapeImport
from assets.tape import get_schema
from filings.services import create_filing
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import PASSWORD
from tests.real_data import REAL_DATA, needs_real_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IBM = REAL_DATA / "receivables-ibm-sample" / "WA_Fn-UseC_-Accounts-Receivable.csv"
IBM_MAPPING = Path(__file__).resolve().parents[1] / "assets" / "fixtures" / "ibm_receivables_mapping.json"
COLUMNS = get_schema("trade_receivable", "assets").columns
ZH_HEADERS = [column.zh for column in COLUMNS]
EN_HEADERS = [column.en for column in COLUMNS]


class Workers:
    """The embedded default's background worker thread, held until the test lets it take the job, so
    the page can be looked at while the import waits, exactly as with busy Celery workers."""

    def __init__(self) -> None:
        self.free = threading.Event()

    def release(self) -> None:
        self.free.set()


@pytest.fixture
def workers(settings, monkeypatch) -> Workers:
    from jobs import runner

    settings.JOBS_RUN_INLINE = False  # the upload returns at once; the import runs in a thread
    held = Workers()
    run = runner._run_in_thread

    def when_free(task, args):
        held.free.wait(timeout=60)
        run(task, args)

    monkeypatch.setattr(runner, "_run_in_thread", when_free)
    yield held
    held.release()


@pytest.fixture
def receivable_filing(preparer):
    return create_filing(
        organisation=preparer.organisation,
        title="测试应收账款 2026-1",
        asset_class="trade_receivable",
        by=preparer,
    )


def template_row(headers: list[str], index: int, **overrides: str) -> list[str]:
    """One row of the template, filled as a preparer would: the template's example with its own ids."""
    values = {column.name: column.example for column in COLUMNS}
    values.update(
        asset_id=f"A{index:04d}",
        invoice_no=f"INV{index:06d}",
        contract_no=f"HT-2025-{index:03d}",
        obligor_id=f"OB{index % 15 + 1:04d}",
        obligor_name=f"示例客户{index % 15 + 1}有限公司",
        obligor_group_id=f"G{index % 15 + 1:03d}",
        outstanding_amount=f"{100000 + index * 1000}.00",
        **overrides,
    )
    by_header = {column.zh: values[column.name] for column in COLUMNS}
    return [by_header.get(header, "") for header in headers]


DISPUTED = {"disputed": "是"}
OVERDUE = {
    "days_past_due": "45",
    "invoice_date": "2025-08-18",
    "due_date": "2025-11-16",
    "maturity_date": "2025-11-16",
    "account_status": "arrears",
    "arrears_amount": "110000.00",
}


def good_rows(headers: list[str], count: int = 30) -> list[list[str]]:
    return [
        template_row(headers, i, **(DISPUTED if i == 5 else OVERDUE if i == 10 else {}))
        for i in range(1, count + 1)
    ]


def gbk_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([headers, *rows])
    return buffer.getvalue().encode("gbk")


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pool-{name}.png"), full_page=True)


def upload(page, path: Path, *, check_mapping: bool = False, cutoff: str = "2025-12-31") -> None:
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=cutoff_date]", cutoff)
    if check_mapping:
        page.check("input[name=review_mapping]")
    page.click("[data-testid=upload-tape]")


def test_preparer_fills_the_template_and_imports_a_gbk_file_watching_the_progress(
    page, preparer, receivable_filing, workers, tmp_path
):
    ref = receivable_filing.reference
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{ref}/")
    page.click("[data-testid=tab-pool]")
    page.wait_for_selector("#upload-title")
    shot(page, "a1-empty")

    # The blank templates, as CSV and as Excel, carry our Chinese headers.
    template = download(page, "a[href$='assets.csv?lang=zh']")
    assert template.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it right
    headers = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert headers == ZH_HEADERS
    english = download(page, "a[href$='assets.csv?lang=en']")
    assert next(csv.reader(io.StringIO(english.decode("utf-8-sig")))) == EN_HEADERS
    workbook = tmp_path / "template.xlsx"
    workbook.write_bytes(download(page, "a[href$='assets.xlsx?lang=zh']"))
    book = CalamineWorkbook.from_path(str(workbook))
    assert book.sheet_names[0] == "资产信息"
    assert book.get_sheet_by_name("资产信息").to_python()[0] == ZH_HEADERS

    # Filled with 30 receivables (one disputed, one overdue) and saved as GBK, as Excel on a Chinese
    # Windows does.
    tape = tmp_path / "应收账款资产池.csv"
    tape.write_bytes(gbk_csv(headers, good_rows(headers)))
    upload(page, tape, check_mapping=True)

    # The mapping step recognised every header and the encoding.
    page.wait_for_selector("[data-testid=mapping-form]")
    assert page.inner_text("[data-testid=preview-encoding]") == "gb18030"
    assert page.inner_text("[data-testid=required-complete]") == "每个必填列都有来源"
    assert page.locator("[data-testid=preview-table] th").all_text_contents()[:3] == ZH_HEADERS[:3]
    assert page.locator("[data-testid=stored-preview] tbody tr").count() == 5  # the first rows as stored
    shot(page, "a2-mapping")
    page.click("[data-testid=import-with-mapping]")

    # The import waits for a worker: the progress bar is there, and still there after a reload.
    job = TapeImport.objects.get(pool__filing=receivable_filing)
    card = page.locator(f"[data-testid=import-{job.pk}]")
    card.wait_for()
    assert card.get_attribute("data-status") == "queued"
    assert page.locator(f"#import-progress-{job.pk}").get_attribute("value") == "0"
    assert page.inner_text(f"[data-testid=import-percent-{job.pk}]") == "0 %"
    shot(page, "a3-queued")
    page.reload()
    assert page.locator(f"#import-progress-{job.pk}").is_visible()
    assert "等待处理" in card.inner_text()

    # A worker takes it; the page polls and shows the report without the user doing anything.
    workers.release()
    page.wait_for_selector(f"[data-testid=import-{job.pk}][data-outcome=accepted]", timeout=20_000)
    assert page.locator(f"#import-progress-{job.pk}").get_attribute("value") == "100"
    assert page.inner_text(f"[data-testid=import-percent-{job.pk}]") == "100 %"
    assert (
        page.inner_text(f"[data-testid=import-counts-{job.pk}]")
        == "已读取 30 行 · 已校验 30 行 · 已存储 30 行"
    )
    assert page.inner_text("[data-testid=rows-stored]") == "30"
    assert page.inner_text("[data-testid=error-count]") == "0"
    shot(page, "a4-accepted")
    page.reload()
    assert page.locator(f"[data-testid=import-{job.pk}]").get_attribute("data-outcome") == "accepted"

    # The pool: overview, stratifications, charts and the two exceptions.
    page.click(f"[data-testid=see-pool-{job.pk}]")
    total = sum(Decimal(f"{100000 + i * 1000}.00") for i in range(1, 31))
    overview = page.inner_text("#pool-overview + .card")
    assert "30" in overview and f"{total:,.2f}" in overview
    assert page.locator("#pool-strata ~ details").count() >= 4
    assert page.locator("figure.chart svg").count() >= 4
    assert page.inner_text("[data-testid=ineligible-count]") == "2 · 215,000.00 元"
    exceptions = page.locator("[data-testid=exception-table] tbody tr")
    rows = [row.locator("td").all_inner_texts() for row in exceptions.all()]
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("A0005", "105,000.00", "该应收账款存在争议。"),
        ("A0010", "110,000.00", "封包日已逾期（逾期超过 0 天）。"),
    ]
    chart = page.locator("#pool-eligibility + .grid figure.chart svg").text_content()
    assert "封包日已逾期" in chart and "%(limit)s" not in chart
    shot(page, "a5-pool")
    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")
    shot(page, "a6-pool-en")


def broken_rows(headers: list[str]) -> list[list[str]]:
    """The good tape with five mistakes a preparer makes, one per row."""
    rows = good_rows(headers)
    column = {header: i for i, header in enumerate(headers)}
    rows[2][column["开票日期"]] = "2025-13-45"
    rows[3][column["未偿本金余额"]] = "-500.00"
    rows[4][column["统一社会信用代码"]] = "91310000MA1FL0000X"
    rows[5][column["债务人编号"]] = ""
    rows[7][column["资产编号"]] = "A0002"
    return rows


BROKEN_ZH = [
    [
        "4",
        "开票日期",
        "2025-13-45",
        "第 4 行，开票日期 列：'2025-13-45' 不是日期（应为 YYYY-MM-DD 或“2025年3月1日”格式）。",
    ],
    ["5", "未偿本金余额", "-500.00", "第 5 行，未偿本金余额 列：'-500.00' 低于最小值 0。"],
    [
        "6",
        "统一社会信用代码",
        "91310000MA1FL0000X",
        "第 6 行，统一社会信用代码 列：'91310000MA1FL0000X' 未通过 GB 32100 校验码校验（校验码应为 N）。",
    ],
    ["7", "债务人编号", "—", "第 7 行，债务人编号 列：此项为必填项。"],
    ["9", "资产编号", "A0002", "第 9 行，资产编号 列：资产 'A0002' 已在第 3 行出现。"],
]
BROKEN_EN = [
    "Row 4, column 开票日期: '2025-13-45' is not a date (expected YYYY-MM-DD or 2025年3月1日).",
    "Row 5, column 未偿本金余额: '-500.00' is below the minimum 0.",
    "Row 6, column 统一社会信用代码: '91310000MA1FL0000X' fails the GB 32100 check character (expected N).",
    "Row 7, column 债务人编号: a value is required.",
    "Row 9, column 资产编号: asset 'A0002' already appears in row 3.",
]


# On screen the reason stands beside its own row and column cells, so it does not repeat them.
REASONS_ZH = [
    "'2025-13-45' 不是日期（应为 YYYY-MM-DD 或“2025年3月1日”格式）。",
    "'-500.00' 低于最小值 0。",
    "'91310000MA1FL0000X' 未通过 GB 32100 校验码校验（校验码应为 N）。",
    "此项为必填项。",
    "资产 'A0002' 已在第 3 行出现。",
]
REASONS_EN = [
    "'2025-13-45' is not a date (expected YYYY-MM-DD or 2025年3月1日).",
    "'-500.00' is below the minimum 0.",
    "'91310000MA1FL0000X' fails the GB 32100 check character (expected N).",
    "A value is required.",
    "Asset 'A0002' already appears in row 3.",
]


def error_table(page) -> list[list[str]]:
    return [
        row.locator("td").all_inner_texts()
        for row in page.locator("[data-testid=error-table] tbody tr").all()
    ]


def exported(page, job_pk: int, tmp_path: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The error downloads, as (row, column, code, value, message) lines; a downloaded message names its row
    and column itself, since a spreadsheet line is often read alone."""
    data = download(page, f"a[href$='/imports/{job_pk}/errors.csv']")
    assert data.startswith(b"\xef\xbb\xbf")
    from_csv = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    workbook = tmp_path / "errors.xlsx"
    workbook.write_bytes(download(page, f"a[href$='/imports/{job_pk}/errors.xlsx']"))
    sheet = CalamineWorkbook.from_path(str(workbook))
    from_xlsx = [
        ["" if v == "" else str(int(v)) if isinstance(v, float) else str(v) for v in row]
        for row in sheet.get_sheet_by_index(0).to_python()
    ]
    return from_csv, from_xlsx


def test_a_broken_file_is_refused_with_every_error_and_the_fixed_file_replaces_the_tape(
    page, preparer, receivable_filing, tmp_path
):
    from assets import services as pool_services
    from filings.pool_views import pool_of

    ref = receivable_filing.reference
    earlier = gbk_csv(ZH_HEADERS, good_rows(ZH_HEADERS, count=12))
    pool_services.start_tape_import(
        pool_id=pool_of(receivable_filing).pk,
        upload=io.BytesIO(earlier),
        file_name="上月资产池.csv",
        kind="assets",
        mapping=None,
        by=preparer,
    )
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{ref}/pool/")
    assert page.inner_text("[data-testid=tape-assets] a >> nth=0") == "上月资产池.csv"

    broken = tmp_path / "资产池-有误.csv"
    broken.write_bytes(gbk_csv(ZH_HEADERS, broken_rows(ZH_HEADERS)))
    upload(page, broken)

    # Refused, with row, column, value and reason for each mistake, in Chinese.
    job = TapeImport.objects.get(file_name="资产池-有误.csv")
    page.wait_for_selector(f"[data-testid=import-{job.pk}][data-outcome=refused]")
    assert page.inner_text("[data-testid=error-count]") == "5"
    assert page.inner_text("[data-testid=rows-stored]") == "0"
    assert error_table(page) == [
        [r, c, v, reason] for (r, c, v, _m), reason in zip(BROKEN_ZH, REASONS_ZH, strict=True)
    ]
    shot(page, "b1-refused")
    from_csv, from_xlsx = exported(page, job.pk, tmp_path)
    assert from_csv[0] == from_xlsx[0] == ["行", "列", "取值", "代码", "提示信息"]
    expected = [[r, c, "" if v == "—" else v, m] for r, c, v, m in BROKEN_ZH]
    assert [line[:3] + line[4:] for line in from_csv[1:]] == expected
    assert [line[:3] + line[4:] for line in from_xlsx[1:]] == expected
    assert [line[3] for line in from_csv[1:]] == [
        "not_a_date",
        "below_minimum",
        "uscc_check_failed",
        "required",
        "duplicate_asset_id",
    ]

    # The same list in English after switching the language; the downloads follow.
    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")
    assert [row[3] for row in error_table(page)] == REASONS_EN
    shot(page, "b2-refused-en")
    from_csv, from_xlsx = exported(page, job.pk, tmp_path)
    assert from_csv[0] == ["Row", "Column", "Value", "Code", "Message"]
    assert [line[4] for line in from_csv[1:]] == [line[4] for line in from_xlsx[1:]] == BROKEN_EN

    # Nothing was lost: the pool still shows last month's tape and its figures.
    page.click("text=← Asset pool")
    assert page.inner_text("[data-testid=tape-assets] a >> nth=0") == "上月资产池.csv"
    assert "Number of assets\n12\n" in page.inner_text("#pool-overview + .card")
    shot(page, "b3-pool-unchanged-en")

    # The fixed file is accepted and replaces it.
    fixed = tmp_path / "资产池-已更正.csv"
    fixed.write_bytes(gbk_csv(ZH_HEADERS, good_rows(ZH_HEADERS)))
    upload(page, fixed)
    accepted = TapeImport.objects.get(file_name="资产池-已更正.csv")
    page.wait_for_selector(f"[data-testid=import-{accepted.pk}][data-outcome=accepted]")
    page.click(f"[data-testid=see-pool-{accepted.pk}]")
    assert page.inner_text("[data-testid=tape-assets] a >> nth=0") == "资产池-已更正.csv"
    assert "Number of assets\n30\n" in page.inner_text("#pool-overview + .card")

    # The same file once more is recognised, not imported twice.
    upload(page, fixed)
    message = page.locator(".messages .info").inner_text()
    assert message.startswith(
        f"This file (SHA-256 {accepted.sha256[:12]}) is already the current Assets tape"
    )
    assert message.endswith("it was not imported again.")
    assert page.url.endswith(f"/pool/imports/{accepted.pk}/")
    assert TapeImport.objects.filter(sha256=accepted.sha256).count() == 1
    shot(page, "b4-duplicate-en")


@needs_real_files
def test_a_real_foreign_tape_imports_through_the_mapping_step_and_the_mapping_is_kept(
    page, preparer, receivable_filing
):
    """IBM's public accounts-receivable sample (2 466 invoices, English headers, M/D/YYYY dates) is
    mapped column by column in the form, with constants for what the file does not carry."""
    mapping = json.loads(IBM_MAPPING.read_text())
    with IBM.open(encoding="utf-8", newline="") as handle:
        source = list(csv.DictReader(handle))
    ref = receivable_filing.reference
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{ref}/pool/")
    upload(page, IBM, check_mapping=True, cutoff=mapping["constants"]["cutoff_date"])

    page.wait_for_selector("[data-testid=mapping-form]")
    assert page.inner_text("[data-testid=missing-required]")  # our headers are not in this file
    assert page.locator("[data-testid=preview-table] th").all_inner_texts()[:4] == [
        "countryCode",
        "customerID",
        "PaperlessDate",
        "invoiceNumber",
    ]
    page.click("[data-testid=other-columns] > summary")  # the columns not recognised are folded
    page.uncheck("input[name=auto_match]")
    page.fill("input[name=date_format]", mapping["date_format"])
    for ours, theirs in mapping["columns"].items():
        page.select_option(f"select[name=col__{ours}]", theirs)
    for ours, value in mapping["constants"].items():
        page.fill(f"input[name=const__{ours}]", value)
    page.fill("input[name=save_as]", "IBM 应收账款导出")
    shot(page, "c1-mapping-filled")
    page.click("[data-testid=import-with-mapping]")

    job = TapeImport.objects.get(pool__filing=receivable_filing)
    page.wait_for_selector(f"[data-testid=import-{job.pk}][data-outcome=accepted]", timeout=30_000)
    assert page.inner_text("[data-testid=rows-stored]") == "2466"
    assert page.inner_text("[data-testid=error-count]") == "0"
    saved = SavedMapping.objects.get(organisation=preparer.organisation)
    assert (saved.name, saved.mapping["columns"], saved.mapping["constants"]) == (
        "IBM 应收账款导出",
        mapping["columns"],
        mapping["constants"],
    )

    # The pool's figures are those of the file, computed independently here.
    page.click(f"[data-testid=see-pool-{job.pk}]")
    overview = page.inner_text("#pool-overview + .card")
    total = sum(Decimal(row["InvoiceAmount"]) for row in source)
    assert "资产笔数\n2,466\n" in overview and f"{total:,.2f}" in overview
    disputed = sum(row["Disputed"] == "Yes" for row in source)
    reasons = page.inner_text("#pool-eligibility ~ .table-wrap")
    assert disputed == 561 and "561" in reasons
    shot(page, "c2-pool")

    # The next tape of this layout offers the saved mapping.
    page.goto(f"/filings/{ref}/pool/")
    options = page.locator("select[name=saved_mapping] option").all_inner_texts()
    assert "IBM 应收账款导出" in " ".join(options)
