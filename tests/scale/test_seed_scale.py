"""seed_scale: every state, a verified audit chain, idempotent per N, and it keeps off real data."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, OrganisationKind
from audit.services import verify_chain
from desk.scale import seed_scale
from filings.models import Filing
from filings.workflow import FilingState

pytestmark = pytest.mark.django_db


def test_seed_scale_loads_every_state_with_an_intact_audit_chain_once_per_count():
    assert seed_scale(300) == 300

    assert set(Filing.objects.values_list("state", flat=True)) == set(FilingState.values)
    assert Organisation.objects.filter(name_en__startswith="Scale Demo Issuer").count() == 200
    assert verify_chain().ok
    assert seed_scale(300) == 0
    assert Filing.objects.count() == 300


def test_seed_scale_refuses_a_database_with_real_organisations_unless_forced():
    Organisation.objects.create(name_zh="真实发行人有限公司", kind=OrganisationKind.ISSUER)

    with pytest.raises(CommandError, match="not demo data"):
        call_command("seed_scale", "--filings", "10", "--no-drafts")
    assert Filing.objects.count() == 0
    call_command("seed_scale", "--filings", "10", "--force", "--no-drafts")
    assert Filing.objects.count() == 10
