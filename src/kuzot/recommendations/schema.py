"""The fields of documents, recommendations, assessments and actions, declared once.

Each ``Field`` names the attribute it fills, its kind, its label, the column headers an import
recognises (UHRI's and UPR Info's exports, English and Russian templates) and the header an
export writes. The forms (``forms.py``), the import (``imports.py``) and the export
(``exports.py``) are built from these tuples; adding a field here adds it to all three.

Kinds: ``text`` (one line), ``long_text``, ``date``, ``choice`` (``choices`` holds the
TextChoices, ``words`` more spellings an import accepts), ``country``, ``themes`` (a list),
``number``, ``bool``, ``url``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kuzot.recommendations.models import Assessment, Mechanism, Position, Status


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: Promise
    aliases: tuple[str, ...] = ()
    column: str = ""  # the export's header; "" for a field not exported
    required: bool = False
    choices: type[models.TextChoices] | None = None
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, spellings) an import accepts
    help: Promise | str = ""


MECHANISM_WORDS = (
    (Mechanism.CAT, ("cat", "committee against torture", "комитет против пыток", "кпп")),
    (Mechanism.SPT, ("spt", "cat op", "subcommittee on prevention of torture", "пкпп",
                     "подкомитет по предупреждению пыток")),
    (Mechanism.HRC, ("hrc", "ccpr", "human rights committee", "комитет по правам человека")),
    (Mechanism.UPR, ("upr", "universal periodic review", "upr working group",
                     "универсальный периодический обзор", "упо")),
    (Mechanism.SRT, ("srt", "sr torture", "sr on torture", "special rapporteur on torture",
                     "special rapporteur on torture and other cruel inhuman or degrading "
                     "treatment or punishment", "специальный докладчик по вопросу о пытках")),
    (Mechanism.WGAD, ("wgad", "wg arbitrary detention", "working group on arbitrary detention",
                      "рабочая группа по произвольным задержаниям")),
    (Mechanism.CEDAW, ("cedaw", "committee on the elimination of discrimination against women")),
    (Mechanism.CRC, ("crc", "committee on the rights of the child")),
    (Mechanism.EU, ("eu", "european union", "eu human rights dialogue", "ес")),
    (Mechanism.OSCE, ("osce", "odihr", "osce odihr", "обсе", "бдипч")),
    (Mechanism.NPM, ("npm", "national preventive mechanism", "нпм",
                     "национальный превентивный механизм")),
    (Mechanism.OMBUDSMAN, ("ombudsman", "ombudsperson", "омбудсмен", "акыйкатчы",
                           "уполномоченный по правам человека")),
    (Mechanism.COALITION, ("coalition", "коалиция")),
)  # fmt: skip

POSITION_WORDS = (
    (Position.SUPPORTED, ("supported", "accepted", "accept", "support", "поддержано",
                          "поддерживает", "принято", "принята")),
    (Position.NOTED, ("noted", "note", "принято к сведению", "принята к сведению")),
    (Position.REJECTED, ("rejected", "reject", "not accepted", "отклонено", "отклонена")),
    (Position.UNKNOWN, ("pending", "no response", "unknown", "нет ответа")),
)  # fmt: skip

STATUS_WORDS = (
    (Status.IMPLEMENTED, ("implemented", "fully implemented", "выполнено", "выполнена")),
    (Status.PARTIAL, ("partially implemented", "partial", "partially", "частично выполнено",
                      "частично выполнена")),
    (Status.NOT_IMPLEMENTED, ("not implemented", "none", "не выполнено", "не выполнена")),
    (Status.WORSE, ("worse", "regression", "ухудшение")),
)  # fmt: skip

ASSESSOR_WORDS = (
    (Assessment.Assessor.NGO, ("ngo", "нпо", "we", "мы")),
    (Assessment.Assessor.STATE, ("state", "government", "государство", "правительство")),
    (Assessment.Assessor.BODY, ("body", "committee", "комитет", "орган")),
)

# The document a recommendation comes from: written with it, never entered alone.
DOCUMENT_FIELDS = (
    Field("symbol", "text", _("Document symbol"),
          ("symbol", "document symbol", "document", "symbol of document", "символ",
           "символ документа", "документ"),
          column="symbol", required=True,
          help=_("As the UN prints it, e.g. CAT/C/KGZ/CO/3.")),
    Field("mechanism", "choice", _("Mechanism"),
          ("mechanism", "body", "reccomending body", "recommending body", "treaty body",
           "механизм", "орган"),
          column="mechanism", required=True, choices=Mechanism, words=MECHANISM_WORDS),
    Field("country", "country", _("Country"),
          ("country", "state", "state under review", "sur", "country name", "страна",
           "государство"),
          column="country", required=True),
    Field("cycle", "text", _("Cycle or session"),
          ("cycle", "session", "upr cycle", "reporting cycle", "цикл", "сессия"),
          column="cycle"),
    Field("date", "date", _("Date of the document"),
          ("date", "document publication date", "publication date", "year", "дата",
           "дата документа", "год"),
          column="date"),
    Field("link", "url", _("Link"), ("link", "url", "document url", "ссылка"), column="link"),
)  # fmt: skip

RECOMMENDATION_FIELDS = (
    Field("paragraph", "text", _("Paragraph"),
          ("paragraph", "para", "paragraph number", "para no", "recommendation number",
           "пункт", "параграф", "номер"),
          column="paragraph"),
    Field("text", "long_text", _("Text of the recommendation"),
          ("text", "recommendation", "annotation", "recommendation text", "текст",
           "рекомендация", "текст рекомендации"),
          column="text", required=True, help=_("In the language the body wrote it.")),
    Field("language", "text", _("Language of the text"),
          ("language", "language of the text", "язык"), column="language",
          help=_("Two letters: en, ru, fr.")),
    Field("text_en", "long_text", _("Text in English"),
          ("text en", "english", "text in english", "текст на английском"), column="text_en"),
    Field("text_ru", "long_text", _("Text in Russian"),
          ("text ru", "russian", "text in russian", "текст на русском", "перевод"),
          column="text_ru"),
    Field("recommending_state", "text", _("Recommending state"),
          ("recommending state", "recommending states", "recommending country", "from",
           "рекомендующее государство"),
          column="recommending_state", help=_("For the UPR.")),
    Field("themes", "themes", _("Themes"),
          ("themes", "theme", "issues", "issue", "topics", "темы", "тема"),
          column="themes", help=_("Separated by semicolons.")),
    Field("affected_persons", "text", _("Affected persons"),
          ("affected persons", "concerned persons", "groups", "affected groups",
           "затронутые лица", "группы"),
          column="affected_persons"),
    Field("sdg_targets", "text", _("SDG targets"),
          ("sdg", "sdgs", "sdg targets", "sdg goals", "цур"), column="sdg_targets"),
    Field("upr_action_category", "number", _("UPR action category"),
          ("action category", "upr action category", "категория действия"),
          column="upr_action_category", help=_("UPR Info's scale, 1 to 5.")),
    Field("follow_up", "bool", _("Selected for follow-up"),
          ("follow up", "follow-up", "priority", "follow up priority", "последующие меры",
           "приоритет"),
          column="follow_up"),
    Field("follow_up_deadline", "date", _("Follow-up deadline"),
          ("follow up deadline", "deadline", "due", "срок", "срок последующих мер"),
          column="follow_up_deadline"),
    Field("position", "choice", _("State's position"),
          ("position", "response", "state response", "state position", "status of response",
           "позиция", "позиция государства", "ответ"),
          column="position", choices=Position, words=POSITION_WORDS),
    Field("position_wording", "long_text", _("The state's own words"),
          ("position wording", "response wording", "state's words", "formulation",
           "формулировка ответа"),
          column="position_wording"),
)  # fmt: skip

ASSESSMENT_FIELDS = (
    Field("status", "choice", _("Status"), ("status", "assessment", "оценка", "статус"),
          column="status", required=True, choices=Status, words=STATUS_WORDS),
    Field("assessor", "choice", _("Assessed by"), ("assessed by", "assessor", "кто оценил"),
          column="assessor", required=True, choices=Assessment.Assessor, words=ASSESSOR_WORDS),
    Field("date", "date", _("Date of the assessment"), ("assessment date",), column="date",
          required=True),
    Field("source", "text", _("Source"), ("source", "источник"), column="source",
          help=_("The document or meeting it comes from, e.g. CAT/C/TJK/Q/4, para. 10.")),
    Field("evidence", "long_text", _("Evidence"), ("evidence", "доказательства"),
          column="evidence",
          help=_("What shows it: laws, numbers, cases by reference. Never a name.")),
    Field("public", "bool", _("Show on the public scorecard"), ("public",), column="public"),
)  # fmt: skip

ACTION_FIELDS = (
    Field("what", "long_text", _("What should be done"), ("action", "what", "мера"),
          column="what", required=True),
    Field("lead_institution", "text", _("Lead institution"),
          ("lead institution", "responsible", "ответственный орган"), column="lead_institution"),
    Field("indicator", "text", _("Indicator"), ("indicator", "индикатор"), column="indicator"),
    Field("due", "date", _("Due date"), ("due date", "срок исполнения"), column="due"),
)  # fmt: skip

# What one row of a recommendations spreadsheet holds (import and export).
ROW_FIELDS = DOCUMENT_FIELDS + RECOMMENDATION_FIELDS
