"""Tokens: stored hashed, scoped by role, expiring, revocable, their use recorded; errors as problems."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services.tokens import TokenError, create_token, revoke_token
from audit.models import Event
from tests.factories import PASSWORD


def _bearer(secret: str, language: str = "en") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def test_a_token_is_stored_only_as_its_digest_and_lasts_thirty_days(preparer):
    issued = create_token(owner=preparer, name="loan book", scopes=["write"])

    token = ApiToken.objects.get()
    assert issued.secret.startswith(f"fdk_{token.prefix}_")
    assert token.digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in str(ApiToken.objects.values().get())
    assert token.scopes == ["read", "write"]  # every scope also reads
    assert (token.expires_at - timezone.now()).days == 29  # 30 days minus the seconds since
    assert Event.objects.filter(action="api.token.create").get().data["prefix"] == token.prefix


def test_only_a_signatory_may_have_the_submit_scope_and_no_token_outlives_a_year(preparer, signatory):
    with pytest.raises(TokenError):
        create_token(owner=preparer, name="x", scopes=["submit"])
    with pytest.raises(TokenError):
        create_token(owner=signatory, name="x", scopes=["read"], days=366)
    assert create_token(owner=signatory, name="x", scopes=["submit"], days=365).token.scopes == [
        "read",
        "submit",
    ]
    assert ApiToken.objects.count() == 1


def test_a_token_cannot_be_pinned_to_another_organisations_filing(other_preparer, draft_filing):
    with pytest.raises(TokenError):
        create_token(owner=other_preparer, name="x", scopes=["read"], filing=draft_filing)


def test_a_good_token_reaches_the_api_and_its_use_is_recorded(preparer):
    secret = create_token(owner=preparer, name="x", scopes=["read"]).secret

    response = _bearer(secret).get("/api/v1/me/", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert response.json()["username"] == "preparer"
    token = ApiToken.objects.get()
    assert token.last_used_ip == "10.1.2.3"
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ("expire", "The token has expired."),
        ("revoke", "The token was revoked."),
        ("unknown", "The token is not valid."),
    ],
)
def test_an_expired_revoked_or_unknown_token_is_a_401_problem(preparer, change, detail):
    secret = create_token(owner=preparer, name="x", scopes=["read"]).secret
    if change == "expire":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif change == "revoke":
        revoke_token(token_id=ApiToken.objects.get().pk, by=preparer)
    else:
        secret = secret[:-4] + "AAAA"

    response = _bearer(secret).get("/api/v1/filings/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert (body["status"], body["detail"], body["title"]) == (401, detail, "Authentication needed")


def test_no_token_is_a_401_and_the_problem_reads_in_the_requested_language(db):
    response = APIClient().get("/api/v1/filings/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "需要身份验证"


def test_a_token_without_the_scope_is_refused_with_403(preparer):
    secret = create_token(owner=preparer, name="x", scopes=["read"]).secret

    response = _bearer(secret).post(
        "/api/v1/filings/", {"title": "t", "asset_class": "toll_income"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "This token does not have the scope this request needs."


@override_settings(API_TOKEN_RATE="2/min")
def test_the_rate_limit_counts_per_token(preparer):
    from django.core.cache import cache

    cache.clear()
    first = _bearer(create_token(owner=preparer, name="a", scopes=["read"]).secret)
    second = _bearer(create_token(owner=preparer, name="b", scopes=["read"]).secret)

    codes = [first.get("/api/v1/me/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200
    limited = first.get("/api/v1/me/")
    assert int(limited["Retry-After"]) > 0
    assert limited["Content-Type"] == "application/problem+json"


def test_the_command_prints_a_working_token(signatory):
    out = StringIO()
    call_command("create_api_token", "signatory", "--scopes", "read,submit", "--days", "7", stdout=out)

    secret = out.getvalue().strip()
    assert _bearer(secret).get("/api/v1/me/").json()["scopes"] == ["read", "submit"]
    assert (ApiToken.objects.get().expires_at - timezone.now()).days == 6


def test_the_profile_page_shows_a_new_token_once_and_revokes_it(client, preparer):
    client.login(username="preparer", password=PASSWORD)

    created = client.post(
        reverse("api:tokens"),
        {"name": "loan book", "scopes": ["read", "tapes"], "days": 30},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    token = ApiToken.objects.get()
    secret = created.context["issued"].secret
    assert secret in created.content.decode()
    listing = client.get(reverse("api:tokens")).content.decode()
    assert secret not in listing
    assert f"{token.prefix}…" in listing
    client.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == preparer
    assert _bearer(secret).get("/api/v1/me/").status_code == 401


def test_the_profile_page_refuses_the_submit_scope_to_a_preparer(client, preparer):
    client.login(username="preparer", password=PASSWORD)

    response = client.post(reverse("api:tokens"), {"name": "x", "scopes": ["submit"], "days": 30})

    assert response.status_code == 200
    assert "scopes" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_anyones_token_and_others_cannot(
    client, preparer, other_preparer, admin_user
):
    token = create_token(owner=preparer, name="x", scopes=["read"]).token
    client.login(username="other-preparer", password=PASSWORD)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

    client.login(username="admin", password=PASSWORD)
    assert "x" in client.get(reverse("api:tokens_all")).content.decode()
    client.post(reverse("api:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert token.revoked_by == admin_user
