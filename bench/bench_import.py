"""A 10,000-row case register (XLSX, 3 % bad rows) imported on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--runs 3] [--backends sqlite postgres]
        [--write docs/benchmarks.md]

Each run gets a fresh database (SQLite file; PostgreSQL database ``kuzot_bench_import`` on
127.0.0.1:5432, user postgres, dropped and created again), migrated, with the test world's two
organisations. Timed: what ``kuzot import`` does after the password: read the XLSX, guess the
mapping, check every row, write the good ones in batches (with their audit events). Then the
same file again (the idempotent re-import: nothing written). Medians of ``--runs``.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Case import (10,000 rows)"
PG_DB = "kuzot_bench_import"


def child(rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.KUZOT_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.cases import register_sample
    from tests.conftest import build_world

    from kuzot.cases import imports
    from kuzot.cases.models import Case

    world = build_world()
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    data, bad = register_sample.xlsx(rows)

    def once():
        started = time.perf_counter()
        table = imports.read_table(data, "register.xlsx")
        read = time.perf_counter() - started
        mapping = imports.guess_mapping(table.headers)
        report = imports.run_import(lawyer, vault, table, mapping)
        return time.perf_counter() - started, read, report.counts

    seconds, read, counts = once()
    assert counts["imported"] == rows - len(bad), counts
    again, _, counts_again = once()
    assert counts_again["imported"] == 0 and Case.objects.count() == rows - len(bad)
    print(json.dumps({"seconds": seconds, "read": read, "again": again, "counts": counts}))


def run_once(backend: str, rows: int, scratch: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kuzot.settings"}
    env["KUZOT_DATA_DIR"] = str(scratch)
    if backend == "sqlite":
        database = scratch / "bench.sqlite3"
        for path in scratch.glob("bench.sqlite3*"):
            path.unlink()
        env["KUZOT_DATABASE_URL"] = f"sqlite:///{database}"
    else:
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", PG_DB], check=True)
        subprocess.run(["createdb", *pg, PG_DB], check=True)
        env["KUZOT_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--rows", str(rows)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{backend} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cores = os.cpu_count()
    model = ""
    if shutil.which("lscpu"):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        found = re.search(r"Model name:\s*(.+)", out)
        model = found.group(1).strip() if found else ""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cores} cores ({model or platform.processor()}), Python {platform.python_version()}, "
        f"load average {load:.1f} when the runs started"
    )


def section(rows: int, runs: int, results: dict, about: str) -> str:
    lines = [
        SECTION,
        "",
        "`.venv/bin/python bench/bench_import.py` — a synthetic register "
        f"(`tests/cases/register_sample.py`: {rows:,} rows, Russian headers, 3 % bad rows of five "
        "kinds) imported into a fresh, migrated database per run. Timed: reading the XLSX, "
        "guessing the mapping, checking every row and writing the good ones in batches of 500 "
        "(people, cases, consents, acts, legal events, the blind name index and one audit "
        "event per created record); then the same file again, which writes nothing. "
        f"Median of {runs} runs. Target: under 30 s.",
        "",
        f"Machine: {about}. Date: {date.today().isoformat()}.",
        "",
        "| database | import (median) | of which reading the XLSX | runs | re-import (nothing "
        "added) | imported | rejected |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for backend, measured in results.items():
        times = [m["seconds"] for m in measured]
        lines.append(
            f"| {backend} | {statistics.median(times):.1f} s "
            f"| {statistics.median(m['read'] for m in measured):.1f} s "
            f"| {', '.join(f'{t:.1f}' for t in times)} s "
            f"| {statistics.median(m['again'] for m in measured):.1f} s "
            f"| {measured[0]['counts']['imported']:,} | {measured[0]['counts']['failed']:,} |"
        )
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> None:
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _m: text + "\n", current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.write_text(current.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--write", type=Path)
    parser.add_argument("--child", action="store_true")
    options = parser.parse_args()
    if options.child:
        child(options.rows)
        return
    scratch = Path("/tmp/kuzot-bench-import")
    scratch.mkdir(exist_ok=True)
    about = machine()
    results = {}
    for backend in options.backends:
        results[backend] = []
        for run in range(options.runs):
            measured = run_once(backend, options.rows, scratch)
            print(backend, run + 1, json.dumps(measured), flush=True)
            results[backend].append(measured)
    text = section(options.rows, options.runs, results, about)
    print(text)
    if options.write:
        write(options.write, text)


if __name__ == "__main__":
    main()
