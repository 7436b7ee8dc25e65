"""Labels of data in every language, as gettext PO files a translator can work on offline.

One entry per labelled row: a shipped term (``term:<vocabulary>:<code>``), an organisation's own
term (``term:<vocabulary>:<code>:<organisation>``), a place of detention (``place:<id>``), an
organisation's name (``organisation:<short name>``). The English label is the msgid, the Russian
one a comment beside it; a fuzzy entry is a suggestion still to be checked. Kuzot ships its
vocabularies' labels in `locale/<language>/LC_MESSAGES/vocabulary.po` (loaded by a migration and by
`kuzot translations import`), all marked as suggestions until a translator of the coalition
checks them.
"""

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django.db import transaction
from django.db.models import Q

from kuzot.accounts.models import Organisation
from kuzot.audit.log import record
from kuzot.cases.models import PlaceOfDetention, Term
from kuzot.languages import Labelled, Status, codes

LOCALE = Path(__file__).resolve().parent.parent / "locale"
IN_COLUMNS = ("en", "ru")


def shipped_file(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "vocabulary.po"


def translatable() -> list[str]:
    return [code for code in codes() if code not in IN_COLUMNS]


def context(row: Labelled) -> str:
    if isinstance(row, Term):
        own = f":{row.organisation.slug}" if row.organisation_id else ""
        return f"term:{row.vocabulary}:{row.code}{own}"
    if isinstance(row, PlaceOfDetention):
        return f"place:{row.pk}"
    return f"organisation:{row.slug}"


def rows(organisation: Organisation | None) -> list[Labelled]:
    """Shipped terms, and with an organisation its own terms, places and name."""
    terms = Term.objects.select_related("organisation")
    places = PlaceOfDetention.objects.all()
    if organisation is None:
        return list(terms.filter(organisation=None))
    shipped_or_own = Q(organisation=None) | Q(organisation=organisation)
    return [*terms.filter(shipped_or_own), *places.filter(shipped_or_own), organisation]


def export(language: str, organisation: Organisation | None) -> bytes:
    """The PO file of every label the organisation shows (shipped terms only, without one)."""
    catalog = Catalog(locale=language, project="Kuzot", fuzzy=False)
    for row in rows(organisation):
        columns = row.column_labels()
        entry = row.labels.get(language) or {}
        catalog.add(
            columns["en"],
            entry.get("text", ""),
            context=context(row),
            auto_comments=[f"ru: {columns['ru']}"] if columns.get("ru") else [],
            flags=["fuzzy"] if entry.get("status") == Status.SUGGESTED else [],
        )
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue()


@dataclass
class Applied:
    updated: int = 0
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)
    not_allowed: list[str] = field(default_factory=list)


def _find(context: str) -> Labelled | None:
    kind, _, rest = context.partition(":")
    if kind == "term":
        vocabulary, _, code = rest.partition(":")
        code, _, owner = code.partition(":")
        terms = Term.objects.filter(vocabulary=vocabulary, code=code)
        terms = terms.filter(organisation__slug=owner) if owner else terms.filter(organisation=None)
        return terms.first()
    if kind == "place" and rest.isdigit():
        return PlaceOfDetention.objects.filter(pk=int(rest)).first()
    if kind == "organisation":
        return Organisation.objects.filter(slug=rest).first()
    return None


def owner(row: Labelled) -> Organisation | None:
    return row if isinstance(row, Organisation) else row.organisation


def import_labels(
    actor, data: bytes, language: str, *, organisation: Organisation | None
) -> Applied:
    """Apply a PO file's labels. With an organisation, only rows of that organisation change
    (shipped rows are reported as not allowed); without one (the server's operator), any row.
    An empty translation changes nothing: a label is removed on the translation screen."""
    if language not in translatable():
        raise ValueError(f"{language!r} is not one of {', '.join(translatable())}")
    catalog = read_po(BytesIO(data), abort_invalid=True)
    applied = Applied()
    with transaction.atomic():
        for message in catalog:
            if not message.id or not message.context:
                continue
            text = message.string if isinstance(message.string, str) else message.string[0]
            if not text.strip():
                applied.unchanged += 1
                continue
            row = _find(message.context)
            if row is None:
                applied.not_found.append(message.context)
                continue
            status = Status.SUGGESTED if message.fuzzy else Status.TRANSLATED
            if row.labels.get(language) == {"text": text.strip(), "status": status}:
                applied.unchanged += 1
                continue
            if organisation is not None and owner(row) != organisation:
                applied.not_allowed.append(message.context)
                continue
            row.set_label(language, text, status)
            row.save(update_fields=["labels"])
            applied.updated += 1
        if applied.updated:
            record(
                actor,
                "labels.imported",
                organisation=organisation,
                detail={"language": language, "updated": applied.updated},
            )
    return applied


def translate(actor, row: Labelled, language: str, text: str, status: str) -> None:
    """One label, from the translation screen."""
    row.set_label(language, text, status)
    with transaction.atomic():
        row.save(update_fields=["labels"])
        record(
            actor,
            "label.changed",
            row,
            organisation=owner(row),
            detail={"language": language, "status": status if text.strip() else "missing"},
        )


def load_shipped(term_model) -> None:
    """Put the shipped labels on the shipped terms; used by a data migration."""
    terms = {(t.vocabulary, t.code): t for t in term_model.objects.filter(organisation=None)}
    for language in translatable():
        if not shipped_file(language).exists():
            continue
        with shipped_file(language).open("rb") as po:
            catalog = read_po(po)
        for message in catalog:
            _kind, vocabulary, code = (message.context or "::").split(":")[:3]
            term = terms.get((vocabulary, code))
            if term is not None and message.string:
                status = Status.SUGGESTED if message.fuzzy else Status.TRANSLATED
                term.labels = {**term.labels, language: {"text": message.string, "status": status}}
    term_model.objects.bulk_update(terms.values(), ["labels"])
