"""A person's journey over HTTP against a running deployment, with the standard library only (the
production venv has no test tools): log in through the login form, upload a tape that a worker
imports, submit as the signatory, and download the dossier the pdf worker renders.

Used by `manage.py smoke_production` (CI's fresh-venv smoke test) and the service-backed test
that boots the Procfile topology.
"""

from __future__ import annotations

import html
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SmokeError(AssertionError):
    pass


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Browser:
    """Cookies and CSRF like a browser behind the TLS proxy: the proxy says X-Forwarded-Proto https,
    so secure cookies are kept and sent back (the standard cookie jar would drop them on http)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    language: str = "en"

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Response:
        host = urlsplit(self.base_url).netloc
        sent = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{host}",
            "Referer": f"https://{host}{path}",
            "Accept-Language": self.language,
            **(headers or {}),
        }
        cookies = {**self.cookies, "filingdesk_language": self.language}
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body: bytes | None = None
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, data or {}, files)
            sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base_url + path, data=body, headers=sent, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=timeout) as reply:
                response = Response(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, page: str, action: str, fields: dict[str, str], **kwargs: Any) -> Response:
        """Read the CSRF token from the page the form is on, then post the form."""
        token = csrf_token(self.get(page))
        return self.request("POST", action, data={"csrfmiddlewaretoken": token, **fields}, **kwargs)

    def log_in(self, username: str, password: str) -> None:
        """Sign in through the form; a person who must use a second factor types the demo
        authenticator's current code (seed_demo and seed_smoke enrol them with its secret)."""
        self.cookies.clear()
        reply = self.post_form(
            "/accounts/login/", "/accounts/login/", {"username": username, "password": password}
        )
        location = urlsplit(reply.headers.get("Location", "")).path
        if reply.status == 302 and "/2fa/" in location:
            reply = self.post_form(location, location, {"code": demo_totp_code()})
            if reply.status == 200:
                # The code was refused: typed as its 30-second window closed, or already used in
                # this window (a code is accepted once). A person waits for the next code.
                time.sleep(30 - time.time() % 30 + 1)
                reply = self.post_form(location, location, {"code": demo_totp_code()})
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise SmokeError(f"log-in as {username} failed: HTTP {reply.status}")


def demo_totp_code() -> str:
    """The code the demo's authenticator app shows now (demo data only)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from desk.demo import DEMO_TOTP_SECRET

    return str(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time() // 30))))


def csrf_token(page: Response) -> str:
    match = _CSRF_INPUT.search(page.text)
    if match is None:
        raise SmokeError(f"no CSRF token on the page (HTTP {page.status})")
    return html.unescape(match.group(1))


def _multipart(boundary: str, data: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts: list[bytes] = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def wait_until(what: str, probe: Any, timeout: float, interval: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise SmokeError(f"{what}: not within {timeout:g} s")


@dataclass
class Journey:
    """What the journey saw, for the caller to check."""

    reference: str = ""
    import_url: str = ""
    dossier_url: str = ""
    pdf: bytes = b""
    request_ids: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def run_journey(base_url: str, *, password: str, timeout: float = 300) -> Journey:
    """The demo's draft filing of the Shenzhen issuer (seed_demo): the preparer re-imports its asset
    tape through the upload form, the signatory submits, the issuer downloads the dossier."""
    from desk.demo import DEMO_FILINGS
    from desk.demo_pool import demo_cutoff, demo_tapes
    from filings.models import Filing

    spec = next(s for s in DEMO_FILINGS if s["key"] == "sz" and s["to"] == "draft")
    filing = Filing.objects.get(title=spec["title"])
    journey = Journey(reference=filing.reference)
    ref = filing.reference
    started = time.monotonic()

    browser = Browser(base_url)
    browser.log_in("sz-preparer", password)
    cutoff = demo_cutoff()
    # A trailing empty line: the same rows in a new file, so the import runs rather than being
    # recognised as the current tape.
    tape = demo_tapes(filing.asset_class, cutoff)["assets"] + b"\n"
    pool_page = f"/filings/{ref}/pool/"
    token = csrf_token(browser.get(pool_page))
    reply = browser.request(
        "POST",
        f"/filings/{ref}/pool/upload/",
        data={"csrfmiddlewaretoken": token, "kind": "assets", "cutoff_date": cutoff.isoformat()},
        files={"file": ("smoke-assets.csv", tape)},
    )
    journey.request_ids.append(reply.headers.get("X-Request-ID", ""))
    location = reply.headers.get("Location", "")
    if reply.status != 302 or "/pool/imports/" not in location:
        raise SmokeError(f"the tape upload did not start an import: HTTP {reply.status} -> {location!r}")
    journey.import_url = urlsplit(location).path

    def imported() -> bool:
        page = browser.get(journey.import_url).text
        if 'data-outcome="rejected"' in page or 'data-status="failed"' in page:
            raise SmokeError("the tape import failed")
        return 'data-outcome="accepted"' in page

    wait_until("the worker imports the tape", imported, timeout)
    journey.timings["import_s"] = round(time.monotonic() - started, 1)

    browser.log_in("sz-signatory", password)
    reply = browser.post_form(f"/filings/{ref}/", f"/filings/{ref}/do/submit/", {})
    if reply.status != 302:
        raise SmokeError(f"submit: HTTP {reply.status}")
    if Filing.objects.get(pk=filing.pk).state == "draft":
        raise SmokeError(
            "the filing is still a draft after submitting: " + browser.get(f"/filings/{ref}/").text[:2000]
        )
    link = re.compile(rf'href="(/filings/{re.escape(ref)}/dossier/\d+/download/)"')

    def download_link() -> str | None:
        match = link.search(browser.get(f"/filings/{ref}/dossier/").text)
        return match.group(1) if match else None

    journey.dossier_url = wait_until("the pdf worker renders the dossier", download_link, timeout)
    journey.timings["dossier_s"] = round(time.monotonic() - started, 1)
    reply = browser.get(journey.dossier_url, timeout=120)
    if reply.status != 200 or not reply.body.startswith(b"%PDF-"):
        raise SmokeError(f"the dossier download is not a PDF: HTTP {reply.status}")
    journey.pdf = reply.body
    return journey
