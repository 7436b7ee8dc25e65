"""What a case, a person and an act hold: one declaration per record, read by every consumer.

Each record is a tuple of ``Field`` rows. The forms (``cases.forms``), the actions' accepted
arguments and the bulk writer (``cases.actions``), the import targets (``cases.imports``), the
export columns (``cases.exports``) and the statistics dimensions (``stats.queries.DIMENSIONS``)
are derived from these rows; ``tests/cases/test_schema_is_declared_once.py`` checks that each
declared field reaches every one of them and the docs (docs/import.md, docs/statistics.md).

Adding a field to a record: the model, a migration, one row here, its translations.

Kinds (what a consumer does with a value):

* ``text``: free text, sealed (``SealedField``); exported only with identities.
* ``date``: a day; ``dated``: a day and how precisely it is known (the model's ``<name>`` and
  ``<name>_precision``, one column written 2024-05-31, 2024-05 or 2024).
* ``year``, ``sex``, ``country`` (ISO 3166 alpha-2), ``groups`` (the person's vulnerable groups,
  one yes/no each), ``choice`` (the model field's choices).
* ``term`` / ``terms``: one or several terms of ``vocabulary``; ``place``: a place of detention.
* ``lawyer``: a member of the organisation; ``organisation``: the record's owner (never entered).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kuzot.cases.models import Allegation, Case, Person, Term

V = Term.Vocabulary


@dataclass(frozen=True)
class Dimension:
    """A statistics dimension: acts counted by ``lookup`` (a path from an act)."""

    key: str
    label: Promise
    lookup: str


@dataclass(frozen=True)
class Field:
    name: str  # the model's field, and the action's argument
    kind: str
    label: Promise
    column: str = ""  # its column in imports and exports
    aliases: tuple[str, ...] = ()  # other headers an import recognises (normalised on use)
    vocabulary: str = ""
    max_length: int | None = None
    required: bool = False
    help_text: Promise | str = ""
    column_label: Promise | None = None  # the import screen's name, when not the form's
    dimension: Dimension | None = None
    form: bool = True  # entered on the record's form
    not_exchanged: str = ""  # why a field has no column (every other field has one)

    @property
    def sealed(self) -> bool:
        return self.kind == "text"

    @property
    def target_label(self) -> Promise:
        return self.column_label or self.label


PERSON: tuple[Field, ...] = (
    Field("full_name", "text", _("Full name"), "full_name",
          ("name", "full name", "victim", "victim name", "фио", "ф и о", "фио пострадавшего",
           "пострадавший", "имя", "фамилия имя отчество"),
          max_length=300, required=True, column_label=_("victim's full name"),
          help_text=_("In any script or spelling, as the person gives it.")),
    Field("sex", "sex", _("Sex"), "sex", ("gender", "пол"),
          dimension=Dimension("sex", _("sex"), "victim_sex")),
    Field("birth_year", "year", _("Birth year"), "birth_year",
          ("year of birth", "born", "год рождения", "г р"),
          dimension=Dimension("age_group", _("age group"), "victim_age")),
    Field("nationality", "country", _("Nationality"), "nationality",
          ("citizenship", "гражданство", "национальность"), max_length=2),
    Field("groups", "groups", _("Vulnerable groups"), "vulnerable_groups",
          ("vulnerability", "groups", "уязвимые группы", "уязвимость", "уязвимая группа")),
    Field("birth_date", "text", _("Exact birth date"), "birth_date",
          ("date of birth", "дата рождения"), max_length=20),
    Field("id_number", "text", _("ID or passport number"), "id_number",
          ("passport", "паспорт", "номер паспорта"), max_length=60),
    Field("contact", "text", _("Contact"), "contact", ("phone", "телефон", "контакт"),
          max_length=300, help_text=_("Phone or other safe way to reach the person.")),
    Field("address", "text", _("Address"), "address", ("адрес",), max_length=500),
)  # fmt: skip

CASE: tuple[Field, ...] = (
    Field("intake_date", "date", _("Intake date"), "intake_date",
          ("date of intake", "date received", "дата обращения", "дата поступления",
           "дата регистрации"), required=True),
    Field("source", "term", _("Source of information"), "source",
          ("source", "источник", "источник информации"), vocabulary=V.SOURCE),
    Field("status", "choice", _("Status"), "status", ("case status", "статус")),
    Field("assigned_lawyer", "lawyer", _("Assigned lawyer"),
          not_exchanged="a member of this organisation: another organisation's file names "
          "nobody here, and the importer becomes responsible for the imported cases"),
    Field("confidentiality", "choice", _("Confidentiality"), "confidentiality",
          ("конфиденциальность",),
          help_text=_("Strict: only the assigned lawyer and the coordinator see the case.")),
    Field("reprisal_risk", "choice", _("Risk of reprisal"), "reprisal_risk",
          ("reprisal risk", "риск преследования")),
    Field("summary", "text", _("Summary"), "summary",
          ("description", "narrative", "фабула", "описание", "краткое описание", "суть"),
          max_length=20000, help_text=_("Encrypted before it is stored.")),
    Field("organisation", "organisation", _("country"), form=False,
          dimension=Dimension("country", _("country"), "organisation__country"),
          not_exchanged="the organisation that imports a file owns its cases"),
)  # fmt: skip

ACT: tuple[Field, ...] = (
    Field("date", "dated", _("Date"), "act_date",
          ("date of torture", "date of incident", "incident date", "act date", "дата пыток",
           "дата применения пыток", "дата инцидента", "дата события", "дата происшествия"),
          required=True, column_label=_("date of the acts"),
          dimension=Dimension("year", _("year"), "date")),
    Field("act_types", "terms", _("Act types"), "act_types",
          ("act type", "type of torture", "types of torture", "methods", "вид пыток",
           "виды пыток", "вид насилия", "методы", "способ"),
          vocabulary=V.ACT_TYPE, required=True,
          dimension=Dimension("act_type", _("act type"), "act_types__code")),
    Field("region", "term", _("Region"), "region", ("oblast", "регион", "область"),
          vocabulary=V.REGION, dimension=Dimension("region", _("region"), "region__code")),
    Field("district", "text", _("District"), "district", ("city", "район", "город", "город район"),
          max_length=120),
    Field("place_of_detention", "place", _("place of detention"), "place_of_detention",
          ("place", "facility", "место содержания", "место лишения свободы", "учреждение"),
          dimension=Dimension("place_type", _("type of place of detention"),
                              "place_of_detention__kind__code")),
    Field("agency", "term", _("Alleged perpetrator agency"), "agency",
          ("perpetrator agency", "perpetrator", "орган", "ведомство",
           "орган предполагаемых исполнителей"),
          vocabulary=V.AGENCY,
          dimension=Dimension("agency", _("alleged perpetrator agency"), "agency__code")),
    Field("unit", "text", _("Unit"), "unit", ("department", "подразделение", "отдел"),
          max_length=200),
    Field("purpose", "term", _("Apparent purpose"), "purpose", ("purpose", "цель"),
          vocabulary=V.PURPOSE),
    Field("context", "term", _("Context"), "context", ("circumstances", "контекст",
          "обстоятельства"), vocabulary=V.CONTEXT,
          dimension=Dimension("context", _("context"), "context__code")),
    Field("description", "text", _("What happened"), "act_description",
          ("what happened", "act description", "что произошло"), max_length=20000,
          help_text=_("Encrypted before it is stored.")),
    Field("perpetrators", "text", _("Alleged perpetrators"), "perpetrators",
          ("alleged perpetrators", "исполнители", "предполагаемые исполнители"),
          max_length=2000,
          help_text=_("Names or descriptions; encrypted before they are stored.")),
)  # fmt: skip

RECORDS: dict[type, tuple[Field, ...]] = {Person: PERSON, Case: CASE, Allegation: ACT}


def field(record: tuple[Field, ...], name: str) -> Field:
    return next(f for f in record if f.name == name)


def names(record: tuple[Field, ...], *, kinds: set[str] | None = None) -> list[str]:
    return [f.name for f in record if kinds is None or f.kind in kinds]


def entered(record: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields a form offers and an action accepts."""
    return tuple(f for f in record if f.form)


def exchanged(record: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields with a column in imports and exports."""
    return tuple(f for f in record if f.column)


def dimensions() -> list[tuple[Field, Dimension]]:
    """Every statistics dimension, with the field it counts, act's fields first."""
    return [(f, f.dimension) for record in (ACT, PERSON, CASE) for f in record if f.dimension]


def action_arguments(record: tuple[Field, ...]) -> set[str]:
    """The arguments an action takes for the record's entered fields (groups one by one, a
    dated field with its precision)."""
    arguments = set()
    for f in entered(record):
        if f.kind == "groups":
            arguments |= set(Person.VULNERABLE_GROUPS)
        elif f.kind == "dated":
            arguments |= {f.name, f"{f.name}_precision"}
        else:
            arguments.add(f.name)
    return arguments
