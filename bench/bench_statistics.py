"""Statistics on 1,000,000 acts (PostgreSQL), and the public snapshot page under load.

    .venv/bin/python bench/bench_statistics.py load [--acts 1000000]
    .venv/bin/python bench/bench_statistics.py queries [--every-pair]
    .venv/bin/python bench/bench_statistics.py page [--seconds 20 --connections 4]
    .venv/bin/python bench/bench_statistics.py drop

``load`` creates the scratch database ``kuzot_bench`` (``--url`` to change), applies the app's
migrations (so the indexes are the app's), writes three organisations' invented cases with
COPY (one victim each, one or two acts, act types, legal paths and the step dates derived from
them), then runs ANALYZE. ``queries`` times the funnel and four two-way tables through
``kuzot.stats.queries`` (five cold runs, each on a new connection, and five warm runs); with
``--every-pair`` then every two-way table of the statistics screen (its five slowest).
``page`` publishes a snapshot of every standard table (through the ledger: counts per
organisation and year, the disclosure check, the record; each timed), serves it with ``kuzot
serve`` and drives it with ``wrk``. Prints Markdown rows for docs/benchmarks.md.
"""

import argparse
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import psycopg
from bench_intake import KUZOT, serving

SERVER = "postgres://postgres@127.0.0.1:5432"
BATCH = 50_000  # cases per COPY round
NULL = "\\N"

# Who reports what: the mix follows the coalitions' reports (as kuzot.ops.demo_cases).
COUNTRIES = {"KG": 45, "KZ": 35, "TJ": 20}
CAPITALS = {"kg-bishkek": 6, "kg-osh-city": 3, "kz-almaty-city": 5, "kz-astana": 4,
            "kz-shymkent": 3, "tj-dushanbe": 6, "tj-sughd": 3, "tj-khatlon": 3}  # fmt: skip
AGENCIES = {"police": 70, "national_security": 12, "penitentiary": 11, "military": 2,
            "prosecutor": 1, "unknown": 4}  # fmt: skip
ACTS = {"beating": 80, "threats_to_relatives": 25, "death_threats": 15, "suffocation": 15,
        "forced_confession": 40, "stress_positions": 10, "electric_shock": 5,
        "sexual_violence": 4, "sleep_deprivation": 8, "denial_of_medical_care": 12,
        "incommunicado": 10, "humiliation": 10}  # fmt: skip
PURPOSES = {"confession": 55, "information": 10, "punishment": 12, "extortion": 12,
            "intimidation": 8, "unknown": 3}  # fmt: skip
CONTEXTS = {"arrest": 35, "interrogation": 30, "pre_trial": 15, "prison": 12, "army": 3,
            "protest": 3, "psychiatric": 2}  # fmt: skip
SOURCES = {"victim": 45, "relative": 30, "lawyer": 10, "media": 5, "npm": 4, "ombudsman": 3,
           "organisation": 3}  # fmt: skip
PLACE_KINDS = {"police_station": 40, "temporary_detention": 25, "sizo": 15, "colony": 10,
               "security_service": 7, "psychiatric": 3}  # fmt: skip
SEXES = {"M": 84, "F": 12, "X": 1, "": 3}
STATUSES = {"open": 30, "monitoring": 15, "closed": 45, "closed_redress": 5, "withdrawn": 5}
VERDICTS = {"conviction_torture": 30, "conviction_lesser": 40, "acquittal": 30}
PRECISION = {"day": 80, "month": 15, "year": 5}
YEARS = {year: 40 + 6 * (year - 2010) - (25 if year == 2020 else 0) for year in range(2010, 2026)}


def database_url(args) -> str:
    return f"{SERVER}/{args.database}"


def django_setup(url: str) -> None:
    os.environ["KUZOT_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuzot.settings")
    import django

    django.setup()


def kuzot(url: str, *argv: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "KUZOT_DATABASE_URL": url}
    return subprocess.run([*KUZOT, *argv], env=env, check=True, **kwargs)


# --- Loading ------------------------------------------------------------------------------


_cumulative: dict[int, tuple[list, list]] = {}


def weighted(rng: random.Random, weights: dict, k: int) -> list:
    if id(weights) not in _cumulative:
        _cumulative[id(weights)] = (list(weights), list(itertools.accumulate(weights.values())))
    population, cumulative = _cumulative[id(weights)]
    return rng.choices(population, cum_weights=cumulative, k=k)


def legal_path(rng: random.Random) -> list[tuple[str, int]]:
    """(kind, days after the complaint): one path through the system, as demo_cases draws it."""
    if rng.random() < 0.25:
        return []
    path, day = [("complaint_lodged", 0)], 0

    def step(kind: str, gap: int) -> None:
        nonlocal day
        day += rng.randint(gap // 2, gap * 2)
        path.append((kind, day))

    if rng.random() < 0.45:
        step("complaint_refused", 20)
        if rng.random() < 0.3:
            step("appeal", 30)
        if rng.random() < 0.85:
            return path
    step("preliminary_check", 10)
    if rng.random() < 0.6:
        step("criminal_case_refused", 30)
        return path
    step("criminal_case_opened", 30)
    if rng.random() < 0.4:
        step(rng.choice(["investigation_suspended", "investigation_closed"]), 90)
        return path
    step("indictment", 90)
    step("hearing", 40)
    verdict = weighted(rng, VERDICTS, 1)
    step(verdict[0], 60)
    if verdict[0] != "acquittal" and rng.random() < 0.25:
        step("compensation_awarded", 120)
        if rng.random() < 0.5:
            step("compensation_paid", 180)
    return path


def copy_rows(cursor, table: str, columns: list[str], rows: list[str]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for start in range(0, len(rows), 20_000):
            copy.write("".join(rows[start : start + 20_000]))


def load(args) -> None:
    url = database_url(args)
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
        admin.execute(f"CREATE DATABASE {args.database}")
    started = time.perf_counter()
    kuzot(url, "migrate", "--no-input", stdout=subprocess.DEVNULL)
    migrated = time.perf_counter()
    django_setup(url)
    from django.db import connection

    from kuzot.accounts.models import Coalition, Organisation
    from kuzot.cases.models import PlaceOfDetention, Term

    coalition = Coalition.objects.create(name="Benchmark coalition")
    organisations = {
        country: Organisation.objects.create(
            coalition=coalition, name=f"Benchmark {country}", slug=f"bench-{country}",
            country=country,
        )
        for country in COUNTRIES
    }  # fmt: skip
    terms = {(t.vocabulary, t.code): t for t in Term.objects.filter(organisation=None)}
    regions = {c: [t for t in terms.values() if t.country == c] for c in COUNTRIES}
    places = {
        country: [
            PlaceOfDetention.objects.create(
                country=country, region=region, kind=terms[("place_type", kind)],
                name_en=f"{kind} {n} of {region.code}", name_ru=f"{kind} {n} {region.code}",
            )
            for region in regions[country]
            for kind in PLACE_KINDS
            for n in range(2)
        ]
        for country in COUNTRIES
    }  # fmt: skip
    from kuzot.cases.stages import STAGE_OF, STEPS

    rng = random.Random(args.seed)
    cursor = connection.connection.cursor()
    # The generator writes consistent rows: skip the per-row foreign key triggers while copying.
    cursor.execute("SET session_replication_role = replica")
    counts = dict.fromkeys(["cases", "acts", "act types", "legal events"], 0)
    for batch in generate(rng, args.acts, organisations, terms, regions, places, STAGE_OF, STEPS):
        for table, columns, rows in batch:
            copy_rows(cursor, table, columns, rows)
        counts["cases"] += len(batch[1][2])
        counts["acts"] += len(batch[3][2])
        counts["act types"] += len(batch[4][2])
        counts["legal events"] += len(batch[5][2])
        print(f"  {counts}", file=sys.stderr)
    for table in ("cases_person", "cases_case", "cases_caseparty", "cases_allegation",
                  "cases_allegation_act_types", "cases_legalevent"):  # fmt: skip
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    cursor.execute("SET session_replication_role = DEFAULT")
    connection.connection.commit()
    copied = time.perf_counter()
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
    analysed = time.perf_counter()
    print(
        f"| {counts['acts']:,} | {counts['cases']:,} | {counts['act types']:,} | "
        f"{counts['legal events']:,} | {migrated - started:.0f} s | {copied - migrated:.0f} s | "
        f"{analysed - copied:.0f} s |"
    )


def generate(rng, acts: int, organisations, terms, regions, places, stage_of, steps) -> Iterator:
    """Batches of (table, columns, COPY text rows) until ``acts`` acts are written."""
    from kuzot.cases.stages import STAGE_RANK

    now = "2026-01-01 00:00:00+00"
    step_columns = list(steps)
    step_of_kind = {kind: [s for s, kinds in steps.items() if kind in kinds] for kind in
                    {k for kinds in steps.values() for k in kinds}}  # fmt: skip
    act_terms = {code: terms[("act_type", code)].pk for code in ACTS}
    agency = {code: terms[("agency", code)].pk for code in AGENCIES}
    purpose = {code: terms[("purpose", code)].pk for code in PURPOSES}
    context = {code: terms[("context", code)].pk for code in CONTEXTS}
    source = {code: terms[("source", code)].pk for code in SOURCES}
    region_weights = {
        country: {r: CAPITALS.get(r.code, 2) for r in regions[country]} for country in COUNTRIES
    }
    written, case_id, act_id, link_id, event_id = 0, 0, 0, 0, 0
    while written < acts:
        persons, cases, parties, allegations, links, events = [], [], [], [], [], []
        n = min(BATCH, acts - written)
        countries = weighted(rng, COUNTRIES, n)
        years = weighted(rng, YEARS, n)
        sexes = weighted(rng, SEXES, n)
        for country, year, sex in zip(countries, years, sexes, strict=True):
            if written >= acts:
                break
            case_id += 1
            organisation = organisations[country].pk
            act_date = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            intake = act_date + timedelta(days=rng.randrange(1, 60))
            age = None if rng.random() < 0.06 else max(int(rng.gauss(34, 11)), 14)
            birth_year = NULL if age is None else act_date.year - age
            # minor, disability, lgbti, migrant, defender, ethnic minority
            groups = [age is not None and age < 18, rng.random() < 0.03, False]
            groups += [rng.random() < 0.04, rng.random() < 0.05, rng.random() < 0.1]
            groups = "\t".join("t" if flag else "f" for flag in groups)
            persons.append(
                f"{case_id}\t{organisation}\t{sex}\t{birth_year}\t{country}\t{groups}\t{now}\n"
            )
            complaint_day = intake + timedelta(days=rng.randrange(1, 20))
            path = [(kind, complaint_day + timedelta(days=d)) for kind, d in legal_path(rng)]
            stage, reached = "documented", dict.fromkeys(step_columns)
            for kind, when in path:
                event_id += 1
                events.append(f"{event_id}\t{case_id}\t{organisation}\t{kind}\t{when}\t\t\n")
                stage = stage_of.get(kind, stage)
                for step in step_of_kind.get(kind, []):
                    reached[step] = reached[step] or when
            cases.append(
                f"{case_id}\t{organisation}\tB-{case_id}\t{intake}\t"
                f"{source[weighted(rng, SOURCES, 1)[0]]}\t{weighted(rng, STATUSES, 1)[0]}\t"
                f"{stage}\t{STAGE_RANK[stage]}\tnormal\t\t"
                + "\t".join(NULL if d is None else str(d) for d in reached.values())
                + f"\t\t{now}\t{now}\n"
            )
            parties.append(f"{case_id}\t{case_id}\t{case_id}\tvictim\n")
            for _ in range(1 if rng.random() < 0.75 or written + 1 >= acts else 2):
                act_id += 1
                written += 1
                place = rng.choice(places[country]) if rng.random() < 0.8 else None
                region = (
                    place.region
                    if place
                    else weighted(rng, region_weights[country], 1)[0]
                    if rng.random() < 0.9
                    else None
                )
                when = act_date + timedelta(days=rng.randrange(0, 3))
                allegations.append(
                    f"{act_id}\t{case_id}\t{organisation}\t{case_id}\t{sex}\t"
                    f"{NULL if age is None else when.year - birth_year}\t{groups}\t{when}\t"
                    f"{weighted(rng, PRECISION, 1)[0]}\t"
                    f"{region.pk if region else NULL}\t{place.pk if place else NULL}\t"
                    f"{agency[weighted(rng, AGENCIES, 1)[0]]}\t"
                    f"{purpose[weighted(rng, PURPOSES, 1)[0]]}\t"
                    f"{context[weighted(rng, CONTEXTS, 1)[0]]}\n"
                )
                for code in set(weighted(rng, ACTS, rng.randint(1, 3))):
                    link_id += 1
                    links.append(f"{link_id}\t{act_id}\t{act_terms[code]}\n")
        yield [
            ("cases_person", ["id", "organisation_id", "sex", "birth_year", "nationality",
                              "minor", "disability", "lgbti", "migrant", "defender",
                              "ethnic_minority", "created_at"], persons),
            ("cases_case", ["id", "organisation_id", "reference", "intake_date", "source_id",
                            "status", "stage", "stage_rank", "confidentiality", "reprisal_risk",
                            *step_columns, "import_key", "created_at", "updated_at"], cases),
            ("cases_caseparty", ["id", "case_id", "person_id", "role"], parties),
            ("cases_allegation", ["id", "case_id", "organisation_id", "victim_id",
                                  "victim_sex", "victim_age", "victim_minor",
                                  "victim_disability", "victim_lgbti", "victim_migrant",
                                  "victim_defender", "victim_ethnic_minority", "date",
                                  "date_precision", "region_id", "place_of_detention_id",
                                  "agency_id", "purpose_id", "context_id"], allegations),
            ("cases_allegation_act_types", ["id", "allegation_id", "term_id"], links),
            ("cases_legalevent", ["id", "case_id", "organisation_id", "kind", "date",
                                  "outcome", "currency"], events),
        ]  # fmt: skip


# --- Queries ------------------------------------------------------------------------------

TABLES = [("year", "country"), ("region", "agency"), ("act_type", "sex"), ("age_group", "year")]


def queries(args) -> None:
    django_setup(database_url(args))
    from django.db import connection

    from kuzot.accounts.models import Organisation
    from kuzot.stats.queries import Scope, count, funnel

    scope = Scope(tuple(Organisation.objects.values_list("pk", flat=True)))
    measured: list[tuple[str, Callable]] = [("funnel, all years", lambda: funnel(scope))] + [
        (f"{rows} × {columns}", lambda r=rows, c=columns: count(scope, r, c))
        for rows, columns in TABLES
    ]
    for name, run in measured:
        cold = []
        for _ in range(args.runs):
            connection.close()  # a new connection (and backend) each time
            cold.append(timed(run))
        run()
        warm = [timed(run) for _ in range(args.runs)]
        print(
            f"| {name} | {statistics.median(cold) * 1000:.0f} ms | "
            f"{statistics.median(warm) * 1000:.0f} ms |"
        )
    if args.every_pair:
        every_pair(scope)


def every_pair(scope) -> None:
    """Every two-way table the statistics screen offers, best of two warm runs each."""
    from kuzot.stats.queries import DIMENSIONS, GROUPS, count

    pairs = list(itertools.combinations([*DIMENSIONS, *GROUPS], 2))
    best = sorted(
        (min(timed(lambda r=rows, c=columns: count(scope, r, c)) for _ in range(2)), rows, columns)
        for rows, columns in pairs
    )
    median = statistics.median(b[0] for b in best)
    print(f"\n{len(pairs)} two-way tables: median {median * 1000:.0f} ms; the slowest five:")
    for seconds, rows, columns in best[-5:][::-1]:
        print(f"| {rows} × {columns} | {seconds * 1000:.0f} ms |")


def timed(run: Callable) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# --- The public page ----------------------------------------------------------------------

SLUG = "bench-all-years"


def publish(url: str) -> None:
    """Publish every standard table of all years for the coalition, through the ledger as the
    publish action does (counts per stratum, the check, the record), timing each stage."""
    django_setup(url)
    from django.db import transaction

    from kuzot.accounts.models import Coalition, Organisation
    from kuzot.stats.ledger import Ledger
    from kuzot.stats.models import Publication, Release
    from kuzot.stats.pipeline import Protect, tabulate
    from kuzot.stats.publishing import STANDARD
    from kuzot.stats.queries import Scope

    if Publication.objects.filter(slug=SLUG).exists():
        return
    coalition = Coalition.objects.get()
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    scope = Scope(tuple(organisations), 2010, 2025)
    times = {}
    with transaction.atomic():
        started = time.perf_counter()
        ledger = Ledger(coalition.pk)
        ledger.strata(organisations, range(2010, 2026))  # tabulate reuses them
        times["counts per organisation and year"] = time.perf_counter() - started
        started = time.perf_counter()
        wanted = [choice.wanted for choice in STANDARD]
        numbers = tabulate(scope, wanted, protect=Protect(ledger, threshold=5))
        times["disclosure check, funnel and medians"] = time.perf_counter() - started
        started = time.perf_counter()
        publication = Publication.objects.create(
            slug=SLUG, coalition=coalition, title="Benchmark: all years",
            year_from=2010, year_to=2025, content=numbers.content,
        )  # fmt: skip
        ledger.record(
            Release.Kind.PUBLICATION, numbers.entries, numbers.protection, organisation=None,
            actor=None, year_from=2010, year_to=2025, threshold=5, publication=publication,
        )  # fmt: skip
        times["record"] = time.perf_counter() - started
    withheld = sum(1 for cell in numbers.protection.cells.values() if cell.value is None)
    print(
        f"snapshot of {len(numbers.protection.cells)} cells ({withheld} withheld): "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in times.items()),
        file=sys.stderr,
    )


def page(args) -> None:
    url = database_url(args)
    publish(url)
    env = {**os.environ, "KUZOT_DATABASE_URL": url}
    with serving(env, args.threads) as base:
        address = f"{base}/public/{SLUG}/"
        first = urllib.request.urlopen(address)
        assert first.status == 200 and "Content-Security-Policy" in first.headers
        print(f"page: {len(first.read()) / 1000:.1f} KB", file=sys.stderr)
        output = subprocess.run(
            [shutil.which("wrk") or "wrk", "--latency", "-t", "2", "-c", str(args.connections),
             "-d", f"{args.seconds}s", address],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    print(output, file=sys.stderr)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    percentiles = dict(re.findall(r"\s+(50|75|90|99)%\s+(\S+)", output))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    print(
        f"| {args.connections} | {args.threads} | {float(rate):.0f} | {percentiles['50']} | "
        f"{percentiles['90']} | {percentiles['99']} | {errors.group(1) if errors else 0} |"
    )


def drop(args) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["load", "queries", "page", "drop"])
    parser.add_argument("--database", default="kuzot_bench")
    parser.add_argument("--acts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--every-pair", action="store_true", help="queries: then time every two-way table"
    )
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = parser.parse_args()
    {"load": load, "queries": queries, "page": page, "drop": drop}[args.what](args)


if __name__ == "__main__":
    main()
