"""The audit log: every event links to the one before; altering history is detected or refused."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import GENESIS_HASH, Event
from audit.services import compute_hash, record_event, verify_chain

pytestmark = pytest.mark.django_db


def test_events_form_a_chain_from_genesis(admin_user):
    first = record_event(action="test.one", actor=admin_user, data={"n": 1})
    second = record_event(action="test.two", actor=admin_user, data={"n": 2, "text": "中文"})

    assert first.sequence == 1 and second.sequence == 2
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    result = verify_chain()
    assert (result.ok, result.checked, result.head_hash) == (True, 2, second.hash)


def test_updating_an_event_is_refused_by_the_database(admin_user):
    event = record_event(action="test.one", actor=admin_user, data={"n": 1})

    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(action="test.forged")

    assert Event.objects.get(pk=event.pk).action == "test.one"


def test_tampering_below_the_orm_is_found_by_verification(admin_user):
    record_event(action="test.one", actor=admin_user, data={"amount": "100"})
    second = record_event(action="test.two", actor=admin_user, data={"amount": "200"})
    record_event(action="test.three", actor=admin_user)
    with connection.cursor() as cursor:  # someone with database access drops the trigger and edits
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
        else:
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
        cursor.execute("UPDATE audit_event SET data = %s WHERE id = %s", ['{"amount": "999"}', second.pk])

    result = verify_chain()

    assert (result.ok, result.checked, result.first_broken_sequence) == (False, 1, 2)


def test_hash_is_sha256_of_previous_hash_and_canonical_body():
    assert compute_hash(GENESIS_HASH, {"b": 1, "a": "中"}) == compute_hash(GENESIS_HASH, {"a": "中", "b": 1})
    assert len(compute_hash(GENESIS_HASH, {})) == 64
