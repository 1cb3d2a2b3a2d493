"""Benchmark of the tape engine: parse + validate generated receivable tapes, and pool analytics.

Run from the project root:

    .venv/bin/python bench/bench_tape_engine.py            # 100 000 and 1 000 000 rows, analytics on 100 000
    .venv/bin/python bench/bench_tape_engine.py --quick    # 100 000 rows only

Every measurement runs in a fresh subprocess so its peak RSS (ru_maxrss) is its own; "RSS growth" is the
peak minus the RSS measured just before the timed call.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 1, 31)
CUTOFF = dt.date(2025, 12, 31)


def _setup_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
    import django

    django.setup()


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _usccs(count: int, rng: random.Random) -> list[str]:
    from assets.tape.reference import USCC_ALPHABET, uscc_check_character

    codes = []
    for _ in range(count):
        body = (
            "91"
            + rng.choice(["110000", "310000", "440300", "510100", "330100"])
            + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        )
        codes.append(body + uscc_check_character(body))
    return codes


def generate_receivables(path: Path, rows: int, seed: int = 7) -> None:
    """A canonical-header receivables CSV (English headers, ISO dates) with realistic variety."""
    from assets.tape.schema import RECEIVABLE

    rng = random.Random(seed)
    obligors = 5000
    usccs = _usccs(obligors, rng)
    regions = ["110105", "310115", "440305", "510107", "330106", "320102", "420106", "370102"]
    industries = ["C34", "C38", "F51", "G54", "E48", "I65", "C13", "D44"]
    headers = [column.name for column in RECEIVABLE.columns]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for i in range(rows):
            k = rng.randrange(obligors)
            invoice = CUTOFF - dt.timedelta(days=rng.randrange(1, 300))
            due = invoice + dt.timedelta(days=rng.choice([30, 60, 90, 120, 180]))
            original = rng.randrange(10_000, 5_000_000) / 100 * 100
            outstanding = round(original * rng.choice([1, 1, 1, 0.8, 0.5]), 2)
            dpd = 0 if rng.random() < 0.9 else rng.randrange(1, 120)
            values = {
                "asset_id": f"AR{i:09d}",
                "cutoff_date": CUTOFF.isoformat(),
                "originator_id": "ORIG01",
                "obligor_id": f"OB{k:05d}",
                "obligor_name": f"示例企业{k:05d}有限公司",
                "obligor_uscc": usccs[k],
                "obligor_group_id": f"G{k // 3:05d}",
                "obligor_type": "corporate",
                "related_party": "否",
                "industry_code": industries[k % len(industries)],
                "region_code": regions[k % len(regions)],
                "currency": "CNY",
                "origination_date": "",
                "maturity_date": "",
                "original_amount": f"{original:.2f}",
                "outstanding_amount": f"{outstanding:.2f}",
                "interest_rate": "",
                "payment_frequency": "bullet",
                "next_due_date": "",
                "days_past_due": str(dpd),
                "arrears_amount": "",
                "account_status": "",
                "risk_class_5": "正常",
                "default_date": "",
                "default_amount": "",
                "recoveries": "",
                "guarantee_type": "none",
                "disputed": "否" if rng.random() < 0.97 else "是",
                "encumbered": "否",
                "release_at_transfer": "",
                "transferable": "是",
                "invoice_no": f"{44000000000 + i:012d}",
                "contract_no": f"HT-{k:05d}-{i % 97:02d}",
                "invoice_date": invoice.isoformat(),
                "due_date": due.isoformat(),
                "payment_terms_days": "",
                "goods_delivered": "是",
                "obligor_confirmed": "是",
                "core_enterprise_id": "",
                "dilution_amount": "0",
                "settled_date": "",
            }
            writer.writerow([values[h] for h in headers])


def measure_import(path: str) -> dict[str, Any]:
    _setup_django()
    from assets.tape import ImportOptions, run_import

    received = 0

    def sink(batch: list[dict[str, Any]]) -> None:
        nonlocal received
        received += len(batch)

    before = _rss_kib()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_import(path, asset_class="trade_receivable", options=ImportOptions(today=TODAY), sink=sink)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "rows": result.rows_read,
        "valid": received,
        "errors": result.error_count,
        "rss_before_mib": before / 1024,
        "peak_mib": _peak_kib() / 1024,
        "rss_growth_mib": (_peak_kib() - before) / 1024,
        "size_mib": result.size_bytes / 2**20,
    }


def measure_analytics(path: str) -> dict[str, Any]:
    _setup_django()
    from assets.analytics import pool_overview, pool_report, stratifications
    from assets.analytics.pool import pool_data
    from assets.tape import ImportOptions, run_import

    rows: list[dict[str, Any]] = []
    run_import(path, asset_class="trade_receivable", options=ImportOptions(today=TODAY), sink=rows.extend)
    timings: dict[str, Any] = {"assets": len(rows)}
    before = _rss_kib()
    started, cpu_started = time.perf_counter(), time.process_time()
    pool = pool_data(rows)
    pool_overview(pool)
    stratifications(pool, asset_class="trade_receivable")
    timings["overview_and_strata"] = (time.perf_counter() - started, time.process_time() - cpu_started)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = pool_report(rows, asset_class="trade_receivable")
    timings["full_report"] = (time.perf_counter() - started, time.process_time() - cpu_started)
    timings["eligible"] = report["eligibility"]["eligible_count"]
    timings["json_bytes"] = len(json.dumps(report, ensure_ascii=False))
    timings["rss_growth_mib"] = (_peak_kib() - before) / 1024
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 000 rows only")
    parser.add_argument("--worker", choices=["import", "analytics"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        measure = measure_import if args.worker == "import" else measure_analytics
        print(json.dumps(measure(args.path)))
        return

    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    with tempfile.TemporaryDirectory(prefix="bench-tape-") as tmp:
        files = {}
        for size in sizes:
            path = Path(tmp) / f"receivables_{size}.csv"
            started = time.perf_counter()
            generate_receivables(path, size)
            files[size] = path
            print(
                f"generated {size:>9,} rows ({path.stat().st_size / 2**20:.0f} MiB) "
                f"in {time.perf_counter() - started:.1f} s"
            )

        def worker(kind: str, path: Path) -> dict[str, Any]:
            output = subprocess.run(
                [sys.executable, __file__, "--worker", kind, "--path", str(path)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

        results = {size: worker("import", path) for size, path in files.items()}
        print(
            f"\n{'rows':>10} {'wall s':>8} {'CPU s':>7} {'rows/s':>9} {'valid':>9} {'errors':>6} "
            f"{'RSS growth':>11} {'peak RSS':>9}"
        )
        for size, r in results.items():
            print(
                f"{size:>10,} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} "
                f"{r['rows'] / r['seconds']:>9,.0f} {r['valid']:>9,} {r['errors']:>6} "
                f"{r['rss_growth_mib']:>8.0f} MiB {r['peak_mib']:>5.0f} MiB"
            )
        if len(results) == 2:
            wall = results[1_000_000]["seconds"] / results[100_000]["seconds"]
            cpu = results[1_000_000]["cpu_seconds"] / results[100_000]["cpu_seconds"]
            print(f"1 000 000 / 100 000 time ratio: wall {wall:.2f}, CPU {cpu:.2f} (target ≤ 11)")
        analytics = worker("analytics", files[100_000])
        wall, cpu = analytics["overview_and_strata"]
        report_wall, report_cpu = analytics["full_report"]
        print(
            f"\nanalytics on {analytics['assets']:,} assets (wall / CPU s): overview + strata "
            f"{wall:.2f} / {cpu:.2f}; full pool_report incl. eligibility and pool checks "
            f"{report_wall:.2f} / {report_cpu:.2f}; RSS growth {analytics['rss_growth_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
