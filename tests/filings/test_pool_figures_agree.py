"""Issue 16: pool figures state their basis, and the pool page, the pre-flight and the dossier show the
same largest-obligor share for the same pool (assets.figures computes it once, on one basis)."""

from __future__ import annotations

import copy
import csv
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assets import services as pool_services
from assets.criteria import DEFAULT_CRITERIA
from assets.figures import largest_obligor_share
from assets.tape import get_schema
from desk.demo_pool import receivable_tape
from filings.compliance.cache import current_findings
from filings.dossier.pool import pool_section
from filings.models import Filing
from filings.pools import legal_final_maturity
from tests.filings.dossier_support import filing_with_imported_pool, minimal_snapshot

pytestmark = pytest.mark.django_db

ELIGIBLE_EN = "eligible pool, share of outstanding balance"
ELIGIBLE_ZH = "合格资产池，未偿余额占比"


def overdue_half_of_the_largest_group(tape: bytes) -> bytes:
    """The demo tape with half the assets of its largest obligor group 45 days past due (ineligible), so
    the whole tape and the eligible pool have different largest-obligor shares."""
    columns = get_schema("trade_receivable", "assets").columns
    zh = {c.name: c.zh for c in columns}
    rows = list(csv.DictReader(io.StringIO(tape.decode("utf-8-sig"))))
    balances: defaultdict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        balances[row[zh["obligor_group_id"]]] += Decimal(row[zh["outstanding_amount"]])
    largest = max(balances, key=lambda group: balances[group])
    members = [row for row in rows if row[zh["obligor_group_id"]] == largest]
    for row in members[: len(members) // 2]:
        row[zh["days_past_due"]] = "45"
        row[zh["account_status"]] = ""  # the import derives 逾期 (arrears) from the days past due
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.fixture
def split_filing(preparer, signatory):
    filing = filing_with_imported_pool(preparer, signatory, asset_class="trade_receivable")
    job = pool_services.start_tape_import(
        pool_id=filing.pool_id,
        upload=io.BytesIO(overdue_half_of_the_largest_group(receivable_tape(filing.cutoff_date))),
        kind="assets",
        mapping=None,
        by=preparer,
        cutoff_date=filing.cutoff_date,
        legal_final_maturity=legal_final_maturity(filing),
        file_name="overdue.csv",
        enqueue=False,
    )
    pool_services.run_tape_import(job.pk)
    job.refresh_from_db()
    assert job.outcome == "accepted", job.result.get("errors")
    criteria = copy.deepcopy(DEFAULT_CRITERIA)
    criteria["pool"]["max_single_obligor_share"] = 0.02  # so the pre-flight states the figure
    Filing.objects.filter(pk=filing.pk).update(criteria_profile=criteria)
    return Filing.objects.get(pk=filing.pk)


def key_figure(html: str, label: str) -> tuple[str, str]:
    found = re.search(
        rf'data-testid="key-figures">.*?<td>{re.escape(label)}</td>'
        r'<td class="num">([^<]*)</td><td>([^<]*)</td>',
        html,
        re.S,
    )
    assert found, f"{label} not among the key figures"
    return found.group(1), found.group(2)


def test_pool_page_preflight_and_dossier_agree_on_the_largest_obligor(
    client, preparer, signatory, split_filing
):
    analytics = split_filing.pool.analytics
    tape, eligible = analytics["overview"]["top1_share"], analytics["eligible_overview"]["top1_share"]
    assert tape != eligible  # the two bases really differ on this pool
    shown = f"{eligible * 100:.2f}%"
    assert largest_obligor_share(analytics).text == shown

    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "en"
    page = client.get(reverse("filings:pool", args=[split_filing.reference])).content.decode()
    assert key_figure(page, "Largest obligor group") == (shown, ELIGIBLE_EN)
    assert "Basis: the whole tape (every active asset, eligible or not)" in page  # the overview says so

    findings = [f for f in current_findings(split_filing) if f.code == "CONC-SINGLE"]
    assert [str(f.message) for f in findings] == [
        f"The largest obligor group holds {shown} ({ELIGIBLE_EN}); the limit is 2%. Add other obligors or "
        "reduce its assets."
    ]

    snapshot = minimal_snapshot(split_filing, signatory)
    section = pool_section(snapshot.data["pool"])
    rows = {row[0].text: (row[1].text, row[2].text) for row in section["key_figures"].rows}
    assert rows["Largest obligor group"] == (shown, ELIGIBLE_EN)


def test_the_basis_reads_in_chinese_too(client, preparer, split_filing):
    client.force_login(preparer)
    client.cookies["filingdesk_language"] = "zh-hans"

    page = client.get(reverse("filings:pool", args=[split_filing.reference])).content.decode()

    share = largest_obligor_share(split_filing.pool.analytics)
    assert key_figure(page, "最大债务人集团") == (share.text, ELIGIBLE_ZH)
    with translation.override("zh-hans"):
        finding = next(f for f in current_findings(split_filing) if f.code == "CONC-SINGLE")
        assert f"{share.text}（{ELIGIBLE_ZH}）" in str(finding.message)


def test_a_pool_without_eligibility_states_the_whole_tape():
    figure = largest_obligor_share({"overview": {"top1_share": 0.125, "asset_count": 8}})

    assert (figure.text, figure.basis, str(figure.basis_label)) == (
        "12.50%",
        "whole_tape",
        "whole tape (every active asset), share of outstanding balance",
    )
    assert largest_obligor_share({}) is None
