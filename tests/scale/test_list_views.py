"""Every list a person opens is one page: the same queries with 10 and with 200 filings, at most one
page of rows, later pages reachable, and the queue filtered, sorted and searched in SQL."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from desk.scale import seed_scale
from filings.models import Filing

pytestmark = pytest.mark.django_db

# (user, url, most rows on one page)
LIST_VIEWS = [
    ("scale-lead1", "/", 30),
    ("scale-lead1", "/review/", 50),
    ("scale-lead1", "/review/?clock=running&sort=left", 50),
    ("REVIEWER", "/", 30),
    ("REVIEWER", "/review/", 50),
    ("scale-preparer001", "/", 10),
    ("scale-preparer001", "/filings/", 25),
    ("scale-lead1", "/filings/", 25),
    ("scale-admin1", "/", 30),
    ("scale-admin1", "/audit/", 50),
    ("scale-admin1", "/audit/?q=Scale", 50),
    ("scale-admin1", "/accounts/users/", 50),
    ("scale-admin1", "/review/outbox/", 50),
]


def _body_rows(html: str) -> int:
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S)
    return max((body.count("<tr") for body in bodies), default=0)


def _busiest_reviewer() -> str:
    """The scale reviewer cleared on the most filings in review (so their lists are not empty)."""
    from django.db.models import Count, Q

    return (
        User.objects.filter(username__startswith="scale-reviewer")
        .annotate(
            cleared=Count(
                "assignments",
                filter=Q(
                    assignments__declared_at__isnull=False,
                    assignments__filing__state__in=["submitted", "under_review", "supplement_requested"],
                ),
            )
        )
        .order_by("-cleared", "username")
        .values_list("username", flat=True)[0]
    )


def _measure(client, username: str, url: str) -> tuple[int, int, str]:
    if username == "REVIEWER":
        username = _busiest_reviewer()
    client.force_login(User.objects.get(username=username))
    client.get(url)  # warm per-process caches (content types, translations) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (username, url)
    html = response.content.decode()
    return len(queries), _body_rows(html), html


def test_each_list_view_runs_the_same_queries_with_10_and_200_filings_and_shows_one_page(client):
    seed_scale(10, force=True)
    small = {(u, url): _measure(client, u, url)[:2] for u, url, _most in LIST_VIEWS}
    seed_scale(190, force=True)
    assert Filing.objects.count() == 200
    for username, url, most in LIST_VIEWS:
        queries, rows, _html = _measure(client, username, url)
        assert (username, url, queries) == (username, url, small[(username, url)][0])
        assert rows <= most, (username, url, rows)


def test_a_later_page_of_each_paginated_list_opens(client):
    seed_scale(200, force=True)
    for username, url in [
        ("scale-lead1", "/review/?page=2"),
        ("scale-admin1", "/audit/?page=3"),
        ("scale-admin1", "/accounts/users/?page=2"),
        ("scale-lead1", "/filings/?page=2"),
    ]:
        _queries, rows, html = _measure(client, username, url)
        assert rows > 0, url
        assert 'rel="prev"' in html, url


def filings_of(rows):
    """The filings of a page of queue rows, in the page's order."""
    filings = Filing.objects.in_bulk([row.pk for row in rows])
    return [filings[row.pk] for row in rows]


def test_the_lead_queue_pages_by_days_left_and_finds_an_issuer_by_part_of_its_name(client):
    seed_scale(200, force=True)
    client.force_login(User.objects.get(username="scale-lead1"))
    first = client.get(reverse("reviews:queue"), {"sort": "left", "clock": "running"})
    second = client.get(reverse("reviews:queue"), {"sort": "left", "clock": "running", "page": 2})
    page1 = filings_of(first.context["rows"])
    page2 = filings_of(second.context["rows"])
    left = [f.clock_days_left for f in page1 + page2]
    assert left == sorted(left)
    assert all(f.clock_status == "running" for f in page1 + page2)
    assert not {f.pk for f in page1} & {f.pk for f in page2}
    assert (
        first.context["page"].paginator.count
        == Filing.objects.filter(
            state__in=["submitted", "under_review", "supplement_requested"], clock_status="running"
        ).count()
    )

    target = Filing.objects.filter(state="under_review").select_related("organisation").first()
    fragment = target.organisation.name_zh[2:8]
    found = client.get(reverse("reviews:queue"), {"q": fragment})
    references = [row.reference for row in found.context["page"].object_list]
    assert target.reference in references or found.context["page"].paginator.count > 50
    assert all(fragment in row.organisation_name for row in found.context["rows"])
