"""Each record's fields are declared once (cases.schema) and reach every consumer and the docs:
a field added to the declaration and missing anywhere fails here, by name."""

import re
from pathlib import Path

import pytest

from kuzot.cases import exports, forms, imports, schema
from kuzot.cases.models import Allegation, Case, Person
from kuzot.stats import queries

DOCS = Path(__file__).resolve().parents[2] / "docs"
RECORDS = {"person": schema.PERSON, "case": schema.CASE, "act": schema.ACT}
# What a record holds besides its declared fields: its owner, its links, its bookkeeping, the
# copies and derived values the writer keeps (cases.actions), the import's sealed references.
NOT_ENTERED = {
    Person: {"organisation", "created_at", "created_by"},
    Case: {"organisation", "reference", "import_fingerprint", "external_reference",
           "created_at", "created_by"},
    Allegation: {"case", "organisation", "victim"},
}  # fmt: skip


def declared() -> list[tuple[str, schema.Field]]:
    return [(f"{name}.{f.name}", f) for name, fields in RECORDS.items() for f in fields]


@pytest.mark.parametrize("model", list(schema.RECORDS), ids=lambda m: m.__name__)
def test_every_field_a_user_enters_is_declared(model):
    covered = set(NOT_ENTERED[model])
    for f in schema.RECORDS[model]:
        covered.add(f.name)
        if f.kind == "groups":
            covered |= set(Person.VULNERABLE_GROUPS)
        if f.kind == "dated":
            covered.add(f"{f.name}_precision")
    editable = {
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.editable and not f.primary_key
    }
    assert editable - covered == set(), "declare these in cases.schema"


def _form_fields(record) -> set[str]:
    if record is schema.PERSON:
        return set(forms.PersonForm().fields)
    if record is schema.CASE:
        return set(forms.CaseForm(user=_Nobody()).fields)
    return set(forms.AllegationForm(user=_Nobody(), victims=[]).fields)


class _Nobody:
    """A signed-out user: every choice list is empty, every field is there."""

    is_authenticated = False
    is_system_admin = False
    organisation_id = None


@pytest.mark.parametrize("name, field", declared(), ids=[name for name, _f in declared()])
def test_every_declared_field_reaches_every_consumer(name, field, db):
    record = next(r for r in RECORDS.values() if field in r)
    if field.form:
        assert field.name in _form_fields(record), f"{name}: not on its form"
    if not field.column:
        assert field.not_exchanged, f"{name}: give it a column, or say why it has none"
        return
    target = imports.TARGET.get(field.column)
    assert target is not None and target.field is field, f"{name}: not an import target"
    assert field.column in exports.REGISTER_COLUMNS, f"{name}: not an export column"
    assert (field.column in exports.IDENTITY_COLUMNS) == field.sealed
    table = (DOCS / "import.md").read_text()
    assert re.search(rf"^\| `{field.column}`", table, re.M), f"{name}: not in docs/import.md"


def test_the_register_form_offers_every_person_and_case_field(db):
    fields = set(forms.RegisterCaseForm(user=_Nobody()).fields)
    for record in (schema.PERSON, schema.CASE):
        assert {f.name for f in schema.entered(record)} <= fields


def test_the_act_form_offers_the_place_of_detention(db):
    assert "place_of_detention" in forms.AllegationForm(user=_Nobody(), victims=[]).fields


def test_every_statistics_dimension_is_a_declared_field_and_documented():
    declared_dimensions = {d.key: f for f, d in schema.dimensions()}
    assert set(queries.DIMENSIONS) == set(declared_dimensions)
    person_groups = schema.field(schema.PERSON, "groups")
    assert person_groups.kind == "groups" and set(queries.GROUPS) == set(Person.VULNERABLE_GROUPS)
    text = (DOCS / "statistics.md").read_text()
    for key in [*queries.DIMENSIONS, *queries.GROUPS]:
        assert re.search(rf"^\s*\|.*`{key}`", text, re.M), f"{key}: not in docs/statistics.md"
