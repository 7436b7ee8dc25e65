"""The register of places of detention, and the organisations' own vocabulary terms.

A place (police station, IVS, SIZO, colony, psychiatric hospital …) is reference data about an
institution, in the clear. Like a vocabulary term it belongs to the organisation whose
coordinator recorded it: its members see it and name it on acts (and a register import finds
it), its coordinators edit it; places without an organisation are shared by all. Monitoring
visits (issue 14) attach to these places.

Coordinators also add terms to their organisation's vocabularies (shipped terms are shared and
not edited); a term in use is retired (``active``), never deleted, so that the acts and
statistics that name it keep it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kuzot.accounts.models import Role, User
from kuzot.audit.log import Action, record
from kuzot.cases.actions import _require
from kuzot.cases.imports import Table
from kuzot.cases.models import PlaceOfDetention, Term

PLACE_FIELDS = (
    "name_en",
    "name_ru",
    "country",
    "region",
    "kind",
    "authority",
    "address",
    "capacity",
)
COORDINATORS = frozenset({Role.COORDINATOR})


def _check_place(values: dict) -> None:
    unknown = set(values) - set(PLACE_FIELDS)
    if unknown:
        raise TypeError(f"not a field of a place: {sorted(unknown)}")
    if not (values.get("name_en") or values.get("name_ru")):
        raise ValueError("a place has a name")
    for name, vocabulary in (
        ("kind", Term.Vocabulary.PLACE_TYPE),
        ("region", Term.Vocabulary.REGION),
        ("authority", Term.Vocabulary.AGENCY),
    ):
        term = values.get(name)
        if term is not None and term.vocabulary != vocabulary:
            raise ValueError(f"{name}: a term of the {vocabulary} vocabulary")


def _named(values: dict) -> dict:
    """A name given in one language stands for both until the other is given."""
    values = dict(values)
    values["name_en"] = (values.get("name_en") or values.get("name_ru") or "").strip()
    values["name_ru"] = (values.get("name_ru") or values["name_en"]).strip()
    values["country"] = (values.get("country") or "").upper()
    return values


def create_place(actor: User, **values) -> PlaceOfDetention:
    _require(actor, COORDINATORS, actor.organisation_id)
    _check_place(values)
    with transaction.atomic():
        place = PlaceOfDetention.objects.create(
            organisation_id=actor.organisation_id, **_named(values)
        )
        record(actor, Action.CREATE, place)
    return place


def update_place(actor: User, place: PlaceOfDetention, **values) -> PlaceOfDetention:
    _require(actor, COORDINATORS, place.organisation_id)
    _check_place({**{name: getattr(place, name) for name in PLACE_FIELDS}, **values})
    changed = sorted(name for name, value in values.items() if getattr(place, name) != value)
    if not changed:
        return place
    with transaction.atomic():
        current = {n: getattr(place, n) for n in PLACE_FIELDS}
        for name, value in _named({**current, **values}).items():
            setattr(place, name, value)
        place.save()
        record(actor, Action.UPDATE, place, detail={"fields": changed})
    return place


# --- Importing a list of places ------------------------------------------------------------

# Column headers read, lower-cased, for each field (English and Russian).
PLACE_COLUMNS = {
    "name_en": ("name_en", "name", "name (english)", "название (англ.)"),
    "name_ru": ("name_ru", "name (russian)", "название", "наименование"),
    "country": ("country", "страна"),
    "region": ("region", "регион", "область"),
    "kind": ("kind", "type", "place_type", "тип", "вид"),
    "authority": ("authority", "agency", "ведомство", "орган"),
    "address": ("address", "адрес"),
    "capacity": ("capacity", "лимит", "вместимость"),
}


@dataclass
class PlaceProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PlacesReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[PlaceProblem] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _term_finder(user: User, vocabulary: str):
    """A term of the vocabulary by its code or either label, ignoring case."""
    found: dict[tuple[str, str], Term] = {}
    terms = Term.objects.filter(vocabulary=vocabulary).filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id)
    )
    for term in terms:
        for key in (term.code, term.label_en, term.label_ru):
            found.setdefault((term.country, key.casefold()), term)
            found.setdefault(("", key.casefold()), term)
    return lambda text, country="": (
        found.get((country, text.casefold()))
        or (None if country else found.get(("", text.casefold())))
    )


def read_places(user: User, table: Table) -> tuple[list[tuple[int, dict]], list[PlaceProblem]]:
    """Each row of a spreadsheet as a place's values, or the problems of each bad row (line,
    column, why)."""
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        for name, aliases in PLACE_COLUMNS.items():
            if _text(header).casefold() in aliases and name not in columns:
                columns[name] = index
    problems: list[PlaceProblem] = []
    if "name_en" not in columns and "name_ru" not in columns:
        problems.append(PlaceProblem(1, "name", _("the file has no column with the name")))
    for name in ("country", "kind"):
        if name not in columns:
            problems.append(PlaceProblem(1, PLACE_COLUMNS[name][0], _("the column is missing")))
    if problems:
        return [], problems
    finders = {
        "kind": _term_finder(user, Term.Vocabulary.PLACE_TYPE),
        "region": _term_finder(user, Term.Vocabulary.REGION),
        "authority": _term_finder(user, Term.Vocabulary.AGENCY),
    }
    places = []
    for line, cells in table.rows:

        def cell(name: str, cells: list = cells) -> str:
            index = columns.get(name)
            return _text(cells[index]) if index is not None and index < len(cells) else ""

        values, bad = {}, []
        for name in ("name_en", "name_ru", "address"):
            values[name] = cell(name)
        header = table.headers
        if not (values["name_en"] or values["name_ru"]):
            bad.append(PlaceProblem(line, "name", _("the place has no name")))
        for name, limit in (("name_en", 300), ("name_ru", 300), ("address", 500)):
            if len(values[name]) > limit:
                column = header[columns[name]]
                bad.append(PlaceProblem(line, column, _("longer than %(n)s") % {"n": limit}))
        country = cell("country").upper()
        if len(country) != 2 or not country.isalpha():
            message = _("“%(value)s” is not a two-letter country code") % {"value": country}
            bad.append(PlaceProblem(line, header[columns["country"]], message))
        values["country"] = country
        for name in ("kind", "region", "authority"):
            text = cell(name)
            if not text:
                values[name] = None
                if name == "kind":
                    message = _("the type of place is missing")
                    bad.append(PlaceProblem(line, header[columns[name]], message))
                continue
            term = finders[name](text, country if name == "region" else "")
            if term is None:
                message = _("“%(value)s” is not in the list") % {"value": text}
                bad.append(PlaceProblem(line, header[columns[name]], message))
            values[name] = term
        capacity = cell("capacity")
        values["capacity"] = None
        if capacity:
            if capacity.isdigit():
                values["capacity"] = int(capacity)
            else:
                message = _("“%(value)s” is not a whole number") % {"value": capacity}
                bad.append(PlaceProblem(line, header[columns["capacity"]], message))
        if bad:
            problems += bad
        else:
            places.append((line, _named(values)))
    return places, problems


def import_places(actor: User, table: Table, *, dry_run: bool = False) -> PlacesReport:
    """Load a list of places: all rows or, when a row is wrong, none (every problem listed).
    A place of the organisation with the same country and English name is updated."""
    _require(actor, COORDINATORS, actor.organisation_id)
    places, problems = read_places(actor, table)
    report = PlacesReport(problems=problems)
    if problems or dry_run:
        return report
    own = {
        (p.country, p.name_en.casefold()): p
        for p in PlaceOfDetention.objects.filter(organisation_id=actor.organisation_id)
    }
    with transaction.atomic():
        for _line, values in places:
            existing = own.get((values["country"], values["name_en"].casefold()))
            if existing is None:
                own[(values["country"], values["name_en"].casefold())] = create_place(
                    actor, **values
                )
                report.created += 1
            elif any(getattr(existing, k) != v for k, v in values.items()):
                update_place(actor, existing, **values)
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# --- The organisation's vocabulary terms ---------------------------------------------------


def _free_code(organisation_id: int, vocabulary: str, label: str) -> str:
    base = slugify(label)[:50] or vocabulary
    taken = set(
        Term.objects.filter(vocabulary=vocabulary)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .values_list("code", flat=True)
    )
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def add_term(
    actor: User, *, vocabulary: str, label_en: str, label_ru: str, country: str = ""
) -> Term:
    """A term of the actor's organisation's own, beside the shipped ones."""
    _require(actor, COORDINATORS, actor.organisation_id)
    if vocabulary not in Term.Vocabulary.values:
        raise ValueError(f"no vocabulary {vocabulary!r}")
    label_en, label_ru = label_en.strip(), label_ru.strip()
    if not (label_en or label_ru):
        raise ValueError("a term has a label")
    label_en, label_ru = label_en or label_ru, label_ru or label_en
    if vocabulary == Term.Vocabulary.REGION and not country:
        raise ValueError("a region belongs to a country")
    with transaction.atomic():
        term = Term.objects.create(
            vocabulary=vocabulary,
            code=_free_code(actor.organisation_id, vocabulary, label_en),
            label_en=label_en,
            label_ru=label_ru,
            country=country.upper() if vocabulary == Term.Vocabulary.REGION else "",
            organisation_id=actor.organisation_id,
            position=1000,
        )
        record(actor, Action.CREATE, term)
    return term


def update_term(
    actor: User, term: Term, *, label_en: str, label_ru: str, active: bool = True
) -> Term:
    """Relabel or retire one of the organisation's own terms (a retired term is offered no
    more; the acts that name it keep it)."""
    if term.organisation_id is None:
        raise PermissionError("shipped terms are shared by every organisation")
    _require(actor, COORDINATORS, term.organisation_id)
    label_en, label_ru = label_en.strip(), label_ru.strip()
    if not (label_en or label_ru):
        raise ValueError("a term has a label")
    with transaction.atomic():
        term.label_en, term.label_ru = label_en or label_ru, label_ru or label_en
        term.active = active
        term.save()
        record(actor, Action.UPDATE, term, detail={"active": active})
    return term
