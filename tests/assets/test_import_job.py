"""The import job: claimed once, progress committed per batch, retries start over, lost jobs swept;
the pool as snapshot JSON; the import_tape command."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from assets import services
from assets.analytics.eligibility import REASONS
from assets.models import Asset, AssetPool, TapeImport
from assets.selectors import pool_snapshot, tape_bytes
from audit.models import Event
from jobs import runner
from tests.assets.fixtures.tapes import receivables, tape_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def start(pool, content, by, **options):
    return services.start_tape_import(
        pool_id=pool.pk,
        upload=io.BytesIO(content),
        kind="assets",
        mapping=None,
        by=by,
        enqueue=False,
        **options,
    )


def test_progress_is_committed_after_every_batch(receivable_filing, preparer, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    seen = []
    heartbeat = runner.heartbeat

    def spy(job, progress=None, **kwargs):
        heartbeat(job, progress, **kwargs)
        seen.append(dict(TapeImport.objects.get(pk=job.pk).progress))  # what another reader sees

    monkeypatch.setattr(runner, "heartbeat", spy)
    job = start(receivable_filing.pool, tape_csv(receivables(35)), preparer)

    services.run_tape_import(job.pk)

    assert [(p["stage"], p["rows_read"], p["rows_stored"]) for p in seen] == [
        ("reading", 10, 10),
        ("reading", 20, 20),
        ("reading", 30, 30),
        ("reading", 35, 35),
        ("reading", 35, 35),
        ("analysing", 35, 35),
    ]
    assert TapeImport.objects.get(pk=job.pk).progress["stage"] == "stored"


def test_a_tape_with_errors_stops_storing_rows_after_the_first_bad_batch(
    receivable_filing, preparer, monkeypatch
):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    rows = receivables(40)
    rows[12]["original_amount"] = "abc"
    staged = []
    monkeypatch.setattr(
        services, "discard_staged", lambda job: staged.append(Asset.objects.filter(tape=job).count())
    )
    job = start(receivable_filing.pool, tape_csv(rows), preparer)

    services.run_tape_import(job.pk)

    assert staged == [0, 19]  # before the run; then batch 1 and batch 2's valid rows, nothing after
    assert TapeImport.objects.get(pk=job.pk).outcome == "refused"


def test_a_job_held_by_another_worker_is_not_run_twice(receivable_filing, preparer, good_tape):
    job = start(receivable_filing.pool, good_tape, preparer)
    assert runner.claim(TapeImport, job.pk) is not None  # another worker has it

    assert services.run_tape_import(job.pk) is None
    assert Asset.objects.count() == 0


def test_a_retry_after_a_lost_worker_discards_its_staged_rows(receivable_filing, preparer, good_tape):
    job = start(receivable_filing.pool, good_tape, preparer)
    leftover = Asset.objects.create(pool=job.pool, tape=job, source_row=2, asset_id="A0001", data={})
    TapeImport.objects.filter(pk=job.pk).update(
        status="running", attempts=1, lease_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    services.run_tape_import(job.pk)

    job.refresh_from_db()
    assert (job.outcome, job.attempts, Asset.objects.filter(tape=job).count()) == ("accepted", 2, 12)
    assert not Asset.objects.filter(pk=leftover.pk).exists()


def test_a_broken_run_fails_the_job_and_stores_nothing(receivable_filing, preparer, good_tape, monkeypatch):
    job = start(receivable_filing.pool, good_tape, preparer)
    monkeypatch.setattr(services, "pool_analytics", lambda *a, **k: 1 / 0)

    services.run_tape_import(job.pk)

    job.refresh_from_db()
    assert (job.outcome, job.is_current, job.error) == (
        "failed",
        False,
        "ZeroDivisionError: division by zero",
    )
    assert Asset.objects.count() == 0
    assert Event.objects.filter(action="tape.import").get().data["outcome"] == "failed"


def test_the_sweeper_resends_imports_no_worker_picked_up(receivable_filing, preparer, good_tape, monkeypatch):
    job = start(receivable_filing.pool, good_tape, preparer)
    TapeImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    sent = []
    monkeypatch.setattr(services, "enqueue_import", sent.append)

    assert services.sweep_tape_imports() == [job.pk]
    assert sent == [job.pk]


def test_start_enqueues_on_commit(receivable_filing, preparer, good_tape, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_tape_import(
            pool_id=receivable_filing.pool_id,
            upload=io.BytesIO(good_tape),
            kind="assets",
            mapping=None,
            by=preparer,
        )

    assert TapeImport.objects.get(pk=job.pk).outcome == "accepted"  # Celery runs eagerly without Redis


# ---------------------------------------------------------------------------------------------
# The pool in the filing's data
# ---------------------------------------------------------------------------------------------


def test_the_ready_filing_pool_snapshot_has_what_the_rules_and_the_dossier_read(ready_filing):
    from filings.snapshot import build_filing_data, canonical_bytes

    data = build_filing_data(ready_filing)
    pool = data["pool"]

    assert (pool["asset_class"], pool["tape"]["kind"], pool["tape"]["rows"]) == ("toll_income", "history", 48)
    assert pool["tape"]["cutoff_date"] == data["cutoff_date"]
    assert [t["kind"] for t in pool["tapes"]] == ["assets", "history", "forecast", "debt_service"]
    assert pool["income"]["toll_period_end"] == "2045-06-29"
    assert set(pool["income"]["min_coverage_stressed"]) == {"0.10", "0.20", "0.30"}
    assert pool["income_eligibility"]["blocking"] is False
    content = tape_bytes(pool["tape"]["sha256"])
    assert hashlib.sha256(content).hexdigest() == pool["tape"]["sha256"]
    assert content.decode("utf-8-sig").startswith("资产编号,月份,通行费收入,")
    assert canonical_bytes(data) == canonical_bytes(build_filing_data(ready_filing))  # stable


def test_a_receivable_pool_snapshot_lists_bounded_exceptions_and_the_last_maturity(
    receivable_filing, preparer
):
    rows = receivables(230, disputed="是")
    job = start(receivable_filing.pool, tape_csv(rows), preparer)
    services.run_tape_import(job.pk)

    pool = pool_snapshot(AssetPool.objects.get(pk=receivable_filing.pool_id))

    assert pool["tape"]["rows"] == 230
    assert len(pool["exceptions"]) == 200
    first = dict(pool["exceptions"][0])
    with translation.override(settings.LANGUAGE_CODE):  # stored in the regulator's language
        assert first.pop("message") == str(REASONS["disputed"])
    assert first == {
        "asset_id": "A0001",
        "source_row": 2,
        "obligor_name": "上海示例机械有限公司",
        "outstanding_amount": "800000.00",
        "reasons": ["disputed"],
    }
    assert pool["eligibility"]["ineligible_count"] == 230
    assert pool["overview"]["max_maturity_date"] == "2026-01-13"
    assert pool["eligible_overview"]["max_maturity_date"] is None
    assert pool["top_obligors"][0]["share"] == 1.0
    assert json.loads(json.dumps(pool)) == pool


def test_no_pool_and_unknown_tapes(db):
    assert pool_snapshot(None) == {"asset_class": None, "tape": None, "tapes": []}
    assert tape_bytes("f" * 64) is None


# ---------------------------------------------------------------------------------------------
# manage.py import_tape
# ---------------------------------------------------------------------------------------------


def command(*args):
    out = io.StringIO()
    try:
        call_command("import_tape", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code)
    return out.getvalue(), 0


def test_the_command_imports_a_tape_and_prints_the_report(receivable_filing, tmp_path):
    path = tmp_path / "tape.csv"
    path.write_bytes(tape_csv(receivables(3)))

    output, status = command(receivable_filing.reference, str(path))

    assert status == 0
    assert output.splitlines()[0] == "Accepted: 3 rows stored; this tape is now in force."
    assert TapeImport.objects.get().requested_by == receivable_filing.created_by


def test_the_command_prints_every_error_and_exits_with_one_when_the_tape_is_refused(
    receivable_filing, tmp_path
):
    rows = receivables(3)
    rows[2]["due_date"] = "2025-01-01"
    path = tmp_path / "tape.csv"
    path.write_bytes(tape_csv(rows))

    output, status = command(receivable_filing.reference, str(path))

    lines = output.splitlines()
    assert status == 1
    assert lines[0] == "Refused: 1 errors; nothing was stored and the previous tape (if any) stays in force."
    assert lines[-2:] == [
        "Row\tColumn\tValue\tReason",
        "4\tdue_date\t2025-01-01\tRow 4: due date 2025-01-01 is before invoice date 2025-10-15.",
    ]
    assert Asset.objects.count() == 0


def test_the_command_takes_a_mapping_file_and_recognises_a_duplicate(receivable_filing, tmp_path):
    path = tmp_path / "tape.csv"
    path.write_text("编号,客户\nA1,OB1\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"columns": {"asset_id": "编号"}, "constants": {"obligor_type": "corporate"}})
    )
    good = tmp_path / "good.csv"
    good.write_bytes(tape_csv(receivables(2)))

    output, status = command(receivable_filing.reference, str(path), "--mapping", str(mapping))
    command(receivable_filing.reference, str(good))
    again, again_status = command(receivable_filing.reference, str(good))

    assert status == 1
    assert "Required column cutoff_date (基准日) was not found" in output
    assert TapeImport.objects.get(file_name="tape.csv").mapping["columns"] == {"asset_id": "编号"}
    assert again_status == 0
    assert "already the current Assets tape" in again


def test_the_command_rejects_unknown_filings_and_files(receivable_filing, tmp_path):
    with pytest.raises(CommandError) as unknown:
        call_command("import_tape", "ABST-2099-99999", str(tmp_path / "x.csv"), stdout=io.StringIO())
    with pytest.raises(CommandError) as missing:
        call_command(
            "import_tape", receivable_filing.reference, str(tmp_path / "x.csv"), stdout=io.StringIO()
        )

    assert (unknown.value.returncode, missing.value.returncode) == (2, 2)
    assert str(unknown.value) == "No filing has the reference 'ABST-2099-99999'."


# -- the person who ran the import is told in the app when it ends ----------------------------------


def _notifications(user):
    from inbox.models import Notification

    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_a_finished_import_notifies_the_person_who_ran_it(receivable_filing, preparer, signatory, good_tape):
    from django.urls import reverse

    job = start(receivable_filing.pool, good_tape, preparer)
    services.run_tape_import(job.pk)

    [note] = _notifications(preparer)
    assert (note.kind, note.filing, note.read_at) == ("import_finished", receivable_filing, None)
    assert note.target == reverse("filings:pool", args=[receivable_filing.reference])
    with translation.override("en"):
        assert note.label == (
            f"{receivable_filing.reference}: the import of {job.file_name} finished, 12 rows stored"
        )
    with translation.override("zh-hans"):
        assert note.label == f"{receivable_filing.reference}：{job.file_name} 导入完成，已存储 12 行"
    assert _notifications(signatory) == []  # only the person who ran it


def test_a_refused_and_a_failed_import_say_so(receivable_filing, preparer, good_tape, monkeypatch):
    rows = receivables(5)
    rows[2]["original_amount"] = "abc"
    refused = start(receivable_filing.pool, tape_csv(rows), preparer)
    services.run_tape_import(refused.pk)
    broken = start(receivable_filing.pool, good_tape, preparer)
    monkeypatch.setattr(services, "pool_analytics", lambda *a, **k: 1 / 0)
    services.run_tape_import(broken.pk)

    ref = receivable_filing.reference
    with translation.override("en"):
        assert [(n.kind, n.label) for n in _notifications(preparer)] == [
            (
                "import_refused",
                f"{ref}: the import of {refused.file_name} was refused (errors to correct: 1)",
            ),
            ("import_failed", f"{ref}: the import of {broken.file_name} failed; start it again"),
        ]
