"""The demo data puts a filed filing on the public register, and neither its draft nor its withdrawn one."""

from __future__ import annotations

import pytest

from filings.models import Filing


@pytest.mark.django_db
def test_demo_filed_filing_is_on_the_register_signed_out(client):
    from desk.demo import seed_demo

    seed_demo()
    filed = Filing.objects.get(title="某高速公路收费收益权资产支持代币 2025-2")
    draft = Filing.objects.get(title="某供应链应收账款资产支持代币 2026-1（草稿）")
    withdrawn = Filing.objects.get(title="某应收账款资产支持代币 2026-2（已撤回）")
    client.cookies["filingdesk_language"] = "zh-hans"

    page = client.get("/register/").content.decode()

    assert filed.state == "filed" and filed.notice_number
    assert filed.notice_number in page
    assert filed.entity.name_zh in page
    assert draft.state == "draft" and withdrawn.state == "withdrawn"
    csv = client.get("/register/register.csv").content.decode()
    assert csv.count("\r\n") == 2  # the header and the one filed demo filing
