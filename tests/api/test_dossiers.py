"""Having a dossier rendered over the API: the same service as the web's Dossier tab, a job to poll."""

from __future__ import annotations

import pytest

from filings.models import DossierRender
from filings.services import submit_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(ready_filing, signatory):
    submit_filing(filing_id=ready_filing.pk, by=signatory)  # its renders wait for a commit
    return ready_filing


def test_a_signatory_has_a_dossier_rendered_and_polls_it_until_it_downloads(
    client_for, signatory, submitted, django_capture_on_commit_callbacks
):
    api = client_for(signatory, ["read", "submit"])
    url = f"/api/v1/filings/{submitted.reference}/dossiers/"
    first = api.post(url, {"language": "en"}, format="json")
    again = api.post(url, {"language": "en"}, format="json")
    assert (first.status_code, first.json()["status"], first.json()["snapshot"]) == (202, "queued", 1)
    assert again.json()["id"] == first.json()["id"]  # the render under way, not a second one

    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post(url, {"language": "zh-hans", "copy": "offshore", "snapshot": 1}, format="json")
    assert asked.status_code == 202
    job = asked.json()
    assert (job["snapshot"], job["language"], job["copy"]) == (1, "zh-hans", "offshore")
    assert job["url"] == f"http://testserver{url}{job['id']}/"

    polled = api.get(job["url"]).json()
    assert (polled["status"], polled["percent"]) == ("succeeded", 100)
    pdf = api.get(polled["download"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert DossierRender.objects.filter(snapshot__filing=submitted).count() == 2


def test_what_may_not_be_rendered_is_refused_clearly_and_nothing_is_queued(
    client_for, signatory, preparer, other_preparer, submitted
):
    url = f"/api/v1/filings/{submitted.reference}/dossiers/"
    before = DossierRender.objects.count()

    read_only = client_for(preparer, ["read"]).post(url, {"language": "en"}, format="json")
    assert read_only.status_code == 403
    assert (
        read_only.json()["detail"]
        == "Only a token with the write or submit scope may have a dossier rendered."
    )
    api = client_for(signatory, ["read", "submit"])
    reviewer_copy = api.post(url, {"language": "en", "copy": "reviewer"}, format="json")
    assert (reviewer_copy.status_code, reviewer_copy.json()["detail"]) == (
        409,
        "Only regulator staff may have the reviewer copy rendered.",
    )
    assert api.post(url, {"language": "en", "snapshot": 2}, format="json").status_code == 404
    assert api.post(url, {"language": "fr"}, format="json").json()["errors"].keys() == {"language"}
    other = client_for(other_preparer, ["read", "write"]).post(url, {"language": "en"}, format="json")
    assert other.status_code == 404
    assert DossierRender.objects.count() == before
