"""When the database goes away in the middle of a request, the person gets a 503 page in their own
language and nothing of what they sent is half-written. (The drill against a real PostgreSQL being
restarted is tests/services/test_fault_postgres.py; here Django's query hook plays the dropped
connection.)"""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from audit.models import Event
from filings.models import Filing

pytestmark = pytest.mark.django_db


class DatabaseGoesAway:
    """Lets the first ``after`` queries matching ``when`` through, then fails every query as a
    connection that the server closed does."""

    def __init__(self, *, when: str = "", after: int = 0) -> None:
        self.when, self.after, self.seen = when, after, 0

    def __call__(self, execute, sql, params, many, context):
        if self.when.lower() in sql.lower():
            self.seen += 1
            if self.seen > self.after:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.mark.parametrize(
    ("cookie", "title", "lang"),
    [(None, "服务暂时不可用", 'lang="zh-Hans"'), ("en", "Service temporarily unavailable", 'lang="en"')],
)
def test_the_person_gets_a_503_page_in_their_language(client, preparer, cookie, title, lang):
    client.force_login(preparer)
    if cookie:
        client.cookies["filingdesk_language"] = cookie
    client.raise_request_exception = False

    with connection.execute_wrapper(DatabaseGoesAway()):
        response = client.get(reverse("desk:dashboard"))

    page = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert f"<h1>{title}</h1>" in page and lang in page


def test_a_change_cut_off_mid_request_leaves_nothing_half_written(client, preparer):
    client.force_login(preparer)
    client.raise_request_exception = False

    # The filing row is written, then the connection drops before its audit event is.
    with connection.execute_wrapper(DatabaseGoesAway(when='INSERT INTO "audit_event"')):
        response = client.post(
            reverse("filings:create"), {"title": "断线测试", "asset_class": "trade_receivable"}
        )

    assert response.status_code == 503
    assert not Filing.objects.filter(title="断线测试").exists()
    assert not Event.objects.filter(action="filing.create").exists()
    assert client.get(reverse("desk:dashboard")).status_code == 200  # and the next request works
