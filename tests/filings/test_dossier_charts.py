"""SVG charts for the dossier: escaped text, correct shares, and Chinese labels that survive into the PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils.html import conditional_escape

from filings.dossier.charts import (
    Account,
    Flow,
    Party,
    Series,
    Svg,
    bar_chart,
    line_chart,
    nice_ticks,
    structure_diagram,
)
from filings.dossier.pdf import PdfMetadata, extract_text, render_pdf

SVG_NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG_NS}text")]


def count(svg: str, tag: str) -> int:
    return sum(1 for _ in ElementTree.fromstring(svg).iter(f"{SVG_NS}{tag}"))


def standard_structure() -> Svg:
    parties = [
        Party("originator", "原始权益人", "上海某某融资租赁有限公司"),
        Party("spv", "专项计划 SPV"),
        Party("trustee", "计划管理人"),
        Party("custodian", "托管银行", "中国某某银行"),
        Party("servicer", "资产服务机构"),
        Party("token_platform", "代币发行平台"),
        Party("investors", "投资者 Investors"),
    ]
    accounts = [Account("collection", "募集专用账户", "custodian")]
    flows = [
        Flow("originator", "spv", "基础资产转让", "asset"),
        Flow("spv", "originator", "转让对价", "cash"),
        Flow("servicer", "collection", "回收款划转", "cash"),
        Flow("investors", "collection", "认购资金", "cash"),
        Flow("token_platform", "investors", "代币交付", "token"),
    ]
    legend = {"cash": "现金流", "token": "代币流", "asset": "资产转让"}
    return structure_diagram(parties, flows, accounts=accounts, title="交易结构图", legend=legend)


def test_bar_chart_labels_each_stratum_with_value_and_share() -> None:
    svg = bar_chart(["0–5 万元", "5–10 万元", "10 万元以上"], [Decimal("250"), 250, 500.0], title="余额分布")

    assert texts(svg) == [
        "余额分布",
        "0–5 万元",
        "250 (25.0%)",
        "5–10 万元",
        "250 (25.0%)",
        "10 万元以上",
        "500 (50.0%)",
    ]
    assert count(svg, "rect") == 3


def test_bar_chart_escapes_text() -> None:
    svg = bar_chart(['<script>alert("x")</script> & co'], [1], title="A & B <i>")

    assert "<script>" not in svg
    assert texts(svg)[:2] == ["A & B <i>", '<script>alert("x")</script> & co']


def test_bar_chart_rejects_mismatched_or_negative_values() -> None:
    with pytest.raises(ValueError, match="2 labels but 1 values"):
        bar_chart(["a", "b"], [1])
    with pytest.raises(ValueError, match="non-negative"):
        bar_chart(["a"], [-1])


def test_bar_chart_with_zero_total_shows_zero_shares() -> None:
    assert texts(bar_chart(["a"], [0]))[1] == "0 (0.0%)"


def test_line_chart_draws_each_series_and_breaks_lines_at_gaps() -> None:
    months = [f"2026-{month:02d}" for month in range(1, 7)]
    svg = line_chart(
        months,
        [
            Series("实际回款 Collections", [100, 120, 130, 150, 160, 170]),
            Series("预测 Forecast", [None, 125, 135, None, 165, 175], dashed=True),
        ],
        title="月度回款",
    )

    labels = texts(svg)
    assert labels[:3] == ["月度回款", "实际回款 Collections", "预测 Forecast"]
    assert months[0] in labels and months[-1] in labels
    assert count(svg, "polyline") == 3  # one unbroken line, the dashed one split in two
    assert count(svg, "circle") == 6 + 4


def test_line_chart_needs_a_value_per_category() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 categories"):
        line_chart(["1月", "2月"], [Series("回款", [1])])


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 173, [0, 50, 100, 150, 200]),
        (0, 1, [0, 0.25, 0.5, 0.75, 1]),
        (-30, 95, [-50, 0, 50, 100]),
        (0, 0, [0, 0.25, 0.5, 0.75, 1]),
    ],
)
def test_nice_ticks(low: float, high: float, ticks: list[float]) -> None:
    assert nice_ticks(low, high) == ticks


def test_structure_diagram_shows_parties_accounts_and_labelled_flows() -> None:
    svg = standard_structure()

    labels = texts(svg)
    for text in [
        "交易结构图",
        "原始权益人",
        "上海某某融资租赁有限公司",
        "募集专用账户",
        "认购资金",
        "代币交付",
        "现金流",
        "代币流",
    ]:
        assert text in labels
    assert count(svg, "polygon") == 5 + 3  # an arrowhead per flow and per legend entry


def test_structure_diagram_rejects_unknown_ends_and_clashing_slots() -> None:
    with pytest.raises(ValueError, match="unknown party or account 'bank'"):
        structure_diagram([Party("spv", "SPV")], [Flow("spv", "bank", "x")])
    with pytest.raises(ValueError, match="share the slot"):
        structure_diagram([Party("spv", "SPV"), Party("other", "Other", slot=(1, 1))], [])
    with pytest.raises(ValueError, match="stays inside one party"):
        structure_diagram(
            [Party("bank", "银行")], [Flow("bank", "acc", "x")], accounts=[Account("acc", "账户", "bank")]
        )
    with pytest.raises(ValueError, match="unknown party 'bank'"):
        structure_diagram([Party("spv", "SPV")], [], accounts=[Account("acc", "账户", "bank")])


def test_parties_without_a_standard_slot_fill_free_places() -> None:
    svg = structure_diagram(
        [Party("spv", "SPV"), Party("rating", "评级机构"), Party("law", "律师事务所")], []
    )

    assert {"SPV", "评级机构", "律师事务所"} <= set(texts(svg))


def test_svg_is_inserted_by_django_templates_without_escaping() -> None:
    svg = bar_chart(["甲"], [1])

    assert conditional_escape(svg) == svg


def test_chinese_chart_text_renders_and_extracts_from_the_pdf() -> None:
    bars = bar_chart(["一年以内", "一至三年"], [60, 40], title="剩余期限分布")
    lines = line_chart(["1月", "2月", "3月"], [Series("回款金额", [1.5, 2.5, 3.0])])
    html = (
        '<html lang="zh-CN"><body><h1>图表</h1>'
        f'<figure class="chart">{bars}</figure><figure class="chart">{lines}</figure>'
        f'<figure class="chart">{standard_structure()}</figure></body></html>'
    )
    metadata = PdfMetadata(title="图表", reference="REF", created=datetime(2026, 1, 1, tzinfo=UTC))

    text = extract_text(render_pdf(html, base_url=None, attachments=[], metadata=metadata))

    for label in [
        "剩余期限分布",
        "一年以内",
        "60 (60.0%)",
        "回款金额",
        "原始权益人",
        "募集专用账户",
        "认购资金",
    ]:
        assert label in text
