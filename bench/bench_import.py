"""Benchmark of the tape import job end to end: read, validate, store (bulk_create on SQLite, COPY on
PostgreSQL), per-asset eligibility, pool analytics, switch to current. Compared with django-import-export
loading the same file after the same checks.

Run from the project root (PostgreSQL at 127.0.0.1:5432 for the PostgreSQL figures):

    .venv/bin/python bench/bench_import.py              # everything (about 15 minutes on 2 cores)
    .venv/bin/python bench/bench_import.py --quick      # 100 000 rows on SQLite and PostgreSQL only
    .venv/bin/python bench/bench_import.py --no-baseline
    .venv/bin/python bench/bench_import.py --quick --repeat 5   # the median of five 100 000-row runs

Each measurement runs in a fresh subprocess on a freshly migrated database, so its peak RSS (ru_maxrss)
is its own. Every figure is printed beside its target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/filingdesk_bench"
TARGETS = {
    "sqlite_100k": 20.0,
    "postgres_100k": 10.0,
    "speedup": 10.0,
    "peak_mib": 500.0,
    "scale": 11.0,
    "analytics": 2.0,
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _people() -> tuple[Any, Any]:
    from accounts.models import Organisation, OrganisationKind, Role, User
    from assets.models import AssetPool

    organisation = Organisation.objects.create(
        name_zh="基准测试", name_en="Bench", kind=OrganisationKind.ISSUER
    )
    user = User.objects.create(
        username=f"bench-{time.time_ns()}", role=Role.PREPARER, organisation=organisation
    )
    return user, AssetPool.objects.create(organisation=organisation, asset_class="trade_receivable")


# Workers (each in its own process) ------------------------------------------------------------------


def worker_ours(database_url: str, path: str) -> dict[str, Any]:
    """The real job: start_tape_import + run_tape_import, as the Celery task runs it."""
    _django(database_url)
    from django.db import connection

    from assets import services, summaries
    from assets.models import Asset

    user, pool = _people()
    marks: dict[str, float] = {}
    analytics_seconds: list[float] = []
    original_stage = services._Reporter.stage
    original_analytics = services.pool_analytics

    def stage(self: Any, name: str, percent: int) -> None:
        marks.setdefault(name, time.perf_counter())
        original_stage(self, name, percent)

    def timed_analytics(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = original_analytics(*args, **kwargs)
        analytics_seconds.append(time.perf_counter() - started)
        return result

    # The analytics are fed batch by batch while the rows are staged (PoolReport.add), then finished
    # once (pool_analytics): both are timed, the first inside the rows phase.
    from assets.analytics.report import PoolReport

    feeding_seconds: list[float] = []
    original_add = PoolReport.add

    def timed_add(self: Any, assets: Any) -> None:
        started = time.perf_counter()
        original_add(self, assets)
        feeding_seconds.append(time.perf_counter() - started)

    PoolReport.add = timed_add  # type: ignore[method-assign]
    services._Reporter.stage = stage  # type: ignore[method-assign]
    services.pool_analytics = timed_analytics  # type: ignore[assignment]
    assert summaries  # the module the analytics come from
    rss_before = _peak_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    with open(path, "rb") as handle:
        job = services.start_tape_import(
            pool_id=pool.pk, upload=handle, kind="assets", mapping=None, by=user, enqueue=False
        )
    stored = time.perf_counter()
    services.run_tape_import(job.pk)
    finished, cpu = time.perf_counter(), time.process_time() - cpu_started
    job.refresh_from_db()
    return {
        "backend": connection.vendor,
        "outcome": job.outcome,
        "rows": job.rows_stored,
        "errors": (job.result or {}).get("error_count"),
        "store_file_seconds": stored - started,
        "rows_seconds": marks.get("analysing", finished) - stored,
        "analytics_seconds": (analytics_seconds[0] + sum(feeding_seconds)) if analytics_seconds else None,
        "analytics_feeding_seconds": sum(feeding_seconds),
        "analytics_final_seconds": analytics_seconds[0] if analytics_seconds else None,
        "finish_seconds": finished - marks.get("analysing", finished),
        "total_seconds": finished - started,
        "cpu_seconds": cpu,
        "peak_mib": _peak_mib(),
        "rss_before_mib": rss_before,
        "load_average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "in_database": Asset.objects.filter(tape=job).count(),
    }


def worker_import_export(database_url: str, path: str, bulk: bool) -> dict[str, Any]:
    """django-import-export 4 loading the same file into the same table, after the same checks (our
    validator over the file, run in its before_import hook), as a typical ModelResource."""
    _django(database_url)
    import tablib
    from django.core.exceptions import ValidationError
    from import_export import resources

    from assets.models import Asset, TapeImport
    from assets.tape import ImportOptions, run_import

    _user, pool = _people()
    tape = TapeImport.objects.create(pool=pool, kind="assets", file_name="x", sha256="0" * 64, size=0)
    counter = {"row": 1}

    class AssetResource(resources.ModelResource):
        class Meta:
            model = Asset
            fields = (
                "id",
                "asset_id",
                "obligor_group_id",
                "outstanding_amount",
                "original_amount",
                "maturity_date",
                "days_past_due",
            )
            use_bulk = bulk
            batch_size = 2000
            skip_diff = bulk
            force_init_instance = bulk
            skip_unchanged = False
            report_skipped = False

        def before_import(self, dataset: Any, **kwargs: Any) -> None:
            result = run_import(
                path, asset_class="trade_receivable", options=ImportOptions(validate_only=True)
            )
            if not result.ok:
                raise ValidationError(f"{result.error_count} errors")

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            counter["row"] += 1
            instance.pool_id, instance.tape_id, instance.source_row = pool.pk, tape.pk, counter["row"]
            instance.data = {key: value for key, value in row.items() if value not in ("", None)}

    started = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv")
    # New rows: a blank id (the default resource still looks each one up first, one SELECT per row).
    dataset.append_col([""] * len(dataset), header="id")
    result = AssetResource().import_data(dataset, raise_errors=True, use_transactions=True)
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "rows": result.totals.get("new", 0),
        "in_database": Asset.objects.filter(tape=tape).count(),
        "peak_mib": _peak_mib(),
        "bulk": bulk,
    }


# Orchestration ---------------------------------------------------------------------------------------


def _run(args: list[str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _migrated_sqlite(template: Path, tmp: Path, name: str) -> str:
    target = tmp / f"{name}.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _prepare_sqlite(tmp: Path) -> Path:
    template = tmp / "template.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{template}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], check=True, cwd=ROOT, env=env
    )
    return template


def _prepare_postgres() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS filingdesk_bench")
            conn.execute("CREATE DATABASE filingdesk_bench")
    except psycopg.OperationalError:
        return None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": PG_BENCH}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], check=True, cwd=ROOT, env=env
    )
    return PG_BENCH


def _line(label: str, value: float, target: float, unit: str, *, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    comparison = "≥" if higher_is_better else "≤"
    verdict = "PASS" if ok else "FAIL"
    return f"  {label:<62} {value:>9.2f} {unit:<4} target {comparison} {target:g} {unit:<4} {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 000 rows only, no 1 000 000, no baseline")
    parser.add_argument("--no-baseline", action="store_true", help="skip django-import-export")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the 100 000-row job per backend (the median counts)"
    )
    parser.add_argument("--worker", choices=["ours", "ie", "ie-bulk"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.worker == "ours":
            print(json.dumps(worker_ours(args.database, args.path)))
        else:
            print(json.dumps(worker_import_export(args.database, args.path, bulk=args.worker == "ie-bulk")))
        return

    from bench.bench_tape_engine import generate_receivables

    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; command: {' '.join(sys.argv)}")
    print("load average at the start: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as name:
        tmp = Path(name)
        files = {}
        for size in sizes:
            files[size] = tmp / f"receivables_{size}.csv"
            started = time.perf_counter()
            generate_receivables(files[size], size)
            print(
                f"generated {size:>9,} rows ({files[size].stat().st_size / 2**20:.0f} MiB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
        template = _prepare_sqlite(tmp)
        postgres = _prepare_postgres()
        if postgres is None:
            print("PostgreSQL is not reachable at 127.0.0.1:5432: PostgreSQL figures skipped")
        backends = {"sqlite": lambda n: _migrated_sqlite(template, tmp, n)}
        if postgres:
            backends["postgres"] = lambda _n: postgres  # the same database; each run uses its own pool
        results: dict[tuple[str, int], dict[str, Any]] = {}
        # The machine's speed drifts by a third over minutes (shared cores), so the 100 000-row job runs
        # several times, before and after the 1 000 000-row one, and its median is the figure: the
        # 1 M / 100 k ratio then compares runs of the same minutes.
        order = [100_000] * ((args.repeat + 1) // 2) + [s for s in sizes if s != 100_000]
        order += [100_000] * (args.repeat // 2)
        for backend, database in backends.items():
            runs: dict[int, list[dict[str, Any]]] = {}
            for size in order:
                r = _run(
                    ["--worker", "ours", "--database", database(f"ours{size}"), "--path", str(files[size])]
                )
                assert r["outcome"] == "accepted" and r["in_database"] == size, r
                runs.setdefault(size, []).append(r)
                print(
                    f"{backend:<9} {size:>9,} rows: {r['total_seconds']:6.2f} s total (store file "
                    f"{r['store_file_seconds']:.2f}, read+validate+store rows {r['rows_seconds']:.2f} "
                    f"incl. feeding the analytics {r['analytics_feeding_seconds']:.2f}, finishing the "
                    f"analytics {r['analytics_final_seconds']:.2f}, switch "
                    f"{r['finish_seconds'] - r['analytics_final_seconds']:.2f}); "
                    f"CPU {r['cpu_seconds']:.2f} s; "
                    f"peak RSS {r['peak_mib']:.0f} MiB; load average {r['load_average']}"
                )
            for size, measured in runs.items():
                results[(backend, size)] = median = sorted(measured, key=lambda m: m["total_seconds"])[
                    len(measured) // 2
                ]
                median["peak_mib"] = max(m["peak_mib"] for m in measured)
                median["analytics_seconds"] = sorted(m["analytics_seconds"] for m in measured)[
                    len(measured) // 2
                ]
                if len(measured) > 1:
                    times = ", ".join(f"{m['total_seconds']:.2f}" for m in measured)
                    print(f"{backend:<9} {size:>9,} rows: median {median['total_seconds']:.2f} s of {times}")
        baseline: dict[tuple[str, bool], dict[str, Any]] = {}
        if not (args.quick or args.no_baseline):
            try:
                import import_export  # noqa: F401
            except ImportError:
                print("django-import-export is not installed: no baseline")
            else:
                for backend, database in backends.items():
                    for bulk in (False, True):
                        kind = "ie-bulk" if bulk else "ie"
                        baseline[(backend, bulk)] = b = _run(
                            [
                                "--worker",
                                kind,
                                "--database",
                                database(f"{kind}100k"),
                                "--path",
                                str(files[100_000]),
                            ]
                        )
                        assert b["in_database"] == 100_000, b
                        print(
                            f"{backend:<9} django-import-export {'use_bulk' if bulk else 'default '} "
                            "100,000 rows: "
                            f"{b['seconds']:6.2f} s; peak RSS {b['peak_mib']:.0f} MiB"
                        )

    print("\nTargets (100 000-row receivables tape unless stated):")
    sqlite = results[("sqlite", 100_000)]
    print(
        _line(
            "SQLite: import, fully validated, whole job", sqlite["total_seconds"], TARGETS["sqlite_100k"], "s"
        )
    )
    if ("postgres", 100_000) in results:
        pg = results[("postgres", 100_000)]
        print(
            _line(
                "PostgreSQL: import, fully validated, whole job",
                pg["total_seconds"],
                TARGETS["postgres_100k"],
                "s",
            )
        )
    for size in sizes:
        peak = max(r["peak_mib"] for (_backend, rows), r in results.items() if rows == size)
        label = f"peak memory of the import process, {size:,} rows (either backend)".replace(",", " ")
        print(_line(label, peak, TARGETS["peak_mib"], "MiB"))
    for backend in backends:
        if (backend, 1_000_000) in results:
            ratio = (
                results[(backend, 1_000_000)]["total_seconds"] / results[(backend, 100_000)]["total_seconds"]
            )
            print(_line(f"{backend}: 1 000 000 rows / 100 000 rows time", ratio, TARGETS["scale"], "×"))
    for backend in backends:
        print(
            _line(
                f"pool analytics of 100 000 assets ({backend} run, fed + finished)",
                results[(backend, 100_000)]["analytics_seconds"],
                TARGETS["analytics"],
                "s",
            )
        )
    for (backend, bulk), b in baseline.items():
        ours = results[(backend, 100_000)]["total_seconds"]
        if bulk:  # a stricter yardstick than the issue's (see docs/benchmarks.md): reported, not judged
            label = f"{backend}: speed-up over tuned django-import-export (use_bulk)"
            print(f"  {label:<62} {b['seconds'] / ours:>9.2f} ×    reference, no target")
            continue
        label = f"{backend}: speed-up over django-import-export (default resource)"
        print(_line(label, b["seconds"] / ours, TARGETS["speedup"], "×", higher_is_better=True))


if __name__ == "__main__":
    main()
