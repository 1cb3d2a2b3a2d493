"""Schemathesis against the live schema of a running server: no server errors, every response as documented.

Service-backed (PostgreSQL, and Redis for the jobs the API enqueues): run from .ci/run, or with
DATABASE_URL=postgres://…/fd_api REDIS_URL=redis://…/6 DJANGO_SETTINGS_MODULE=config.settings.test
.venv/bin/pytest -m services tests/services/test_api_schemathesis.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services.tokens import create_token

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "30"))


@pytest.fixture
def bearer(preparer, draft_filing, settings) -> dict[str, str]:
    """A preparer's token with every scope but webhooks: fuzzed webhook URLs must never be called."""
    settings.API_TOKEN_RATE = "100000/min"
    token = create_token(owner=preparer, name="schemathesis", scopes=["read", "write", "tapes", "answer"])
    return {"Authorization": f"Bearer {token.secret}", "Accept-Language": "en"}


def test_the_api_answers_as_its_schema_says(live_server, bearer):
    """Every operation, with generated parameters and bodies: none answers 5xx or off its schema.

    (schemathesis.pytest.from_fixture does not run under pytest 9, so the operations are driven here.)
    """
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            # Every other check runs: no 5xx, documented status codes, content types, headers and
            # bodies. Left out: "schema-valid request rejected" — the services refuse well-formed data
            # on content (a file's bytes, a NUL in a name, a business rule) that no schema can state.
            case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # collect every operation's failure, report all
            failures.append(f"{operation.label}: {error}")
    report = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n\n".join(failures) or "no failures", encoding="utf-8")
    assert operations >= 35
    assert failures == [], f"{len(failures)} operations failed; see test-artifacts/schemathesis.txt"
