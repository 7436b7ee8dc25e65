"""Importing a case register from a spreadsheet (CSV or XLSX): independent of the web.

Reading (``read_table``) → mapping columns to fields (``guess_mapping``, editable) → checking
every row fully (``check_rows``) → writing the good rows in batches, each batch one transaction
(``run_import``). A row's import key (a keyed digest of its fingerprint) makes a re-import add
nothing. See docs/import.md.
"""

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from xml.etree import ElementTree

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuzot import countries
from kuzot.accounts.models import User
from kuzot.accounts.vault import Vault, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases import actions, schema
from kuzot.cases.models import (
    Allegation,
    Case,
    Consent,
    LegalEvent,
    PendingImport,
    PlaceOfDetention,
    Sex,
    Term,
)
from kuzot.spreadsheets import csv_bytes, read_cell

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# What an import reads at most, checked before or while parsing, so that a small file cannot
# unpack into gigabytes (a 365 KB XLSX zip bomb took 2.7 GB and 314 s): a register of 100,000
# rows of this application's 40 columns unpacks to about 130 MB.
MAX_IMPORT_LINES = 100_001  # the header and 100,000 rows
MAX_IMPORT_COLUMNS = 200
MAX_IMPORT_VALUES = 5_000_000
MAX_XLSX_UNPACKED = 256 * 1024 * 1024  # all parts of the workbook together
MAX_XLSX_PART = 16 * 1024 * 1024  # a part read whole: the workbook, its relations, its styles
BATCH_SIZE = 500
EXCEL_EPOCH = date(1899, 12, 30)

# --- The fields a column can hold ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    kind: str  # a declared field's kind (cases.schema), or consent, manner, event_date …
    aliases: tuple[str, ...] = ()
    vocabulary: str = ""
    scope: str = ""
    event: str = ""
    required: bool = False
    field: schema.Field | None = None  # the declared field it fills, if any


def _t(name, label, kind, *aliases, **options) -> Target:
    return Target(name, label, kind, aliases, **options)


def _declared(record: tuple[schema.Field, ...]) -> list[Target]:
    return [
        Target(
            f.column,
            f.target_label,
            f.kind,
            f.aliases,
            vocabulary=f.vocabulary,
            required=f.required and record is not schema.ACT,  # an act is optional
            field=f,
        )
        for f in schema.exchanged(record)
    ]


V = Term.Vocabulary
K = LegalEvent.Kind
S = Consent.Scope

TARGETS: list[Target] = [
    _t("reference", gettext_lazy("reference"), "text", "ref", "case no", "case number",
       "no", "номер", "номер дела", "номер случая", "шифр", "рег номер"),
    *_declared(schema.CASE),
    *_declared(schema.PERSON),
    *_declared(schema.ACT),
    *[
        _t(f"consent_{scope}", label, "consent", *aliases, scope=scope)
        for scope, label, aliases in (
            (S.DOCUMENTATION, gettext_lazy("consent: documentation"),
             ("consent", "consent documentation", "согласие", "согласие на документирование")),
            (S.STATISTICS, gettext_lazy("consent: statistics"),
             ("consent statistics", "согласие на статистику")),
            (S.PUBLICATION, gettext_lazy("consent: publication"),
             ("consent publication", "согласие на публикацию")),
            (S.UN_BODIES, gettext_lazy("consent: UN bodies"),
             ("consent un", "consent un bodies", "согласие на оон")),
            (S.SHARING, gettext_lazy("consent: sharing"),
             ("consent sharing", "согласие на передачу")),
            (S.PHONE, gettext_lazy("consent: phone"),
             ("consent phone", "согласие на звонки")),
            (S.LINKAGE, gettext_lazy("consent: linkage"),
             ("consent linkage", "согласие на сопоставление")),
        )
    ],
    _t("consent_date", gettext_lazy("consent date"), "date", "date of consent",
       "дата согласия"),
    _t("consent_manner", gettext_lazy("consent manner"), "manner", "how consent was given",
       "форма согласия"),
    _t("complaint_date", gettext_lazy("complaint lodged on"), "event_date", "complaint",
       "complaint lodged", "date of complaint", "дата жалобы", "жалоба подана",
       "дата подачи жалобы", event=K.COMPLAINT_LODGED),
    _t("complaint_body", gettext_lazy("complaint lodged with"), "term", "complained to",
       "орган жалобы", "куда подана жалоба", "жалоба куда", vocabulary=V.COMPLAINT_BODY),
    _t("complaint_refused_date", gettext_lazy("complaint refused on"), "event_date",
       "complaint refused", "отказ в регистрации", "дата отказа в регистрации",
       event=K.COMPLAINT_REFUSED),
    _t("criminal_case_date", gettext_lazy("criminal case opened on"), "event_date",
       "criminal case", "criminal case opened", "уголовное дело",
       "дата возбуждения уголовного дела", "возбуждено уголовное дело",
       event=K.CRIMINAL_CASE_OPENED),
    _t("criminal_case_refused_date", gettext_lazy("criminal case refused on"), "event_date",
       "criminal case refused", "refusal to open criminal case", "отказ в возбуждении",
       "дата отказа в возбуждении уголовного дела", event=K.CRIMINAL_CASE_REFUSED),
    _t("court_date", gettext_lazy("sent to court on"), "event_date", "court",
       "indictment", "передано в суд", "дата направления в суд", event=K.INDICTMENT),
    _t("verdict_date", gettext_lazy("verdict date"), "date", "date of verdict",
       "дата приговора", "дата решения суда"),
    _t("verdict", gettext_lazy("verdict"), "verdict", "judgment", "outcome", "приговор",
       "решение суда"),
    _t("compensation_date", gettext_lazy("compensation awarded on"), "event_date",
       "compensation awarded", "дата присуждения компенсации", "компенсация присуждена",
       event=K.COMPENSATION_AWARDED),
    _t("compensation_amount", gettext_lazy("compensation amount"), "amount", "amount",
       "сумма компенсации", "сумма"),
    _t("compensation_currency", gettext_lazy("compensation currency"), "currency",
       "currency", "валюта"),
    _t("compensation_paid_date", gettext_lazy("compensation paid on"), "event_date",
       "compensation paid", "компенсация выплачена", "дата выплаты компенсации",
       event=K.COMPENSATION_PAID),
    _t("un_communication_date", gettext_lazy("communication to a UN body on"), "event_date",
       "un communication", "сообщение в оон", "дата сообщения в оон",
       event=K.UN_COMMUNICATION),
]  # fmt: skip
TARGET = {t.name: t for t in TARGETS}

GROUP_WORDS = {
    "minor": ("minor", "child", "несовершеннолетний", "несовершеннолетняя", "ребенок"),
    "disability": ("disability", "disabled", "person with disability", "инвалидность",
                   "инвалид", "лицо с инвалидностью", "овз"),
    "lgbti": ("lgbti", "lgbt", "лгбти", "лгбт"),
    "migrant": ("migrant", "мигрант", "мигрантка", "трудовой мигрант"),
    "defender": ("defender", "human rights defender", "journalist", "правозащитник",
                 "правозащитница", "журналист", "журналистка"),
    "ethnic_minority": ("ethnic minority", "minority", "этническое меньшинство",
                        "нацменьшинство", "меньшинство"),
}  # fmt: skip
SEX_WORDS = {
    Sex.FEMALE: ("f", "female", "woman", "ж", "жен", "женский", "женщина"),
    Sex.MALE: ("m", "male", "man", "м", "муж", "мужской", "мужчина"),
    Sex.OTHER: ("x", "other", "другой", "иной"),
    Sex.UNKNOWN: ("unknown", "неизвестно", "?"),
}
YES = ("yes", "y", "1", "true", "+", "да", "д", "given", "дано", "согласен", "согласна")
NO = ("no", "n", "0", "false", "-", "нет", "н", "withdrawn", "отозвано", "не согласен")
VERDICT_WORDS = {
    K.CONVICTION_TORTURE: ("conviction", "convicted", "conviction torture", "torture",
                           "обвинительный", "осужден", "осуждены", "пытки", "ст пытки"),
    K.CONVICTION_LESSER: ("conviction lesser", "lesser", "requalified", "lesser article",
                          "переквалифицирован", "превышение полномочий", "другая статья"),
    K.ACQUITTAL: ("acquittal", "acquitted", "оправдательный", "оправдан", "оправданы"),
}  # fmt: skip
MANNER_WORDS = {
    Consent.Manner.WRITTEN: ("written", "in writing", "письменно", "письменное"),
    Consent.Manner.ORAL: ("oral", "orally", "устно", "устное"),
    Consent.Manner.RECORDED: ("recorded", "recording", "audio", "video", "запись"),
    Consent.Manner.ONLINE: ("online", "онлайн"),
    Consent.Manner.REPRESENTATIVE: ("representative", "relative", "представитель"),
}
STATUS_WORDS = {
    Case.Status.OPEN: ("open", "active", "открыт", "открыто", "в работе"),
    Case.Status.MONITORING: ("monitoring", "мониторинг"),
    Case.Status.CLOSED_REDRESS: ("closed redress", "redress", "закрыт с возмещением"),
    Case.Status.CLOSED: ("closed", "закрыт", "закрыто"),
    Case.Status.WITHDRAWN: ("withdrawn", "отозван", "отозвано"),
}


@lru_cache(maxsize=100_000)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def normalise(text) -> str:
    """Case- and punctuation-insensitive form of a header or a value."""
    return _normalise(str(text))


def _words(table: dict) -> dict[str, str]:
    return {normalise(word): key for key, words in table.items() for word in (key, *words)}


GROUP_OF, SEX_OF, VERDICT_OF = _words(GROUP_WORDS), _words(SEX_WORDS), _words(VERDICT_WORDS)
MANNER_OF = _words(MANNER_WORDS)
EXTRA_CHOICE_WORDS = {"status": STATUS_WORDS}


@cache
def _choice_words(name: str) -> dict[str, str]:
    """A case's choice field's words: its codes, its labels in English and Russian (what an
    export writes), and any extra words."""
    words: dict[str, set] = {}
    for code, label in Case._meta.get_field(name).choices:
        if not code:
            continue
        for language in ("en", "ru"):
            with translation.override(language):
                words.setdefault(code, set()).add(str(label))
    for code, extra in EXTRA_CHOICE_WORDS.get(name, {}).items():
        words.setdefault(code, set()).update(extra)
    return _words(words)


YES_NO = {**{normalise(w): True for w in YES}, **{normalise(w): False for w in NO}}


def target_choices() -> list[tuple[str, str]]:
    return [("", _("— do not import —"))] + [(t.name, str(t.label)) for t in TARGETS]


# --- Reading -------------------------------------------------------------------------------


class UnreadableFile(Exception):
    """Not a CSV or XLSX file this importer can read."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (line as the spreadsheet numbers it, cell values)
    sheets: list[str] = field(default_factory=list)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1251 (what Excel in Russian saves)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _trim(values: list) -> list:
    """Cells stripped, empty ones as "", without the empty ones at the end of the row."""
    trimmed = ["" if v is None else (v.strip() if isinstance(v, str) else v) for v in values]
    while trimmed and trimmed[-1] == "":
        trimmed.pop()
    return trimmed


def read_table(data: bytes, filename: str = "", sheet: str | None = None) -> Table:
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, sheet)
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))

    def records():
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise UnreadableFile(str(error)) from error

    return _table(records())


def _too_long() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(rows)s rows: import it in parts.")
        % {"rows": f"{MAX_IMPORT_LINES - 1:,}"}
    )


def _too_wide(column: int) -> UnreadableFile:
    return UnreadableFile(
        _("A row has a value in column %(column)s; an import reads %(limit)s columns at most.")
        % {"column": column, "limit": MAX_IMPORT_COLUMNS}
    )


def _table(numbered: Iterable[tuple[int, list]], sheets=None) -> Table:
    """The header and the non-empty rows, within the limits of what an import reads."""
    headers, rows, values_read = None, [], 0
    for line, values in numbered:
        if line > MAX_IMPORT_LINES:
            raise _too_long()
        values = _trim(list(values))
        if not values:
            continue
        if len(values) > MAX_IMPORT_COLUMNS:
            raise _too_wide(len(values))
        values_read += len(values)
        if values_read > MAX_IMPORT_VALUES:
            raise UnreadableFile(
                _("The file holds more than %(values)s values: import it in parts.")
                % {"values": f"{MAX_IMPORT_VALUES:,}"}
            )
        if headers is None:
            headers = [str(v) for v in values]
            continue
        rows.append((line, values))
    if headers is None:
        raise UnreadableFile(_("The file has no header row."))
    return Table(headers, rows, sheets or [])


def _unreadable() -> UnreadableFile:
    return UnreadableFile(_("This is not a readable XLSX file."))


def _open_xlsx(data: bytes) -> zipfile.ZipFile:
    """The workbook's archive, once its central directory shows that it unpacks within the
    limits: zipfile never unpacks a part beyond the size the directory declares for it."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _unreadable() from error
    if any(p.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for p in parts):
        raise _unreadable()  # Excel only stores or deflates; other methods unpack unbounded
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile(
            _(
                "Unpacked, this workbook takes %(size)s MB, more than the %(limit)s MB an "
                "import reads: save the register's sheet alone, or import it in parts."
            )
            % {"size": unpacked // 2**20, "limit": MAX_XLSX_UNPACKED // 2**20}
        )
    return book


def _read_xlsx(data: bytes, sheet: str | None) -> Table:
    """The sheet's cells: a streaming read of the sheet's XML (several times faster than
    openpyxl's read-only mode, which took most of a 10,000-row import), falling back to
    openpyxl for workbooks this reader does not understand."""
    book = _open_xlsx(data)
    try:
        return _read_xlsx_stream(book, sheet)
    except UnreadableFile:
        raise
    except Exception:  # noqa: S110 (an unusual workbook: openpyxl decides)
        pass
    return _read_xlsx_openpyxl(data, sheet)


def _read_xlsx_openpyxl(data: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _unreadable() from error
    try:
        names = book.sheetnames
        if sheet and sheet not in names:
            message = _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet}
            raise UnreadableFile(message)
        worksheet = book[sheet] if sheet else book[names[0]]
        # One column past the limit, to tell a value there; never the sheet's claimed width.
        cells = worksheet.iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS + 1)
        return _table(enumerate(cells, start=1), names)
    except UnreadableFile:
        raise
    except Exception as error:  # a damaged sheet fails while it is read
        raise _unreadable() from error
    finally:
        book.close()


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DATE_FORMAT_IDS = {*range(14, 23), 45, 46, 47}


def _part(book: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small part of the workbook, parsed whole (the sheet and its strings are streamed)."""
    if book.getinfo(name).file_size > MAX_XLSX_PART:
        raise _unreadable()
    return ElementTree.fromstring(book.read(name))  # noqa: S314 (a zip member, bounded)


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a date."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = _part(book, "xl/styles.xml")
    custom = {}
    for fmt in styles.iter(f"{MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode", "")).lower()
        custom[int(fmt.get("numFmtId"))] = bool(re.search(r"[dy]", code)) and "#" not in code
    found = set()
    xfs = styles.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        number_format = int(xf.get("numFmtId", 0))
        if number_format in DATE_FORMAT_IDS or custom.get(number_format):
            found.add(index)
    return found


def _column(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings, streamed: only the strings stay in memory."""
    shared: list[str] = []
    if "xl/sharedStrings.xml" not in book.namelist():
        return shared
    with book.open("xl/sharedStrings.xml") as stream:
        for _event, item in ElementTree.iterparse(stream):  # noqa: S314
            if item.tag != f"{MAIN}si":
                continue
            shared.append(
                "".join(
                    t.text or ""
                    for part in item
                    for t in ([part] if part.tag == f"{MAIN}t" else part.iter(f"{MAIN}t"))
                    if part.tag != f"{MAIN}rPh"
                )
            )
            item.clear()
    return shared


def _read_xlsx_stream(book: zipfile.ZipFile, sheet: str | None) -> Table:
    try:
        workbook = _part(book, "xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise _unreadable() from error
    sheets = [(s.get("name"), s.get(f"{RELATIONSHIP}id")) for s in workbook.iter(f"{MAIN}sheet")]
    names = [name for name, _rid in sheets]
    if sheet and sheet not in names:
        raise UnreadableFile(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
    wanted = dict(sheets)[sheet or names[0]]
    relations = _part(book, "xl/_rels/workbook.xml.rels")
    target = next(r.get("Target") for r in relations if r.get("Id") == wanted)
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    shared = _shared_strings(book)
    dates = _date_styles(book)

    def cells(row):
        values = []
        for cell in row:
            if cell.tag != f"{MAIN}c":
                continue
            reference = cell.get("r")
            column = _column(reference) if reference else len(values)
            kind, value = cell.get("t", "n"), cell.find(f"{MAIN}v")
            text = value.text if value is not None else None
            if kind == "s" and text is not None:
                result = shared[int(text)]
            elif kind == "inlineStr":
                result = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
            elif kind in ("str", "e") or text is None:
                result = "" if kind == "e" or text is None else text
            elif kind == "b":
                result = text == "1"
            else:
                number = float(text)
                if int(cell.get("s", 0)) in dates:
                    moment = datetime(1899, 12, 30) + timedelta(days=number)
                    result = moment.date() if number.is_integer() else moment
                else:
                    result = int(number) if number.is_integer() else number
            if result == "":
                continue  # nothing to place: an empty cell widens no row
            if column >= MAX_IMPORT_COLUMNS:
                raise _too_wide(column + 1)
            values.extend([""] * (column - len(values)))
            values.append(result)
        return values

    def numbered():
        count = 0
        with book.open(path) as stream:
            for _event, element in ElementTree.iterparse(stream):  # noqa: S314
                if element.tag == f"{MAIN}row":
                    count = int(element.get("r", count + 1))
                    yield count, cells(element)
                    element.clear()

    return _table(numbered(), names)


# --- Mapping -------------------------------------------------------------------------------


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for target in TARGETS:
        for word in (target.name, target.name.replace("_", " "), *target.aliases):
            index.setdefault(normalise(word), target.name)
    return index


def guess_mapping(headers: list[str]) -> list[str]:
    """A field for each column (or "") from its header, English or Russian; each field once."""
    index = _alias_index()
    with_labels = dict(index)
    for target in TARGETS:
        with_labels.setdefault(normalise(str(target.label)), target.name)
    mapping, used = [], set()
    for header in headers:
        name = with_labels.get(normalise(header), "")
        if name in used:
            name = ""
        used.add(name)
        mapping.append(name)
    return mapping


def check_mapping(mapping: list[str]) -> list[str]:
    """Problems with a mapping as a whole (a required field not mapped, a field twice)."""
    problems = []
    chosen = [m for m in mapping if m]
    for name in sorted({m for m in chosen if chosen.count(m) > 1}):
        problems.append(_("“%(field)s” is chosen for two columns.") % {"field": TARGET[name].label})
    for target in TARGETS:
        if target.required and target.name not in chosen:
            problems.append(
                _("Choose the column that holds “%(field)s”.") % {"field": target.label}
            )
    unknown = set(chosen) - set(TARGET)
    if unknown:
        problems.append(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return problems


# --- Checking rows -------------------------------------------------------------------------


class Bad(Exception):
    """A value that cannot be imported; the message says why."""


def parse_date(value) -> tuple[date, str]:
    """(date, precision) from ISO, dd.mm.yyyy, mm.yyyy, yyyy, or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date(), Allegation.Precision.DAY
    if isinstance(value, date):
        return value, Allegation.Precision.DAY
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value)), Allegation.Precision.DAY
        raise Bad(_("“%(value)s” is not a date") % {"value": value})
    text = str(value).strip()
    text = re.sub(r"\s*(г|г\.|года|y)\.?$", "", text)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", text):
            return date(int(m[1]), int(m[2]), int(m[3])), Allegation.Precision.DAY
        if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1])), Allegation.Precision.DAY
        if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", text):
            return date(int(m[2]), int(m[1]), 1), Allegation.Precision.MONTH
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), 1), Allegation.Precision.MONTH
        if m := re.fullmatch(r"(\d{4})", text):
            return date(int(m[1]), 1, 1), Allegation.Precision.YEAR
        if m := re.fullmatch(r"(\d{5})(?:\.0+)?", text):
            return EXCEL_EPOCH + timedelta(days=int(m[1])), Allegation.Precision.DAY
    except ValueError:
        pass
    raise Bad(_("“%(value)s” is not a date (write 2024-05-31 or 31.05.2024)") % {"value": text})


def _not_future(day: date) -> date:
    if day > date.today():
        raise Bad(_("%(date)s is in the future") % {"date": day.isoformat()})
    if day.year < 1900:
        raise Bad(_("%(date)s is too early") % {"date": day.isoformat()})
    return day


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def _split(value) -> list[str]:
    """Parts separated by ``;``, ``,`` or line breaks, but not inside parentheses (labels
    such as "Suffocation (bag, gas mask)" keep their comma)."""
    parts, current, depth = [], [], 0
    for char in _text(value):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char in ";,\n" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


class Vocabularies:
    """Terms and places of an organisation, found by code, English or Russian label."""

    STRIP = re.compile(r"\b(область|обл|oblast|region|регион|province)\b")

    def __init__(self, organisation_id: int):
        self.terms: dict[str, dict[str, Term]] = {}
        terms = Term.objects.filter(
            Q(organisation=None) | Q(organisation_id=organisation_id), active=True
        ).order_by(F("organisation_id").asc(nulls_first=True), "position")
        for term in terms:
            index = self.terms.setdefault(term.vocabulary, {})
            for word in (term.code, term.label_en, term.label_ru):
                index.setdefault(normalise(word), term)
        for index in self.terms.values():
            for word, term in list(index.items()):
                short = " ".join(self.STRIP.sub(" ", word).split())
                if short:
                    index.setdefault(short, term)
        self.places: dict[str, PlaceOfDetention] = {}
        places = PlaceOfDetention.objects.filter(
            Q(organisation=None) | Q(organisation_id=organisation_id)
        )
        for place in places:
            for word in (place.name_en, place.name_ru):
                self.places.setdefault(normalise(word), place)

    def term(self, vocabulary: str, value) -> Term:
        key = normalise(_text(value))
        found = self.terms.get(vocabulary, {}).get(key)
        if found is None:
            found = self.terms.get(vocabulary, {}).get(" ".join(self.STRIP.sub(" ", key).split()))
        if found is None:
            raise Bad(_("“%(value)s” is not a known term") % {"value": _text(value)})
        return found

    def place(self, value) -> PlaceOfDetention:
        found = self.places.get(normalise(_text(value)))
        if found is None:
            raise Bad(_("“%(value)s” is not a known place of detention") % {"value": _text(value)})
        return found


def _choice(table: dict[str, str], value, what: str) -> str:
    found = table.get(normalise(_text(value)))
    if found is None:
        raise Bad(_("“%(value)s” is not a known %(what)s") % {"value": _text(value), "what": what})
    return found


def _parse(target: Target, value, vocabularies: Vocabularies):
    """One cell to its Python value; raises Bad with the reason."""
    if target.kind == "text":
        text = read_cell(_text(value))
        if target.name == "reference" and len(text) > 40:
            raise Bad(_("longer than 40 characters"))
        limit = target.field.max_length if target.field else None
        if limit and len(text) > limit:
            raise Bad(_("longer than %(limit)s characters") % {"limit": limit})
        return text
    if target.kind in {"date", "event_date"}:
        return _not_future(parse_date(value)[0])
    if target.kind == "dated":
        day, precision = parse_date(value)
        return _not_future(day), precision
    if target.kind == "year":
        text = _text(value)
        if not re.fullmatch(r"\d{4}", text):
            raise Bad(_("“%(value)s” is not a year") % {"value": text})
        year = int(text)
        if not 1900 <= year <= date.today().year:
            raise Bad(_("%(year)s is not a possible birth year") % {"year": year})
        return year
    if target.kind == "sex":
        return _choice(SEX_OF, value, gettext_lazy("sex"))
    if target.kind == "country":
        text = _text(value)
        code = countries.code_of(text)
        if code is None:
            raise Bad(
                _("“%(value)s” is not a country: write its name or its ISO code, e.g. KG")
                % {"value": text}
            )
        return code
    if target.kind == "groups":
        return {
            _choice(GROUP_OF, part, gettext_lazy("vulnerable group")): True
            for part in _split(value)
        }
    if target.kind == "term":
        return vocabularies.term(target.vocabulary, value)
    if target.kind == "terms":
        return [vocabularies.term(target.vocabulary, part) for part in _split(value)]
    if target.kind == "place":
        return vocabularies.place(value)
    if target.kind == "consent":
        return _choice(YES_NO, value, gettext_lazy("answer (write yes or no)"))
    if target.kind == "manner":
        return _choice(MANNER_OF, value, gettext_lazy("manner of consent"))
    if target.kind == "choice":
        return _choice(_choice_words(target.field.name), value, target.label)
    if target.kind == "verdict":
        return _choice(
            VERDICT_OF, value, gettext_lazy("verdict (conviction, lesser article, acquittal)")
        )
    if target.kind == "amount":
        try:
            amount = Decimal(_text(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            raise Bad(_("“%(value)s” is not an amount") % {"value": _text(value)}) from None
        if amount < 0 or amount >= Decimal("1e12"):
            raise Bad(_("“%(value)s” is not an amount") % {"value": _text(value)})
        return amount.quantize(Decimal("0.01"))
    if target.kind == "currency":
        text = _text(value).upper()
        if not re.fullmatch(r"[A-Z]{3}", text):
            raise Bad(_("“%(value)s” is not a currency code such as KGS") % {"value": text})
        return text
    raise AssertionError(target.kind)


@dataclass
class Row:
    line: int
    values: list  # the original cells
    key: str = ""  # the import key: keyed, so it may be stored and compared in the clear
    new_case: actions.NewCase | None = None
    reason: str = ""
    joined: list["Row"] = field(default_factory=list)  # later rows with more acts of its case


def import_fingerprint(organisation_id: int, fields: dict[str, str]) -> str:
    """SHA-256 of the organisation and the row's reference, or of its whole mapped content.

    Unkeyed and over the name, so anyone could test a guessed name against it: it is kept only
    sealed (``Case.import_fingerprint``), and compared through its keyed digest
    (``actions.import_key``)."""
    if fields.get("reference"):
        basis = ["ref", normalise(fields["reference"])]
    else:
        basis = ["row", sorted((k, normalise(v)) for k, v in fields.items() if v)]
    payload = json.dumps([organisation_id, basis], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _header(headers: list[str], column: int) -> str:
    return headers[column] if column < len(headers) and headers[column] else f"#{column + 1}"


def build_row(
    line: int,
    values: list,
    mapping: list[str],
    headers: list[str],
    vault: Vault,
    vocabularies: Vocabularies,
) -> Row:
    """Check one row fully; a NewCase if every value is good, else the reasons."""
    row = Row(line, values)
    raw: dict[str, object] = {}
    column_of: dict[str, str] = {}
    for column, name in enumerate(mapping):
        if name and column < len(values) and values[column] != "":
            raw[name] = values[column]
        if name:
            column_of[name] = _header(headers, column)
    fingerprint = import_fingerprint(vault.organisation_id, {k: _text(v) for k, v in raw.items()})
    row.key = actions.import_key(vault, fingerprint)
    parsed, problems = {}, []
    for name, value in raw.items():
        try:
            parsed[name] = _parse(TARGET[name], value, vocabularies)
        except Bad as bad:
            problems.append(f"{column_of[name]}: {bad}")

    def need(name: str, message: str) -> None:
        if name not in raw:
            problems.append(f"{column_of.get(name, TARGET[name].label)}: {message}")

    for target in TARGETS:
        if target.required:
            need(target.name, gettext_lazy("missing"))
    if parsed.get("act_types") == []:
        parsed.pop("act_types")
    if "act_types" in raw and "act_date" not in raw:
        need("act_date", gettext_lazy("missing: the acts need their date"))
    if any(f.column in raw for f in schema.exchanged(schema.ACT)):
        need("act_types", gettext_lazy("missing: name at least one act type"))
    if "verdict" in raw:
        need("verdict_date", gettext_lazy("missing: the verdict needs its date"))
    if "verdict_date" in raw:
        need("verdict", gettext_lazy("missing: which verdict"))
    if "compensation_amount" in raw:
        need("compensation_date", gettext_lazy("missing: the amount needs the date it was awarded"))
        need("compensation_currency", gettext_lazy("missing: the amount needs its currency"))
    if "complaint_body" in raw:
        need("complaint_date", gettext_lazy("missing: the complaint needs its date"))
    if problems:
        row.reason = "; ".join(problems)
        return row
    row.new_case = _new_case(parsed, fingerprint)
    return row


def _declared_values(record: tuple[schema.Field, ...], p: dict) -> dict:
    """The action's arguments for a declared record, from a row's parsed columns."""
    values = {}
    for f in schema.exchanged(record):
        if f.column not in p:
            continue
        if f.kind == "groups":
            values.update(p[f.column])
        elif f.kind == "dated":
            values[f.name], values[f"{f.name}_precision"] = p[f.column]
        else:
            values[f.name] = p[f.column]
    return values


def _new_case(p: dict, fingerprint: str) -> actions.NewCase:
    intake = p["intake_date"]
    consent_date = p.get("consent_date", intake)
    manner = p.get("consent_manner", Consent.Manner.WRITTEN)
    consents = {
        target.scope: (p[target.name], consent_date, manner)
        for target in TARGETS
        if target.kind == "consent" and target.name in p
    }
    events = []
    for target in TARGETS:
        if target.kind == "event_date" and target.name in p:
            event = {"kind": target.event, "date": p[target.name]}
            if target.name == "complaint_date" and "complaint_body" in p:
                event["body"] = p["complaint_body"]
            if target.name == "compensation_date" and "compensation_amount" in p:
                event["amount"] = p["compensation_amount"]
                event["currency"] = p["compensation_currency"]
            events.append(event)
    if "verdict" in p:
        events.append({"kind": p["verdict"], "date": p["verdict_date"]})
    return actions.NewCase(
        case=_declared_values(schema.CASE, p),
        import_fingerprint=fingerprint,
        external_reference=p.get("reference", ""),
        victim=_declared_values(schema.PERSON, p),
        consents=consents,
        allegations=[_declared_values(schema.ACT, p)] if "act_types" in p else [],
        events=events,
    )


@dataclass
class Report:
    total: int = 0
    good: list[Row] = field(default_factory=list)
    already: list[Row] = field(default_factory=list)  # imported before, or repeated in the file
    failed: list[Row] = field(default_factory=list)
    imported: int = 0
    headers: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.total,
            "good": sum(1 + len(row.joined) for row in self.good),
            "imported": self.imported,
            "already_imported": len(self.already),
            "failed": len(self.failed),
        }

    def rejected_csv(self) -> bytes:
        """The rejected rows as they were, with their line and the reason."""
        width = len(self.headers)

        def cells(row: Row) -> list:
            values = [_text(v) for v in row.values] + [""] * max(0, width - len(row.values))
            return [*values[: max(width, len(row.values))], row.line, row.reason]

        return csv_bytes([[*self.headers, "line", "reason"], *map(cells, self.failed)])


def check_rows(actor: User, vault: Vault, table: Table, mapping: list[str]) -> Report:
    """Check every row and find those already imported; writes nothing."""
    organisation_id = actor.organisation_id
    vocabularies = Vocabularies(organisation_id)
    report = Report(total=len(table.rows), headers=table.headers)
    rows = [
        build_row(line, values, mapping, table.headers, vault, vocabularies)
        for line, values in table.rows
    ]
    keys = [row.key for row in rows if row.new_case is not None]
    done = set()
    for start in range(0, len(keys), 900):
        done |= set(
            Case.objects.filter(
                organisation_id=organisation_id, import_key__in=keys[start : start + 900]
            ).values_list("import_key", flat=True)
        )
    # A reference that is a case's own number here (an export of this register imported back)
    # is refused as taken; the cases are numbered by Kuzot, their imported references sealed.
    references = [
        r.new_case.external_reference for r in rows if r.new_case and r.new_case.external_reference
    ]
    used_references = set()
    for start in range(0, len(references), 900):
        used_references |= set(
            Case.objects.filter(
                organisation_id=organisation_id, reference__in=references[start : start + 900]
            ).values_list("reference", flat=True)
        )
    first_line: dict[str, Row] = {}
    for row in rows:
        if row.new_case is None:
            report.failed.append(row)
        elif row.key in done:
            row.reason = _("already imported")
            report.already.append(row)
        elif row.key in first_line and row.new_case.external_reference:
            # One row per act (what an export writes): the case, person, consents and legal
            # path come from its first row, each later row adds its act.
            first = first_line[row.key]
            first.new_case.allegations += row.new_case.allegations
            first.joined.append(row)
        elif row.key in first_line:
            row.reason = _("repeats line %(line)s") % {"line": first_line[row.key].line}
            report.already.append(row)
        elif row.new_case.external_reference in used_references:
            row.reason = _("%(column)s: “%(value)s” is already the reference of another case") % {
                "column": _header(table.headers, mapping.index("reference")),
                "value": row.new_case.external_reference,
            }
            report.failed.append(row)
        else:
            first_line[row.key] = row
            report.good.append(row)
    return report


def run_import(
    actor: User,
    vault: Vault,
    table: Table,
    mapping: list[str],
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress=None,
) -> Report:
    """Check every row, then write the good ones in batches: each batch (its people, cases,
    consents, acts, legal events, their audit events and import keys) is one transaction, so
    a killed import leaves whole rows only and a rerun completes the rest."""
    report = check_rows(actor, vault, table, mapping)
    if dry_run:
        return report
    for start in range(0, len(report.good), batch_size):
        batch = report.good[start : start + batch_size]
        with transaction.atomic():
            actions.register_cases(actor, vault, [row.new_case for row in batch])
            record(
                actor,
                Action.CREATE,
                organisation=actor.organisation,
                detail={
                    "import_batch": start // batch_size + 1,
                    "rows": len(batch),
                    "lines": [batch[0].line, batch[-1].line],
                },
            )
        report.imported += sum(1 + len(row.joined) for row in batch)
        if progress is not None:
            progress(report)
    if report.imported:
        actions.refresh_statistics()
    return report


# --- An import kept between its steps (``PendingImport``, sealed) ----------------------------


def seal_part(vault: Vault, name: str, data: bytes) -> bytes:
    """``data`` sealed as the pending import's field ``name``."""
    return vault.seal_bytes(data, sealed_context(PendingImport, name))


def open_part(vault: Vault, pending: PendingImport, name: str) -> bytes:
    return vault.open_bytes(getattr(pending, name), sealed_context(PendingImport, name))


def pending_table(vault: Vault, pending: PendingImport) -> tuple[Table, str]:
    """The uploaded file read again, and its name."""
    meta = json.loads(open_part(vault, pending, "filename"))
    data = open_part(vault, pending, "file")
    return read_table(data, meta["name"], meta.get("sheet") or None), meta["name"]


def pending_mapping(vault: Vault, pending: PendingImport) -> list[str]:
    return json.loads(open_part(vault, pending, "mapping"))


def import_pending(actor: User, vault: Vault, pending: PendingImport, *, progress=None) -> Report:
    """Run the import of ``pending`` and keep its outcome: the counts, the rejected rows
    (sealed); the upload itself is not kept."""
    table, _name = pending_table(vault, pending)
    report = run_import(actor, vault, table, pending_mapping(vault, pending), progress=progress)
    pending.status = PendingImport.Status.IMPORTED
    pending.total = report.total
    pending.imported = report.imported
    pending.skipped = len(report.already)
    pending.failed = len(report.failed)
    pending.rejected = (
        seal_part(vault, "rejected", report.rejected_csv()) if report.failed else None
    )
    pending.file = None  # the rows are in, or in the rejected file: the upload is not kept
    pending.finished_at = timezone.now()
    pending.save()
    return report
