"""Which records, across the members' lists and within each, are the same person.

Probabilistic record linkage (Fellegi–Sunter) with Splink, on DuckDB by default or on Spark
(``engine="spark"``, the optional extra ``kuzot[spark]``). Names are first reduced to keys that
ignore script and transliteration scheme (``kuzot.analysis.names``) and split into family name,
given name and father's name, whatever order and form the list used ("Асанов Бакыт
Жумабекович", "Bakyt Asanov", "Бакыт Жумабек уулу", "ASANOV B."). The model's parameters are
learnt from the data without labels: u from random pairs, m by expectation maximisation.
Pairs scoring at or above the threshold are joined into persons, after the reviewers' decisions
on pairs are applied: a pair marked the same is always joined, and two records marked different
never end up in one person, even through a third record.

    result = link_records(df, threshold=0.9, decisions=[Decision("a:1", "b:7", same=False)])
    result.clusters        # df with ref ("source:record_id") and cluster_id
    result.uncertain_pairs # pairs for the review queue
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import pandas as pd
import splink.comparison_level_library as cll
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.exceptions import EMTrainingException

from kuzot.analysis import names

ENGINES = ("duckdb", "spark")
DUCKDB_MEMORY = "3GB"  # beyond this DuckDB spills to disk
PRIOR_RULE_RECALL = 0.3


class LinkageError(Exception):
    """The linkage cannot run as asked (e.g. the engine is not installed)."""


class Decision(NamedTuple):
    """A reviewer's word on a pair of records, each named "source:record_id"."""

    left: str
    right: str
    same: bool


@dataclass
class LinkageResult:
    clusters: pd.DataFrame  # the input rows plus ref and cluster_id
    uncertain_pairs: pd.DataFrame  # left, right, match_probability (undecided pairs in the band)
    model_summary: dict[str, Any]


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(names.fold(w).replace(" ", "") for w in words)


# Words that make the preceding name a father's name ("Бакыт уулу", "Akmal oʻgʻli").
MARKERS = _folded("уулу кызы улы ұлы қызы кизи қизи ўғли угли огли uulu kyzy uly ogli ugli".split())
PATRONYMIC_ENDINGS = _folded(
    "ович евич овна евна ична ovich evich ovna evna ichna ovič evič ovitch".split()
)
SURNAME_ENDINGS = _folded(
    "ов ев ёв ова ева зода заде енко ский ская ov ev ova eva zoda zade enko skiy skaya".split()
)
# Endings that given names share ("Мадина", "Эмин"): a family name only if no other is.
WEAK_SURNAME_ENDINGS = _folded("ин ина ук in ina uk".split())


# ISO 9 / GOST 7.79 letters whose diacritic carries the sound (ž is zh, not z): spelt out before
# kuzot.analysis.names folds them, which would otherwise drop the diacritic.
ISO9 = str.maketrans(
    {
        "ž": "zh",
        "č": "ch",
        "š": "sh",
        "ŝ": "shch",
        "ç": "j",
        "ḩ": "h",
        "ḥ": "h",
        "û": "yu",
        "â": "ya",
        "ë": "yo",
        "ġ": "gh",
        "ķ": "q",
        "ņ": "ng",
        "ʺ": "",
        "ʹ": "",
    }
)


def _iso9(text: str) -> str:
    return text.lower().translate(ISO9)


@cache
def _fold(word: str) -> str:
    return names.fold(_iso9(word)).replace(" ", "")


@cache
def _key(text: str) -> str:
    return "".join(names.name_tokens(_iso9(text)))


@cache
def _father_key(text: str) -> str:
    key = "".join(t for t in names.name_tokens(_iso9(text)) if t not in MARKERS)
    for ending in sorted(PATRONYMIC_ENDINGS, key=len, reverse=True):
        if key.endswith(ending) and len(key) > len(ending) + 1:
            return key[: -len(ending)]
    return key


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, given, father's name) keys of a name written in any order and script.

    A father's name is recognised by its patronymic ending or by a following уулу/кызы/ўғли;
    the family name by its ending (-ов, -ева, -зода, …), else it is the first word. An initial
    stands for the given name.
    """
    words = full_name.replace(".", " ").replace(",", " ").split()
    folded = [_fold(w) for w in words]
    father = ""
    father_is_family = False
    rest: list[str] = []
    initials: list[str] = []
    for i, (word, key) in enumerate(zip(words, folded, strict=True)):
        if not key or key in MARKERS:
            continue
        if i + 1 < len(folded) and folded[i + 1] in MARKERS:
            father, father_is_family = word, True
        elif len(key) > 5 and key.endswith(tuple(PATRONYMIC_ENDINGS)):
            father = word
        elif len(key) == 1:
            initials.append(word)
        else:
            rest.append(word)
    family = ""
    if father_is_family and not any(_is_surname(w) for w in rest) and len(rest) < 2:
        family, father = father, ""
    if not family and rest:
        strong = [w for w in rest if _is_surname(w)]
        weak = [w for w in rest if _is_surname(w, WEAK_SURNAME_ENDINGS)]
        family = strong[0] if len(strong) == 1 else weak[0] if len(weak) == 1 else rest[0]
        rest.remove(family)
    given = rest[0] if rest else (initials[0] if initials else "")
    if not father and initials and given != initials[-1]:
        father = initials[-1]
    return _key(family), _key(given), _father_key(father)


@cache
def _is_surname(word: str, endings: frozenset[str] = SURNAME_ENDINGS) -> bool:
    key = _fold(word)
    return len(key) > 4 and key.endswith(tuple(endings))


def _text(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str).str.strip()


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """The comparison columns: name keys, birth year, sex, place and incident date parts."""
    full = _text(df["full_name"]).tolist()
    split = {name: split_name(name) for name in set(full)}
    keys = {
        "surname_key": [split[n][0] for n in full],
        "given_key": [split[n][1] for n in full],
        "patronymic_key": [split[n][2] for n in full],
    }
    for column, name, function in (
        ("family_name", "surname_key", _key),
        ("given_name", "given_key", _key),
        ("patronymic", "patronymic_key", _father_key),
    ):
        if column in df:
            values = _text(df[column]).tolist()
            keys[name] = [
                (function(v) if v else "") or old for v, old in zip(values, keys[name], strict=True)
            ]
    keys["core_key"] = [
        " ".join(sorted(p for p in pair if p))
        for pair in zip(keys["surname_key"], keys["given_key"], strict=True)
    ]
    out = pd.DataFrame({"unique_id": range(len(df)), **keys})
    out["given_initial"] = out["given_key"].str[:1]
    out["core_key"] = [
        " ".join(sorted(p for p in pair if p))
        for pair in zip(out["surname_key"], out["given_key"], strict=True)
    ]
    birth = pd.Series(pd.NA, index=df.index, dtype="Int64")
    if "birth_date" in df:
        birth = pd.to_numeric(_text(df["birth_date"]).str[:4], errors="coerce").astype("Int64")
    if "birth_year" in df:
        year = pd.to_numeric(_text(df["birth_year"]), errors="coerce").astype("Int64")
        birth = year.fillna(birth)
    out["birth_year"] = birth.to_numpy()
    for column in ("sex", "country", "region"):
        out[column] = _text(df[column]).str.upper().to_numpy() if column in df else ""
    incident = _text(df["incident_date"]) if "incident_date" in df else pd.Series("", df.index)
    year = pd.to_numeric(incident.str[:4], errors="coerce").astype("Int64")
    month = pd.to_numeric(incident.str[5:7], errors="coerce").astype("Int64")
    out["incident_year"] = year.to_numpy()
    out["incident_month"] = (year * 12 + month).to_numpy()
    out["incident_day"] = incident.where(incident.str.len() == 10, "").to_numpy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].mask(out[column] == "")
    return out


def _settings() -> SettingsCreator:
    jw = cll.JaroWinklerLevel
    name = {
        "output_column_name": "name",
        "comparison_levels": [
            cll.NullLevel("core_key"),
            cll.ExactMatchLevel("core_key", term_frequency_adjustments=True),
            cll.And(jw("surname_key", 0.92), jw("given_key", 0.92)).configure(
                label_for_charts="family and given names alike"
            ),
            cll.And(
                jw("surname_key", 0.92),
                cll.CustomLevel(
                    "given_initial_l = given_initial_r "
                    "and (length(given_key_l) = 1 or length(given_key_r) = 1)"
                ),
            ).configure(label_for_charts="family name alike, given name as an initial"),
            cll.And(jw("surname_key", 0.8), jw("given_key", 0.8)).configure(
                label_for_charts="family and given names roughly alike"
            ),
            cll.Or(jw("surname_key", 0.92), jw("given_key", 0.92)).configure(
                label_for_charts="family or given name alike"
            ),
            cll.ElseLevel(),
        ],
    }
    patronymic = {
        "output_column_name": "patronymic",
        "comparison_levels": [
            cll.NullLevel("patronymic_key"),
            cll.ExactMatchLevel("patronymic_key"),
            cll.CustomLevel(
                "(length(patronymic_key_l) = 1 or length(patronymic_key_r) = 1) "
                "and substr(patronymic_key_l, 1, 1) = substr(patronymic_key_r, 1, 1)",
                "initial agrees",
            ),
            jw("patronymic_key", 0.88),
            cll.ElseLevel(),
        ],
    }
    birth_year = {
        "output_column_name": "birth_year",
        "comparison_levels": [
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1", "within a year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 3", "within three years"),
            cll.ElseLevel(),
        ],
    }
    incident = {
        "output_column_name": "incident",
        "comparison_levels": [
            cll.NullLevel("incident_year"),
            cll.ExactMatchLevel("incident_day"),
            cll.CustomLevel("abs(incident_month_l - incident_month_r) <= 1", "within a month"),
            cll.CustomLevel(
                "incident_year_l = incident_year_r "
                "and (incident_month_l is null or incident_month_r is null)",
                "same year, month unknown",
            ),
            cll.ExactMatchLevel("incident_year"),
            cll.CustomLevel("abs(incident_year_l - incident_year_r) <= 1", "within a year"),
            cll.ElseLevel(),
        ],
    }

    # In matches, sex, country and region nearly always agree, so EM on clean data drives the
    # chance that they differ to zero (and underflows): these m are set, their u are learnt.
    def categorical(column: str, m_agree: float) -> dict:
        return {
            "output_column_name": column,
            "comparison_levels": [
                cll.NullLevel(column),
                cll.ExactMatchLevel(column).configure(
                    m_probability=m_agree, fix_m_probability=True
                ),
                cll.ElseLevel().configure(m_probability=1 - m_agree, fix_m_probability=True),
            ],
        }

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name,
            patronymic,
            birth_year,
            categorical("sex", 0.99),
            categorical("country", 0.98),
            categorical("region", 0.9),
            incident,
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


# A true pair is scored only if it shares one of these keys. Each also needs a birth year,
# the incident year or an initial in common, so that common names do not multiply the pairs
# (a million records give tens of millions of pairs, not billions).
BLOCKING_RULES = [
    block_on("core_key", "birth_year"),
    block_on("core_key", "incident_year"),
    block_on("surname_key", "given_initial", "birth_year"),
    block_on("given_key", "substr(surname_key, 1, 1)", "birth_year"),
    block_on("given_key", "substr(surname_key, 1, 3)", "incident_year"),
    CustomRule(
        "l.surname_key = r.surname_key and l.given_initial = r.given_initial "
        "and (length(l.given_key) = 1 or length(r.given_key) = 1)"
    ),
    # Both names garbled, but the same incident day and birth year or region.
    block_on("incident_day", "birth_year"),
    block_on("incident_day", "region"),
]


def _database(engine: str):
    if engine == "duckdb":
        import duckdb
        from splink.backends.duckdb import DuckDBAPI

        connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY})
        connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}/kuzot-duckdb'")
        return DuckDBAPI(connection)
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise LinkageError(
                "engine 'spark' needs PySpark (and Java 17): pip install 'kuzot[spark]'"
            ) from None
        from splink.backends.spark import SparkAPI

        spark = SparkSession.builder.appName("kuzot-link").getOrCreate()
        return SparkAPI(spark_session=spark)
    raise LinkageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def _refs(df: pd.DataFrame) -> pd.Series:
    return _text(df["source"]) + ":" + _text(df["record_id"])


class _Clusters:
    """Union–find that refuses to join two groups a reviewer has kept apart."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.apart: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def keep_apart(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            raise LinkageError("reviewers' decisions contradict each other (same and different)")
        self.apart.setdefault(a, set()).add(b)
        self.apart.setdefault(b, set()).add(a)

    def join(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if b in self.apart.get(a, ()):
            return False
        self.parent[a] = b
        for other in self.apart.pop(a, ()):
            self.apart[other].discard(a)
            self.apart[other].add(b)
            self.apart.setdefault(b, set()).add(other)
        return True


def _cluster(
    n: int, edges: pd.DataFrame, same: list[tuple[int, int]], different: list[tuple[int, int]]
) -> list[int]:
    clusters = _Clusters(n)
    for i, j in same:
        clusters.join(i, j)
    for i, j in different:
        clusters.keep_apart(i, j)
    for i, j in zip(edges["unique_id_l"].tolist(), edges["unique_id_r"].tolist(), strict=True):
        clusters.join(i, j)
    return [clusters.find(i) for i in range(n)]


def _summary(linker: Linker, n: int, pairs: int) -> dict[str, Any]:
    model = linker.misc.save_model_to_json()
    return {
        "records": n,
        "pairs_scored": pairs,
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": {
            c["output_column_name"]: [
                {
                    "level": level.get("label_for_charts", ""),
                    "m": level.get("m_probability"),
                    "u": level.get("u_probability"),
                }
                for level in c["comparison_levels"]
                if not level.get("is_null_level")
            ]
            for c in model["comparisons"]
        },
    }


def _estimate_prior(linker: Linker) -> None:
    """The prior: pairs with the same name and birth year, assumed to be 30% of true pairs
    (missing birth years and spelling variants hide the rest); in small inputs, at least those."""
    for recall in (PRIOR_RULE_RECALL, 1.0):
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("core_key", "birth_year")], recall=recall
            )
            return
        except ValueError:
            continue


def link_records(
    df: pd.DataFrame,
    *,
    engine: str = "duckdb",
    threshold: float = 0.9,
    decisions: Iterable[Decision] = (),
    review_band: tuple[float, float] = (0.5, 0.99),
    progress: Callable[[str], None] | None = None,
    seed: int = 1,
) -> LinkageResult:
    """Group the records of ``df`` into persons.

    ``df`` has ``source``, ``record_id`` and ``full_name`` (refs "source:record_id" unique) and
    may have ``given_name``, ``family_name``, ``patronymic``, ``sex``, ``birth_year`` or
    ``birth_date``, ``country``, ``region`` and ``incident_date``. Pairs with a match
    probability at or above ``threshold`` join a person; undecided pairs whose probability is
    within ``review_band`` are returned for review. A later decision on a pair replaces an
    earlier one; decisions naming records not in ``df`` are ignored (the record may have been
    withdrawn); decisions that contradict each other raise ``LinkageError``.
    """
    say = progress or (lambda message: None)
    refs = _refs(df)
    if refs.duplicated().any():
        raise LinkageError(f"record reference repeated: {refs[refs.duplicated()].iloc[0]}")
    say(f"preparing {len(df):,} records")
    prepared = prepare(df)
    db_api = _database(engine)
    linker = Linker(db_api.register(prepared), _settings(), log_level=logging.ERROR)
    say("estimating the model (u by random sampling, m by expectation maximisation)")
    _estimate_prior(linker)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=seed)
    # Training blocks where most pairs match at any size of data; each trains the comparisons
    # that do not use its columns. The names are trained on the first of the last group that
    # has pairs (records without a region, as a member's own list may be, still train them).
    for rules in (
        [block_on("core_key", "birth_year")],
        [block_on("core_key", "incident_year")],
        [block_on("incident_day", "region", "birth_year"), block_on("incident_day", "birth_year")],
    ):
        for rule in rules:
            # A session that finds no pairs raises after it has dropped the comparisons it
            # does not train, and changed the prior, in the linker's own model (Splink 5):
            # put the model back.
            model = linker._settings_obj.core_model_settings.copy()
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=2e6
                )
                break
            except EMTrainingException:  # too few records: keep Splink's starting values
                linker._settings_obj.core_model_settings = model
                sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
                say(f"too few pairs to train on {sql}")
    say("scoring candidate pairs")
    low = min(threshold, review_band[0])
    scored = linker.inference.predict(threshold_match_probability=low, warning_mode="never")
    pairs = scored.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    index = {ref: i for i, ref in enumerate(refs)}
    decided = {
        frozenset((index[d.left], index[d.right])): d.same
        for d in decisions
        if d.left in index and d.right in index
    }
    say(f"clustering ({len(pairs):,} pairs at or above {low}, {len(decided):,} decisions)")
    key = [frozenset(p) for p in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)]
    undecided = pairs[[k not in decided for k in key]]
    edges = undecided[undecided["match_probability"] >= threshold].sort_values(
        "match_probability", ascending=False
    )
    roots = _cluster(
        len(df),
        edges,
        same=[tuple(p) for p, same in decided.items() if same],
        different=[tuple(p) for p, same in decided.items() if not same],
    )
    first_ref: dict[int, str] = {}
    for root, ref in sorted(zip(roots, refs, strict=True), key=lambda pair: pair[1]):
        first_ref.setdefault(root, ref)
    clusters = df.copy()
    clusters["ref"] = refs.to_numpy()
    clusters["cluster_id"] = [first_ref[root] for root in roots]
    band = undecided[
        (undecided["match_probability"] >= review_band[0])
        & (undecided["match_probability"] < review_band[1])
    ].sort_values("match_probability", ascending=False)
    ref_list = refs.tolist()
    uncertain = pd.DataFrame(
        {
            "left": [ref_list[i] for i in band["unique_id_l"]],
            "right": [ref_list[i] for i in band["unique_id_r"]],
            "match_probability": band["match_probability"].to_numpy(),
        }
    )
    return LinkageResult(clusters, uncertain, _summary(linker, len(df), len(pairs)))


def pairwise_scores(predicted: Iterable, truth: Iterable) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true persons."""
    frame = pd.DataFrame({"predicted": list(predicted), "truth": list(truth)})

    def pairs(columns: list[str]) -> int:
        sizes = frame.groupby(columns).size()
        return int((sizes * (sizes - 1) // 2).sum())

    both, found, true = pairs(["predicted", "truth"]), pairs(["predicted"]), pairs(["truth"])
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true}
