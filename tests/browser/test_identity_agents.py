"""A law firm's administrator invites a lawyer; the issuer delegates one filing; the lawyer edits
it and cannot see another; the issuer revokes and the lawyer loses it on the next request."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import OrganisationKind, Role
from filings.models import Filing
from tests.browser.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Opinion-Ledger-7781"


def test_invite_delegate_edit_and_revoke(page, draft_filing, signatory, preparer):
    from filings.services import create_filing

    other = create_filing(
        organisation=preparer.organisation, title="另一单", asset_class="toll_income", by=preparer
    )
    law_firm = OrganisationFactory(
        name_zh="某律师事务所", name_en="Law Firm LLP", kind=OrganisationKind.AGENT
    )
    partner = UserFactory(username="partner", role=Role.AGENT, organisation=law_firm, is_org_admin=True)

    # The law firm's administrator invites a lawyer by email.
    login(page, partner.username, PASSWORD)
    page.goto("/accounts/people/invite/")
    page.fill("input[name=username]", "lawyer")
    page.fill("input[name=full_name]", "王律师")
    page.fill("input[name=email]", "lawyer@lawfirm.test")
    page.click("[data-testid=save-member]")
    page.wait_for_selector("[data-testid=people]")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)

    # The lawyer sets a password from the link.
    page.context.clear_cookies()
    page.goto(link)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.click("main form button[name=action]")
    page.wait_for_load_state()

    # The issuer's signatory delegates this one filing to the law firm.
    page.context.clear_cookies()
    login(page, signatory.username, PASSWORD)
    page.goto(f"/filings/{draft_filing.reference}/delegations/")
    page.select_option("select[name=agent]", str(law_firm.pk))
    page.check("input[name=scope][value=prepare]")
    page.fill("input[name=ends_on]", (timezone.localdate() + timezone.timedelta(days=30)).isoformat())
    page.click("[data-testid=delegate]")
    page.wait_for_selector("[data-testid=delegations] [data-testid^=revoke-]")

    # The lawyer edits the delegated filing and cannot see the other one.
    page.context.clear_cookies()
    login(page, "lawyer", NEW_PASSWORD)
    page.goto(f"/filings/{draft_filing.reference}/section/structure/")
    page.fill("input[name$=spv_name]", "律所填写的特殊目的载体")
    page.click("button[name=_save]")
    page.wait_for_load_state()
    assert Filing.objects.get(pk=draft_filing.pk).structure.spv_name == "律所填写的特殊目的载体"
    assert page.goto(f"/filings/{other.reference}/").status == 404

    # The issuer revokes; the lawyer's very next request is refused.
    lawyer_context = page.context.storage_state()
    page.context.clear_cookies()
    login(page, signatory.username, PASSWORD)
    page.goto(f"/filings/{draft_filing.reference}/delegations/")
    page.click("[data-testid^=revoke-]")
    page.wait_for_selector("ul.messages")
    page.context.clear_cookies()
    page.context.add_cookies(lawyer_context["cookies"])
    assert page.goto(f"/filings/{draft_filing.reference}/section/structure/").status == 404
