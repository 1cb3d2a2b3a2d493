"""The registry: the catalogue's contents, evaluation, frozen findings, thresholds from the profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assets.criteria import DEFAULT_CRITERIA, criteria_with
from filings.compliance import BLOCKING, RULES, WARNING, evaluate, run_preflight
from filings.compliance.registry import Finding, format_threshold, limit, msg, rule
from tests.filings.test_compliance_data import (
    RECEIVABLE_PROFILE,
    passing_data,
    receivable_data,
    receivable_rows,
)

ISSUE_CODES = {
    "N42-NAME",
    "N42-SCOPE",
    "USCC-VALID",
    "ENTITY-CONTROL",
    "G26-1",
    "G26-2",
    "G26-3",
    "G26-4",
    "G26-5",
    "G26-6",
    "ASSET-CLASS",
    "NEG-MIX",
    "NEG-LGFV",
    "CONC-SINGLE",
    "CONC-SIGNIFICANT",
    "CONC-TOP5",
    "TOLL-PERIOD",
    "HIST-LENGTH",
    "TOKEN-TYPE",
    "TOKEN-STABLECOIN",
    "TOKEN-LEDGER",
    "VENUE-OFFSHORE",
    "INVESTOR-ELIG",
    "INVESTOR-PRC",
    "OFFER-FX",
    "RI-TRUE-SALE",
    "RI-COLLECTION",
    "RI-SERVICER",
    "RI-CE",
    "DOC-CHECKLIST",
    "DOC-OPINION-SIGNERS",
    "DOC-HEDGE",
    "CONS-TRANCHE-POOL",
    "CONS-CURRENCY",
    "CONS-MATURITY",
    "CONS-OFFER-SIZE",
}


def test_the_catalogue_holds_every_rule_the_issue_asks_for():
    assert set(RULES) >= ISSUE_CODES
    assert any(code.startswith("ELIG-") for code in RULES)
    assert any(code.startswith("STAB-") for code in RULES)


def test_every_rule_has_a_title_a_citation_and_known_thresholds():
    for registered in RULES.values():
        assert str(registered.title) and registered.citation.source and registered.citation.article, (
            registered.code
        )
        assert registered.severity in (BLOCKING, WARNING)
        for path, _value in registered.threshold_values(DEFAULT_CRITERIA):
            limit({}, path)  # raises KeyError for a threshold the default profile does not define


def test_every_rule_is_exercised_by_a_test():
    sources = "".join(
        path.read_text()
        for path in Path(__file__).parent.glob("test_compliance_*.py")
        if path.name != Path(__file__).name
    )
    untested = [code for code in RULES if not re.search(rf'"{re.escape(code)}"', sources)]

    assert untested == []


def test_findings_are_sorted_by_section_then_blocking_first():
    data = passing_data()
    data["entity"]["business_scope"] = "稳定币"
    data["offering"]["fx_route"] = "none"
    data["token"]["instrument_type"] = "stablecoin"

    assert [(f.section, f.severity, f.code) for f in evaluate(data, DEFAULT_CRITERIA)] == [
        ("entity", BLOCKING, "N42-SCOPE"),
        ("token", BLOCKING, "TOKEN-TYPE"),
        ("offering", WARNING, "OFFER-FX"),
    ]


def test_a_crashing_rule_reports_itself_and_the_others_still_run():
    @rule("TEST-CRASH", severity=WARNING, section="assets", title="crash", source="test", article="test")
    def crash(data, profile):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    try:
        findings = evaluate(passing_data(), DEFAULT_CRITERIA)
    finally:
        del RULES["TEST-CRASH"]

    with translation.override("en"):
        assert [(f.code, f.severity, str(f.message)) for f in findings] == [
            ("TEST-CRASH", WARNING, "This check could not be completed: ZeroDivisionError('boom')")
        ]


def test_a_duplicate_code_or_an_unknown_section_is_refused():
    with pytest.raises(ValueError, match="duplicate rule code G26-1"):
        rule("G26-1", severity=BLOCKING, section="attestations", title="", source="", article="")(
            lambda d, p: []
        )
    with pytest.raises(ValueError, match="unknown section"):
        rule("TEST-X", severity=BLOCKING, section="nowhere", title="", source="", article="")(lambda d, p: [])


def test_a_finding_message_renders_in_the_readers_language_and_freezes_in_both():
    finding = Finding(
        "USCC-VALID", BLOCKING, "entity", msg(_("This field is required.")), "entity.uscc", {"n": 1}
    )

    # DRF's catalogue (an installed app) outranks Django's own for this message.
    with translation.override("zh-hans"):
        assert str(finding.message) == "该字段是必填项。"
    with translation.override("en"):
        assert str(finding.message) == "This field is required."
    with translation.override("zh-hans"):
        frozen = finding.as_dict()
    assert frozen == {
        "code": "USCC-VALID",
        "severity": BLOCKING,
        "section": "entity",
        "field": "entity.uscc",
        "params": {"n": 1},
        "message_en": "This field is required.",
        "message_zh": "该字段是必填项。",
        "rule_version": 1,
        "citation": {
            "source": "GB 32100-2015",
            "article": "code structure and check character (§5)",
            "confirmed": True,
        },
    }


def test_findings_keep_their_figures_as_plain_parameters():
    data = passing_data()
    data["offering"]["total_size"] = "1"

    finding = next(f for f in evaluate(data, DEFAULT_CRITERIA) if f.code == "CONS-OFFER-SIZE")
    assert finding.params == {"currency": "USD", "size": "1.00", "total": "100,000,000.00"}


def test_limit_reads_the_profile_and_falls_back_to_the_published_default():
    assert limit(criteria_with({"pool": {"max_top5_share": 0.6}}), "pool.max_top5_share") == 0.6
    assert limit({}, "pool.max_top5_share") == DEFAULT_CRITERIA["pool"]["max_top5_share"]
    with pytest.raises(KeyError):
        limit({}, "pool.no_such_limit")


def test_the_catalogue_shows_thresholds_readably():
    assert dict(RULES["CONC-SINGLE"].default_thresholds) == {"pool.max_single_obligor_share": "0.5"}
    with translation.override("en"):
        assert dict(RULES["STAB-CV"].default_thresholds) == {
            "stability.revenue_cv": "green ≤ 0.15 · red > 0.3"
        }
        assert format_threshold(["daily", "weekly"]) == "daily, weekly"


@pytest.mark.parametrize(
    ("field", "page", "section"),
    [
        ("entity.uscc", "section", "entity"),
        ("offering.venues", "section", "offering"),
        ("attestations.G26-3", "attestations", "attestations"),
        ("documents.PRC-OPINION", "documents", "documents"),
        ("assets.concentration", "pool", "assets"),
        ("", "overview", ""),
    ],
)
def test_a_finding_knows_which_page_holds_its_field(field, page, section):
    finding = Finding("X", BLOCKING, "entity", "m", field)

    assert (finding.page, finding.page_section) == (page, section)


@pytest.mark.django_db
def test_the_ready_filing_is_blocked_only_by_what_the_demo_does_not_fill_yet(ready_filing):
    """The demo filling has no documents and no asset pool yet; every other rule passes."""
    blocking = {f.code for f in run_preflight(ready_filing) if f.severity == BLOCKING}

    assert blocking <= {"DOC-CHECKLIST", "RI-TRUE-SALE", "ASSET-TAPE"}
    assert [f.code for f in run_preflight(ready_filing) if f.severity == WARNING] == []


def test_the_issues_scenario_names_each_problem_and_passes_once_fixed():
    """Scope says 稳定币, the pool lends to a financing platform, settlement in an offshore-RMB stablecoin."""
    rows = receivable_rows()
    rows[3]["obligor_type"] = "lgfv"
    data = receivable_data(rows)
    data["structure"]["overcollateralisation_pct"] = "10"  # the financing-platform asset leaves 190m for 170m
    data["entity"]["business_scope"] = "供应链管理服务；稳定币技术开发。"
    data["token"].update(
        settlement_asset="stablecoin", stablecoin_issuer="Demo HK Ltd", stablecoin_peg_currency="CNH"
    )

    blocking = [(f.code, f.field) for f in evaluate(data, RECEIVABLE_PROFILE) if f.severity == BLOCKING]
    assert blocking == [
        ("N42-SCOPE", "entity.business_scope"),
        ("TOKEN-STABLECOIN", "token.stablecoin_approval_ref"),
        ("NEG-LGFV", "assets.obligor_type"),
    ]

    data = receivable_data()
    data["token"].update(settlement_asset="fiat")
    assert [f.code for f in evaluate(data, RECEIVABLE_PROFILE)] == []
