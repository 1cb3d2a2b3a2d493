"""Asset tapes through the API: upload, poll the job, read the row errors paged and as the CSV report."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import TapeImport
from tests.assets.fixtures.tapes import receivables, tape_csv


def _upload(api, filing, content, name="tape.csv", **fields):
    return api.post(
        f"/api/v1/filings/{filing.reference}/tapes/",
        {"file": SimpleUploadedFile(name, content), "kind": "assets", **fields},
    )


def test_a_tape_is_imported_as_a_job_and_its_row_errors_are_paged(
    client_for, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    api = client_for(preparer, ["tapes"])
    rows = receivables(4)
    rows[1]["days_past_due"] = "abc"

    with django_capture_on_commit_callbacks(execute=True):
        good = _upload(api, receivable_filing, tape_csv(receivables(12)), cutoff_date="2025-12-31")
    with django_capture_on_commit_callbacks(execute=True):
        broken = _upload(api, receivable_filing, tape_csv(rows), name="broken.csv")

    assert (good.status_code, broken.status_code) == (202, 202)
    accepted = api.get(good.json()["links"]["self"]).json()
    assert (accepted["status"], accepted["outcome"], accepted["is_current"]) == (
        "succeeded",
        "accepted",
        True,
    )
    assert accepted["rows_valid"] == 12
    refused = api.get(broken.json()["links"]["self"]).json()
    assert (refused["outcome"], refused["error_count"]) == ("refused", 1)
    errors = api.get(refused["links"]["errors"]).json()
    assert errors["count"] == 1
    assert errors["results"][0]["row"] == 3
    assert errors["results"][0]["value"] == "abc"
    assert "'abc' is not a whole number." in errors["results"][0]["message"]
    report = api.get(refused["links"]["errors_csv"])
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    assert "abc" in report.content.decode("utf-8-sig")
    pool = api.get(f"/api/v1/filings/{receivable_filing.reference}/pool/").json()
    assert pool["tape"]["file_name"] == "tape.csv"
    receivable_filing.refresh_from_db()
    assert str(receivable_filing.cutoff_date) == "2025-12-31"


def test_the_same_file_twice_is_a_409_naming_the_job(
    client_for, preparer, receivable_filing, django_capture_on_commit_callbacks
):
    api = client_for(preparer, ["tapes"])
    content = tape_csv(receivables(3))
    with django_capture_on_commit_callbacks(execute=True):
        first = _upload(api, receivable_filing, content)

    again = _upload(api, receivable_filing, content, name="copy.csv")

    assert again.status_code == 409
    assert again.json()["job"] == first.json()["id"]
    assert TapeImport.objects.count() == 1


def test_another_organisations_tape_job_is_a_404(
    client_for, preparer, other_preparer, receivable_filing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(client_for(preparer, ["tapes"]), receivable_filing, tape_csv(receivables(3))).json()

    outsider = client_for(other_preparer, ["read"])

    assert outsider.get(job["links"]["self"]).status_code == 404
    assert outsider.get(job["links"]["errors"]).status_code == 404


def test_a_token_without_the_tapes_scope_cannot_upload(client_for, preparer, receivable_filing):
    response = _upload(client_for(preparer, ["write"]), receivable_filing, tape_csv(receivables(3)))

    assert response.status_code == 403
    assert not TapeImport.objects.exists()
