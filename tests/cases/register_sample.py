"""A synthetic case register as NGOs keep it in Excel (Russian headers), with bad rows of
known kinds at known lines: used by the import tests and bench/bench_import.py."""

import io
import random
from datetime import date, timedelta

HEADERS = [
    "Номер дела", "Дата обращения", "ФИО", "Пол", "Год рождения", "Гражданство",
    "Уязвимые группы", "Источник", "Дата пыток", "Регион", "Район", "Вид пыток", "Орган",
    "Подразделение", "Цель", "Контекст", "Фабула", "Согласие на документирование",
    "Согласие на статистику", "Дата жалобы", "Куда подана жалоба",
    "Дата возбуждения уголовного дела", "Приговор", "Дата приговора",
]  # fmt: skip

FIRST = ["Азамат", "Бакыт", "Нурлан", "Айгуль", "Жылдыз", "Эрлан", "Мирлан", "Гулнара",
         "Данияр", "Асель", "Тимур", "Улан", "Чынара", "Алмаз", "Камила"]  # fmt: skip
LAST = ["Осмонов", "Сыдыков", "Жумабеков", "Абдыкадыров", "Токтогулов", "Исаков",
        "Мамытов", "Бекташев", "Касымов", "Алиев", "Эсенов", "Турдубаев"]  # fmt: skip
REGIONS = ["Чуйская область", "Бишкек", "Ошская область", "Jalal-Abad", "kg-naryn", "Talas",
           "Баткенская обл.", "Иссык-Кульская область", "Ош (город)"]  # fmt: skip
ACTS = [
    "Избиение",
    "beating; death_threats",
    "Удушение (пакет, противогаз), Избиение",
    "Electric shock",
    "Угрозы родственникам",
    "Принуждение к признанию; Лишение сна",
]
AGENCIES = ["Милиция / полиция (МВД)", "police", "Служба национальной безопасности",
            "Пенитенциарная служба", "Unknown"]  # fmt: skip
PURPOSES = ["Получение признания", "confession", "Наказание", "Вымогательство", ""]
CONTEXTS = ["Задержание", "Допрос", "pre_trial", "Место лишения свободы (колония)", ""]
SOURCES = ["Пострадавший", "Родственник", "lawyer", "СМИ", ""]
GROUPS = ["", "", "", "", "несовершеннолетний", "мигрант", "журналист; инвалидность"]

BAD_KINDS = ["bad date", "unknown region", "missing name", "unknown act type", "future birth"]
BAD_EVERY = {7, 41, 83}  # rows i with i % 100 in here are bad: 3 %


def rows(n: int, seed: int = 7) -> tuple[list[list], dict[int, str]]:
    """n data rows and {spreadsheet line: kind of fault} for the bad ones (header is line 1)."""
    rng = random.Random(seed)
    data, bad = [], {}
    for i in range(n):
        intake = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        act = intake - timedelta(days=rng.randrange(1, 60))
        verdict = rng.random() < 0.05
        complaint = rng.random() < 0.5
        row = [
            f"KG-{intake.year}-{i + 1:05d}",
            intake.strftime("%d.%m.%Y") if i % 2 else intake,
            f"{rng.choice(LAST)} {rng.choice(FIRST)} {i}",
            rng.choice(["М", "Ж", "муж", "female", ""]),
            rng.choice([str(rng.randrange(1950, 2008)), rng.randrange(1950, 2008), ""]),
            rng.choice(["KG", "Кыргызстан", "UZ", ""]),
            rng.choice(GROUPS),
            rng.choice(SOURCES),
            act.isoformat() if i % 3 else act.strftime("%d.%m.%Y"),
            rng.choice(REGIONS),
            rng.choice(["Аламудунский район", "Сокулукский", ""]),
            rng.choice(ACTS),
            rng.choice(AGENCIES),
            rng.choice(["ОВД Ленинского района", "ИВС", ""]),
            rng.choice(PURPOSES),
            rng.choice(CONTEXTS),
            rng.choice(["Избит при задержании, требовали признания.", ""]),
            rng.choice(["да", "yes", "нет", ""]),
            rng.choice(["да", "нет", ""]),
            (act + timedelta(days=10)).strftime("%d.%m.%Y") if complaint else "",
            rng.choice(["Прокуратура", "ombudsman"]) if complaint else "",
            (act + timedelta(days=40)).isoformat() if complaint and rng.random() < 0.3 else "",
            "оправдательный" if verdict else "",
            (act + timedelta(days=300)).strftime("%d.%m.%Y") if verdict else "",
        ]
        if i % 100 in BAD_EVERY:
            kind = BAD_KINDS[(i // 100 + i % 100) % len(BAD_KINDS)]
            bad[i + 2] = kind
            if kind == "bad date":
                row[1] = "31.02.2020"
            elif kind == "unknown region":
                row[9] = "Атлантида"
            elif kind == "missing name":
                row[2] = ""
            elif kind == "unknown act type":
                row[11] = "Избиение; щекотка"
            else:
                row[4] = str(date.today().year + 5)
        data.append(row)
    return data, bad


def xlsx(n: int, seed: int = 7) -> tuple[bytes, dict[int, str]]:
    from openpyxl import Workbook

    data, bad = rows(n, seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Реестр")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), bad


def csv_bytes(n: int, *, encoding: str = "utf-8", delimiter: str = ",", seed: int = 7):
    import csv

    data, bad = rows(n, seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in data:
        writer.writerow([v.strftime("%d.%m.%Y") if isinstance(v, date) else v for v in row])
    return out.getvalue().encode(encoding), bad
