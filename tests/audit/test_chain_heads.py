"""Each chain is checked against its recorded head: removing the newest events is found and located."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import ChainHead, Event, FilingChainHead
from audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


def _delete_below_the_orm(*sequences: int) -> None:
    """What someone with database access does: switch off the append-only trigger and delete."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
        for sequence in sequences:
            cursor.execute("DELETE FROM audit_event WHERE sequence = %s", [sequence])


def test_each_append_moves_the_heads_in_step(admin_user):
    record_event(action="a", actor=admin_user, filing_id=1)
    b = record_event(action="b", actor=admin_user, filing_id=2)
    c = record_event(action="c", actor=admin_user, filing_id=1)
    d = record_event(action="d", actor=admin_user)

    head = ChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (4, d.hash)
    heads = {h.filing_id: (h.last_sequence, h.last_hash, h.length) for h in FilingChainHead.objects.all()}
    assert heads == {1: (3, c.filing_hash, 2), 2: (2, b.filing_hash, 1)}
    assert verify_chain().ok


def test_deleting_the_newest_events_is_detected_and_located(admin_user):
    for n in range(5):
        record_event(action=f"test.{n}", actor=admin_user, filing_id=7 if n % 2 else None)
    _delete_below_the_orm(4, 5)

    result = verify_chain()

    assert (result.ok, result.checked, result.first_broken_sequence, result.chain) == (False, 3, 4, "global")
    assert result.reason == (
        "chain truncated: it ends at event #3 but its head records #5 (2 newest events missing, #4–#5)"
    )


def test_verify_audit_command_names_the_missing_newest_event(admin_user):
    record_event(action="test.one", actor=admin_user)
    record_event(action="test.two", actor=admin_user)
    _delete_below_the_orm(2)

    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", stdout=out)

    assert exit_info.value.code == 1
    assert out.getvalue().startswith(
        "BROKEN at event #2 (global chain): chain truncated: it ends at event #1 but its head records #2"
    )


def test_a_truncated_filing_chain_is_found_even_when_the_global_head_is_rewound(admin_user):
    record_event(action="a", actor=admin_user, filing_id=1)
    b = record_event(action="b", actor=admin_user, filing_id=2)
    record_event(action="c", actor=admin_user, filing_id=1)
    _delete_below_the_orm(3)
    # The global head is an ordinary row: the intruder rewinds it too.
    ChainHead.objects.filter(pk=1).update(last_sequence=b.sequence, last_hash=b.hash)

    result = verify_chain()

    assert (result.ok, result.first_broken_sequence, result.chain) == (False, 3, "filing 1")
    assert result.reason == (
        "chain truncated: it ends at event #1 but its head records #3 (1 newest event missing, the newest #3)"
    )


def test_a_filing_chain_emptied_entirely_is_found(admin_user):
    record_event(action="a", actor=admin_user)
    record_event(action="b", actor=admin_user, filing_id=9)
    _delete_below_the_orm(2)
    ChainHead.objects.filter(pk=1).update(last_sequence=1, last_hash=Event.objects.get(sequence=1).hash)

    result = verify_chain()

    assert (result.ok, result.first_broken_sequence, result.chain) == (False, 2, "filing 9")


def test_a_removed_filing_head_is_reported(admin_user):
    event = record_event(action="a", actor=admin_user, filing_id=4)
    FilingChainHead.objects.all().delete()

    result = verify_chain()

    assert (result.ok, result.first_broken_sequence, result.chain) == (False, event.sequence, "filing 4")
    assert result.reason == "no head recorded for this filing's chain"


def test_an_intact_log_still_verifies_with_its_head_hash(admin_user):
    record_event(action="a", actor=admin_user, filing_id=1)
    last = record_event(action="b", actor=admin_user, filing_id=1)

    assert verify_chain() == type(verify_chain())(True, 2, last.hash)
