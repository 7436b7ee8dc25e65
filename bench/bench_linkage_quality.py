"""Linkage quality: five lists spelling the same Central Asian people differently.

    .venv/bin/python bench/bench_linkage_quality.py [--people 2200] [--seeds 5]

For each seed, draws people and five sources (kuzot.analysis.synthetic.DEFAULT_SOURCES:
Cyrillic lists of a Kyrgyz, a Kazakh and a Tajik NGO, a Latin list of an international NGO in
mixed schemes, an upper-case ICAO/GOST list of a UN body) and scores pairwise precision, recall
and F1 against the true persons of
  * Kuzot's pipeline (kuzot.analysis.linkage.link_records, threshold 0.9), and
  * Splink with default comparisons on the raw columns (no normalisation): Jaro-Winkler on
    full_name, exact birth year, sex, country, region and incident date, blocking on full name
    and on birth year + country, the same training (u by random sampling, m by EM).
Prints Markdown rows for docs/benchmarks.md (medians over seeds).
"""

import argparse
import logging
import statistics
import time

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from kuzot.analysis.linkage import link_records, pairwise_scores
from kuzot.analysis.synthetic import DEFAULT_SOURCES, generate_people, observe


def raw_splink(df: pd.DataFrame, threshold: float) -> pd.Series:
    raw = df[["full_name", "birth_year", "sex", "country", "region", "incident_date"]].copy()
    raw = raw.mask(raw == "")
    raw["unique_id"] = range(len(raw))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("full_name"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("country"),
            cl.ExactMatch("region"),
            cl.ExactMatch("incident_date"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("full_name"),
            block_on("birth_year", "country"),
        ],
    )
    linker = Linker(DuckDBAPI().register(raw), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("full_name", "birth_year")], recall=0.45
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=1)
    for rule in (block_on("full_name"), block_on("birth_year", "incident_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    scored = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(scored, threshold)
    frame = clusters.as_pandas_dataframe().sort_values("unique_id")
    return frame["cluster_id"].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2200)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"kuzot": [], "raw": []}
    sizes = []
    for seed in range(1, args.seeds + 1):
        df = pd.DataFrame(observe(generate_people(args.people, seed), DEFAULT_SOURCES, seed + 100))
        sizes.append(len(df))
        start = time.perf_counter()
        kuzot = link_records(df, threshold=args.threshold).clusters["cluster_id"]
        middle = time.perf_counter()
        raw = raw_splink(df, args.threshold)
        end = time.perf_counter()
        for name, clusters, seconds in (
            ("kuzot", kuzot, middle - start),
            ("raw", raw, end - middle),
        ):
            scores = pairwise_scores(clusters, df["true_person_id"])
            results[name].append({**scores, "seconds": seconds})
            print(
                f"seed {seed} {name}: {len(df)} records, P {scores['precision']:.4f} "
                f"R {scores['recall']:.4f} F1 {scores['f1']:.4f} ({seconds:.1f} s)",
                flush=True,
            )
    print()
    print("| pipeline | precision | recall | F1 (median) | F1 (min–max) | seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    labels = {
        "kuzot": "Kuzot (`link_records`, name keys, threshold 0.9)",
        "raw": "Splink defaults on raw columns",
    }
    for name, runs in results.items():

        def median(key: str, runs: list[dict] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        f1s = [r["f1"] for r in runs]
        print(
            f"| {labels[name]} | {median('precision'):.3f} | {median('recall'):.3f} "
            f"| **{median('f1'):.3f}** | {min(f1s):.3f}–{max(f1s):.3f} | {median('seconds'):.1f} |"
        )
    ratio = statistics.median(r["recall"] for r in results["kuzot"]) / max(
        statistics.median(r["recall"] for r in results["raw"]), 1e-9
    )
    print(f"\nrecords per run (median): {statistics.median(sizes):.0f}; recall ratio {ratio:.1f}×")


if __name__ == "__main__":
    main()
