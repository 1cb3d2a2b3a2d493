"""docs/api.md, walked over real HTTP against a live server: an issuer's system takes a filing from nothing
to submitted and through one supplement round, and its webhook receiver gets signed events."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from typing import Any

import pytest
import requests
from django.core.management import call_command

from desk.demo_pool import demo_cutoff, demo_tapes
from reviews import services as review_services
from tests.api.conftest import verify
from tests.reviews.helpers import clear

pytestmark = pytest.mark.django_db(transaction=True)


class Client:
    """What an integration holds: the base URL, a token and a language."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "en"})

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = path if path.startswith("http") else self.base + path
        return self.session.request(method, url, timeout=120, **kwargs)


def _token(username: str, scopes: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, "--scopes", scopes, "--days", "30", stdout=out)
    return out.getvalue().strip()


def _broken(tape: bytes) -> bytes:
    """The loan-book export with one bad cell: the mileage of the first road is not a number."""
    rows = list(csv.reader(io.StringIO(tape.decode("utf-8-sig"))))
    rows[1][rows[0].index("里程(公里)")] = "abc"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _events(receiver: Any, secret: str) -> list[dict[str, Any]]:
    assert all(verify(secret, delivery) for delivery in receiver.received)
    return [json.loads(delivery["body"]) for delivery in receiver.received]


def test_the_documented_walk_from_nothing_to_a_resubmitted_filing(
    live_server, ready_filing, preparer, signatory, reviewer, lead, receiver
):
    base = live_server.url + "/api/v1/"
    api = Client(base, _token("preparer", "read,write,tapes,answer,webhooks"))
    signer = Client(base, _token("signatory", "submit"))
    assert api("GET", "me/").json()["scopes"] == ["answer", "read", "tapes", "webhooks", "write"]

    # 2. The treasury system's receiver.
    hook = api(
        "POST",
        "webhooks/",
        json={"url": receiver.url, "events": ["filing.state_changed", "supplement.requested"]},
    )
    assert hook.status_code == 201
    secret = hook.json()["secret"]

    # 3. A new filing; its sections written from the issuer's records (here: an earlier filing's).
    created = api("POST", "filings/", json={"title": "杭甬收费收益权 2026-2", "asset_class": "toll_income"})
    assert created.status_code == 201
    filing = created.json()
    ref = filing["reference"]
    for section in ("entity", "structure", "token", "offering"):
        source = api("GET", f"filings/{ready_filing.reference}/sections/{section}/").json()
        current = api("GET", f"filings/{ref}/sections/{section}/")
        saved = api(
            "PUT",
            f"filings/{ref}/sections/{section}/",
            json={"fields": source["fields"], "rows": source["rows"]},
            headers={"If-Match": current.headers["ETag"]},
        )
        assert saved.status_code == 200, (section, saved.json())
        assert saved.headers["ETag"] == f'"{section}-v1"'

    # 4. Tapes: the first export has a bad row; the errors say where; the fixed file is accepted.
    cutoff = demo_cutoff()
    tapes = demo_tapes("toll_income", cutoff)
    refused = api(
        "POST",
        f"filings/{ref}/tapes/",
        data={"kind": "assets", "cutoff_date": cutoff.isoformat()},
        files={"file": ("assets.csv", _broken(tapes["assets"]))},
    )
    assert refused.status_code == 202
    job = refused.json()
    while job["status"] in ("queued", "running"):
        job = api("GET", job["links"]["self"]).json()
    assert (job["outcome"], job["error_count"]) == ("refused", 1)
    error = api("GET", job["links"]["errors"]).json()["results"][0]
    assert (error["row"], error["column"], error["value"]) == (2, "里程(公里)", "abc")
    for kind, content in tapes.items():
        accepted = api(
            "POST", f"filings/{ref}/tapes/", data={"kind": kind}, files={"file": (f"{kind}.csv", content)}
        )
        assert accepted.status_code == 202, accepted.json()
        job = accepted.json()
        while job["status"] in ("queued", "running"):
            job = api("GET", job["links"]["self"]).json()
        assert job["outcome"] == "accepted", (kind, job)

    # 5. Documents, from the law firm's system (here: the earlier filing's).
    for item in api("GET", f"filings/{ready_filing.reference}/documents/").json():
        document = item["current"]
        if document is None:
            continue
        content = api("GET", f"filings/{ready_filing.reference}/documents/{document['id']}/file/").content
        uploaded = api(
            "POST",
            f"filings/{ref}/documents/",
            data={
                "requirement": item["code"],
                "language": document["language"],
                "signer_count": document["signer_count"] if document["signer_count"] is not None else "",
                "conclusion_text": document["conclusion_text"],
            },
            files={"file": (document["original_name"], content)},
        )
        assert uploaded.status_code == 201, uploaded.json()

    # 6. Attestations and submission with the signatory's token; the preparer's cannot submit.
    answers = [
        {"code": f"G26-{n}", "answer": "no", "evidence": "经核查，不存在该情形，见境内法律意见书第 3 节。"}
        for n in range(1, 7)
    ]
    assert signer("PUT", f"filings/{ref}/attestations/", json={"answers": answers}).status_code == 200
    preflight = api("GET", f"filings/{ref}/preflight/").json()
    assert preflight["blocking"] == 0, [f for f in preflight["findings"] if f["severity"] == "blocking"]
    assert api("POST", f"filings/{ref}/submit/").status_code == 403
    submitted = signer("POST", f"filings/{ref}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"
    assert [(e["event"], e["data"]["to"]) for e in _events(receiver, secret)] == [
        ("filing.state_changed", "submitted")
    ]

    # The regulator reviews and asks for a supplement (on their own screens; here through the services).
    from filings.models import Filing

    under = Filing.objects.get(reference=ref)
    clear(under, reviewer, lead)
    review_services.accept_filing(filing_id=under.pk, by=lead)
    review_services.draft_deficiency_item(
        filing_id=under.pk,
        by=reviewer,
        question="请说明募集资金调回境内的路径及比例。",
        anchor_path="offering.repatriation_plan",
        citation="银发〔2026〕42号",
    )
    review_services.send_supplement_request(filing_id=under.pk, by=reviewer)
    events = _events(receiver, secret)
    assert [e["event"] for e in events][-2:] == ["filing.state_changed", "supplement.requested"]

    # 7. Answer the request: fix the reopened section, answer the item, resubmit with the signatory.
    request = api("GET", f"filings/{ref}/supplement-requests/").json()[0]
    assert request["reopened_sections"] == ["offering"]
    offering = api("GET", f"filings/{ref}/sections/offering/")
    fixed = api(
        "PUT",
        f"filings/{ref}/sections/offering/",
        json={"fields": {"repatriation_plan": "募集资金全部经跨境人民币账户调回境内。"}},
        headers={"If-Match": offering.headers["ETag"]},
    )
    assert fixed.status_code == 200, fixed.json()
    item = request["items"][0]
    answered = api(
        "PUT", f"filings/{ref}/items/{item['id']}/answer/", json={"text": "已在发行方案中补充调回路径。"}
    )
    assert answered.status_code == 200
    resubmitted = signer("POST", f"filings/{ref}/resubmit/")
    assert resubmitted.status_code == 200, resubmitted.json()
    assert resubmitted.json()["state"] == "under_review"
    assert _events(receiver, secret)[-1]["data"]["to"] == "under_review"
