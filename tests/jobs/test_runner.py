"""Job leases kept alive by a thread, the sweeper's hand-over, and tasks sent through the outbox."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import current_app
from django.db import OperationalError, transaction
from django.utils import timezone

from filings.models import PreflightRun
from jobs import runner
from jobs.models import JobStatus, OutboxTask


def queued_run(filing) -> PreflightRun:
    return PreflightRun.objects.create(filing=filing, progress={"percent": 0})


@pytest.mark.django_db(transaction=True)
def test_a_running_job_keeps_its_short_lease_without_writing_progress(draft_filing):
    job = runner.claim(PreflightRun, queued_run(draft_filing).pk, lease=timedelta(seconds=1))
    assert job is not None

    with runner.keep_alive(job, lease=timedelta(seconds=1), every=0.2) as holding:
        time.sleep(1.5)  # longer than the lease: only the keep-alive thread renews it
        swept = runner.sweep(PreflightRun, lambda job_id: None)
        assert holding.beats >= 3 and not holding.lost

    assert swept == []
    assert PreflightRun.objects.get(pk=job.pk).status == JobStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_dead_workers_job_is_handed_on_and_the_late_keeper_learns_it_lost(draft_filing):
    job = runner.claim(PreflightRun, queued_run(draft_filing).pk, lease=timedelta(seconds=1))
    assert job is not None
    PreflightRun.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    sent: list[int] = []

    assert runner.sweep(PreflightRun, sent.append) == [job.pk]
    taken = runner.claim(PreflightRun, job.pk)
    with runner.keep_alive(job, lease=timedelta(seconds=1), every=0.1) as holding:  # the old claim
        time.sleep(0.5)

    assert sent == [job.pk]
    assert taken is not None and taken.attempts == 2 and taken.claimed_by != job.claimed_by
    assert holding.lost
    with pytest.raises(runner.LeaseLostError):
        holding.check()


@pytest.mark.django_db
def test_the_sweeper_resends_a_waiting_job_once_per_interval(draft_filing):
    run = queued_run(draft_filing)
    PreflightRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    sent: list[int] = []

    first = runner.sweep(PreflightRun, sent.append)
    again = runner.sweep(PreflightRun, sent.append)  # ten seconds later: not yet
    PreflightRun.objects.filter(pk=run.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    later = runner.sweep(PreflightRun, sent.append)

    assert (first, again, later, sent) == ([run.pk], [], [run.pk], [run.pk, run.pk])


@pytest.mark.django_db
def test_a_job_out_of_attempts_fails_instead_of_running_again(draft_filing):
    run = queued_run(draft_filing)
    PreflightRun.objects.filter(pk=run.pk).update(
        status="running", attempts=3, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert runner.sweep(PreflightRun, lambda job_id: None) == []
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "gave up after the last attempt")


def _queued_messages(queue: str) -> list[list]:
    """What the broker holds on a queue (Celery's in-memory transport when no REDIS_URL is set)."""
    found = []
    with current_app.connection_for_read() as connection:
        simple = connection.SimpleQueue(queue)
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                break
            found.append([message.headers["task"], list(message.payload[0])])
            message.ack()
        simple.close()
    return found


@pytest.fixture
def with_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with REDIS_URL set: tasks go through the outbox
    _queued_messages("imports")
    yield
    _queued_messages("imports")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_broker")
def test_a_task_is_sent_only_with_the_change_that_asked_for_it():
    with transaction.atomic():
        runner.dispatch("assets.tasks.run_tape_import_task", 7)
        assert OutboxTask.objects.get().sent_at is None  # not before the change commits
    with pytest.raises(RuntimeError), transaction.atomic():
        runner.dispatch("assets.tasks.run_tape_import_task", 8)
        raise RuntimeError("the change fails: nothing of it, its task included, is kept")

    message = OutboxTask.objects.get()
    assert (message.task, message.args, message.attempts) == ("assets.tasks.run_tape_import_task", [7], 1)
    assert message.sent_at is not None
    assert _queued_messages("imports") == [["assets.tasks.run_tape_import_task", [7]]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_broker")
def test_the_relay_sends_what_a_broker_outage_left_behind(monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as down:
        down.setattr(current_app, "send_task", broker_down)
        runner.dispatch("assets.tasks.run_tape_import_task", 7)
        runner.dispatch("assets.tasks.run_tape_import_task", 8)
        assert runner.relay() == 0

    unsent = list(OutboxTask.objects.order_by("pk").values_list("args", "attempts", "sent_at"))
    assert unsent == [([7], 2, None), ([8], 1, None)]  # the relay stopped at the first failure
    assert "Connection refused" in OutboxTask.objects.order_by("pk").first().last_error

    assert runner.relay() == 2  # the broker is back
    assert runner.relay() == 0
    assert _queued_messages("imports") == [
        ["assets.tasks.run_tape_import_task", [7]],
        ["assets.tasks.run_tape_import_task", [8]],
    ]
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_without_a_broker_the_task_runs_here_once_the_change_commits(
    draft_filing, django_capture_on_commit_callbacks
):
    run = queued_run(draft_filing)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        runner.dispatch("filings.tasks.run_preflight_task", run.pk)
        assert PreflightRun.objects.get(pk=run.pk).status == "queued"

    assert len(callbacks) == 1 and not OutboxTask.objects.exists()
    assert PreflightRun.objects.get(pk=run.pk).status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_runs_the_job_in_a_thread_after_commit(draft_filing, settings):
    settings.JOBS_RUN_INLINE = False  # as without REDIS_URL outside tests: a background thread
    run = queued_run(draft_filing)

    with transaction.atomic():
        runner.dispatch("filings.tasks.run_preflight_task", run.pk)
        time.sleep(0.3)
        assert PreflightRun.objects.get(pk=run.pk).status == "queued"  # nothing before the commit

    finished = None
    for _ in range(300):
        try:
            finished = PreflightRun.objects.filter(pk=run.pk, status="succeeded").first()
        except OperationalError:
            # The test database is in-memory SQLite with a shared cache, where a read meets
            # "table is locked" at once (no busy wait) while the thread writes: ask again.
            finished = None
        if finished:
            break
        time.sleep(0.1)
    assert finished is not None and finished.attempts == 1
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_broker")
def test_the_watchdog_relays_and_sweeps_in_its_own_process(draft_filing, settings, monkeypatch):
    """What every worker and beat process runs every JOBS_WATCHDOG_SECONDS, with no beat message."""
    from kombu.exceptions import OperationalError

    from jobs import watchdog

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    lost = runner.claim(PreflightRun, queued_run(draft_filing).pk)
    assert lost is not None
    PreflightRun.objects.filter(pk=lost.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with monkeypatch.context() as down:
        down.setattr(
            current_app, "send_task", lambda *a, **k: (_ for _ in ()).throw(OperationalError("down"))
        )
        watchdog.run_once(settings.JOBS_WATCHDOG_TASKS)  # swept, but the broker is down
    assert list(OutboxTask.objects.values_list("task", "args", "sent_at")) == [
        ("filings.tasks.run_preflight_task", [lost.pk], None)
    ]

    watchdog.run_once(settings.JOBS_WATCHDOG_TASKS)  # the broker is back: relayed

    assert OutboxTask.objects.get().sent_at is not None
    assert PreflightRun.objects.get(pk=lost.pk).status == "queued"  # waiting for a worker to claim it
    with current_app.connection_for_read() as connection:
        simple = connection.SimpleQueue("default")
        message = simple.get(timeout=1)
        message.ack()
        simple.close()
    assert (message.headers["task"], list(message.payload[0])) == (
        "filings.tasks.run_preflight_task",
        [lost.pk],
    )
