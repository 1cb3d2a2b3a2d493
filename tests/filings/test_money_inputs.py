"""Money fields take amounts with or without thousands separators and show them grouped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from filings import models as m
from filings.forms import PostFilingReportForm, row_formset_class, section_form_class


@pytest.mark.parametrize("typed", ["1,234,567.89", "1234567.89", "1，234，567.89", " 1 234 567.89 "])
def test_section_amount_is_read_with_or_without_separators(typed):
    form = section_form_class(m.EntitySection)(
        data={"s-registered_capital": typed, "s-version": "0"}, prefix="s"
    )
    form.is_valid()

    assert "registered_capital" not in form.errors
    assert form.cleaned_data["registered_capital"] == Decimal("1234567.89")


def test_row_and_report_amounts_are_money_fields_too():
    rows = row_formset_class(m.Tranche)(prefix="tranches")
    report = PostFilingReportForm(
        data={
            "kind": "issuance_completion",
            "occurred_on": "2026-12-06",
            "description": "done",
            "amount_issued": "250,000,000",
            "venue": "HKEX",
            "token_details": "ERC-3643 on a permissioned chain, 250 000 tokens",
        }
    )

    assert 'value="' not in str(rows.forms[0]["size"])  # a blank row stays blank
    assert 'inputmode="decimal"' in str(rows.forms[0]["size"])
    assert report.is_valid(), report.errors
    assert report.cleaned_data["amount_issued"] == Decimal("250000000")


def test_stored_amount_is_shown_grouped_and_a_bad_one_as_typed_with_its_error():
    form_class = section_form_class(m.EntitySection)
    shown = form_class(initial={"registered_capital": Decimal("98765432.1"), "version": 0}, prefix="s")
    with translation.override("en"):
        refused = form_class(data={"s-registered_capital": "12,3x4", "s-version": "0"}, prefix="s")
        refused.is_valid()

    assert 'value="98,765,432.10"' in str(shown["registered_capital"])
    assert 'value="12,3x4"' in str(refused["registered_capital"])
    assert refused.errors["registered_capital"] == ["Enter a number."]
