"""A reviewer enrols a passkey as their second factor and signs in with it, in Chromium with a
virtual authenticator (a platform authenticator that verifies the user, as a phone or laptop does)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _virtual_authenticator(page) -> tuple[object, str]:
    """Chromium's DevTools WebAuthn domain: a CTAP2 internal authenticator with resident keys and
    user verification that always succeeds (no touch or PIN to simulate)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _password(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn")


def test_reviewer_enrols_a_passkey_and_signs_in_with_it(page, reviewer, settings):
    from allauth.mfa.models import Authenticator

    from audit.models import Event

    # The live server is plain http on loopback; a real deployment is https.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    cdp, authenticator_id = _virtual_authenticator(page)

    # First sign-in: the role needs a second factor; the reviewer adds a passkey instead of an app.
    _password(page, reviewer.username)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    page.click("[data-testid=use-passkey] a")
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    page.fill("input[name=name]", "笔记本电脑")
    page.click("#mfa_webauthn_add")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    passkey = Authenticator.objects.get(user=reviewer, type=Authenticator.Type.WEBAUTHN)
    assert passkey.data["name"] == "笔记本电脑"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1
    page.goto("/review/")  # the passkey just registered counts as this session's second factor
    assert page.url.endswith("/review/")

    # Next sign-in: password, then the passkey instead of a code.
    _password(page, reviewer.username)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_selector("[data-testid=dashboard-title]")
    page.goto("/review/")
    assert page.url.endswith("/review/")
    after = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert after[0]["signCount"] > credentials[0]["signCount"]
    enrolled = Event.objects.get(action="auth.mfa_enrolled", actor=reviewer, data__type="webauthn")
    assert enrolled.data == {"type": "webauthn"}
