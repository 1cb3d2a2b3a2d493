"""Web benchmark: gunicorn (production settings) on PostgreSQL seeded with seed_scale, driven by 50
logged-in people reading their main pages, 10 of whom also write (issuers saving sections, reviewers
answering checklist items), for a fixed time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_scale_bench \\
        .venv/bin/python bench/bench_web.py --filings 10000 --seconds 120

It migrates the database, runs ``seed_scale --filings N`` (idempotent),
collects static files into a temporary folder, starts gunicorn on a free loopback port with a
generated secret key, logs every person in once (outside the timed window), then runs a bounded
thread client: each simulated person loops "think 1-3 s, open a page of their role" until the time
is up. The writers write half the time instead of reading: a preparer opens a section's form and
posts it back; a reviewer answers an item of the checklist of a filing they are cleared on through
its HTMX form (the page read once before the timing, as it stays open in the browser). It prints
requests/s and p50/p95/p99 and errors per page, and the load average before and
after. Loopback traffic only; every process it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import random
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "FilingDesk-2026"
DEMO_TOTP_SECRET = "FILINGDESKDEMOTOTPSECRETDEMOONLY"  # desk/demo.py; seed_scale enrols with it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


class FormFields(HTMLParser):
    """The named fields of each POST form on a page, with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.selected: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self.select, self.selected, self.first_option = name, None, None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.selected = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            self.fields.append((self.select, self.selected if self.selected is not None else ""))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form = False

    def form_with(self, name: str) -> list[tuple[str, str]]:
        return next((form for form in self.forms if any(k.endswith(name) for k, _v in form)), [])


@dataclass
class Person:
    username: str
    role: str
    pages: list[tuple[str, list[str]]]  # (label, the paths it stands for: one is picked each time)
    cookies: dict[str, str] = field(default_factory=dict)
    write: tuple[str, str] | None = None  # (label, section path) for the write mix
    answer: tuple[str, str] | None = None  # (label, checklist path) for the write mix
    checklist_html: str = ""  # the checklist page, read once after signing in (outside the timing)


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: dict[str, str] = {}

    def add(self, label: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[label].append(seconds)
            if error:
                self.errors[label] += 1
                self.examples.setdefault(label, error)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def headers(person: Person, **extra: str) -> dict[str, str]:
    # A fresh connection per request: after a 1-3 s think time gunicorn has closed the idle
    # keep-alive connection (2 s), and reusing it would count a client-side race as an error.
    return {"Cookie": cookie_header(person.cookies), "Connection": "close", **extra}


def remember(cookies: dict[str, str], response: requests.Response) -> None:
    # Production cookies are Secure; over loopback HTTP we carry them by hand.
    for cookie in response.cookies:
        if cookie.value is not None:
            cookies[cookie.name] = cookie.value
    for past in response.history:
        remember(cookies, past)


def login(base: str, person: Person) -> None:
    http = requests.Session()
    page = http.get(f"{base}/accounts/login/", timeout=30)
    remember(person.cookies, page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    response = http.post(
        f"{base}/accounts/login/",
        data={"username": person.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Cookie": cookie_header(person.cookies), "Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )
    remember(person.cookies, response)
    if response.status_code == 302 and "/2fa/" in response.headers.get("Location", ""):
        response = second_factor(http, base, person, response.headers["Location"])
    if response.status_code != 302 or "sessionid" not in person.cookies:
        raise RuntimeError(f"login failed for {person.username}: {response.status_code}")


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit RFC 6238 code an authenticator app shows for this base32 secret now."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def second_factor(http: requests.Session, base: str, person: Person, location: str) -> requests.Response:
    """Regulator staff and signatories type the demo authenticator's code (seed_scale enrols them)."""
    url = location if location.startswith("http") else f"{base}{location}"
    page = http.get(url, headers={"Cookie": cookie_header(person.cookies)}, allow_redirects=False, timeout=30)
    remember(person.cookies, page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the second-factor page"
    response = http.post(
        url,
        data={"code": totp(DEMO_TOTP_SECRET), "csrfmiddlewaretoken": token.group(1)},
        headers={"Cookie": cookie_header(person.cookies), "Referer": url},
        allow_redirects=False,
        timeout=60,
    )
    remember(person.cookies, response)
    return response


def get(http: requests.Session, base: str, person: Person, path: str) -> requests.Response:
    return http.get(f"{base}{path}", headers=headers(person), allow_redirects=False, timeout=60)


def save_section(http: requests.Session, base: str, person: Person, path: str) -> str | None:
    """Open a section's form and save it back as the preparer left it (a real write: a new version
    and an audit event). Returns an error text, or None."""
    page = get(http, base, person, path)
    if page.status_code != 200:
        return f"GET {page.status_code}"
    parser = FormFields()
    parser.feed(page.text)
    response = http.post(
        f"{base}{path}",
        data=parser.form_with("version"),  # the section's form (the header has a language form)
        headers=headers(person, Referer=f"{base}{path}"),
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        return f"POST {response.status_code} (not saved)"
    return None


class ChecklistItems(HTMLParser):
    """The item ids of a checklist page's answer forms, and its CSRF form token."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.token = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag != "input" or a.get("type") != "hidden":
            return
        if a.get("name") == "item":
            self.items.append(a.get("value", ""))
        elif a.get("name") == "csrfmiddlewaretoken" and not self.token:
            self.token = a.get("value", "")


def checklist_answer(html: str, *, seed: int) -> tuple[str, dict[str, str]]:
    """(action, form data) answering one item of a checklist page "not applicable" with a note, as a
    reviewer does in the page's HTMX form."""
    parser = ChecklistItems()
    parser.feed(html)
    if not parser.items:
        raise RuntimeError("the checklist page has no item to answer (no review round open?)")
    action = re.search(r'<form method="post" action="([^"]+)" class="answer-form"', html)
    assert action, "no answer form on the checklist page"
    return action.group(1), {
        "csrfmiddlewaretoken": parser.token,
        "item": random.Random(seed).choice(parser.items),
        "verdict": "not_applicable",
        "note": f"Not applicable to this issuance (benchmark answer {seed % 1000}).",
    }


def answer_item(
    http: requests.Session, base: str, person: Person, path: str, rng: random.Random
) -> str | None:
    """Answer one checklist item through the HTMX form (the page was read once before the timing);
    the response is the answered row. Returns an error text, or None."""
    action, data = checklist_answer(person.checklist_html, seed=rng.randrange(1 << 30))
    response = http.post(
        f"{base}{action}",
        data=data,
        headers=headers(person, Referer=f"{base}{path}", **{"HX-Request": "true"}),
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 200 or 'data-testid="saved-' not in response.text:
        return f"POST {response.status_code} (not saved)"
    return None


def run_person(base: str, person: Person, until: float, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    http = requests.Session()
    time.sleep(rng.uniform(0, 2))  # people do not all arrive in the same second
    while time.monotonic() < until:
        if person.write and rng.random() < 0.5:
            label, path = person.write
            started = time.perf_counter()
            try:
                error = save_section(http, base, person, path)
            except requests.RequestException as exc:
                error = type(exc).__name__
            results.add(label, time.perf_counter() - started, error)
        elif person.answer and rng.random() < 0.5:
            label, path = person.answer
            started = time.perf_counter()
            try:
                error = answer_item(http, base, person, path, rng)
            except requests.RequestException as exc:
                error = type(exc).__name__
            results.add(label, time.perf_counter() - started, error)
        else:
            label, paths = rng.choice(person.pages)
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                response = get(http, base, person, path)
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                error = type(exc).__name__
            results.add(label, time.perf_counter() - started, error)
        time.sleep(rng.uniform(1.0, 3.0))  # think time


def cast(env: dict[str, str], count: int, writers: int = 10) -> list[Person]:
    """50 readers in the regulator's and issuers' proportions; ``writers`` of them also write: half
    are issuer preparers saving a section, half reviewers answering checklist items."""
    import django

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    from accounts.models import User
    from filings.models import Filing

    prefix = f"SCL{count}-"
    scale = Filing.objects.filter(reference__startswith=prefix)
    in_review = list(scale.filter(state="under_review").values_list("reference", flat=True)[:200])
    fragment = scale.select_related("organisation").first()
    search = fragment.organisation.name_zh[2:6] if fragment else "规模"
    people: list[Person] = []
    staff = User.objects.filter(username__startswith="scale-").order_by("username")
    for user in staff:
        if user.role == "lead_reviewer":
            pages = [
                ("lead dashboard", ["/"]),
                ("lead queue", ["/review/"]),
                ("lead queue overdue", ["/review/?clock=overdue"]),
                ("lead queue days left p2", ["/review/?sort=left&page=2"]),
                ("lead queue search", [f"/review/?q={search}"]),
                ("filing list", ["/filings/?page=3"]),
                ("filing overview", [f"/filings/{ref}/" for ref in in_review[:20]]),
            ]
        elif user.role == "reviewer":
            mine = list(
                Filing.objects.filter(
                    assignments__reviewer=user,
                    assignments__declared_at__isnull=False,
                    state__in=["submitted", "under_review", "supplement_requested"],
                ).values_list("reference", flat=True)[:10]
            )
            pages = [
                ("reviewer dashboard", ["/"]),
                ("reviewer queue", ["/review/"]),
                ("reviewer queue nearly due", ["/review/?clock=nearly_due&sort=left"]),
                ("filing overview", [f"/filings/{ref}/" for ref in mine[:5]] or ["/review/"]),
            ]
        elif user.role == "administrator":
            pages = [
                ("admin dashboard", ["/"]),
                ("audit log", ["/audit/"]),
                ("audit log search", [f"/audit/?q={search}"]),
                ("audit log p5", ["/audit/?page=5"]),
                ("users", ["/accounts/users/"]),
                ("outbox", ["/review/outbox/"]),
            ]
        else:
            own = list(
                Filing.objects.filter(organisation_id=user.organisation_id).values_list(
                    "reference", flat=True
                )[:5]
            )
            pages = [
                ("issuer dashboard", ["/"]),
                ("issuer filing list", ["/filings/"]),
                ("filing overview", [f"/filings/{ref}/" for ref in own[:3]]),
            ]
        people.append(Person(user.username, user.role, pages))
    preparers = [p for p in people if p.role == "preparer"][: writers - writers // 2]
    for person in preparers:
        user = User.objects.get(username=person.username)
        draft = (
            Filing.objects.filter(organisation_id=user.organisation_id, state="draft")
            .order_by("reference")
            .first()
        )
        if draft is not None:
            person.write = ("section save (write)", f"/filings/{draft.reference}/section/offering/")
    answerers = [p for p in people if p.role == "reviewer"]
    for person in answerers:
        if sum(1 for p in people if p.answer) >= writers // 2:
            break
        filing = open_round_of_a_cleared_filing(User.objects.get(username=person.username))
        if filing is not None:
            person.answer = ("checklist answer (write)", f"/review/{filing.reference}/checklist/")
    return people


def open_round_of_a_cleared_filing(user):  # type: ignore[no-untyped-def]
    """A filing in review this reviewer is cleared on, with its review round open (the lead's
    acceptance opens it in real use; the seed has none): the reviewer answers its checklist."""
    from django.db import transaction

    from filings.models import Filing
    from reviews.services import ensure_round

    filing = (
        Filing.objects.filter(
            state="under_review",
            assignments__reviewer=user,
            assignments__active=True,
            assignments__conflict_declared=False,
            assignments__declared_at__isnull=False,
            snapshots__isnull=False,
        )
        .order_by("reference")
        .first()
    )
    if filing is None:
        return None
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        return locked if ensure_round(locked) is not None else None


def report(
    results: Results, seconds: float, load_before: tuple[float, ...], load_after: tuple[float, ...]
) -> None:
    total = sum(len(v) for v in results.times.values())
    print(f"\n{total} requests in {seconds:.0f} s = {total / seconds:.1f} requests/s")
    print(
        f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
        f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} (2 cores)"
    )
    print(f"{'page':<28}{'n':>6}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for label in sorted(results.times):
        times = sorted(results.times[label])
        q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
        print(
            f"{label:<28}{len(times):>6}{len(times) / seconds:>8.2f}{q[49] * 1000:>9.0f}"
            f"{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}{results.errors.get(label, 0):>8}"
        )
    for label, example in results.examples.items():
        print(f"  {label}: e.g. {example}")


def sequential(base: str, people: list[Person], repeat: int) -> None:
    """One request at a time: what each page costs with no queueing, at this data size."""
    http = requests.Session()
    seen: set[str] = set()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<28}{'median ms':>10}{'min ms':>8}")
    for person in people:
        for label, paths in person.pages:
            if label in seen:
                continue
            seen.add(label)
            get(http, base, person, paths[0])  # warm
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = get(http, base, person, paths[0])
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (label, response.status_code)
            print(f"{label:<28}{statistics.median(times) * 1000:>10.0f}{min(times) * 1000:>8.0f}")


def bench_env(url: str) -> dict[str, str]:
    """Production settings on ``url``, with static files collected into a temporary folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        # One key per benchmark database: the second factors seed_scale enrols are encrypted with a
        # key derived from it, so a --skip-seed run must start with the key the seed ran with.
        "DJANGO_SECRET_KEY": "bench-only-" + hashlib.sha256(url.encode()).hexdigest(),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="fd-bench-static-"),
        "DATABASE_URL": url,
    }


def start_server(env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn (gthread) on a free loopback port, once it answers; its process and base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"]
    command += ["--timeout", "120", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            requests.get(f"{base}/accounts/login/", timeout=2)
            break
        except requests.RequestException:
            time.sleep(0.3)
    return server, base


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def log_in(base: str, people: list[Person]) -> None:
    """Everyone signs in once (second factor included); checklist writers open their page once."""
    for person in people:
        login(base, person)
        if person.answer:
            page = get(requests.Session(), base, person, person.answer[1])
            remember(person.cookies, page)
            if page.status_code != 200:
                raise RuntimeError(f"{person.username} cannot open {person.answer[1]}: {page.status_code}")
            person.checklist_html = page.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--writers",
        type=int,
        default=10,
        help="people who also write half the time: half save a section, half answer checklist items",
    )
    parser.add_argument(
        "--sequential",
        type=int,
        default=0,
        help="instead of the load test: open each page of the lead, a reviewer, an issuer and the "
        "administrator N times one after another and print the median (compares data sizes)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is migrated and seeded).")
    env = bench_env(url)
    if not args.skip_seed:
        manage(env, "migrate", "-v0")
        manage(env, "seed_scale", "--filings", str(args.filings))
    manage(env, "collectstatic", "--noinput", "-v0")
    people = cast(env, args.filings, args.writers)
    server, base = start_server(env, args.workers, args.threads)
    try:
        print(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread) on {base}")
        log_in(base, people)
        roles: dict[str, int] = defaultdict(int)
        for person in people:
            roles[person.role] += 1
        savers = sum(1 for p in people if p.write)
        answerers = sum(1 for p in people if p.answer)
        print(
            f"{len(people)} people logged in: {dict(roles)}; {savers} of them also save sections, "
            f"{answerers} answer checklist items"
        )
        if args.sequential:
            sequential(base, people, args.sequential)
            return
        results = Results()
        load_before = os.getloadavg()
        started = time.monotonic()
        until = started + args.seconds
        threads = [
            threading.Thread(target=run_person, args=(base, person, until, results, n), daemon=True)
            for n, person in enumerate(people)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        report(results, time.monotonic() - started, load_before, os.getloadavg())
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
