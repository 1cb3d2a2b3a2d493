"""The dossier PDF: bilingual text, page furniture, bookmarks, PDF/A-3 attachments, repeatable bytes."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest

from filings.dossier.pdf import (
    Attachment,
    DossierRenderError,
    LocalURLFetcher,
    PdfMetadata,
    css_string,
    extract_attachments,
    extract_text,
    render_pdf,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = timezone(timedelta(hours=8))
SUBMITTED_AT = datetime(2026, 11, 25, 16, 18, 0, tzinfo=SHANGHAI)

TAPE_CSV = (
    "asset_id,obligor,balance\n" + "".join(f"A{i:05d},债务人{i},{i * 1000}.50\n" for i in range(2000))
).encode()
SNAPSHOT_JSON = json.dumps(
    {"filing": "CSRC-ABS-2026-0042", "发行人": "上海某某资产管理有限公司"}, ensure_ascii=False
).encode()

POOL_ROWS = "".join(
    f'<tr><td>第 {i} 档</td><td class="num">{i * 12_345:,}</td><td class="num">{i / 10:.1f}%</td></tr>'
    for i in range(1, 61)
)

DOSSIER_HTML = f"""<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>资产支持证券代币发行备案材料</title></head>
<body>
<section class="cover">
  <h1>资产支持证券代币发行备案材料</h1>
  <p class="subtitle">Issuance dossier</p>
</section>
<nav class="toc">
  <h1>目录 Contents</h1>
  <ol>
    <li><a href="#ch1">第一章 基本信息 General information</a>
      <ol><li><a href="#s11">1.1 发行人 Issuer</a></li></ol></li>
    <li><a href="#ch2">第二章 资产池 Asset pool</a></li>
  </ol>
</nav>
<h1 id="ch1">第一章 基本信息 General information</h1>
<h2 id="s11">1.1 发行人 Issuer</h2>
<p>发行人为上海某某资产管理有限公司。The issuer is a Shanghai asset manager.</p>
<h3>不进入书签的小节</h3>
<h2>1.2 交易结构 Structure</h2>
<p>本期代币以应收账款为基础资产。</p>
<h1 id="ch2">第二章 资产池 Asset pool</h1>
<h2>2.1 分层统计 Stratification</h2>
<table class="data">
  <thead><tr><th>余额区间</th><th class="num">剩余本金（元）</th><th class="num">占比</th></tr></thead>
  <tbody>{POOL_ROWS}</tbody>
</table>
</body>
</html>"""


def make_metadata(**overrides: object) -> PdfMetadata:
    fields: dict[str, object] = {
        "title": "资产支持证券代币发行备案材料",
        "reference": "CSRC-ABS-2026-0042",
        "created": SUBMITTED_AT,
        "authors": ("上海某某资产管理有限公司",),
        "keywords": ("ABS", "代币"),
    }
    fields.update(overrides)
    return PdfMetadata(**fields)  # type: ignore[arg-type]


def make_attachments() -> list[Attachment]:
    return [
        Attachment("asset_tape.csv", TAPE_CSV, "text/csv", "全部资产清单 Full asset tape", "Source"),
        Attachment(
            "snapshot.json", SNAPSHOT_JSON, "application/json", "提交快照 Submission snapshot", "Data"
        ),
    ]


@pytest.fixture(scope="module")
def dossier_pdf() -> bytes:
    return render_pdf(DOSSIER_HTML, base_url=None, attachments=make_attachments(), metadata=make_metadata())


@pytest.fixture(scope="module")
def reader(dossier_pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(dossier_pdf))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_text_is_extractable_in_both_languages(dossier_pdf: bytes) -> None:
    text = extract_text(dossier_pdf)

    assert "发行人为上海某某资产管理有限公司。" in text
    assert "The issuer is a Shanghai asset manager." in text
    assert "第二章 资产池 Asset pool" in text


def test_pages_are_cover_toc_two_chapters_with_the_table_running_over(reader: pypdf.PdfReader) -> None:
    texts = page_texts(reader)

    assert len(texts) == 5
    assert "Issuance dossier" in texts[0]
    assert "目录 Contents" in texts[1]
    assert "1.1 发行人 Issuer" in texts[2]
    assert "第 1 档" in texts[3]
    assert "第 60 档" in texts[4]


def test_footer_numbers_every_page_but_the_cover(reader: pypdf.PdfReader) -> None:
    texts = page_texts(reader)

    assert "页" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"第 {number} 页 / 共 5 页" in text


def test_running_header_carries_the_filing_reference_and_chapter(reader: pypdf.PdfReader) -> None:
    texts = page_texts(reader)

    assert "CSRC-ABS-2026-0042" not in texts[0]
    assert all("CSRC-ABS-2026-0042" in text for text in texts[1:])
    assert "第二章 资产池 Asset pool" in texts[4]  # only the table continues there: this is the header


def test_table_header_repeats_on_every_page_it_spans(reader: pypdf.PdfReader) -> None:
    texts = page_texts(reader)

    assert "余额区间 剩余本金（元） 占比" in texts[3]
    assert "余额区间 剩余本金（元） 占比" in texts[4]


def test_table_of_contents_shows_page_numbers(reader: pypdf.PdfReader) -> None:
    toc = page_texts(reader)[1]

    assert re.search(r"第一章 基本信息 General information \.{5,} 3", toc)
    assert re.search(r"1\.1 发行人 Issuer \.{5,} 3", toc)
    assert re.search(r"第二章 资产池 Asset pool \.{5,} 4", toc)


def test_bookmarks_come_from_h1_and_h2_only(reader: pypdf.PdfReader) -> None:
    def titles(outline: list) -> list:
        return [titles(item) if isinstance(item, list) else item.title for item in outline]

    assert titles(reader.outline) == [
        "第一章 基本信息 General information",
        ["1.1 发行人 Issuer", "1.2 交易结构 Structure"],
        "第二章 资产池 Asset pool",
        ["2.1 分层统计 Stratification"],
    ]
    assert reader.get_destination_page_number(reader.outline[2]) == 3  # zero-based: the fourth page


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [("zh-CN", "第 1 页 / 共 2 页", "第 2 页 / 共 2 页"), ("en", "Page 1 of 2", "Page 2 of 2")],
)
def test_footer_language_follows_the_document_language(lang: str, first: str, second: str) -> None:
    html = f'<html lang="{lang}"><body><h1>甲 One</h1><p>一</p><h1>乙 Two</h1><p>二</p></body></html>'

    pdf = render_pdf(html, base_url=None, attachments=[], metadata=make_metadata(lang=lang))

    pages = page_texts(pypdf.PdfReader(io.BytesIO(pdf)))
    assert [first in pages[0], second in pages[1]] == [True, True]


def test_attachments_extract_byte_exact(dossier_pdf: bytes) -> None:
    assert extract_attachments(dossier_pdf) == {"asset_tape.csv": TAPE_CSV, "snapshot.json": SNAPSHOT_JSON}


def test_attachments_are_described_for_pdfa3(reader: pypdf.PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    filespecs = [reference.get_object() for reference in catalog["/AF"]]

    assert [
        (spec["/UF"], spec["/AFRelationship"], spec["/Desc"], spec["/EF"]["/F"].get_object()["/Subtype"])
        for spec in filespecs
    ] == [
        ("asset_tape.csv", "/Source", "全部资产清单 Full asset tape", "/text/csv"),
        ("snapshot.json", "/Data", "提交快照 Submission snapshot", "/application/json"),
    ]


def test_pdfa3a_is_declared_and_the_pdf_is_tagged(reader: pypdf.PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()

    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="A"' in xmp
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert "/ID" in reader.trailer


def test_all_fonts_are_embedded(reader: pypdf.PdfReader) -> None:
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts]

    assert descriptors
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def test_dates_come_from_the_submission_time(reader: pypdf.PdfReader) -> None:
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()

    assert reader.metadata["/CreationDate"] == "D:20261125161800+08'00"
    assert reader.metadata["/ModDate"] == "D:20261125161800+08'00"
    assert "<xmp:CreateDate>2026-11-25T16:18:00+08:00</xmp:CreateDate>" in xmp
    assert reader.attachments  # embedded-file dates are in UTC:
    tape = reader.trailer["/Root"]["/AF"][0].get_object()["/EF"]["/F"].get_object()
    assert tape["/Params"]["/CreationDate"] == "D:20261125081800Z"


def test_two_renders_are_byte_identical(dossier_pdf: bytes) -> None:
    again = render_pdf(DOSSIER_HTML, base_url=None, attachments=make_attachments(), metadata=make_metadata())

    assert again == dossier_pdf


def test_renders_in_other_processes_are_byte_identical(dossier_pdf: bytes, tmp_path: Path) -> None:
    # A fresh interpreter with another hash seed catches set/dict-order and clock dependencies.
    (tmp_path / "dossier.html").write_text(DOSSIER_HTML, encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from tests.filings import test_dossier_pdf as t; "
        "html = Path(sys.argv[1]).read_text(encoding='utf-8'); "
        "sys.stdout.buffer.write(t.render_pdf(html, base_url=None, attachments=t.make_attachments(), "
        "metadata=t.make_metadata()))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "dossier.html")],
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT_ROOT)},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]

    assert outputs == [dossier_pdf, dossier_pdf]


def test_identifier_sets_the_first_half_of_the_file_id() -> None:
    html = "<html lang='zh-CN'><body><p>一</p></body></html>"

    pdf = render_pdf(html, base_url=None, attachments=[], metadata=make_metadata(identifier="dossier-42-v1"))

    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/ID"][0] == "dossier-42-v1"


def test_reference_is_quoted_safely_in_the_header() -> None:
    reference = 'ABS "甲" \\ 2026'
    html = "<html lang='zh-CN'><body><p>正文</p></body></html>"

    pdf = render_pdf(html, base_url=None, attachments=[], metadata=make_metadata(reference=reference))

    assert reference in extract_text(pdf)
    assert css_string('a"b\\c\n') == '"a\\22 b\\5c c\\a "'


def test_pdfa2_would_drop_the_attachments_so_it_is_refused() -> None:
    with pytest.raises(DossierRenderError, match="pdf/a-2b cannot carry"):
        render_pdf(
            "<p>x</p>",
            base_url=None,
            attachments=make_attachments(),
            metadata=make_metadata(),
            pdf_variant="pdf/a-2b",
        )


def test_attachment_names_must_be_unique() -> None:
    twice = [Attachment("a.csv", b"1", "text/csv"), Attachment("a.csv", b"2", "text/csv")]

    with pytest.raises(DossierRenderError, match="unique"):
        render_pdf("<p>x</p>", base_url=None, attachments=twice, metadata=make_metadata())


def test_metadata_dates_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_metadata(created=datetime(2026, 11, 25, 16, 18))


def test_fetcher_reads_only_data_urls_and_files_below_the_base_directory(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    fetcher = LocalURLFetcher(str(tmp_path) + "/")

    assert fetcher.fetch((tmp_path / "logo.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    with pytest.raises(ValueError, match="outside"):
        fetcher.fetch("file:///etc/hostname")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://example.invalid/tracker.png")
    with pytest.raises(ValueError, match="outside"):
        LocalURLFetcher(None).fetch((tmp_path / "logo.svg").as_uri())


def test_images_below_the_base_url_render(tmp_path: Path) -> None:
    (tmp_path / "seal.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<text x="0" y="15" font-family="Noto Sans CJK SC" font-size="12">印章</text></svg>',
        encoding="utf-8",
    )
    html = '<html lang="zh-CN"><body><p>盖章：</p><img src="seal.svg"><img src="http://example.invalid/x.png"></body></html>'

    pdf = render_pdf(html, base_url=str(tmp_path) + "/", attachments=[], metadata=make_metadata())

    assert "印章" in extract_text(pdf)
