"""Benchmark the dossier engine: a ~40-page Chinese dossier with charts and a 100,000-row tape attached.

Run from the project root:  .venv/bin/python bench/bench_weasyprint.py [--rows 100000] [--repeat 1]

Each phase runs in a fresh child process so that its peak RSS (getrusage ru_maxrss) is its own:
  weasyprint  render_pdf() of the dossier HTML, no attachments
  full        read the tape, render_pdf() with the tape CSV and snapshot JSON attached, sign_pdf(),
              then verify_pdf() and extract_attachments() as the post-render check would
Product targets for the full phase: <= 30 s and <= 1 GiB peak RSS on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # the script runs from bench/, the engine lives in the project

# The engine is imported inside the phase functions only. Linux carries a parent's peak RSS over
# fork+exec into the child's ru_maxrss, so the orchestrating parent must stay small for the
# children's figures to be their own.

SHANGHAI = timezone(timedelta(hours=8))
SUBMITTED_AT = datetime(2026, 11, 25, 16, 18, tzinfo=SHANGHAI)
PROVINCES = (
    "北京",
    "上海",
    "天津",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
)
INDUSTRIES = (
    "制造业",
    "批发零售",
    "建筑业",
    "交通运输",
    "信息技术",
    "租赁商务",
    "科学研究",
    "水利环境",
    "居民服务",
    "教育",
    "卫生",
    "文化体育",
    "农林牧渔",
    "采矿业",
    "电力热力",
    "住宿餐饮",
    "金融业",
    "房地产",
    "公共管理",
    "其他",
)
PARAGRAPH = (
    "本专项计划以原始权益人依据融资租赁合同对承租人享有的租金请求权及其附属担保权益作为基础资产，"
    "由计划管理人设立资产支持专项计划，并通过代币发行平台向合格投资者发行资产支持证券代币。"
    "基础资产的回收款由资产服务机构归集后划转至托管银行开立的专项计划账户，按照交易文件约定的"
    "分配顺序向代币持有人兑付本金和收益。The tokens are issued to qualified investors only; "
    "on-chain transfers are restricted to whitelisted wallets and mirror the register kept by the custodian."
)


def make_tape(rows: int) -> list[dict[str, object]]:
    rng = random.Random(20261125)
    start = datetime(2024, 1, 1)
    tape = []
    for index in range(rows):
        balance = round(rng.lognormvariate(11.5, 0.9), 2)
        tape.append(
            {
                "asset_id": f"LA{index:07d}",
                "contract_no": f"ZL-{2024 + index % 3}-{rng.randrange(10**8):08d}",
                "obligor": f"承租人{rng.randrange(rows // 3):06d}",
                "province": rng.choice(PROVINCES),
                "industry": rng.choice(INDUSTRIES),
                "origination_date": (start + timedelta(days=rng.randrange(900))).date().isoformat(),
                "remaining_term_months": rng.randrange(3, 61),
                "interest_rate": round(rng.uniform(3.2, 9.8), 3),
                "outstanding_balance": balance,
                "overdue_days": rng.choice((0,) * 30 + (15, 45, 95)),
                "collateral": rng.choice(("数控机床", "医疗设备", "工程机械", "新能源车辆", "光伏组件")),
                "maturity_date": (start + timedelta(days=rng.randrange(900, 2700))).date().isoformat(),
            }
        )
    return tape


def tape_csv(tape: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(tape[0]))
    writer.writeheader()
    writer.writerows(tape)
    return buffer.getvalue().encode("utf-8")


def strata(
    tape: list[dict[str, object]], key: str, edges: list[float], unit: str
) -> list[tuple[str, int, float]]:
    counts: Counter[str] = Counter()
    sums: dict[str, float] = defaultdict(float)
    labels = [f"{low:g}–{high:g}{unit}" for low, high in itertools.pairwise(edges)] + [
        f">{edges[-1]:g}{unit}"
    ]
    for asset in tape:
        value = float(asset[key])  # type: ignore[arg-type]
        bucket = next((i for i, high in enumerate(edges[1:]) if value < high), len(edges) - 1)
        counts[labels[bucket]] += 1
        sums[labels[bucket]] += float(asset["outstanding_balance"])  # type: ignore[arg-type]
    return [(label, counts[label], sums[label]) for label in labels]


def grouped(tape: list[dict[str, object]], key: str) -> list[tuple[str, int, float]]:
    counts: Counter[str] = Counter()
    sums: dict[str, float] = defaultdict(float)
    for asset in tape:
        counts[str(asset[key])] += 1
        sums[str(asset[key])] += float(asset["outstanding_balance"])  # type: ignore[arg-type]
    return sorted(((name, counts[name], sums[name]) for name in counts), key=lambda row: -row[2])


def table(text_columns: list[str], number_columns: list[str], rows: str) -> str:
    head = "".join(f"<th>{name}</th>" for name in text_columns)
    head += "".join(f'<th class="num">{name}</th>' for name in number_columns)
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def strata_table(caption: str, rows: list[tuple[str, int, float]]) -> str:
    total = sum(row[2] for row in rows) or 1.0
    body = "".join(
        f'<tr><td>{escape(label)}</td><td class="num">{count:,}</td>'
        f'<td class="num">{amount:,.2f}</td><td class="num">{amount / total:.2%}</td></tr>'
        for label, count, amount in rows
    )
    return (
        f'<table class="data"><caption>{escape(caption)}</caption><thead><tr><th>分层</th>'
        '<th class="num">笔数</th><th class="num">剩余本金（元）</th><th class="num">占比</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def build_html(tape: list[dict[str, object]]) -> str:
    from filings.dossier import charts

    chapters: list[tuple[str, str, list[tuple[str, str]]]] = []  # (id, title, [(section title, html)])

    def text(paragraphs: int) -> str:
        return "".join(f"<p>{PARAGRAPH}</p>" for _ in range(paragraphs))

    chapters.append(
        (
            "ch1",
            "第一章 发行概况 Offering summary",
            [(f"1.{i} 发行要素 Key terms {i}", text(10)) for i in range(1, 8)],
        )
    )
    parties = [
        charts.Party("originator", "原始权益人", "上海某某融资租赁有限公司"),
        charts.Party("spv", "资产支持专项计划", "某某2026年第一期"),
        charts.Party("trustee", "计划管理人", "某某证券资产管理有限公司"),
        charts.Party("custodian", "托管银行", "中国某某银行上海分行"),
        charts.Party("servicer", "资产服务机构", "上海某某融资租赁有限公司"),
        charts.Party("token_platform", "代币发行平台", "某某数字资产登记平台"),
        charts.Party("investors", "合格投资者"),
    ]
    accounts = [
        charts.Account("collection", "专项计划账户", "custodian"),
        charts.Account("payout", "兑付账户", "custodian"),
    ]
    flows = [
        charts.Flow("originator", "spv", "转让基础资产", "asset"),
        charts.Flow("spv", "originator", "支付转让对价", "cash"),
        charts.Flow("servicer", "collection", "划转回收款", "cash"),
        charts.Flow("investors", "collection", "认购资金", "cash"),
        charts.Flow("payout", "investors", "兑付本息", "cash"),
        charts.Flow("trustee", "spv", "设立与管理", "service"),
        charts.Flow("spv", "token_platform", "发行指令", "service"),
        charts.Flow("token_platform", "investors", "交付代币", "token"),
    ]
    legend = {"cash": "现金流", "token": "代币流", "asset": "资产转让", "service": "指令与服务"}
    diagram = charts.structure_diagram(parties, flows, accounts=accounts, title="交易结构图", legend=legend)
    chapters.append(
        (
            "ch2",
            "第二章 交易结构 Transaction structure",
            [
                ("2.1 交易结构图 Structure diagram", f'<figure class="chart">{diagram}</figure>' + text(4)),
                ("2.2 参与机构 Parties", text(18)),
            ],
        )
    )

    by_balance = strata(
        tape, "outstanding_balance", [0, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000], "元"
    )
    by_rate = strata(tape, "interest_rate", [3, 4, 5, 6, 7, 8, 9], "%")
    by_term = strata(tape, "remaining_term_months", [0, 6, 12, 24, 36, 48], "个月")
    by_region = grouped(tape, "province")
    by_industry = grouped(tape, "industry")
    top_obligors = grouped(tape, "obligor")[:50]

    def bar(title: str, rows: list[tuple[str, int, float]]) -> str:
        svg = charts.bar_chart([row[0] for row in rows], [row[2] for row in rows], title=title)
        return f'<figure class="chart">{svg}</figure>'

    pool_sections = [
        (
            "3.1 按剩余本金 By balance",
            bar("剩余本金分布", by_balance) + strata_table("按剩余本金分层", by_balance),
        ),
        ("3.2 按利率 By rate", bar("利率分布", by_rate) + strata_table("按利率分层", by_rate)),
        ("3.3 按剩余期限 By term", bar("剩余期限分布", by_term) + strata_table("按剩余期限分层", by_term)),
        ("3.4 按地区 By region", strata_table("按地区分层", by_region)),
        ("3.5 按行业 By industry", strata_table("按行业分层", by_industry)),
        ("3.6 前五十大承租人 Top 50 obligors", strata_table("前五十大承租人", top_obligors)),
    ]
    sample = tape[:: max(len(tape) // 300, 1)][:300]
    sample_rows = "".join(
        f"<tr><td>{asset['asset_id']}</td><td>{escape(str(asset['obligor']))}</td><td>{asset['province']}</td>"
        f'<td class="num">{asset["remaining_term_months"]}</td><td class="num">{asset["interest_rate"]}</td>'
        f'<td class="num">{float(asset["outstanding_balance"]):,.2f}</td></tr>'  # type: ignore[arg-type]
        for asset in sample
    )
    pool_sections.append(
        (
            "3.7 抽样明细 Sampled assets",
            table(["资产编号", "承租人", "地区"], ["剩余期限", "利率%", "剩余本金"], sample_rows),
        )
    )
    chapters.append(("ch3", "第三章 基础资产池 Asset pool", pool_sections))

    months = [f"{2026 + (m + 11) // 12}-{(m + 11) % 12 + 1:02d}" for m in range(36)]
    collections = [1_800_000 * (0.985**m) for m in range(36)]
    forecast = [None] * 12 + [1_800_000 * (0.985**m) * 0.97 for m in range(12, 36)]
    distributions = [1_500_000 * (0.98**m) for m in range(36)]
    line1 = charts.line_chart(
        months,
        [charts.Series("实际回款", collections), charts.Series("压力情景", forecast, dashed=True)],
        title="月度回款",
    )
    line2 = charts.line_chart(months, [charts.Series("兑付金额", distributions)], title="月度兑付")
    cash_rows = "".join(
        f"<tr><td>{month}</td>"
        + "".join(f'<td class="num">{amount:,.2f}</td>' for amount in (c, d, c - d, c * 0.002, d * 0.8))
        + "</tr>"
        for month, c, d in zip(months, collections, distributions, strict=True)
    )
    chapters.append(
        (
            "ch4",
            "第四章 现金流预测 Cash-flow projection",
            [
                (
                    "4.1 回款与兑付 Collections",
                    f'<figure class="chart">{line1}</figure><figure class="chart">{line2}</figure>',
                ),
                (
                    "4.2 预测明细 Projection table",
                    table(["月份"], ["回款", "兑付", "留存", "费用", "优先级本金"], cash_rows),
                ),
            ],
        )
    )
    findings = "".join(
        f"<tr><td>V{i:03d}</td><td>{'警告' if i % 3 else '提示'}</td>"
        f"<td>第 {i * 97} 行：逾期天数与还款计划不一致，已由原始权益人说明。</td></tr>"
        for i in range(1, 41)
    )
    chapters.append(
        (
            "ch5",
            "第五章 合规核查 Validation report",
            [
                (
                    "5.1 核查结果 Findings",
                    table(["编号", "级别", "说明"], [], findings),
                ),
                ("5.2 风险因素 Risk factors", text(36)),
            ],
        )
    )
    chapters.append(("ch6", "第六章 附件说明 Attachments", [("6.1 嵌入文件 Embedded files", text(3))]))

    toc = "".join(
        f'<li><a href="#{cid}">{escape(title)}</a><ol>'
        + "".join(f'<li><a href="#{cid}-{n}">{escape(s)}</a></li>' for n, (s, _) in enumerate(sections))
        + "</ol></li>"
        for cid, title, sections in chapters
    )
    body = "".join(
        f'<h1 id="{cid}">{escape(title)}</h1>'
        + "".join(f'<h2 id="{cid}-{n}">{escape(s)}</h2>{content}' for n, (s, content) in enumerate(sections))
        for cid, title, sections in chapters
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>发行备案材料</title></head><body>"
        '<section class="cover"><h1>某某2026年第一期资产支持证券代币</h1>'
        '<p class="subtitle">发行备案材料 Issuance dossier</p>'
        "<dl><div><dt>备案编号</dt><dd>CSRC-ABS-2026-0042</dd></div>"
        "<div><dt>提交时间</dt><dd>2026-11-25 16:18</dd></div></dl></section>"
        f'<nav class="toc"><h1>目录 Contents</h1><ol>{toc}</ol></nav>{body}</body></html>'
    )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(rows: int, workdir: Path) -> dict[str, float]:
    from filings.dossier.signing import create_dev_signing_identity

    started = time.perf_counter()
    tape = make_tape(rows)
    csv_bytes = tape_csv(tape)
    html = build_html(tape)
    snapshot = json.dumps({"reference": "CSRC-ABS-2026-0042", "assets": len(tape)}, ensure_ascii=False)
    (workdir / "dossier.html").write_text(html, encoding="utf-8")
    (workdir / "tape.csv").write_bytes(csv_bytes)
    (workdir / "snapshot.json").write_text(snapshot, encoding="utf-8")
    create_dev_signing_identity(workdir, common_name="Bench Signer", passphrase="bench")
    return {
        "assets": rows,
        "tape_csv_mib": len(csv_bytes) / 2**20,
        "html_kib": len(html) / 1024,
        "build_s": time.perf_counter() - started,
    }


def run_phase(phase: str, workdir: Path) -> dict[str, float]:
    import pypdf

    from filings.dossier.pdf import Attachment, PdfMetadata, extract_attachments, render_pdf
    from filings.dossier.signing import sign_pdf, verify_pdf

    metadata = PdfMetadata(
        title="某某2026年第一期资产支持证券代币发行备案材料",
        reference="CSRC-ABS-2026-0042",
        created=SUBMITTED_AT,
        authors=("上海某某融资租赁有限公司",),
    )
    html = (workdir / "dossier.html").read_text(encoding="utf-8")
    figures: dict[str, float] = {"rss_before_mib": peak_rss_mib()}
    started = time.perf_counter()
    if phase == "weasyprint":
        pdf = render_pdf(html, base_url=None, attachments=[], metadata=metadata)
        figures["render_s"] = time.perf_counter() - started
    else:
        tape = (workdir / "tape.csv").read_bytes()
        snapshot = (workdir / "snapshot.json").read_bytes()
        attachments = [
            Attachment("asset_tape.csv", tape, "text/csv", "全部资产清单 Full asset tape", "Source"),
            Attachment("snapshot.json", snapshot, "application/json", "提交快照 Submission snapshot", "Data"),
        ]
        unsigned = render_pdf(html, base_url=None, attachments=attachments, metadata=metadata)
        figures["render_attach_s"] = time.perf_counter() - started
        mark = time.perf_counter()
        pdf = sign_pdf(
            unsigned,
            p12_path=workdir / "signer.p12",
            passphrase="bench",
            reason="发行备案提交",
            location="上海",
            field_name="IssuerSignature",
        )
        figures["sign_s"] = time.perf_counter() - mark
        figures["render_attach_sign_s"] = time.perf_counter() - started
        mark = time.perf_counter()
        result = verify_pdf(pdf, trust_roots=[workdir / "ca.pem"])
        extracted = extract_attachments(pdf)
        figures["verify_extract_s"] = time.perf_counter() - mark
        if not (
            result.valid and extracted["asset_tape.csv"] == tape and extracted["snapshot.json"] == snapshot
        ):
            raise SystemExit(f"post-render check failed: {result}")
    figures["total_s"] = time.perf_counter() - started
    figures["peak_rss_mib"] = peak_rss_mib()
    figures["pdf_mib"] = len(pdf) / 2**20
    figures["pages"] = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    (workdir / f"{phase}.pdf").write_bytes(pdf)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="asset tape rows (default 100000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per phase (default 1)")
    parser.add_argument("--keep", type=Path, help="copy the signed dossier PDF here")
    parser.add_argument("--phase", choices=("prepare", "weasyprint", "full"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "prepare":
        print(json.dumps(prepare(args.rows, args.workdir)))
        return
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.workdir)))
        return

    def child(phase: str, workdir: Path) -> dict[str, float]:
        command = [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--workdir",
            str(workdir),
            "--rows",
            str(args.rows),
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory(prefix="bench-dossier-") as tmp:
        workdir = Path(tmp)
        inputs = child("prepare", workdir)
        print(
            f"inputs: {inputs['assets']:,} assets, tape CSV {inputs['tape_csv_mib']:.1f} MiB, "
            f"HTML {inputs['html_kib']:.0f} KiB, built in {inputs['build_s']:.1f} s"
        )
        for phase in ("weasyprint", "full"):
            for _ in range(args.repeat):
                figures = child(phase, workdir)
                shown = ", ".join(
                    f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}"
                    for key, value in figures.items()
                )
                print(f"{phase:>10}: {shown}")
        if args.keep:
            args.keep.write_bytes((workdir / "full.pdf").read_bytes())


if __name__ == "__main__":
    main()
