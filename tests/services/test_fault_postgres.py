"""PostgreSQL restarted in the middle of a request, with the app served over HTTP by a real server
against a private cluster: the person gets a 503 page in their language, nothing of the request is
written, and the next request works again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
import requests

from tests.services.faults import PrivatePostgres, WebServer, manage, wait_until
from tests.services.test_fault_drills import record

pytestmark = [pytest.mark.services]

SEED = """
from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
user = UserFactory(username="preparer", role=Role.PREPARER, organisation=OrganisationFactory())
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("SESSION", session.session_key)
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    pg.start()
    with psycopg.connect(
        f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres", autocommit=True
    ) as db:
        db.execute("CREATE DATABASE filingdesk")
    manage(pg.url, "migrate", "--noinput", "-v0")
    yield pg
    pg.close()


@pytest.fixture(scope="module")
def site(cluster) -> Iterator[tuple[WebServer, str]]:
    out = manage(cluster.url, "shell", stdin=SEED)
    session_key = next(line.split()[1] for line in out.splitlines() if line.startswith("SESSION"))
    server = WebServer(cluster.url)
    yield server, session_key
    server.stop()


def browser(server: WebServer, session_key: str, language: str | None = None) -> requests.Session:
    person = requests.Session()
    person.cookies.set("sessionid", session_key, domain="127.0.0.1")
    if language:
        person.cookies.set("filingdesk_language", language, domain="127.0.0.1")
    return person


def sql(cluster: PrivatePostgres, query: str) -> list[tuple]:
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=filingdesk") as db:
        return db.execute(query).fetchall()


def test_postgresql_restarted_mid_request_gives_a_503_in_chinese_and_writes_nothing(cluster, site):
    server, session_key = site
    person = browser(server, session_key)
    form = person.get(f"{server.url}/filings/new/", timeout=30)
    assert form.status_code == 200
    token = person.cookies["csrftoken"]
    answers: list[requests.Response] = []

    # Hold the audit table: the request writes its filing, then waits to write the audit event.
    holder = psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=filingdesk")
    holder.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE")
    request = threading.Thread(
        target=lambda: answers.append(
            person.post(
                f"{server.url}/filings/new/",
                data={"title": "重启测试", "asset_class": "trade_receivable", "csrfmiddlewaretoken": token},
                headers={"Referer": f"{server.url}/filings/new/"},
                allow_redirects=False,
                timeout=120,
            )
        )
    )
    request.start()
    wait_until(
        lambda: sql(cluster, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"),
        30,
        what="the request waiting, mid-transaction",
    )
    cluster.restart()  # every session is terminated, the request's included
    up = time.monotonic()
    request.join(timeout=60)
    holder.close()  # its session was terminated with the others

    answer = answers[0]
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert "<h1>服务暂时不可用</h1>" in answer.text and 'lang="zh-Hans"' in answer.text
    assert sql(cluster, "SELECT count(*) FROM filings_filing WHERE title = '重启测试'") == [(0,)]
    assert sql(cluster, "SELECT count(*) FROM audit_event WHERE action = 'filing.create'") == [(0,)]
    wait_until(lambda: person.get(f"{server.url}/", timeout=30).status_code == 200, 60, what="served again")
    record("postgresql restarted mid-request: pages again", time.monotonic() - up)


def test_postgresql_down_gives_the_503_in_english_to_who_chose_english(cluster, site):
    server, session_key = site
    person = browser(server, session_key, language="en")
    assert person.get(f"{server.url}/", timeout=30).status_code == 200

    cluster.stop()
    try:
        answer = person.get(f"{server.url}/", timeout=30)
    finally:
        cluster.start()

    assert answer.status_code == 503
    assert "<h1>Service temporarily unavailable</h1>" in answer.text and 'lang="en"' in answer.text
    assert person.get(f"{server.url}/", timeout=30).status_code == 200
