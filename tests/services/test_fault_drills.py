"""Fault drills with real processes: a private Redis stopped while work is submitted, Celery workers
SIGKILLed mid-job. Each job finishes exactly once, within 60 s of the fault ending; the times are
written to test-artifacts/recovery-times.jsonl (docs/recovery.md quotes them)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from assets.models import Asset, TapeImport
from audit.models import Event
from filings.models import DossierRender
from filings.pool_views import pool_of
from filings.services import create_filing
from jobs.models import OutboxTask
from tests.assets.fixtures.tapes import receivables, tape_csv
from tests.filings import dossier_support as support
from tests.services.faults import ARTIFACTS, PrivateRedis, Worker, run_app_code, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECOVERY_LIMIT = 60.0  # from the fault's end until the job is taken (again) by a worker
IMPORT_ROWS = 20_000
GRACE = 12.0  # a watchdog round and more: nothing runs a second time afterwards


@pytest.fixture
def redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.close()


@pytest.fixture
def workers(redis) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def start_worker(workers: list[Worker], redis: PrivateRedis, name: str, *, ready: bool = True) -> Worker:
    worker = Worker(redis.url, name)
    workers.append(worker)
    if ready:
        worker.wait_ready()
    return worker


def record(drill: str, seconds: float, **details: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "recovery-times.jsonl", "a") as log:
        log.write(json.dumps({"drill": drill, "seconds": round(seconds, 1), **details}) + "\n")
    print(f"{drill}: {seconds:.1f} s")


@pytest.fixture
def tape_file(tmp_path):
    rows = [{**row, "obligor_id": f"OB{i % 500:04d}"} for i, row in enumerate(receivables(IMPORT_ROWS))]
    path = tmp_path / "pool.csv"
    path.write_bytes(tape_csv(rows))
    return path


@pytest.fixture
def pool(preparer):
    filing = create_filing(
        organisation=preparer.organisation, title="故障演练", asset_class="trade_receivable", by=preparer
    )
    return pool_of(filing)


def recover(drill: str, model, job_ids: list[int], since: float, *, attempts: int) -> None:
    """Wait until every job is taken by a worker (the claim of attempt ``attempts``), then until it
    is done; record both times. Taken within RECOVERY_LIMIT of the fault's end; done within that
    plus the job's own running time (the machine may be slow, the recovery may not)."""

    def taken() -> bool:
        rows = model.objects.filter(pk__in=job_ids, attempts__gte=attempts).exclude(status="queued")
        return rows.count() == len(job_ids)

    wait_until(taken, RECOVERY_LIMIT, what=f"{drill}: taken by a worker")
    taken_after = time.monotonic() - since
    wait_until(lambda: all(job.is_done for job in model.objects.filter(pk__in=job_ids)), 300, what=drill)
    done_after = time.monotonic() - since
    running = max(
        (job.finished_at - job.started_at).total_seconds() for job in model.objects.filter(pk__in=job_ids)
    )
    record(drill, done_after, taken_after=round(taken_after, 1), job_ran=round(running, 1))
    assert done_after - running <= RECOVERY_LIMIT


def assert_imported_once(job_id: int, *, attempts: int) -> None:
    time.sleep(GRACE)
    job = TapeImport.objects.get(pk=job_id)
    assert (job.outcome, job.is_current, job.rows_stored, job.attempts) == (
        "accepted",
        True,
        IMPORT_ROWS,
        attempts,
    )
    assert Asset.objects.filter(tape_id=job_id).count() == IMPORT_ROWS  # not one row twice
    assert Event.objects.filter(action="tape.import", subject_id=job_id).count() == 1
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


def assert_rendered_once(job_ids: list[int], *, attempts: int) -> None:
    time.sleep(GRACE)
    renders = list(DossierRender.objects.filter(pk__in=job_ids))
    assert [(r.status, r.attempts, r.error) for r in renders] == [("succeeded", attempts, "")] * len(job_ids)
    for render in renders:
        assert Event.objects.filter(action="dossier.render", subject_id=render.pk).count() == 1
        folder = render.pdf.storage.path(render.pdf.name).rsplit("/", 1)[0]
        import os

        files = [name for name in os.listdir(folder) if name.endswith(f"-{render.pk}.pdf")]
        assert files == [render.pdf.name.rsplit("/", 1)[1]]  # one file, no leftover of a dead attempt
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


def test_an_import_submitted_while_redis_is_down_runs_once_when_it_returns(
    redis, workers, pool, preparer, tape_file
):
    start_worker(workers, redis, "redis-import")
    redis.stop()

    job_id = run_app_code(redis.url, "import", pool_id=pool.pk, user_id=preparer.pk, path=str(tape_file))[
        "job_id"
    ]

    waiting = OutboxTask.objects.get(task="assets.tasks.run_tape_import_task", args=[job_id])
    assert waiting.sent_at is None and "Error" in waiting.last_error  # the broker refused it
    assert TapeImport.objects.get(pk=job_id).status == "queued"
    time.sleep(3)
    redis.start()
    recover("redis down at tape import", TapeImport, [job_id], time.monotonic(), attempts=1)

    assert_imported_once(job_id, attempts=1)


def test_a_submission_while_redis_is_down_has_its_dossiers_rendered_once_when_it_returns(
    redis, workers, ready_filing, signatory
):
    start_worker(workers, redis, "redis-submit")
    redis.stop()

    snapshot_id = run_app_code(redis.url, "submit", filing_id=ready_filing.pk, user_id=signatory.pk)[
        "snapshot_id"
    ]

    job_ids = list(DossierRender.objects.filter(snapshot_id=snapshot_id).values_list("pk", flat=True))
    assert len(job_ids) == 2
    assert set(DossierRender.objects.filter(pk__in=job_ids).values_list("status", flat=True)) == {"queued"}
    # Nothing is marked sent while the broker is away (each send is confirmed by the broker).
    unsent = OutboxTask.objects.filter(task="filings.tasks.render_dossier_task", sent_at__isnull=True)
    assert unsent.count() == 2
    time.sleep(3)
    redis.start()
    recover(
        "redis down at submission (two dossier renders)", DossierRender, job_ids, time.monotonic(), attempts=1
    )

    assert_rendered_once(job_ids, attempts=1)


def test_a_worker_killed_mid_import_is_replaced_and_the_import_finishes_once(
    redis, workers, pool, preparer, tape_file
):
    first = start_worker(workers, redis, "kill-import-1")
    job_id = run_app_code(redis.url, "import", pool_id=pool.pk, user_id=preparer.pk, path=str(tape_file))[
        "job_id"
    ]

    def mid_import() -> bool:
        job = TapeImport.objects.get(pk=job_id)
        return job.status == "running" and (job.progress or {}).get("rows_stored", 0) > 0

    wait_until(mid_import, 60, interval=0.05, what="rows being stored")
    first.kill()
    killed = time.monotonic()
    start_worker(workers, redis, "kill-import-2", ready=False)
    recover("worker SIGKILLed mid-import", TapeImport, [job_id], killed, attempts=2)

    assert_imported_once(job_id, attempts=2)


def test_a_worker_killed_mid_render_is_replaced_and_the_dossier_renders_once(
    redis, workers, draft_filing, signatory
):
    snapshot = support.minimal_snapshot(draft_filing, signatory)
    first = start_worker(workers, redis, "kill-render-1")
    job_id = run_app_code(
        redis.url, "request_dossier", snapshot_id=snapshot.pk, language="zh-hans", user_id=signatory.pk
    )["job_id"]

    def mid_render() -> bool:
        render = DossierRender.objects.get(pk=job_id)
        return render.status == "running" and render.progress.get("stage") == "rendering"

    wait_until(mid_render, 60, interval=0.05, what="rendering")
    first.kill()
    killed = time.monotonic()
    start_worker(workers, redis, "kill-render-2", ready=False)
    recover("worker SIGKILLed mid-render", DossierRender, [job_id], killed, attempts=2)

    assert_rendered_once([job_id], attempts=2)
