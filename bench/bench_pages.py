"""Server time of single requests: each page of the web benchmark opened one at a time in-process
(Django's test client, production settings, no gunicorn, no network), on a database seeded by
``seed_scale``. Less sensitive to a shared machine's load than the 50-person run, and with
``--profile`` it prints where one page's time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_perf \\
        .venv/bin/python bench/bench_pages.py --filings 10000 --repeat 20
    DATABASE_URL=... .venv/bin/python bench/bench_pages.py --only "lead queue" --profile 30

The database must already be seeded (``manage.py seed_scale --filings N``). Pages are warmed with
one request first; the figures are the median and the least wall time of ``--repeat`` requests,
and the median CPU time of this process (Python: the view, the templates, the driver; PostgreSQL's
own time is not in it). Section saves (the write mix)
open the form and post it back, as bench_web.py does; checklist answers post one item's answer.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the seeded PostgreSQL database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-pages-only")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_FORMAT", "text")
    os.environ.setdefault("OPS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "fd-bench-pages-static"))
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the templates look up
    logging.getLogger("axes").setLevel(logging.WARNING)  # one "successful login" line per page


def client_for(username: str):  # type: ignore[no-untyped-def]
    """A test client signed in as ``username`` as a full sign-in (second factor included) leaves it."""
    from django.test import Client

    from accounts.models import User
    from tests.accounts.mfa_support import mark_client_mfa

    user = User.objects.get(username=username)
    client = Client(secure=True)
    client.force_login(user)
    mark_client_mfa(client, user)
    return client


def pages(count: int) -> list[tuple[str, str, str, str]]:
    """(label, username, method, path) for the web benchmark's pages and writes."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_web import cast

    people = cast(dict(os.environ), count)
    seen: set[str] = set()
    out: list[tuple[str, str, str, str]] = []
    for person in people:
        for label, paths in person.pages:
            if label not in seen:
                seen.add(label)
                out.append((label, person.username, "GET", paths[0]))
    writer = next((p for p in people if p.write), None)
    if writer and writer.write:
        out.append((writer.write[0], writer.username, "SAVE", writer.write[1]))
    checker = next((p for p in people if p.answer), None)
    if checker and checker.answer:
        out.append((checker.answer[0], checker.username, "ANSWER", checker.answer[1]))
    return out


def request(client, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_web import FormFields, checklist_answer

    if method == "GET":
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    if method == "SAVE":
        parser = FormFields()
        parser.feed(page.content.decode())
        response = client.post(path, dict(parser.form_with("version")))
        assert response.status_code == 302, (path, response.status_code)
    else:
        action, data = checklist_answer(page.content.decode(), seed=time.perf_counter_ns())
        response = client.post(action, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (action, response.status_code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    setup()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<28}{'median ms':>10}{'min ms':>8}{'Python CPU':>12}")
    for label, username, method, path in pages(args.filings):
        if args.only and args.only not in label:
            continue
        client = client_for(username)
        request(client, method, path)  # warm
        profiler = cProfile.Profile() if args.profile else None
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            request(client, method, path)
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"{label:<28}{statistics.median(times) * 1000:>10.1f}{min(times) * 1000:>8.1f}"
            f"{statistics.median(cpu) * 1000:>12.1f}"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
