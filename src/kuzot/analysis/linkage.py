"""Which records, across the members' lists and within each, are the same person.

Probabilistic record linkage (Fellegi–Sunter) with Splink, on DuckDB by default or on Spark
(``engine="spark"``, the optional extra ``kuzot[spark]``). Names are first reduced to keys that
ignore script and transliteration scheme (``kuzot.analysis.names``) and split into family name,
given name and father's name, whatever order and form the list used ("Асанов Бакыт
Жумабекович", "Bakyt Asanov", "Бакыт Жумабек уулу", "ASANOV B."). Every other identifying
column the records hold (date of birth, ID number, phone, address, place of birth, and the
columns asked for with their kind) is read by its kind; a malformed value (``check`` lists
them) counts as missing. The comparisons, with term-frequency adjustments, and the blocking
rules are chosen from the columns the records fill. The model's parameters are learnt from
the data without labels: u from random pairs, m by expectation maximisation.
Pairs scoring at or above the threshold are joined into persons, after the reviewers' decisions
on pairs are applied: a pair marked the same is always joined, and two records marked different
never end up in one person, even through a third record.

    check(df)              # [Problem(row=3, column="birth_date", reason="'1945-04-93' is …")]
    result = link_records(df, threshold=0.9, decisions=[Decision("a:1", "b:7", same=False)],
                          compare=[Compared("postcode", "exact")])
    result.clusters        # df with ref ("source:record_id") and cluster_id
    result.uncertain_pairs # pairs for the review queue
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
import warnings
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


# Kinds of column a list may ask to compare (``--compare COL:KIND``); the contract's own
# identifying columns are compared as "id" (a document number: letters and digits, one typo
# allowed) and "phone" (the last nine digits).
KINDS = ("exact", "name", "text", "date", "number")
IDENTIFIERS = {"id_number": "id", "phone": "phone", "address": "text", "birth_place": "name"}
NAME_COLUMNS = ("full_name", "given_name", "family_name")
DATE_FORMATS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY"
YEARS = (1900, 2100)
PHONE_DIGITS = 9  # a national number without the country code (9 in KG, TJ, UZ; KZ has 10)


class Compared(NamedTuple):
    """A column compared between records, and the kind of value it holds."""

    column: str
    kind: str


class Problem(NamedTuple):
    """A value the linkage treats as missing: its row (position in the input), column and why."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"column '{self.column}': {self.reason}"


def _dates(text: pd.Series) -> pd.Series:
    """ISO text of the precision written (YYYY, YYYY-MM or YYYY-MM-DD); NA if not a real date."""
    parts = (
        text.str.extract(r"^(?P<y>\d{4})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?$")
        .fillna(text.str.extract(r"^(?P<y>\d{4})(?P<m>\d\d)(?P<d>\d\d)$"))
        .fillna(text.str.extract(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"))
    )
    year, month, day = (pd.to_numeric(parts[c]).astype("Int64") for c in ("y", "m", "d"))
    real = pd.to_datetime(
        pd.DataFrame({"year": year.fillna(2000), "month": month.fillna(1), "day": day.fillna(1)}),
        errors="coerce",
    ).notna() & year.between(*YEARS)
    iso = year.astype(str)
    iso = iso.where(month.isna(), iso + "-" + month.astype(str).str.zfill(2))
    iso = iso.where(day.isna(), iso + "-" + day.astype(str).str.zfill(2))
    return iso.where(real.fillna(False))


def _normalised(column: pd.Series, kind: str) -> tuple[pd.Series, str]:
    """The values of one column as compared (NA where empty or malformed), and why a non-empty
    value became NA (the reason after the quoted value)."""
    text = _text(column)
    if kind == "id":
        value = text.str.upper().str.replace(r"[\W_]+", "", regex=True)
        return value, "holds no letter or digit"
    if kind == "phone":
        digits = text.str.replace(r"\D+", "", regex=True)
        return digits.str[-PHONE_DIGITS:].where(digits.str.len() >= 6), "is not a phone number"
    if kind == "text":
        value = text.map(lambda v: unicodedata.normalize("NFKC", v).lower())
        return value.str.replace(r"[\W_]+", " ", regex=True).str.strip(), "holds no word"
    if kind == "name":
        folded = {v: names.fold(_iso9(v)) for v in set(text)}
        return text.map(folded), "holds no letters"
    if kind == "exact":
        return text.str.casefold(), ""
    if kind == "date":
        return _dates(text), f"is not a date ({DATE_FORMATS})"
    if kind == "number":
        number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        return number, "is not a number"
    if kind == "sex":
        sex = text.str.upper()
        return sex.where(sex.isin(["M", "F"])), "is not M or F"
    if kind == "year":
        year = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}")), errors="coerce")
        return year.where(year.between(*YEARS)).astype("Int64"), "is not a year"
    if kind == "country":
        country = text.str.upper()
        return country.where(country.str.fullmatch(r"[A-Z]{2}")), "is not an ISO 3166 alpha-2 code"
    raise LinkageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")


# The contract's columns beyond the names, and the kind of value each holds.
FIXED = {
    "sex": "sex",
    "birth_year": "year",
    "birth_date": "date",
    "country": "country",
    "incident_date": "date",
    **IDENTIFIERS,
}


def compared_columns(df: pd.DataFrame, compare: Iterable[Compared] = ()) -> list[Compared]:
    """The columns of ``df`` compared beyond the names: the contract's, then those asked for."""
    compare = [Compared(*c) for c in compare]
    for column, kind in compare:
        if kind not in KINDS:
            raise LinkageError(
                f"unknown kind {kind!r} for {column!r}: use one of {', '.join(KINDS)}"
            )
        if column not in df:
            raise LinkageError(f"no column {column!r} to compare")
        if column in FIXED or column in NAME_COLUMNS:
            raise LinkageError(f"{column!r} is a column of the contract: it is compared already")
    return [Compared(c, k) for c, k in FIXED.items() if c in df] + compare


def _values(
    df: pd.DataFrame, compare: Iterable[Compared]
) -> tuple[dict[str, pd.Series], list[Problem]]:
    values, problems = {}, []
    for column, kind in compared_columns(df, compare):
        raw = _text(df[column])
        value, why = _normalised(df[column], kind)
        if not pd.api.types.is_numeric_dtype(value):
            value = value.mask(value == "")
        values[column] = value
        bad = (raw != "") & value.isna()
        problems += [
            Problem(int(i), column, f"'{raw.iloc[i]}' {why}") for i in bad.to_numpy().nonzero()[0]
        ]
    present = [c for c in NAME_COLUMNS if c in df]
    if present:
        nameless = pd.concat([_text(df[c]) == "" for c in present], axis=1).all(axis=1)
        problems += [
            Problem(int(i), present[0], "empty (no name)") for i in nameless.to_numpy().nonzero()[0]
        ]
    return values, sorted(problems)


def check(df: pd.DataFrame, compare: Iterable[Compared] = ()) -> list[Problem]:
    """The values of ``df`` that the linkage treats as missing, in row order: malformed dates,
    years, sexes, country codes, phone numbers …, and records with no name."""
    return _values(df, compare)[1]


def _others(df: pd.DataFrame, compare: Iterable[Compared]) -> list[tuple[str, str, str]]:
    """(name in the prepared table, column, kind) of the identifiers and the columns asked for;
    those get a name safe in any engine's SQL."""
    return [
        (
            column
            if column in IDENTIFIERS
            else f"x{i}_" + re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_"),
            column,
            kind,
        )
        for i, (column, kind) in enumerate(compared_columns(df, compare))
        if column in IDENTIFIERS or column not in FIXED
    ]


def prepare(df: pd.DataFrame, compare: Iterable[Compared] = ()) -> pd.DataFrame:
    """The comparison columns: name keys, birth year and date, sex, place, incident date parts,
    and each other compared column normalised by its kind (malformed values are missing)."""
    values, _ = _values(df, compare)
    full = _text(df["full_name"]).tolist() if "full_name" in df else [""] * len(df)
    split = {name: split_name(name) for name in set(full)}
    keys = {
        "surname_key": [split[n][0] for n in full],
        "given_key": [split[n][1] for n in full],
        "patronymic_key": [split[n][2] for n in full],
    }
    for column, name, function in (
        ("family_name", "surname_key", _key),
        ("given_name", "given_key", _key),
        ("father_name", "patronymic_key", _father_key),
        ("patronymic", "patronymic_key", _father_key),
    ):
        if column in df:
            written = _text(df[column]).tolist()
            keys[name] = [
                (function(v) if v else "") or old
                for v, old in zip(written, keys[name], strict=True)
            ]
    out = pd.DataFrame({"unique_id": range(len(df)), **keys})
    out["given_initial"] = out["given_key"].str[:1]
    out["core_key"] = [
        " ".join(sorted(p for p in pair if p))
        for pair in zip(out["surname_key"], out["given_key"], strict=True)
    ]
    missing = pd.Series(pd.NA, index=df.index, dtype="object")
    birth_date = values.get("birth_date", missing)
    birth = pd.to_numeric(birth_date.str[:4], errors="coerce").astype("Int64")
    if "birth_year" in values:
        birth = values["birth_year"].fillna(birth)
    out["birth_year"] = birth.to_numpy()
    out["birth_date"] = birth_date.where(birth_date.str.len() == 10).to_numpy()
    out["sex"] = values.get("sex", missing).to_numpy()
    out["country"] = values.get("country", missing).to_numpy()
    out["region"] = _text(df["region"]).str.upper().to_numpy() if "region" in df else pd.NA
    incident = values.get("incident_date", missing)
    year = pd.to_numeric(incident.str[:4], errors="coerce").astype("Int64")
    month = pd.to_numeric(incident.str[5:7], errors="coerce").astype("Int64")
    out["incident_year"] = year.to_numpy()
    out["incident_month"] = (year * 12 + month).to_numpy()
    out["incident_day"] = incident.where(incident.str.len() == 10).to_numpy()
    for name, column, _ in _others(df, compare):
        out[name] = values[column].to_numpy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].mask(out[column] == "")
    return out


def _held(prepared: pd.DataFrame, column: str) -> bool:
    """Whether at least two records hold a value in ``column`` (else it compares nothing)."""
    return column in prepared and prepared[column].notna().sum() >= 2


def _other_comparison(name: str, kind: str) -> dict:
    """Comparison levels of an identifier or of a column asked for, by its kind."""
    jw = cll.JaroWinklerLevel
    similar = {
        "id": [cll.DamerauLevenshteinLevel(name, 1)],
        "phone": [cll.DamerauLevenshteinLevel(name, 1)],
        "name": [jw(name, 0.92), jw(name, 0.8)],
        "text": [jw(name, 0.9), jw(name, 0.7)],
        "exact": [],
        "date": [
            cll.CustomLevel(
                f"length({name}_l) = 10 and length({name}_r) = 10 "
                f"and damerau_levenshtein({name}_l, {name}_r) <= 1",
                "one keystroke apart",
            ),
            cll.CustomLevel(f"substr({name}_l, 1, 7) = substr({name}_r, 1, 7)", "same month"),
            cll.CustomLevel(f"substr({name}_l, 1, 4) = substr({name}_r, 1, 4)", "same year"),
        ],
        "number": [
            cll.CustomLevel(
                f"abs({name}_l - {name}_r) <= 0.01 * greatest(abs({name}_l), abs({name}_r))",
                "within 1%",
            )
        ],
    }[kind]
    return {
        "output_column_name": name,
        "comparison_levels": [
            cll.NullLevel(name),
            # Term frequencies: a common value (a placeholder id, a big town) says less.
            cll.ExactMatchLevel(name, term_frequency_adjustments=kind != "number"),
            *similar,
            cll.ElseLevel(),
        ],
    }


def _settings(prepared: pd.DataFrame, others: list[tuple[str, str, str]], blocking: list):
    """The model: a comparison for each kind of value the records hold."""
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
    # Full dates of birth, where the lists have them, first: the same date, or a typo in it.
    dates = [
        cll.ExactMatchLevel("birth_date"),
        cll.DamerauLevenshteinLevel("birth_date", 1),
    ]
    birth = {
        "output_column_name": "birth",
        "comparison_levels": [
            cll.NullLevel("birth_year"),
            *(dates if _held(prepared, "birth_date") else []),
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

    comparisons = [
        (name, "core_key"),
        (patronymic, "patronymic_key"),
        (birth, "birth_year"),
        (categorical("sex", 0.99), "sex"),
        (categorical("country", 0.98), "country"),
        (categorical("region", 0.9), "region"),
        (incident, "incident_year"),
        *((_other_comparison(name_, kind), name_) for name_, _, kind in others),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[c for c, column in comparisons if _held(prepared, column)],
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


# A true pair is scored only if it shares one of these keys. Each also needs a birth year,
# the incident year or an initial in common, so that common names do not multiply the pairs
# (a million records give tens of millions of pairs, not billions).
NAME_BLOCKING_RULES = [
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
# Records that agree on one of these also meet, unless one of its values is so common that
# the pairs would exceed this many per record (a placeholder id, 01.01.1980 for an unknown
# birthday, a big town's postcode): then the column is compared but not blocked on.
PAIRS_PER_RECORD = 20


def _pairs(column: pd.Series) -> int:
    counts = column.dropna().value_counts()
    return int((counts * (counts - 1) // 2).sum())


def _blocking(prepared: pd.DataFrame, others: list[tuple[str, str, str]]) -> list:
    """The name rules, plus a rule on each identifier, full date of birth or column asked for
    whose shared values stay under the budget of pairs."""
    candidates = ["birth_date"] + [name for name, _, kind in others if kind != "number"]
    budget = PAIRS_PER_RECORD * len(prepared)
    return NAME_BLOCKING_RULES + [
        block_on(column)
        for column in candidates
        if _held(prepared, column) and _pairs(prepared[column]) <= budget
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

        # PySpark 4.x warns on every conversion that it does not yet fully support pandas 3;
        # the conversions Splink uses give DuckDB's results (tests/analysis/test_link_on_spark).
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas")

        return SparkAPI(
            spark_session=SparkSession.getActiveSession() or _spark_session(),
            # Intermediate tables (names among them) stay in Spark's block manager: in memory,
            # or spilled to spark.local.dir encrypted (spark.io.encryption.enabled), never
            # written as plain Parquet files (Splink's default outside Databricks).
            break_lineage_method="persist",
        )
    raise LinkageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def _spark_session():
    """A Spark session as spark-submit configured it (on a cluster), else a local one; either
    way with Splink's similarity functions, and with local disk I/O (shuffle files, spilled
    blocks) encrypted unless the configuration says otherwise."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    conf = SparkConf()
    jars = [j for j in conf.get("spark.jars", "").split(",") if j]
    conf.set("spark.jars", ",".join([*jars, similarity_jar_location()]))
    conf.setIfMissing("spark.io.encryption.enabled", "true")
    conf.setIfMissing("spark.ui.showConsoleProgress", "false")  # progress goes to stderr
    conf.setIfMissing("spark.log.level", "ERROR")
    if conf.get("spark.master", "local[*]").startswith("local"):
        # Spark's 200 shuffle partitions are for clusters: on one machine each costs a task
        # per stage for nothing. No web UI either: it would show the queries to anyone on
        # the network.
        conf.setIfMissing("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
        conf.setIfMissing("spark.ui.enabled", "false")
        # Local mode runs everything in the driver's JVM, whose default 1 GB heap runs out at
        # 100,000 records; a JVM out of memory would leave Python waiting for it forever.
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 3 // 2**30
        conf.setIfMissing("spark.driver.memory", f"{max(1, memory)}g")
        conf.setIfMissing("spark.driver.extraJavaOptions", "-XX:+ExitOnOutOfMemoryError")
    return SparkSession.builder.appName("kuzot-link").config(conf=conf).getOrCreate()


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
    (missing birth years and spelling variants hide the rest); in small inputs, at least those.
    With no such pair at all, Splink's starting value stays."""
    settings = linker._settings_obj
    start = settings._probability_two_random_records_match
    for recall in (PRIOR_RULE_RECALL, 1.0):
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("core_key", "birth_year")], recall=recall
            )
            break
        except ValueError:
            continue
    if not settings._probability_two_random_records_match:
        settings._probability_two_random_records_match = start


def _scored_pairs(
    db_api: Any,
    prepared: pd.DataFrame,
    others: list[tuple[str, str, str]],
    blocking: list,
    low: float,
    seed: int,
    say: Callable[[str], None],
) -> tuple[Linker, pd.DataFrame]:
    """Train the model on the records and score the candidate pairs at or above ``low``."""
    settings = _settings(prepared, others, blocking)
    linker = Linker(db_api.register(prepared), settings, log_level=logging.ERROR)
    say("estimating the model (u by random sampling, m by expectation maximisation)")
    _estimate_prior(linker)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=seed)
    # Training blocks where most pairs match at any size of data; each trains the comparisons
    # that do not use its columns. The names are trained on the first of the last group that
    # has pairs (records without a region, as a member's own list may be, still train them;
    # lists without incident dates train them on an identifier or the date of birth).
    for rules in (
        [block_on("core_key", "birth_year")],
        [block_on("core_key", "incident_year")],
        [
            block_on("incident_day", "region", "birth_year"),
            block_on("incident_day", "birth_year"),
            *blocking[len(NAME_BLOCKING_RULES) :],
        ],
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
    scored = linker.inference.predict(threshold_match_probability=low, warning_mode="never")
    # (Splink leaves the columns out when no pair is scored at all.)
    pairs = scored.as_pandas_dataframe().reindex(
        columns=["unique_id_l", "unique_id_r", "match_probability"]
    )
    return linker, pairs


def link_records(
    df: pd.DataFrame,
    *,
    engine: str = "duckdb",
    threshold: float = 0.9,
    decisions: Iterable[Decision] = (),
    review_band: tuple[float, float] = (0.5, 0.99),
    progress: Callable[[str], None] | None = None,
    seed: int = 1,
    compare: Iterable[Compared] = (),
) -> LinkageResult:
    """Group the records of ``df`` into persons.

    ``df`` has ``source`` and ``record_id`` (refs "source:record_id" unique), names in
    ``full_name`` or ``given_name`` and ``family_name``, and may have ``patronymic``,
    ``father_name``, ``sex``, ``birth_year`` or ``birth_date``, ``country``, ``region``,
    ``incident_date``, ``id_number``, ``phone``, ``address`` and ``birth_place``; ``compare``
    names other columns to compare, each with its kind (one of ``KINDS``). Values that are
    malformed (see ``check``) count as missing. Pairs with a match
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
    prepared = prepare(df, compare)
    others = _others(df, compare)
    blocking = _blocking(prepared, others)
    low = min(threshold, review_band[0])
    db_api = _database(engine)
    try:
        linker, pairs = _scored_pairs(db_api, prepared, others, blocking, low, seed, say)
    except Exception as error:
        # Spark reports its failures (out of memory, a lost executor) through Py4J.
        if engine != "spark" or "py4j" not in type(error).__module__:
            raise
        raise LinkageError(f"Spark failed: {str(error).splitlines()[0]}") from None
    index = {ref: i for i, ref in enumerate(refs)}
    decided = {
        frozenset((index[d.left], index[d.right])): d.same
        for d in decisions
        if d.left in index and d.right in index
    }
    say(f"clustering ({len(pairs):,} pairs at or above {low}, {len(decided):,} decisions)")
    key = [frozenset(p) for p in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)]
    undecided = pairs[pd.Series([k not in decided for k in key], index=pairs.index, dtype=bool)]
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
