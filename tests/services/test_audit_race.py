"""Concurrent appends on PostgreSQL: one unbroken chain, and every head where its newest event is."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from audit.models import ChainHead, Event, FilingChainHead
from audit.services import record_event, verify_chain

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_appends_racing_from_many_connections_keep_chain_and_heads_exact(admin_user):
    threads_count, per_thread = 6, 15
    barrier = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        barrier.wait()
        try:
            for n in range(per_thread):
                # Two filings shared by every thread, and global-only events in between.
                filing_id = (1, 2, None)[(worker + n) % 3]
                data = {"w": worker, "n": n}
                record_event(action="race.append", actor=admin_user, filing_id=filing_id, data=data)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = threads_count * per_thread
    assert verify_chain().ok
    sequences = list(Event.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert ChainHead.objects.get().last_sequence == total
    for head in FilingChainHead.objects.all():
        events = Event.objects.filter(filing_id=head.filing_id).order_by("sequence")
        assert (head.last_sequence, head.last_hash, head.length) == (
            events.last().sequence,
            events.last().filing_hash,
            events.count(),
        )
