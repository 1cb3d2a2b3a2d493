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
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
        cursor.execute("UPDATE audit_event SET data = %s WHERE id = %s", ['{"amount": "999"}', second.pk])

    result = verify_chain()

    assert (result.ok, result.checked, result.first_broken_sequence) == (False, 1, 2)


def test_hash_is_sha256_of_previous_hash_and_canonical_body():
    assert compute_hash(GENESIS_HASH, {"b": 1, "a": "中"}) == compute_hash(GENESIS_HASH, {"a": "中", "b": 1})
    assert len(compute_hash(GENESIS_HASH, {})) == 64


def test_verify_audit_command_names_the_altered_event(admin_user):
    import subprocess  # noqa: F401 — the command is called in-process below
    from io import StringIO

    from django.core.management import call_command

    record_event(action="test.one", actor=admin_user, filing_id=7, data={"a": 1})
    second = record_event(action="test.two", actor=admin_user, filing_id=7, data={"a": 2})
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("OK: 2 events")

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
        cursor.execute("UPDATE audit_event SET action = 'test.forged' WHERE id = %s", [second.pk])

    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", stdout=out)
    assert exit_info.value.code == 1
    assert "BROKEN at event #2 (global chain): content altered" in out.getvalue()


def test_each_filing_has_its_own_chain(admin_user):
    a1 = record_event(action="a", actor=admin_user, filing_id=1)
    record_event(action="b", actor=admin_user, filing_id=2)
    a2 = record_event(action="c", actor=admin_user, filing_id=1)

    assert a1.filing_prev_hash == GENESIS_HASH
    assert a2.filing_prev_hash == a1.filing_hash


def test_sign_in_and_failed_sign_in_are_logged(client, preparer):
    from tests.factories import PASSWORD

    client.post("/accounts/login/", {"username": "preparer", "password": "wrong"})
    client.post("/accounts/login/", {"username": "preparer", "password": PASSWORD})

    assert list(Event.objects.values_list("action", flat=True)) == ["auth.login_failed", "auth.login"]


def test_admin_filters_and_exports_the_log(client, admin_user, draft_filing):
    client.force_login(admin_user)

    page = client.get("/audit/", {"filing": draft_filing.reference})
    export = client.get("/audit/", {"filing": draft_filing.reference, "format": "csv"})

    assert [e.action for e in page.context["page"]] == ["filing.create"]
    lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("sequence,occurred_at,actor,action")
    assert len(lines) == 2 and ",filing.create," in lines[1]


def test_refused_access_to_another_issuers_filing_is_logged(client, draft_filing, other_preparer):
    client.force_login(other_preparer)

    client.get(f"/filings/{draft_filing.reference}/")

    refused = Event.objects.get(action="access.refused")
    assert (refused.filing_id, refused.actor) == (draft_filing.pk, other_preparer)
