"""The regulatory clock wired to the audit log, the override table and the settings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from filings import deadlines
from filings.models import CalendarOverride, RegulatorySetting
from filings.services import submit_filing, transition_filing

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_clock_counts_from_the_logged_transitions(ready_filing, signatory, lead):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    accepted = deadlines.state_changes(ready_filing)[-1].at

    clocks = deadlines.filing_clocks(ready_filing, now=accepted + dt.timedelta(days=7))

    assert clocks.review.status == "running"
    assert clocks.review.limit == 20
    assert clocks.completeness.status == "stopped"


def test_administrator_override_changes_the_due_date(ready_filing, signatory):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    submitted = deadlines.state_changes(ready_filing)[-1].at
    before = deadlines.filing_clocks(ready_filing, now=submitted).completeness.due_date
    # Declare the next working day a holiday: the due date moves one working day later.
    calendar = deadlines.working_calendar()
    CalendarOverride.objects.create(
        date=calendar.add_working_days(submitted.astimezone(SH).date(), 1), is_working_day=False, note="test"
    )

    after = deadlines.filing_clocks(ready_filing, now=submitted).completeness.due_date

    assert after == deadlines.working_calendar().add_working_days(before, 1)


def test_limits_come_from_settings(ready_filing, signatory):
    RegulatorySetting.objects.create(key="clock.completeness_working_days", value=3)
    submit_filing(filing_id=ready_filing.pk, by=signatory)

    assert deadlines.filing_clocks(ready_filing).completeness.limit == 3


def test_missing_calendar_year_is_warned():
    assert deadlines.calendar_warning(dt.date(2026, 11, 25)) == 2027
    RegulatorySetting.objects.create(key="calendar.verified_years", value=[2027])
    assert deadlines.calendar_warning(dt.date(2026, 11, 25)) is None


def test_detail_page_shows_the_clock_and_the_calendar_warning(client, ready_filing, signatory):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    client.force_login(signatory)

    body = client.get(reverse("filings:detail", args=[ready_filing.reference])).content.decode()

    assert 'data-clock="completeness"' in body
    assert "not loaded" in body or "未载入" in body or "尚未" in body


def test_administrator_edits_the_calendar_in_the_app(client, admin_user):
    client.force_login(admin_user)

    client.post(
        reverse("filings:setting_create", args=["calendar"]),
        {"date": "2027-01-01", "is_working_day": "", "note": "元旦"},
    )

    assert CalendarOverride.objects.get().date == dt.date(2027, 1, 1)
    assert client.get(reverse("filings:settings", args=["calendar"])).status_code == 200


def test_filed_filing_lapses_after_twelve_months(ready_filing, signatory, lead):
    from filings.models import Filing
    from filings.services import lapse_stale_filings

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(filing_id=ready_filing.pk, name="decide_file", by=lead)
    filed_at = Filing.objects.get(pk=ready_filing.pk).filed_at

    assert lapse_stale_filings(now=filed_at + dt.timedelta(days=364)) == []
    assert lapse_stale_filings(now=filed_at + dt.timedelta(days=367)) == [ready_filing.reference]
    assert Filing.objects.get(pk=ready_filing.pk).state == "lapsed"


def test_issuance_report_moves_filed_to_issued_with_a_due_date(ready_filing, signatory, lead):
    from decimal import Decimal

    from filings.models import Filing
    from filings.services import report_after_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    transition_filing(filing_id=ready_filing.pk, name="decide_file", by=lead)

    event = report_after_filing(
        filing_id=ready_filing.pk,
        kind="issuance_completion",
        by=signatory,
        occurred_on=dt.date(2026, 9, 30),
        description="发行完成",
        amount_issued=Decimal("100000000"),
        venue="HKEX-linked licensed platform",
        token_details="ERC-3643, 100,000 tokens",
    )

    assert Filing.objects.get(pk=ready_filing.pk).state == "issued"
    # 1–7 Oct is the National Day holiday; 8 and 9 Oct count, and Saturday 10 Oct is a make-up working day.
    assert event.due_on == dt.date(2026, 10, 10)


def test_clocks_of_many_filings_cost_a_fixed_number_of_queries(
    ready_filing, signatory, django_assert_num_queries
):
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    filings = [ready_filing] * 25  # a queue page: the log is read once, not once per filing

    deadlines.working_calendar()  # the process's calendar is built once; later calls check its version

    # the overrides' version stamp, verified years, limits, the audit log
    with django_assert_num_queries(4):
        clocks = deadlines.clocks_for_filings(filings)

    assert clocks[ready_filing.pk].completeness.status == "running"
