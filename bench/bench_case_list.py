"""The case list (filtered) and the case page with 100,000 cases, 10 concurrent users.

    .venv/bin/python bench/bench_case_list.py [--cases 100000] [--users 10] [--requests 40]
        [--backends sqlite postgres] [--workers 1 2] [--write docs/benchmarks.md]

Per database: a fresh one (SQLite file in a scratch data folder; PostgreSQL database
``kuzot_bench_cases`` on 127.0.0.1:5432, user postgres, dropped and created again), filled by
``kuzot demo --cases N`` (three organisations; the demo's few hundred each plus N spread over
them; on PostgreSQL then ``VACUUM ANALYZE``, as autovacuum would), then ``kuzot serve`` with
each ``--workers`` count in turn (1: waitress, 16 threads; more: gunicorn processes of 16
threads each). Ten sessions of the Kyrgyz
organisation's demo lawyer log in for real (password; demo mode relaxes two-factor) and each, in
its own thread, requests in turn a filtered case list (a random filter of status, stage, year,
region, agency, act type, vulnerable group or lawyer, and a random sort) and a case page of its
organisation.
Latency is from request to the last byte. Target: the 95th percentile under 150 ms.
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import machine, write  # noqa: E402
from bench_intake import KUZOT, ROOT, serving  # noqa: E402

DEMO_PASSWORD = "demo-kuzot-2026"  # printed by `kuzot demo` (kuzot.ops.demo)
SECTION = "## Case list and case page (100,000 cases)"
PG_DB = "kuzot_bench_cases"
FILTERS = ("status", "stage", "year", "region", "agency", "act_type", "group", "lawyer")
SORTS = ("-intake_date", "intake_date", "reference", "stage")


class Browser:
    """One logged-in user: a cookie jar and the CSRF token of the last form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[float, str]:
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=60) as response:
            body = response.read().decode()
        return time.perf_counter() - started, body

    def login(self, username: str, password: str) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()
        _, home = self.get("/cases/")
        if 'name="username"' in home:
            sys.exit(f"{username} could not log in")


def choices(page: str) -> dict[str, list[str]]:
    """The options of each filter on the case list page."""
    found = {}
    for name in FILTERS:
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
        values = re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []
        found[name] = values
    return found


def user_session(
    browser: Browser, options: dict, requests: int, seed: int, pause: float = 0.0
) -> dict:
    """``requests`` times a filtered list and a case it lists; between two clicks the user
    reads for a random time of 0 to 2 × ``pause`` seconds."""
    rng = random.Random(seed)
    lists, pages = [], []
    case_ids: list[str] = []
    for _ in range(requests):
        time.sleep(rng.uniform(0, 2 * pause))
        names = rng.sample([n for n in FILTERS if options[n]], rng.choice([1, 1, 2]))
        query = {name: rng.choice(options[name]) for name in names}
        query["sort"] = rng.choice(SORTS)
        seconds, page = browser.get("/cases/?" + urllib.parse.urlencode(query))
        lists.append(seconds)
        case_ids += re.findall(r'href="/cases/(\d+)/"', page)
        if case_ids:
            time.sleep(rng.uniform(0, 2 * pause))
            seconds, _ = browser.get(f"/cases/{rng.choice(case_ids)}/")
            pages.append(seconds)
    return {"list": lists, "page": pages}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_backend(
    backend: str,
    cases: int,
    users: int,
    requests: int,
    pauses: list[float],
    reuse: bool,
    workers: list[int],
) -> dict:
    scratch = Path(f"/tmp/kuzot-bench-cases-{backend}")
    env = {**os.environ, "KUZOT_DATA_DIR": str(scratch)}
    env.pop("KUZOT_PRODUCTION", None)
    env.pop("KUZOT_DATABASE_URL", None)
    if backend == "postgres":
        env["KUZOT_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    filled = None
    if reuse:  # the database a previous run filled, brought to the current migrations
        subprocess.run([*KUZOT, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    else:
        subprocess.run(["rm", "-rf", str(scratch)], check=True)
        scratch.mkdir()
        if backend == "postgres":
            pg = ["-h", "127.0.0.1", "-U", "postgres"]
            subprocess.run(["dropdb", *pg, "--if-exists", PG_DB], check=True)
            subprocess.run(["createdb", *pg, PG_DB], check=True)
        started = time.perf_counter()
        subprocess.run(
            [*KUZOT, "demo", "--cases", str(cases)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        filled = time.perf_counter() - started
        print(f"{backend}: demo with {cases:,} more cases in {filled:.0f} s", file=sys.stderr)
    if backend == "postgres":  # what autovacuum does after a bulk write (it is off here)
        psql = ["psql", "-qh", "127.0.0.1", "-U", "postgres", PG_DB, "-c", "VACUUM ANALYZE"]
        subprocess.run(psql, check=True)
    measured = {"filled": filled, "runs": {}}
    for count in workers:
        with serving(env, workers=count) as base:
            browsers = [Browser(base) for _ in range(users)]
            for browser in browsers:
                browser.login("kg-lawyer", DEMO_PASSWORD)
            _, first = browsers[0].get("/cases/")
            options = choices(first)
            measured["visible"] = int(
                re.search(r"<caption>([\d,\s\xa0]+) cases", first)
                .group(1)
                .replace(",", "")
                .replace("\xa0", "")
                .replace(" ", "")
            )
            user_session(browsers[0], options, 5, seed=0)  # warm the caches once
            for pause in pauses:
                load = os.getloadavg()[0]
                with ThreadPoolExecutor(users) as pool:
                    results = list(
                        pool.map(
                            lambda n, p=pause, b=browsers, o=options: user_session(
                                b[n], o, requests, seed=n + 1, pause=p
                            ),
                            range(users),
                        )
                    )
                measured["runs"][(count, pause)] = {
                    "lists": [s for r in results for s in r["list"]],
                    "pages": [s for r in results for s in r["page"]],
                    "load": load,
                }
    return measured


def section(options: argparse.Namespace, results: dict, about: str) -> str:
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_case_list.py --cases {options.cases}` — a fresh database "
        f"per backend filled by `kuzot demo --cases {options.cases}`, served by `kuzot serve "
        "--workers N` (1: waitress, 16 threads; 2: gunicorn, two processes of 16 threads); "
        f"{options.users} sessions of one organisation's demo lawyer "
        f"logged in, each in its own thread requesting {options.requests} times a randomly "
        "filtered and sorted case list and then one of the cases it listed. *Pause* is the mean "
        "time a user reads before the next click (uniform from 0 to twice that); with no pause "
        f"the {options.users} users keep {options.users} requests in flight at every moment. "
        "Milliseconds from request to last byte. Target: 95th percentile under 150 ms.",
        "",
        f"Machine: {about}. Date: {time.strftime('%Y-%m-%d')}.",
        "",
        "| database | cases the lawyer sees | filling (`kuzot demo`) | workers | pause | page "
        "| requests | median ms | p95 ms | max ms | load average before the run |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for backend, measured in results.items():
        filling = f"{measured['filled']:.0f} s" if measured["filled"] else "earlier run"
        for (workers, pause), run in measured["runs"].items():
            for label, key in (("filtered case list", "lists"), ("case page", "pages")):
                values = [s * 1000 for s in run[key]]
                lines.append(
                    f"| {backend} | {measured['visible']:,} | {filling} | {workers} "
                    f"| {pause:g} s | {label} | {len(values)} | {statistics.median(values):.0f} "
                    f"| {percentile(values, 0.95):.0f} | {max(values):.0f} | {run['load']:.1f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--pauses", type=float, nargs="+", default=[0.0, 1.0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the databases an earlier run filled"
    )
    options = parser.parse_args()
    about = machine()
    results = {}
    for backend in options.backends:
        results[backend] = run_backend(
            backend,
            options.cases,
            options.users,
            options.requests,
            options.pauses,
            options.reuse,
            options.workers,
        )
    text = section(options, results, about)
    print(text)
    if options.write:
        write(options.write, text)


if __name__ == "__main__":
    main()
