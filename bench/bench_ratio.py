"""Paired comparison of two data sizes: each page of the web benchmark opened one request at a time
on two gunicorn servers (production settings), one on a small database and one on a large one,
alternating request by request, so that both sizes see the same moments of a shared machine.

    .venv/bin/python bench/bench_ratio.py \\
        --small postgres://postgres@127.0.0.1:5432/fd_bench_s10 --small-filings 10 \\
        --large postgres://postgres@127.0.0.1:5432/fd_bench_s5 --large-filings 10000 --rounds 21

Both databases must already be seeded by ``bench_web.py`` (``seed_scale`` with the same secret key
it derives from the URL). Run one after the other (``bench_web.py --sequential``), the two sizes
were minutes apart, and this machine's speed drifts by more than the difference being measured.
Each round opens the page on both servers, the order swapped every round; the figures are the
medians and minimums of ``--rounds`` requests per size, and their ratio. Loopback traffic only.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import (  # the benchmark's own modules, beside this file
    PYTHON,
    ROOT,
    Person,
    bench_env,
    get,
    log_in,
    manage,
    start_server,
    stop_server,
)


def cast_in_child(env: dict[str, str], filings: int) -> list[Person]:
    """The benchmark's people for one database (Django is set up once per process, on one database)."""
    with tempfile.NamedTemporaryFile(suffix=".pickle") as out:
        code = (
            "import os, pickle, sys; sys.path.insert(0, 'bench'); from bench_web import cast; "
            f"pickle.dump(cast(dict(os.environ), {filings}), open({out.name!r}, 'wb'))"
        )
        subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        with open(out.name, "rb") as file:
            return list(pickle.load(file))


def first_pages(people: list[Person]) -> dict[str, tuple[Person, str]]:
    """Each page label with the first person who opens it and its first path."""
    pages: dict[str, tuple[Person, str]] = {}
    for person in people:
        for label, paths in person.pages:
            if paths:  # a small database may have no filing of the kind a page opens
                pages.setdefault(label, (person, paths[0]))
    return pages


def timed(http: requests.Session, base: str, person: Person, path: str) -> float:
    started = time.perf_counter()
    response = get(http, base, person, path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", required=True, help="DATABASE_URL of the small database")
    parser.add_argument("--large", required=True, help="DATABASE_URL of the large database")
    parser.add_argument("--small-filings", type=int, default=10)
    parser.add_argument("--large-filings", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    args = parser.parse_args()
    sizes = [(args.small, args.small_filings), (args.large, args.large_filings)]
    servers, bases, pages = [], [], []
    try:
        for url, filings in sizes:
            env = bench_env(url)
            manage(env, "collectstatic", "--noinput", "-v0")
            people = cast_in_child(env, filings)
            server, base = start_server(env, workers=2, threads=2)
            servers.append(server)
            log_in(base, people)
            bases.append(base)
            pages.append(first_pages(people))
        http = requests.Session()
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'page':<28}{'small ms':>10}{'large ms':>10}{'ratio':>8}{'small min':>11}{'large min':>11}")
        for label in pages[0]:
            if label not in pages[1] or (args.only and args.only not in label):
                continue
            targets = [(bases[n], *pages[n][label]) for n in (0, 1)]
            for base, person, path in targets:
                timed(http, base, person, path)  # warm
            times: list[list[float]] = [[], []]
            for round_ in range(args.rounds):
                order = (0, 1) if round_ % 2 == 0 else (1, 0)
                for n in order:
                    times[n].append(timed(http, *targets[n]))
            small, large = (statistics.median(t) * 1000 for t in times)
            print(
                f"{label:<28}{small:>10.0f}{large:>10.0f}{large / small:>7.2f}×"
                f"{min(times[0]) * 1000:>11.0f}{min(times[1]) * 1000:>11.0f}"
            )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        for server in servers:
            stop_server(server)


if __name__ == "__main__":
    main()
