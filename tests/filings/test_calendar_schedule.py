"""Loading a year's State Council schedule, provisional due dates, and the per-process calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import Event
from filings import deadlines
from filings.models import CalendarOverride, RegulatorySetting
from filings.services import load_calendar_year, submit_filing

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["filingdesk_language"] = "en"


def test_the_calendar_is_built_once_and_rebuilt_when_an_override_changes():
    first = deadlines.working_calendar()
    assert deadlines.working_calendar() is first

    override = CalendarOverride.objects.create(date=D(2026, 12, 7), is_working_day=False, note="ad hoc")
    second = deadlines.working_calendar()
    assert second is not first
    assert not second.is_working_day(D(2026, 12, 7))

    override.is_working_day = True
    override.save()
    assert deadlines.working_calendar().is_working_day(D(2026, 12, 7))

    override.delete()
    RegulatorySetting.objects.create(key="calendar.verified_years", value=[2027])
    assert deadlines.working_calendar().is_year_verified(2027)


def test_loading_a_year_replaces_its_overrides_and_confirms_it(admin_user):
    CalendarOverride.objects.create(date=D(2027, 3, 1), is_working_day=False, note="old guess")

    off, on = load_calendar_year(
        year=2027,
        holidays=[D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 11)],
        working_days=[D(2027, 2, 13)],
        by=admin_user,
    )

    calendar = deadlines.working_calendar()
    assert (off, on) == (4, 1)
    assert calendar.is_year_verified(2027)
    assert calendar.is_working_day(D(2027, 3, 1))  # the old override is gone
    assert not calendar.is_working_day(D(2027, 2, 11))  # a bridge day only the notice knows
    assert calendar.is_working_day(D(2027, 2, 13))  # a make-up Saturday
    assert calendar.deadline(D(2027, 2, 10), 1).provisional is False
    event = Event.objects.get(action="settings.calendar.load_year")
    assert event.data["year"] == 2027 and event.data["working_days"] == ["2027-02-13"]


def test_the_administrator_loads_a_year_from_the_calendar_screen(client, admin_user):
    client.force_login(admin_user)
    listing = client.get(reverse("filings:settings", args=["calendar"])).content.decode()
    page = client.get(reverse("filings:calendar_year") + "?year=2027")

    assert 'data-testid="load-calendar-year"' in listing
    assert page.status_code == 200
    assert "2027-02-06" in page.context["form"].initial["holidays"]  # starts from the statutory days

    response = client.post(
        reverse("filings:calendar_year"),
        {
            "year": "2027",
            "holidays": "2027-01-01\n2027-02-05..2027-02-11\n2027-10-01 – 2027-10-07",
            "working_days": "2027-02-13",
        },
    )

    assert response.status_code == 302
    assert CalendarOverride.objects.filter(is_working_day=False).count() == 1 + 7 + 7
    assert RegulatorySetting.objects.get(key="calendar.verified_years").value == [2027]


def test_a_schedule_with_a_date_of_another_year_is_refused_and_kept(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("filings:calendar_year"),
        {"year": "2027", "holidays": "2027-01-01\n2028-01-01", "working_days": ""},
    )

    assert response.status_code == 200
    assert "2028-01-01 is not in 2027." in response.content.decode()
    assert "2027-01-01\n2028-01-01" in response.content.decode()
    assert CalendarOverride.objects.count() == 0


def test_only_an_administrator_loads_a_schedule(client, lead):
    client.force_login(lead)

    assert client.get(reverse("filings:calendar_year")).status_code == 404


def test_a_due_date_in_an_unpublished_year_is_marked_provisional_on_the_clock(
    client, ready_filing, signatory, admin_user
):
    # A 30-working-day completeness limit from today (December 2026) runs into 2027.
    RegulatorySetting.objects.create(key="clock.completeness_working_days", value=30)
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    client.force_login(signatory)
    submitted = deadlines.state_changes(ready_filing)[-1].at

    clock = deadlines.filing_clocks(ready_filing, now=submitted).completeness
    body = client.get(reverse("filings:detail", args=[ready_filing.reference])).content.decode()

    assert clock.due_date.year == 2027 or submitted.year == 2027
    assert clock.verified is False
    assert 'data-testid="due-provisional"' in body

    load_calendar_year(year=2027, holidays=[D(2027, 1, 1)], working_days=[], by=admin_user)
    load_calendar_year(year=2028, holidays=[D(2028, 1, 1)], working_days=[], by=admin_user)
    body = client.get(reverse("filings:detail", args=[ready_filing.reference])).content.decode()
    assert 'data-testid="due-provisional"' not in body
