"""A UHRI-shaped export for the four countries, from the documents' real symbols and dates.

The paragraph numbers and texts are written for the tests in the bodies' usual wording; the
symbols, mechanisms and dates are those of the published documents (see
docs/recommendations.md and the research notes). 16 documents × 14 paragraphs = 224 rows.
"""

import csv
import io

from kuzot.cases.imports import read_table

# symbol, body as UHRI writes it, publication date, country as UHRI writes it
DOCUMENTS = [
    ("CAT/C/KGZ/CO/2", "CAT", "2013-12-20", "Kyrgyzstan"),
    ("CAT/C/KGZ/CO/3", "CAT", "2021-12-21", "Kyrgyzstan"),
    ("CCPR/C/KGZ/CO/3", "CCPR", "2022-12-06", "Kyrgyzstan"),
    ("A/HRC/29/4", "UPR", "2015-04-09", "Kyrgyzstan"),
    ("CAT/C/KAZ/CO/3", "CAT", "2014-12-12", "Kazakhstan"),
    ("CAT/C/KAZ/CO/4", "CAT", "2023-06-08", "Kazakhstan"),
    ("CCPR/C/KAZ/CO/2", "CCPR", "2016-08-09", "Kazakhstan"),
    ("A/HRC/28/10", "UPR", "2014-12-18", "Kazakhstan"),
    ("CAT/OP/KAZ/ROSP/1", "SPT", "2025-04-07", "Kazakhstan"),
    ("CAT/C/TJK/CO/2", "CAT", "2013-01-21", "Tajikistan"),
    ("CAT/C/TJK/CO/3", "CAT", "2018-06-18", "Tajikistan"),
    ("CCPR/C/TJK/CO/3", "CCPR", "2019-08-22", "Tajikistan"),
    ("CAT/C/UZB/CO/4", "CAT", "2013-12-10", "Uzbekistan"),
    ("CAT/C/UZB/CO/5", "CAT", "2020-01-14", "Uzbekistan"),
    ("CCPR/C/UZB/CO/5", "CCPR", "2020-05-01", "Uzbekistan"),
    ("A/HRC/39/7", "UPR", "2018-07-09", "Uzbekistan"),
]

SUBJECTS = [
    ("ensure prompt, impartial and effective investigations into all allegations of torture "
     "by a fully independent body", "Torture and other cruel, inhuman or degrading treatment"),
    ("bring the definition of torture into full conformity with article 1 of the Convention",
     "Legal and institutional framework"),
    ("guarantee all fundamental legal safeguards from the very outset of deprivation of liberty",
     "Administration of justice & fair trial"),
    ("ensure that evidence obtained through torture is inadmissible in all proceedings",
     "Administration of justice & fair trial"),
    ("provide the national preventive mechanism with adequate resources and unimpeded access",
     "National Preventive Mechanism"),
    ("improve conditions in all places of detention in line with the Nelson Mandela Rules",
     "Conditions of detention"),
    ("ensure that victims obtain redress, including fair and adequate compensation and "
     "rehabilitation", "Right to an effective remedy"),
    ("combat the culture of impunity and prosecute perpetrators with penalties commensurate "
     "with the gravity of the crime", "Impunity"),
    ("ensure independent forensic medical examinations in line with the Istanbul Protocol",
     "Torture and other cruel, inhuman or degrading treatment"),
    ("prevent hazing and ill-treatment of conscripts in the armed forces",
     "Torture and other cruel, inhuman or degrading treatment"),
    ("protect human rights defenders and lawyers from reprisals",
     "Human rights defenders"),
    ("collect and publish statistics on complaints, investigations, prosecutions and "
     "convictions for torture", "Statistics and data"),
    ("prohibit the use of incommunicado detention and ensure registration of every detainee",
     "Liberty and security of the person"),
    ("ensure that no one is returned to a state where they would face a risk of torture",
     "Asylum-seekers & refugees"),
]  # fmt: skip

HEADERS = [
    "Symbol",
    "Paragraph",
    "Reccomending Body",
    "Document Publication Date",
    "State",
    "Text",
    "Themes",
    "Affected Persons",
    "SDGs",
    "Recommending State",
]
UPR_STATES = ["Germany", "Norway", "United States of America", "France", "Uruguay", "Ghana"]


def uhri_rows() -> list[list[str]]:
    rows = []
    for symbol, body, published, country in DOCUMENTS:
        for number, (subject, theme) in enumerate(SUBJECTS, start=7):
            state = UPR_STATES[number % len(UPR_STATES)] if body == "UPR" else ""
            paragraph = f"117.{number}" if body == "UPR" else str(number)
            text = f"The State party should {subject} ({symbol}, para. {paragraph})."
            rows.append(
                [
                    symbol,
                    paragraph,
                    body,
                    published,
                    country,
                    text,
                    f"{theme}; Torture and other cruel, inhuman or degrading treatment"
                    if "Torture" not in theme
                    else theme,
                    "Persons deprived of their liberty",
                    "16.3; 16.a",
                    state,
                ]
            )
    return rows


def csv_file(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def uhri_export() -> bytes:
    return csv_file(HEADERS, uhri_rows())


def uhri_table():
    return read_table(uhri_export(), "uhri.csv")
