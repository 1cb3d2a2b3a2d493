"""Issue 16: the column-mapping screen is compact, previews the first rows as they will be stored, keeps
its required-columns panel current after every change, and carries the cut-off date from the upload."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.models import TapeUpload
from tests.assets.fixtures.tapes import receivables

pytestmark = pytest.mark.django_db

RENAMED = {"asset_id": "Ref No", "outstanding_amount": "Balance (10k)"}
LEFT_OUT = ("cutoff_date", "core_enterprise_id", "dilution_amount", "settled_date", "release_at_transfer")


def foreign_tape() -> bytes:
    """Three receivables as another system exports them: two headers we do not know, balances in 万元,
    slashed dates, no cut-off column and four optional columns missing."""
    rows = receivables(3)
    columns = [name for name in rows[0] if name not in LEFT_OUT]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([RENAMED.get(name, name) for name in columns])
    for row in rows:
        values = dict(row, outstanding_amount="80.5", invoice_date=row["invoice_date"].replace("-", "/"))
        writer.writerow([values[name] for name in columns])
    return out.getvalue().encode()


@pytest.fixture
def mapping_url(client, preparer, receivable_filing):
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "en"
    response = client.post(
        reverse("filings:pool_upload", args=[receivable_filing.reference]),
        {
            "file": SimpleUploadedFile("export.csv", foreign_tape()),
            "kind": "assets",
            "cutoff_date": "2025-12-31",
            "review_mapping": "on",
        },
    )
    assert "/mapping/" in response.url
    return response.url


def form_data(**columns: str) -> dict[str, object]:
    headers = [RENAMED.get(name, name) for name in receivables(1)[0] if name not in LEFT_OUT]
    data: dict[str, object] = {
        "_headers": headers,
        "amount_unit": "yuan",
        "header_rows": "1",
        "auto_match": "on",
    }
    data.update({f"col__{name}": header for name, header in columns.items()})
    return data


def check(client, url: str, data: dict[str, object]) -> str:
    upload = TapeUpload.objects.get()
    reference = url.split("/")[2]
    response = client.post(reverse("filings:pool_mapping_check", args=[reference, upload.pk]), data)
    assert response.status_code == 200
    return response.content.decode()


def required_source(html: str, name: str) -> str:
    found = re.search(rf'<li data-column="{name}" data-found="(yes|no)">(.*?)</li>', html, re.S)
    assert found, name
    return found.group(1) + ": " + re.sub(r"<[^>]+>", "", found.group(2)).split(":", 1)[1].strip()


def test_the_cut_off_date_comes_with_the_upload(client, mapping_url):
    page = client.get(mapping_url).content.decode()

    assert '<p data-testid="mapping-cutoff">31 Dec 2025</p>' in page  # the page language's date format
    assert required_source(page, "cutoff_date") == "yes: the cut-off date given with the upload (2025-12-31)"
    assert 'data-testid="missing-required">Asset ID, Outstanding amount</span>' in page  # labels, not codes


def test_required_and_recognised_columns_come_first_the_rest_folded(client, mapping_url):
    page = client.get(mapping_url).content.decode()
    main, other = page.split('data-testid="other-columns"')
    main_columns = re.findall(r'<tr data-column="(\w+)">', main)
    other_columns = re.findall(r'<tr data-column="(\w+)">', other)

    assert main_columns[:3] == ["asset_id", "cutoff_date", "originator_id"]  # template order kept
    assert {"asset_id", "outstanding_amount", "obligor_name", "interest_rate"} <= set(main_columns)
    assert "core_enterprise_id" not in main_columns  # not in the file, not required
    assert set(other_columns) == {
        "core_enterprise_id",
        "dilution_amount",
        "settled_date",
        "release_at_transfer",
    }
    assert len(main_columns) + len(other_columns) == 41


def test_the_panel_follows_each_change_and_previews_the_stored_rows(client, mapping_url):
    before = check(client, mapping_url, form_data())
    assert (
        required_source(before, "asset_id")
        == "no: no source yet: choose a column of your file or give a value"
    )
    assert 'data-testid="stored-preview-waiting"' in before

    one = check(client, mapping_url, form_data(asset_id="Ref No"))
    assert 'data-testid="missing-required">Outstanding amount</span>' in one
    assert required_source(one, "asset_id") == "yes: the file's column “Ref No”"

    both = form_data(asset_id="Ref No", outstanding_amount="Balance (10k)") | {
        "amount_unit": "wan",
        "date_format": "YYYY/MM/DD",
    }
    done = check(client, mapping_url, both)
    assert 'data-testid="required-complete">Every required column has a source</span>' in done
    table = done.split('data-testid="stored-preview"')[1].split("</table>")[0]
    headers = re.findall(r'<th scope="col">(.*?)<br><span class="small muted">(.*?)</span>', table)
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    columns = [name for name, _kind in headers]
    assert headers[0] == ("Asset ID", "identifier · Ref No")
    first = dict(zip(columns, cells[0], strict=True))
    assert len(cells) == 3
    assert first["Asset ID"] == "A0001"
    assert first["Outstanding amount"] == "805000.0"  # 80.5 万元, stored in yuan
    assert first["Original amount"] == "12000000000.00"  # the unit applies to every amount: visible here
    assert (first["Related party"], first["Interest rate"]) == ("no", "0.055")  # 否 and 5.5% as stored
    assert first["Invoice date"] == "2025-10-15"  # 2025/10/15 read with the declared format
    assert first["Cut-off date"] == "2025-12-31"  # from the upload


def test_an_invalid_form_says_why_in_the_panel(client, mapping_url):
    html = check(client, mapping_url, form_data() | {"mapping_json": "{not json"})

    assert html.startswith('<div id="mapping-live"') and 'role="alert"' in html
    assert "The column mapping is not valid" in html


def test_another_organisations_upload_does_not_exist(client, other_preparer, mapping_url):
    upload = TapeUpload.objects.get()
    reference = mapping_url.split("/")[2]
    client.force_login(other_preparer)

    response = client.post(reverse("filings:pool_mapping_check", args=[reference, upload.pk]), form_data())

    assert response.status_code == 404
