"""Importing recommendations from a spreadsheet: UHRI's export, UPR Info's, or the template.

The file is read as the case import reads one (``cases.imports.read_table``: CSV or XLSX,
with its limits); columns are recognised by the schema's aliases (``schema.ROW_FIELDS``).
Every row is checked; the good ones are written in one transaction through the one writer
(``actions.save_recommendation``), so a re-import updates what changed and adds nothing, and
each rejected row is reported with its line and reason, never dropped in silence. A dry run
does the same and rolls it back. See docs/recommendations.md.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kuzot import countries
from kuzot.accounts.models import User
from kuzot.audit.log import Action, record
from kuzot.cases.imports import (
    YES_NO,
    Bad,
    Table,
    UnreadableFile,
    normalise,
    parse_date,
    read_table,
)
from kuzot.recommendations import actions
from kuzot.recommendations.forms import split_themes
from kuzot.recommendations.models import Mechanism
from kuzot.recommendations.schema import ROW_FIELDS, Field
from kuzot.spreadsheets import csv_bytes

__all__ = ["UnreadableFile", "read_table", "run_import", "guess_mapping", "Report"]

FIELD = {f.name: f for f in ROW_FIELDS}
ALIAS = {normalise(a): f.name for f in ROW_FIELDS for a in (f.name, f.column, *f.aliases)}
ISO3 = {"KGZ": "KG", "KAZ": "KZ", "TJK": "TJ", "UZB": "UZ", "TKM": "TM"}
# The symbol says the body: CAT/C/… the Committee, CAT/OP/… its Subcommittee, CCPR/… the
# Human Rights Committee. UPR and special procedures' reports are all A/HRC/…: not guessed.
SYMBOL_BODY = (
    ("CAT/OP/", Mechanism.SPT),
    ("CAT/", Mechanism.CAT),
    ("CCPR/", Mechanism.HRC),
    ("CEDAW/", Mechanism.CEDAW),
    ("CRC/", Mechanism.CRC),
)


def guess_mapping(headers: list[str]) -> list[str]:
    """The field each column fills ("" for a column not imported); a field once at most."""
    mapping, taken = [], set()
    for header in headers:
        name = ALIAS.get(normalise(header), "")
        mapping.append("" if name in taken else name)
        taken.add(name)
    return mapping


def check_mapping(mapping: list[str]) -> list[str]:
    problems = []
    if "text" not in mapping:
        problems.append(_("No column holds the text of the recommendations."))
    if not {"symbol", "mechanism"} & set(mapping):
        problems.append(_("No column holds the document's symbol or the mechanism."))
    return problems


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.isoformat()[:10]
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _choice(field: Field, value) -> str:
    words = {normalise(code): code for code, _label in field.choices.choices}
    words |= {normalise(w): code for code, spellings in field.words for w in spellings}
    words |= {normalise(label): code for code, label in field.choices.choices}
    text = _text(value).lstrip("- ")  # UHRI writes special procedures "- SR Torture"
    found = words.get(normalise(text))
    if found is None:
        raise Bad(_("“%(value)s” is not a known %(field)s") % {"value": text, "field": field.label})
    return found


def parse(field: Field, value):
    """One cell to the value the writer takes; raises Bad with the reason."""
    if field.kind in ("text", "long_text"):
        text = _text(value)
        if field.kind == "text" and len(text) > 500:
            raise Bad(_("longer than 500 characters"))
        return text
    if field.kind == "date":
        return parse_date(value)[0]
    if field.kind == "choice":
        return _choice(field, value)
    if field.kind == "country":
        text = _text(value)
        code = ISO3.get(text.upper()) or countries.code_of(text) or text.upper()
        if code not in ISO3.values():
            raise Bad(_("“%(value)s” is not a country Kuzot covers") % {"value": text})
        return code
    if field.kind == "themes":
        return split_themes(_text(value))
    if field.kind == "number":
        text = _text(value)
        if not text.isdigit() or not 1 <= int(text) <= 5:
            raise Bad(_("“%(value)s” is not a number from 1 to 5") % {"value": text})
        return int(text)
    if field.kind == "bool":
        found = YES_NO.get(normalise(_text(value)))
        if found is None:
            raise Bad(_("“%(value)s” is not yes or no") % {"value": _text(value)})
        return found
    if field.kind == "url":
        text = _text(value)
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise Bad(_("“%(value)s” is not a web address") % {"value": text}) from None
        return text
    raise ValueError(f"unknown kind {field.kind!r}")


def _completed(values: dict) -> dict:
    """What the symbol tells when a column is missing: the body and the country
    (CAT/C/KGZ/CO/3); a UPR Info row (no symbol) gets one from mechanism, country, cycle."""
    symbol = values.get("symbol", "")
    if not values.get("mechanism"):
        values["mechanism"] = next((m for p, m in SYMBOL_BODY if symbol.startswith(p)), "")
    if not values.get("country"):
        found = re.search(r"/({})/".format("|".join(ISO3)), symbol)
        values["country"] = ISO3[found[1]] if found else ""
    if not symbol and values.get("mechanism") and values.get("country"):
        values["symbol"] = " ".join(
            part
            for part in (values["mechanism"].upper(), values["country"], values.get("cycle"))
            if part
        )
    return values


@dataclass
class Row:
    line: int
    values: list
    reason: str = ""
    outcome: str = ""


@dataclass
class Report:
    headers: list[str]
    mapping: list[str]
    dry_run: bool = False
    rows: list[Row] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "added": self._count(actions.ADDED),
            "updated": self._count(actions.UPDATED),
            "unchanged": self._count(actions.UNCHANGED),
            "repeated": self._count("repeated"),
            "rejected": self._count("rejected"),
        }

    @property
    def rejected(self) -> list[Row]:
        return [row for row in self.rows if row.outcome in ("rejected", "repeated")]

    def rejected_csv(self) -> bytes:
        """The rejected rows as they were, with their line and the reason."""
        width = len(self.headers)
        return csv_bytes(
            [
                [*self.headers, "line", "reason"],
                *(
                    [*(_text(v) for v in row.values), *[""] * (width - len(row.values)),
                     row.line, row.reason]
                    for row in self.rejected
                ),
            ]
        )  # fmt: skip


class _DryRun(Exception):
    pass


def _values(row: Row, headers: list[str], mapping: list[str]) -> dict:
    values = {}
    for column, name in enumerate(mapping):
        if not name or column >= len(row.values) or row.values[column] in ("", None):
            continue
        try:
            values[name] = parse(FIELD[name], row.values[column])
        except Bad as bad:
            raise Bad(f"{headers[column]}: {bad}") from None
    values = _completed(values)
    for name in ("symbol", "mechanism", "country", "text"):
        if not values.get(name):
            raise Bad(_("%(field)s is missing") % {"field": FIELD[name].label})
    return values


def run_import(
    actor: User, table: Table, *, mapping: list[str] | None = None, dry_run: bool = False
) -> Report:
    """Check and write every row (see the module's docstring); with ``dry_run`` nothing stays."""
    if actor.role not in actions.IMPORTERS or actor.organisation_id is None:
        raise PermissionError(f"{actor.role} may not import recommendations")
    mapping = mapping or guess_mapping(table.headers)
    report = Report(table.headers, mapping, dry_run)
    if problems := check_mapping(mapping):
        raise UnreadableFile(" ".join(problems))
    first: dict[tuple, int] = {}
    try:
        with transaction.atomic():
            for line, values in table.rows:
                row = Row(line, values)
                report.rows.append(row)
                try:
                    parsed = _values(row, table.headers, mapping)
                    key = (
                        parsed["symbol"],
                        parsed.get("recommending_state", ""),
                        actions.recommendation_key(parsed.get("paragraph", ""), parsed["text"]),
                    )
                    if key in first:
                        row.outcome = "repeated"
                        row.reason = _("repeats line %(line)s") % {"line": first[key]}
                        continue
                    _found, row.outcome = actions.save_recommendation(actor, parsed)
                    first[key] = line
                except (Bad, actions.Invalid) as bad:
                    row.outcome, row.reason = "rejected", str(bad)
            record(
                actor,
                Action.CREATE,
                organisation=actor.organisation,
                detail={"recommendations_import": report.counts},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
