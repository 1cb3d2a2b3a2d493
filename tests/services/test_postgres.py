"""Behaviour that only a real PostgreSQL shows: row locks, racing submits, refused deletes."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import Event
from audit.services import record_event, verify_chain
from filings.errors import FilingError
from filings.models import Filing, Snapshot
from filings.services import submit_filing

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_concurrent_submits_yield_exactly_one(ready_filing, signatory):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        barrier.wait()
        try:
            submit_filing(filing_id=ready_filing.pk, by=signatory)
            outcomes.append("submitted")
        except FilingError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "submitted"]
    assert Filing.objects.get(pk=ready_filing.pk).state == "submitted"
    assert Snapshot.objects.filter(filing=ready_filing).count() == 1
    assert Event.objects.filter(filing_id=ready_filing.pk, action="filing.submit").count() == 1
    assert verify_chain().ok


def test_postgres_refuses_update_and_delete_of_audit_events(admin_user):
    event = record_event(action="test.one", actor=admin_user)

    for statement in (
        "UPDATE audit_event SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_event WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])

    assert Event.objects.get(pk=event.pk).action == "test.one"


def test_concurrent_appends_keep_one_unbroken_chain(admin_user):
    def append(n: int) -> None:
        try:
            for i in range(10):
                record_event(action=f"test.{n}.{i}", actor=admin_user, filing_id=n)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    result = verify_chain()
    assert (result.ok, result.checked) == (True, 40)


def test_a_nul_character_in_a_search_is_ignored_not_a_server_error(
    ready_filing, signatory, lead, admin_user, client
):
    """PostgreSQL refuses NUL in a query (schemathesis found the API list answering 500 to one)."""
    from audit.selectors import events_for_user, filter_events
    from filings.selectors import filings_for_user, search_filings

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    text = ready_filing.reference[:8] + "\x00"

    assert list(search_filings(filings_for_user(lead), text=text)) == [ready_filing]
    assert list(search_filings(filings_for_user(lead), text="\x00")) == [ready_filing]
    assert filter_events(events_for_user(admin_user), q=text, actor="\x00").exists()
    client.force_login(lead)
    assert client.get("/review/", {"q": text}).status_code == 200
