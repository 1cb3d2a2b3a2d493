"""Time limits read by analogy: labelled "assumed" everywhere they show; administrators change them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from audit.selectors import events_for_filing
from filings.deadlines import LIMITS, limit_value, working_calendar
from filings.errors import TransitionRefusedError
from filings.models import Filing
from filings.services import set_limit
from reviews import services
from reviews.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_changing_the_review_limit_is_audited_and_refreshes_the_stored_clocks(under_review, admin_user):
    assert (under_review.clock_limit, under_review.clock_days_left) == (20, 20)

    assert set_limit(name="review", value=25, by=admin_user) is True

    filing = Filing.objects.get(pk=under_review.pk)
    assert (filing.clock_limit, filing.clock_days_left) == (25, 25)
    event = Event.objects.filter(action="settings.limit.change").get()
    assert event.data == {
        "limit": "review",
        "key": "clock.review_working_days",
        "before": 20,
        "after": 25,
        "assumed": True,
    }
    assert limit_value(LIMITS["review"]) == 25


@pytest.mark.parametrize(("name", "value"), [("review", 0), ("review", 251), ("nonsense", 5)])
def test_a_limit_out_of_range_or_unknown_is_refused(admin_user, name, value):
    with pytest.raises(TransitionRefusedError):
        set_limit(name=name, value=value, by=admin_user)
    assert not Event.objects.filter(action="settings.limit.change").exists()


def test_only_an_administrator_changes_a_limit(lead, client):
    with pytest.raises(TransitionRefusedError):
        set_limit(name="review", value=25, by=lead)
    client.force_login(lead)
    assert client.get(reverse("filings:time_limits")).status_code == 404


def test_the_time_limits_screen_labels_each_limit_and_saves_a_change(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("filings:time_limits"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count(">assumed<") == 6 and page.count(">desk policy<") == 1

    response = client.post(reverse("filings:time_limits"), {"name": "supplement_reply", "value": "40"})

    assert response.status_code == 302
    assert limit_value(LIMITS["supplement_reply"]) == 40


def test_the_clock_and_the_reminder_email_say_the_limit_is_assumed(client, under_review, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("filings:detail", args=[under_review.reference]), HTTP_ACCEPT_LANGUAGE="en")
    row = page.content.decode().split('data-clock="review"')[1].split("</tr>")[0]
    assert "TM Art. 19(1)" in row and ">assumed<" in row

    day = working_calendar().add_working_days(timezone.localdate(), 18)
    services.send_clock_reminders(now=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))

    [message] = OutboxMessage.objects.filter(event="clock_reminder")
    with_label = "The limit of 20 working days is assumed: it is read by analogy from TM Art. 19(1)"
    assert message.language != "en" or with_label in message.body
    assert events_for_filing(under_review.pk).filter(action="review.reminder").exists()


def test_the_rule_catalogue_shows_the_desks_own_rules_as_desk_policy(client, preparer):
    from filings.compliance import registry

    desk_rules = [rule for rule in registry.RULES.values() if rule.citation.desk_policy]
    client.force_login(preparer)

    page = client.get(reverse("filings:rule_catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # three "Filing Desk" rules, four consistency checks, five concentration limits the desk suggests
    assert len(desk_rules) == 12
    assert page.count(">desk policy<") == len(desk_rules)
    assert registry.basis_label({"source": "GL2", "article": "", "confirmed": False}) == "assumed"


def test_storing_clocks_does_not_reload_each_filing(under_review):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from filings.deadlines import store_clocks

    with CaptureQueriesContext(connection) as queries:
        assert store_clocks([under_review.pk]) == 1

    # The FSM mixin reads the state of each loaded filing: loaded without it, that is a query per row.
    per_row = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "filings_filing"."id", "filings_filing"."state" FROM')
        and '"filings_filing"."id" = ' in q["sql"]
    ]
    assert per_row == []
