"""The import service on real files through their mappings, all-or-nothing, duplicates and permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest

from assets import services
from assets.criteria import criteria_with
from assets.errors import DuplicateTapeError, NotAllowedError, PoolLockedError, TapeImportError
from assets.models import Asset, AssetPool, PeriodRow, SavedMapping, TapeImport
from assets.selectors import current_tapes, pool_snapshot, tape_bytes
from tests.assets.conftest import make_filing
from tests.assets.fixtures import real
from tests.assets.fixtures.real import FIXTURES, needs_real_files, paraguay_mapping
from tests.assets.fixtures.tapes import receivables, tape_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SHORT_HISTORY = criteria_with({"tape": {"history_min_months": 12}})


def run(pool, content, *, by, kind="assets", mapping=None, **options):
    """Start and run one import synchronously, as the command does; the job row afterwards."""
    job = services.start_tape_import(
        pool_id=pool.pk,
        upload=io.BytesIO(content) if isinstance(content, bytes) else content,
        kind=kind,
        mapping=mapping,
        by=by,
        enqueue=False,
        file_name=options.pop("file_name", "tape.csv"),
        **options,
    )
    services.run_tape_import(job.pk)
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------------
# Real files through the mapping step
# ---------------------------------------------------------------------------------------------


@needs_real_files
def test_ibm_receivables_import_every_invoice_and_the_pool_figures_match_the_source(
    receivable_filing, preparer
):
    mapping = (FIXTURES / "ibm_receivables_mapping.json").read_text()
    with real.IBM.open("rb") as handle:
        job = run(receivable_filing.pool, handle, by=preparer, mapping=mapping, file_name=real.IBM.name)
    with real.IBM.open(newline="") as handle:
        source = list(csv.DictReader(handle))
    by_customer: dict[str, Decimal] = defaultdict(Decimal)
    for row in source:
        by_customer[row["customerID"]] += Decimal(row["InvoiceAmount"])
    total = sum(by_customer.values())

    pool = AssetPool.objects.get(pk=receivable_filing.pool_id)
    assert (job.outcome, job.is_current, job.rows_stored, job.cutoff_date) == (
        "accepted",
        True,
        2466,
        dt.date(2014, 1, 31),
    )
    stored = list(Asset.objects.filter(tape=job).order_by("source_row"))
    assert [a.asset_id for a in stored] == [row["invoiceNumber"] for row in source]  # leading zeros kept
    assert stored[0].asset_id == "0000611365"
    assert sum(a.outstanding_amount for a in stored) == total
    overview = pool.analytics["overview"]
    assert (overview["asset_count"], overview["obligor_group_count"], overview["total_outstanding"]) == (
        2466,
        100,
        str(total),
    )
    assert overview["top1_share"] == round(float(max(by_customer.values()) / total), 6)
    # The default profile accepts CNY only: every USD invoice is an exception, with its other reasons.
    reasons = {code: entry["count"] for code, entry in pool.analytics["eligibility"]["reasons"].items()}
    assert reasons["currency"] == 2466
    assert reasons["disputed"] == sum(row["Disputed"] == "Yes" for row in source) == 561
    assert reasons["overdue"] == sum(int(row["DaysLate"]) > 0 for row in source) == 877
    assert Asset.objects.filter(tape=job, eligible=False).count() == 2466
    assert Asset.objects.get(tape=job, asset_id="0007900770").reasons == [
        "overdue",
        "disputed",
        "currency",
        "ageing_too_long",
    ]
    assert len(pool.analytics["exceptions"]) == 200  # the snapshot keeps a bounded list
    assert tape_bytes(job.sha256) == real.IBM.read_bytes()


@needs_real_files
def test_brazil_antt_plaza_history_is_refused_as_too_short_then_accepted_under_a_12_month_profile(preparer):
    filing = make_filing(preparer, "toll_income", "测试收费 ANTT")
    mapping = (FIXTURES / "antt_plaza_history_mapping.json").read_text()
    content = real.ANTT.read_bytes()

    refused = run(filing.pool, content, by=preparer, kind="history", mapping=mapping)
    accepted = run(filing.pool, content, by=preparer, kind="history", mapping=mapping, criteria=SHORT_HISTORY)

    assert refused.outcome == "refused"
    assert [(e["code"], e["params"]) for e in refused.result["errors"]] == [
        ("history_too_short", {"asset": "—", "months": 12, "minimum": 24})
    ]
    assert (refused.result["encoding"], refused.result["delimiter"], refused.result["rows_read"]) == (
        "latin-1",
        ";",
        35301,
    )
    assert PeriodRow.objects.filter(tape=refused).count() == 0
    assert accepted.outcome == "accepted"
    periods = list(PeriodRow.objects.filter(tape=accepted).order_by("period").values_list("period", "data"))
    assert [p for p, _ in periods] == [f"2020-{m:02d}" for m in range(1, 13)]
    with real.ANTT.open(encoding="latin-1", newline="") as handle:
        plaza = [
            int(row["volume_total"])
            for row in csv.DictReader(handle, delimiter=";")
            if row["praca"].startswith("Praça 01 BR-381/SP Norte")
            and row["sentido"] == "Crescente"
            and row["categoria"] == "Categoria 1"
            and row["tipo_de_veiculo"] == "Passeio"
            and row["concessionaria"] == "AUTOPISTA FERNÃO DIAS"
        ]
    revenue = AssetPool.objects.get(pk=filing.pool_id).analytics["income"]["revenue"]
    assert revenue["months"] == 12
    assert revenue["cv"] == round(statistics.stdev(plaza) / statistics.fmean(plaza), 6)


@needs_real_files
def test_paraguay_workbook_station_history_matches_the_documented_cv(preparer):
    filing = make_filing(preparer, "toll_income", "测试收费 Paraguay")
    with real.PARAGUAY.open("rb") as handle:
        job = run(
            filing.pool,
            handle,
            by=preparer,
            kind="history",
            mapping=paraguay_mapping("2019", "ITA"),
            criteria=SHORT_HISTORY,
            file_name=real.PARAGUAY.name,
        )

    income = AssetPool.objects.get(pk=filing.pool_id).analytics["income"]
    assert (job.outcome, job.result["file_format"], job.result["sheet"], job.rows_stored) == (
        "accepted",
        "xlsx",
        "2019",
        12,
    )
    assert job.cutoff_date == dt.date(2019, 12, 31)  # the end of the last month of history
    assert round(income["revenue"]["cv"], 3) == 0.096  # abs-data.md §3: Itá 2019
    assert [m["period"] for m in income["monthly"]] == [f"2019-{m:02d}" for m in range(1, 13)]


@needs_real_files
def test_sec_cmbs_first_report_concentration_matches_the_research_note(issuer_org, preparer):
    pool = AssetPool.objects.create(organisation=issuer_org, asset_class="loan")
    mapping = json.loads((FIXTURES / "cmbs_loans_mapping.json").read_text())
    mapping["include_rows"] = {"reportingPeriodEndDate": ["2017-07-11"]}

    job = run(pool, real.CMBS.read_bytes(), by=preparer, mapping=mapping)

    overview = AssetPool.objects.get(pk=pool.pk).analytics["overview"]
    assert (job.outcome, job.rows_stored, job.result["rows_skipped"]) == ("accepted", 58, 6090 - 58)
    assert round(overview["hhi"], 4) == 0.0278
    assert (round(overview["top1_share"], 4), round(overview["top10_share"], 3)) == (0.0601, 0.418)
    assert pool_snapshot(pool)["tape"]["cutoff_date"] == "2017-07-11"


# ---------------------------------------------------------------------------------------------
# All or nothing, duplicates
# ---------------------------------------------------------------------------------------------


def test_a_broken_tape_reports_exact_rows_stores_nothing_and_the_previous_tape_stays(
    receivable_filing, preparer, good_tape
):
    pool = receivable_filing.pool
    first = run(pool, good_tape, by=preparer)
    analytics_before = AssetPool.objects.get(pk=pool.pk).analytics
    rows = receivables(30)
    rows[3]["invoice_date"] = "2025-13-40"
    rows[9]["outstanding_amount"] = "-5"
    rows[20]["asset_id"] = rows[19]["asset_id"]

    broken = run(pool, tape_csv(rows), by=preparer, file_name="broken.csv")

    assert broken.outcome == "refused"
    assert sorted((e["row"], e["column"], e["value"], e["code"]) for e in broken.result["errors"]) == [
        (5, "invoice_date", "2025-13-40", "not_a_date"),
        (11, "outstanding_amount", "-5", "below_minimum"),
        (22, "asset_id", "A0020", "duplicate_asset_id"),
    ]
    assert (broken.is_current, broken.rows_stored, Asset.objects.filter(tape=broken).count()) == (False, 0, 0)
    assert current_tapes(pool) == {"assets": first}
    assert Asset.objects.filter(pool=pool).count() == 12
    assert AssetPool.objects.get(pk=pool.pk).analytics == analytics_before


def test_the_same_file_again_is_recognised_not_doubled(receivable_filing, preparer, good_tape):
    first = run(receivable_filing.pool, good_tape, by=preparer)

    with pytest.raises(DuplicateTapeError) as error:
        run(receivable_filing.pool, good_tape, by=preparer, file_name="again.csv")

    assert error.value.existing == first
    assert "already the current Assets tape" in str(error.value.user_message)
    assert TapeImport.objects.count() == 1
    assert Asset.objects.count() == 12


def test_a_new_tape_replaces_the_current_one_and_keeps_its_cutoff_in_the_history(
    receivable_filing, preparer, good_tape
):
    first = run(receivable_filing.pool, good_tape, by=preparer)
    second = run(receivable_filing.pool, tape_csv(receivables(20)), by=preparer, file_name="january.csv")

    first.refresh_from_db()
    pool = AssetPool.objects.get(pk=receivable_filing.pool_id)
    assert (first.is_current, second.is_current) == (False, True)
    assert pool.analytics["overview"]["asset_count"] == 20
    assert [row["cutoff_date"] for row in pool.analytics["performance"]] == ["2025-12-31"]
    assert pool_snapshot(pool)["tape"]["file_name"] == "january.csv"


def test_the_filing_cutoff_date_must_match_the_tape(receivable_filing, preparer, good_tape):
    job = run(receivable_filing.pool, good_tape, by=preparer, cutoff_date=dt.date(2025, 11, 30))

    assert job.outcome == "refused"
    assert [(e["row"], e["column"], e["value"], e["code"]) for e in job.result["errors"]] == [
        (2, "cutoff_date", "2025-12-31", "cutoff_mismatch")
    ]


# ---------------------------------------------------------------------------------------------
# Permissions and locks
# ---------------------------------------------------------------------------------------------


def test_only_issuer_staff_of_the_pool_organisation_may_import(
    receivable_filing, other_preparer, lead, good_tape
):
    for user in (other_preparer, lead):
        with pytest.raises(NotAllowedError):
            run(receivable_filing.pool, good_tape, by=user)

    assert TapeImport.objects.count() == 0


def test_a_submitted_filing_pool_is_locked(ready_filing, preparer, good_tape):
    from filings.models import Filing

    Filing.objects.filter(pk=ready_filing.pk).update(state="submitted")

    with pytest.raises(PoolLockedError):
        run(ready_filing.pool, good_tape, by=preparer, kind="history")


def test_an_oversized_file_is_refused_before_it_is_stored(receivable_filing, preparer, good_tape, settings):
    settings.TAPE_MAX_BYTES = 100

    with pytest.raises(TapeImportError) as error:
        run(receivable_filing.pool, good_tape, by=preparer)

    assert "the limit is 0 MB" in str(error.value.user_message)
    assert TapeImport.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Saved mappings and recomputation
# ---------------------------------------------------------------------------------------------


def test_a_saved_mapping_belongs_to_the_organisation_and_is_replaced_by_name(preparer, receivable_filing):
    first = services.save_mapping(
        by=preparer,
        name="月度导出",
        asset_class="trade_receivable",
        kind="assets",
        mapping={"amount_unit": "wan"},
    )
    again = services.save_mapping(
        by=preparer,
        name="月度导出",
        asset_class="trade_receivable",
        kind="assets",
        mapping='{"delimiter": ";"}',
    )

    assert first.pk == again.pk
    assert SavedMapping.objects.get().mapping["delimiter"] == ";"
    assert SavedMapping.objects.get().organisation == preparer.organisation
    with pytest.raises(TapeImportError):
        services.save_mapping(
            by=preparer, name="x", asset_class="trade_receivable", kind="assets", mapping={"nope": 1}
        )


def test_recompute_applies_a_new_legal_final_maturity_to_every_asset(receivable_filing, preparer, good_tape):
    job = run(receivable_filing.pool, good_tape, by=preparer)
    assert not Asset.objects.filter(tape=job, eligible=False).exists()

    services.recompute_pool_analytics(
        pool_id=receivable_filing.pool_id, by=preparer, legal_final_maturity=dt.date(2026, 1, 31)
    )

    pool = AssetPool.objects.get(pk=receivable_filing.pool_id)
    assert pool.legal_final_maturity == dt.date(2026, 1, 31)
    assert pool.analytics["eligibility"]["reasons"]["matures_after_legal_final"]["count"] == 12
    assert set(Asset.objects.filter(tape=job).values_list("eligible", flat=True)) == {False}
